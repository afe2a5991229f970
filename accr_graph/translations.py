"""UI and message translations: gettext catalogs under ``accr_graph/locale``.

Each feature keeps its strings in its own gettext *domain* (``locale/<lang>/LC_MESSAGES/
<domain>.po``: ``web``, ``reasons``, ``notifications``...), so features can be translated and
extended independently; a reader's translations merge every domain. ``.po`` files are the source
(committed); ``.mo`` files are compiled by ``scripts/bootstrap`` (``compile_catalogs``). A missing
or stale ``.mo`` is compiled in memory from its ``.po``, so a fresh checkout never shows msgids.

Adding a language is adding its catalogs: ``available_languages()`` lists what is there.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "fr"  # the ACCR's working language


def _catalog_dirs() -> list[Path]:
    return sorted(p for p in LOCALE_DIR.glob("*/LC_MESSAGES") if any(p.glob("*.po")))


@cache
def available_languages() -> tuple[str, ...]:
    """Languages with at least one catalog, the default first."""
    found = sorted(p.parent.name for p in _catalog_dirs())
    return tuple(sorted(found, key=lambda lang: (lang != DEFAULT_LANGUAGE, lang)))


def _mo_bytes(po: Path) -> bytes:
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo.read_bytes()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name, domain=po.stem)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@cache
def translations(lang: str) -> NullTranslations:
    """Every domain's catalog for ``lang`` merged; an unknown language gets the msgids."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    merged: NullTranslations | None = None
    for po in sorted(folder.glob("*.po")) if lang in available_languages() else []:
        catalog = Translations(io.BytesIO(_mo_bytes(po)), domain=po.stem)
        merged = catalog if merged is None else _merge(merged, catalog)
    return merged or NullTranslations()


def _merge(into: NullTranslations, other: Translations) -> NullTranslations:
    if isinstance(into, Translations):
        merged: Translations = into.merge(other)
        return merged
    return other


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def compile_catalogs() -> int:
    """Write every ``.mo`` beside its ``.po`` (run by scripts/bootstrap); returns the count."""
    count = 0
    for folder in _catalog_dirs():
        for po in folder.glob("*.po"):
            po.with_suffix(".mo").write_bytes(_mo_bytes(po))
            count += 1
    return count
