"""Opaque global IDs ("Type:pk", base64url), shared by the API and the web pages that take them."""

from __future__ import annotations

import base64
import binascii

MAX_PK = 2**31 - 1  # PostgreSQL INTEGER: no key beyond it exists


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


def pk_of(global_id: str, expected_type: str) -> int | None:
    """The primary key of a global ID of the expected type, or None."""
    decoded = from_global_id(global_id)
    return decoded[1] if decoded is not None and decoded[0] == expected_type else None


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """``(type name, primary key)``, or None when the ID is not one of ours."""
    try:
        decoded = base64.urlsafe_b64decode(global_id.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, _, raw = decoded.partition(":")
    # Beyond the databases' integer keys the ID cannot exist (and must not reach the SQL).
    if not (type_name and raw.isdigit() and 0 < int(raw) <= MAX_PK):
        return None
    return type_name, int(raw)
