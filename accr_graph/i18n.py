"""Translatable text.

Storage: one JSON object per translatable field, language code -> text, e.g.
``{"en": "Artist residencies", "fr": "Résidences d'artistes"}``.

Fallback order when a text is read in language L: L itself, then English, then French, then the
first other language in alphabetical order; a field with no text at all reads as "".
"""

from __future__ import annotations

from collections.abc import Mapping

FALLBACK_LANGUAGES: tuple[str, ...] = ("en", "fr")
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "it", "pt", "nl", "pl")


def pick(texts: Mapping[str, str] | None, lang: str | None) -> str:
    """The text in ``lang`` or by the documented fallback order."""
    if not texts:
        return ""
    for candidate in (lang, *FALLBACK_LANGUAGES):
        if candidate and texts.get(candidate):
            return texts[candidate]
    for key in sorted(texts):
        if texts[key]:
            return texts[key]
    return ""


def parse_accept_language(header: str | None) -> str | None:
    """The preferred language of an Accept-Language header (highest q, first on ties)."""
    if not header:
        return None
    best: tuple[float, str] | None = None
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        if not code or code == "*":
            continue
        quality = _quality(params)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, code)
    return best[1] if best else None


def _quality(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        return float(value)
    except ValueError:
        return 0.0


def accepted_languages(header: str | None) -> list[str]:
    """Every language of an Accept-Language header, best first (q-values; ties keep order).

    Only primary subtags count ("fr-CH" is "fr"); q=0 means "not this one"; "*" is ignored.
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:50]):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        quality = min(_quality(params), 1.0)
        if code and code != "*" and code.isascii() and code.isalpha() and quality > 0:
            ranked.append((-quality, position, code))
    seen: dict[str, None] = {}
    for _, _, code in sorted(ranked):
        seen.setdefault(code, None)
    return list(seen)


def negotiate(header: str | None, available: tuple[str, ...]) -> str | None:
    """The reader's most preferred language among ``available``, or None."""
    return next((code for code in accepted_languages(header) if code in available), None)
