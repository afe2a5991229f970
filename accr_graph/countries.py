"""ISO 3166-1 alpha-2 countries and ISO 639-1 languages (from pycountry)."""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Names some sources use instead of the ISO code (EU conventions: Greece is EL, the UK is UK).
EU_TO_ISO = {"EL": "GR", "UK": "GB"}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


@lru_cache(maxsize=1)
def language_codes() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def is_country(code: str) -> bool:
    return code in country_names()


def is_language(code: str) -> bool:
    return code in language_codes()


def country_name(code: str) -> str:
    return country_names().get(code, code)


def to_iso_country(code: str) -> str:
    code = code.strip().upper()
    return EU_TO_ISO.get(code, code)
