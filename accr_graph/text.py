"""Small text helpers shared by importers and services: slugs and name normalisation."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w\s]|_")


def fold(text: str) -> str:
    """Case-fold and strip accents: 'Zürich' and 'ZURICH' fold to the same 'zurich'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_name(name: str) -> str:
    """The organisation-name key used to merge spelling variants (documented in README).

    Case, accents, punctuation and spacing are ignored and '&' reads as 'and', so
    'Université de Liège' and 'UNIVERSITE DE LIEGE.' are one organisation.
    """
    folded = fold(name).replace("&", " and ")
    return " ".join(_NON_WORD.sub(" ", folded).split())


def slugify(text: str, max_length: int = 120) -> str:
    words = normalise_name(text).split()
    slug = "-".join(words)
    return slug[:max_length].rstrip("-") or "item"
