"""The `web` catalogs and the code agree: what `scripts/translations` extracts is exactly what
`web.po` translates, in every language.

A string looked up at run time but not extractable (a service message missing from
`accr_graph/web/messages.py`, a module missing from `babel.cfg`) works until the next
`scripts/translations`, which drops it from the catalogs (found: 50 such strings).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "accr_graph" / "locale"
KEYWORDS = {"_": None, "N_": None, "gettext": (2,), "ngettext": (1, 2)}


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, str(ROOT / "babel.cfg"))
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(lang: str) -> dict[str, object]:
    with (LOCALE / lang / "LC_MESSAGES" / "web.po").open("rb") as po:
        catalog = read_po(po)
    return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    return _extracted()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_catalog_entry_is_extracted(extracted: set[str], lang: str) -> None:
    lost = sorted(set(_catalog(lang)) - extracted)
    assert lost == [], f"scripts/translations would drop these from {lang}/web.po: {lost}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_extracted_string_is_translated(extracted: set[str], lang: str) -> None:
    catalog = _catalog(lang)
    missing = sorted(s for s in extracted if not catalog.get(s) or not all(_texts(catalog[s])))
    assert missing == [], f"{lang}/web.po lacks a translation for: {missing}"


def _texts(value: object) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (str(value),)


# --- every domain: what the code and templates mark is translated somewhere -------------------

EVERYWHERE = [("accr_graph/templates/**.html", "jinja2"), ("accr_graph/**.py", "python")]
JINJA = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}


def _marked_anywhere() -> dict[str, str]:
    """Every string marked for translation in any template or module -> where (first seen).

    Only `web` is extracted by script; the other domains' catalogs (hub, observatory, reasons,
    notifications) are edited by hand, so a string added to their code can be forgotten there
    (found: a consortium-builder note shown in English to French readers)."""
    found: dict[str, str] = {}
    for path, line, message, _comments, _context in extract_from_dir(
        str(ROOT), EVERYWHERE, {EVERYWHERE[0][0]: JINJA}, keywords=KEYWORDS
    ):
        found.setdefault(message if isinstance(message, str) else message[0], f"{path}:{line}")
    return found


def _merged(lang: str) -> set[str]:
    """Ids translated (every plural form too) in any of the language's catalogs."""
    translated: set[str] = set()
    for po in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for m in read_po(handle):
                if m.id and m.string and all(_texts(m.string)):
                    translated.add(m.id if isinstance(m.id, str) else m.id[0])
    return translated


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_marked_string_of_every_domain_is_translated(lang: str) -> None:
    translated = _merged(lang)
    missing = sorted(
        f"{where}: {text!r}" for text, where in _marked_anywhere().items() if text not in translated
    )
    assert missing == [], f"no {lang} translation in any catalog for: {missing}"
