"""Query-string and form values, parsed strictly once at the edge (DESIGN.md §15).

A value a reader typed or edited in a URL never raises: it becomes None (ignored) or a default,
and the page says so where it matters.
"""

from __future__ import annotations

from collections.abc import Collection

from accr_graph.ids import MAX_PK


def digits(raw: object, low: int, high: int) -> int | None:
    """A whole number within bounds, from ASCII digits only (not '²', not 5,000 digits)."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None


def page_number(raw: object) -> int:
    return digits(raw, 1, 100_000) or 1


def pk(raw: object) -> int | None:
    return digits(raw, 1, MAX_PK)


def one_of(raw: object, allowed: Collection[str]) -> str | None:
    """The value when it is one of ``allowed``; '' and unknown values are None."""
    if not isinstance(raw, str) or not raw:
        return None
    return raw if raw in allowed else None


def text(raw: object, limit: int = 200) -> str:
    """Free text, trimmed and cut to ``limit`` characters, without control characters (a NUL
    byte is refused by PostgreSQL, and none of them belongs in a name or a message)."""
    if not isinstance(raw, str):
        return ""
    kept = "".join(ch for ch in raw[: limit * 2] if ch.isprintable() or ch in "\n\t")
    return kept.strip()[:limit]
