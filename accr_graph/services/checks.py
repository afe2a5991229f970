"""Input checks shared by services. Each raises ServiceFailure(Invalid(field, message))."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.countries import is_country, is_language
from accr_graph.db import models as m
from accr_graph.repositories import catalogue, centres
from accr_graph.services.errors import Invalid, Missing, fail
from accr_graph.viewer import Viewer

MAX_TITLE = 300
MAX_TEXT = 10_000
MAX_SHORT = 300


def invalid(field: str, message: str) -> Exception:
    return fail(Invalid(field=field, message=message))


def text(
    value: str | None, field: str, max_length: int = MAX_SHORT, required: bool = False
) -> str | None:
    if value is None or not value.strip():
        if required:
            raise invalid(field, "must not be empty")
        return None
    if len(value) > max_length:
        raise invalid(field, f"is {len(value)} characters long; the maximum is {max_length}")
    return value.strip()


def translations(
    items: Iterable[tuple[str, str]], field: str, max_length: int, required: bool = False
) -> dict[str, str]:
    result: dict[str, str] = {}
    for lang, value in items:
        code = lang.strip().lower()
        if not is_language(code):
            raise invalid(f"{field}.lang", f"'{lang}' is not an ISO 639-1 language code")
        if code in result:
            raise invalid(f"{field}.lang", f"'{code}' is given twice")
        cleaned = text(value, f"{field}.text", max_length)
        if cleaned:
            result[code] = cleaned
    if required and not result:
        raise invalid(field, "needs a text in at least one language")
    return result


def web_address(value: str | None, field: str) -> str | None:
    """An http(s) URL, or None; other schemes (javascript:, data:) end up as links elsewhere."""
    cleaned = text(value, field, MAX_SHORT)
    if cleaned is None:
        return None
    parts = urlsplit(cleaned)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise invalid(field, "must be an http:// or https:// address")
    return cleaned


async def centre(session: AsyncSession, centre_id: int | None, field: str) -> m.Centre:
    """The centre a field names; None means the caller has no centre of its own to stand in."""
    if centre_id is None:
        raise fail(Invalid(field, "say which centre (you have no centre of your own)"))
    found = (await centres.by_ids(session, [centre_id])).get(centre_id)
    if found is None:
        raise fail(Missing(f"The centre given as {field} does not exist.", "Centre", centre_id))
    return found


async def acting_centre(
    session: AsyncSession, viewer: Viewer, centre_id: int | None, field: str
) -> m.Centre:
    """The centre given, or else the caller's own centre."""
    return await centre(session, centre_id if centre_id is not None else viewer.centre_id, field)


def country(code: str, field: str) -> str:
    normalised = code.strip().upper()
    if not is_country(normalised):
        raise invalid(field, f"'{code}' is not an ISO 3166-1 alpha-2 country code")
    return normalised


def languages(codes: Sequence[str], field: str) -> list[str]:
    result = []
    for code in codes:
        normalised = code.strip().lower()
        if not is_language(normalised):
            raise invalid(field, f"'{code}' is not an ISO 639-1 language code")
        if normalised not in result:
            result.append(normalised)
    return result


def int_range(value: int, field: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise invalid(field, f"must be between {low} and {high} (got {value})")
    return value


def float_range(value: float, field: str, low: float, high: float) -> float:
    if not low <= value <= high:
        raise invalid(field, f"must be between {low} and {high} (got {value})")
    return value


async def themes(session: AsyncSession, slugs: Sequence[str], field: str) -> list[m.Theme]:
    found = await catalogue.themes_by_slug(session, list(slugs))
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise invalid(field, f"unknown theme(s): {', '.join(unknown)}")
    return [found[s] for s in dict.fromkeys(slugs)]


Levels = Mapping[str, int] | Sequence[tuple[str, int]]


def unique_levels(levels: Levels, field: str) -> dict[str, int]:
    """Slug -> level; a slug given twice is refused (its two levels cannot both hold)."""
    if isinstance(levels, Mapping):
        return dict(levels)
    result: dict[str, int] = {}
    for slug, level in levels:
        if slug in result:
            raise invalid(field, f"'{slug}' is given twice")
        result[slug] = level
    return result


async def competency_levels(session: AsyncSession, given: Levels, field: str) -> dict[int, int]:
    """Competency slug -> level, checked, as competency id -> level."""
    levels = unique_levels(given, field)
    found = await catalogue.competencies_by_slug(session, list(levels))
    unknown = [s for s in levels if s not in found]
    if unknown:
        raise invalid(field, f"unknown competenc(y/ies): {', '.join(unknown)}")
    for level in levels.values():
        int_range(level, f"{field}.level", 1, 3)
    return {found[slug].id: level for slug, level in levels.items()}
