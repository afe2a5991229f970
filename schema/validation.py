"""Checks on arguments of queries; violations become clear GraphQL errors."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError

from accr_graph.countries import is_country
from accr_graph.ids import pk_of
from accr_graph.repositories import catalogue
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


async def known_slugs(
    info: Info,
    themes: Sequence[str] = (),
    competencies: Sequence[str] = (),
    argument: str = "filter",
) -> None:
    """Unknown theme or competency slugs in a filter are an error, not an empty answer."""
    if not themes and not competencies:
        return
    async with info.context.sessionmaker() as session:
        found_themes = await catalogue.themes_by_slug(session, list(themes)) if themes else {}
        found = (
            await catalogue.competencies_by_slug(session, list(competencies))
            if competencies
            else {}
        )
    unknown_themes = sorted(set(themes) - set(found_themes))
    unknown_competencies = sorted(set(competencies) - set(found))
    if unknown_themes:
        raise GraphQLError(f"`{argument}`: unknown theme slug(s) {', '.join(unknown_themes)}.")
    if unknown_competencies:
        raise GraphQLError(
            f"`{argument}`: unknown competency slug(s) {', '.join(unknown_competencies)}."
        )
