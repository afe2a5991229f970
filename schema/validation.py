"""Checks on arguments of queries; violations become clear GraphQL errors."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError

from accr_graph.countries import is_country
from accr_graph.ids import pk_of
from accr_graph.services import reads
from accr_graph.services.errors import ServiceFailure
from schema.context import Info


def country_codes(codes: Sequence[str] | None, argument: str) -> tuple[str, ...]:
    normalised = tuple(code.strip().upper() for code in codes or ())
    unknown = [code for code in normalised if not is_country(code)]
    if unknown:
        raise GraphQLError(
            f"`{argument}`: unknown country code(s) {', '.join(unknown)} (ISO 3166-1 alpha-2)."
        )
    return normalised


def decode_id(global_id: str, expected_type: str, argument: str = "id") -> int:
    """A query argument's global ID (``accr_graph.ids``); a bad one is a clear GraphQL error."""
    key = pk_of(global_id, expected_type)
    if key is None:
        shown = global_id[:40] + ("…" if len(global_id) > 40 else "")
        raise GraphQLError(f"`{argument}` is not a valid {expected_type} ID: {shown!r}")
    return key


MAX_SUGGESTIONS = 50  # suggestion lists are rankings, not pages: at most this many


def check_first(first: int, limit: int = MAX_SUGGESTIONS, argument: str = "first") -> int:
    """A ranking's length (or another small count) within 1..limit."""
    if not 1 <= first <= limit:
        raise GraphQLError(f"`{argument}` must be between 1 and {limit} (got {first}).")
    return first


def query_error(failure: ServiceFailure) -> GraphQLError:
    """A service's typed failure as a query error: "`field`: message" (the words it had)."""
    detail = failure.failure
    field = getattr(detail, "field", "")
    message = getattr(detail, "message", "invalid input")
    text = f"`{field}`: {message}" if field else message
    return GraphQLError(text, extensions={"code": "BAD_USER_INPUT"})


async def known_slugs(
    info: Info,
    themes: Sequence[str] = (),
    competencies: Sequence[str] = (),
    argument: str = "filter",
) -> None:
    """Unknown theme or competency slugs in a filter are an error, not an empty answer
    (the check is ``services.reads.known_slugs``; this gives it as a query error)."""
    try:
        await reads.known_slugs(info.context.db, themes, competencies, argument)
    except ServiceFailure as failure:
        raise query_error(failure) from None
