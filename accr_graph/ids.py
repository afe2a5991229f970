"""The one home of global IDs ("Type:pk", base64url) and of integer keys read from outside.

Strict on purpose (DESIGN.md, inputs are parsed once at the edge): only ASCII digits (Python's
``str.isdigit`` also accepts '²' and Arabic-Indic digits), at most 10 of them, and within the
integer key column, so a hostile ID never reaches ``int()`` of thousands of digits or the SQL.
GraphQL, the web pages and the exports all decode through here.
"""

from __future__ import annotations

import base64
import binascii

from accr_graph.services.errors import Invalid, ServiceFailure, fail

MAX_PK = 2**31 - 1  # PostgreSQL INTEGER: no key beyond it exists
MAX_GLOBAL_ID = 120  # characters; every real ID is far shorter
_DIGITS = frozenset("0123456789")


def parse_pk(raw: str) -> int | None:
    """A primary key written in ASCII digits (1..MAX_PK), or None."""
    if not raw or len(raw) > 10 or not set(raw) <= _DIGITS:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_PK else None


def parse_int(raw: str, low: int, high: int) -> int | None:
    """A signed integer in ``low..high`` written in ASCII digits (an optional leading '-')."""
    digits = raw[1:] if raw.startswith("-") else raw
    if not digits or len(digits) > 10 or not set(digits) <= _DIGITS:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """``(type name, primary key)``, or None when the ID is not one of ours."""
    if len(global_id) > MAX_GLOBAL_ID or not global_id.isascii():
        return None
    try:
        decoded = base64.urlsafe_b64decode(global_id.encode()).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, _, raw = decoded.partition(":")
    key = parse_pk(raw)
    return (type_name, key) if type_name and key is not None else None


def pk_of(global_id: str, expected_type: str) -> int | None:
    """The primary key of a global ID of the expected type, or None."""
    decoded = from_global_id(global_id)
    return decoded[1] if decoded is not None and decoded[0] == expected_type else None


def decode(global_id: str, expected_type: str, field: str) -> int:
    """The primary key, or a typed ``Invalid(field)`` failure (a ValidationError in the API)."""
    key = pk_of(global_id, expected_type)
    if key is None:
        shown = global_id[:40] + ("…" if len(global_id) > 40 else "")
        raise fail(Invalid(field, f"'{shown}' is not a valid {expected_type} ID"))
    return key


def decode_optional(global_id: str | None, expected_type: str, field: str) -> int | None:
    return None if global_id is None else decode(global_id, expected_type, field)


__all__ = [
    "MAX_PK",
    "ServiceFailure",
    "decode",
    "decode_optional",
    "from_global_id",
    "parse_int",
    "parse_pk",
    "pk_of",
    "to_global_id",
]
