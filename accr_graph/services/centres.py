"""Centre profiles and their competencies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import centres
from accr_graph.services import checks
from accr_graph.services.errors import Missing, fail
from accr_graph.services.fields import provided
from accr_graph.services.permissions import require_centre
from accr_graph.services.uow import Actor, Database, unit_of_work


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """Fields to set; None leaves a field as it is."""

    name: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    site_type: str | None = None
    website: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    country: str | None = None
    languages: list[str] | None = None
    founded_year: int | None = None
    description: list[tuple[str, str]] | None = None
    themes: list[str] | None = None


@dataclass(frozen=True, slots=True)
class CompetencyLine:
    competency: str  # slug
    level: int
    note: str | None = None


async def load_centre(session: AsyncSession, centre_id: int) -> m.Centre:
    centre = await centres.for_update(session, centre_id)
    if centre is None:
        raise fail(Missing("No such centre.", "Centre", centre_id))
    return centre


def _apply_plain(centre: m.Centre, changes: ProfileChanges) -> None:
    if changes.name is not None:
        centre.name = checks.text(changes.name, "name", 300, required=True) or centre.name
    for attribute, field, limit in (
        ("city", "city", 160),
        ("site_type", "siteType", 40),
        ("contact_email", "contactEmail", 300),
        ("contact_phone", "contactPhone", 60),
    ):
        value = getattr(changes, attribute)
        if value is not None:
            setattr(centre, attribute, checks.text(value, field, limit))
    if changes.website is not None:
        centre.website = checks.web_address(changes.website, "website")
    if changes.latitude is not None:
        centre.latitude = checks.float_range(changes.latitude, "latitude", -90, 90)
    if changes.longitude is not None:
        centre.longitude = checks.float_range(changes.longitude, "longitude", -180, 180)
    if changes.country is not None:
        centre.country = checks.country(changes.country, "country")
    if changes.languages is not None:
        centre.languages = checks.languages(changes.languages, "languages")
    if changes.founded_year is not None:
        centre.founded_year = checks.int_range(changes.founded_year, "foundedYear", 800, 2100)


async def update_profile(
    db: Database,
    actor: Actor,
    centre_id: int,
    changes: ProfileChanges,
    fields: Sequence[str] | None = None,
) -> m.Centre:
    """``fields``: what the audit entry lists (default: every field given a value)."""
    async with unit_of_work(db, actor, "updateCentreProfile") as uow:
        require_centre(uow.viewer, centre_id, "edit its profile")
        centre = await load_centre(uow.session, centre_id)
        _apply_plain(centre, changes)
        if changes.description is not None:
            centre.description = checks.translations(
                changes.description, "description", checks.MAX_TEXT
            )
        if changes.themes is not None:
            centre.themes = await checks.themes(uow.session, changes.themes, "themes")
        uow.changed(centre, provided(changes) if fields is None else fields)
        uow.network_changed()
    return centre


async def _lines(
    session: AsyncSession, lines: list[CompetencyLine], kind: m.CompetencyKind
) -> list[m.CentreCompetency]:
    levels = {line.competency: line.level for line in lines}
    if len(levels) != len(lines):
        raise checks.invalid(kind.value, "a competency is listed twice")
    ids = await checks.competency_levels(session, levels, kind.value)
    notes = {line.competency: checks.text(line.note, f"{kind.value}.note", 500) for line in lines}
    by_slug = dict(zip(levels, ids, strict=True))
    return [
        m.CentreCompetency(competency_id=by_slug[slug], kind=kind, level=level, note=notes[slug])
        for slug, level in levels.items()
    ]


async def set_competencies(
    db: Database,
    actor: Actor,
    centre_id: int,
    offers: list[CompetencyLine],
    seeks: list[CompetencyLine],
) -> m.Centre:
    """Replace the centre's offers and seeks with the given lists."""
    async with unit_of_work(db, actor, "setCentreCompetencies") as uow:
        require_centre(uow.viewer, centre_id, "change its competencies")
        centre = await load_centre(uow.session, centre_id)
        offered = await _lines(uow.session, offers, m.CompetencyKind.OFFERS)
        sought = await _lines(uow.session, seeks, m.CompetencyKind.SEEKS)
        both = {c.competency_id for c in offered} & {c.competency_id for c in sought}
        if both:
            raise checks.invalid("seeks", "a centre cannot offer and seek the same competency")
        centre.competencies = offered + sought
        uow.changed(centre, ["offers", "seeks"])
        uow.network_changed()
    return centre
