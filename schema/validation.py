"""Checks on arguments of queries; violations become clear GraphQL errors."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError

from accr_graph.countries import is_country
from schema.relay import from_global_id


def country_codes(codes: Sequence[str] | None, argument: str) -> tuple[str, ...]:
    normalised = tuple(code.strip().upper() for code in codes or ())
    unknown = [code for code in normalised if not is_country(code)]
    if unknown:
        raise GraphQLError(
            f"`{argument}`: unknown country code(s) {', '.join(unknown)} (ISO 3166-1 alpha-2)."
        )
    return normalised


def decode_id(global_id: str, expected_type: str, argument: str = "id") -> int:
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != expected_type:
        raise GraphQLError(f"`{argument}` is not a valid {expected_type} ID: {global_id!r}")
    return decoded[1]
