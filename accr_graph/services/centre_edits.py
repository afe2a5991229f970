"""Editing a centre on the unit of work: its profile, and its competencies one at a time.

The single-item changes (add, change the level, remove) serve the edit page and the GraphQL
mutations ``setCentreCompetency`` / ``removeCentreCompetency``; a whole-list replace stays
``setCentreCompetencies``.
"""

from __future__ import annotations

from accr_graph.db import models as m
from accr_graph.services import centres, checks
from accr_graph.services.centres import ProfileChanges
from accr_graph.services.errors import Invalid, Missing, fail
from accr_graph.services.permissions import require_centre
from accr_graph.services.uow import Actor, Database, unit_of_work

OTHER = {
    m.CompetencyKind.OFFERS: m.CompetencyKind.SEEKS,
    m.CompetencyKind.SEEKS: m.CompetencyKind.OFFERS,
}


async def update_centre_profile(
    db: Database, actor: Actor, centre_id: int, changes: ProfileChanges, fields: list[str]
) -> m.Centre:
    """The edit page's form: the profile use case, with the form's fields in the audit entry."""
    return await centres.update_profile(db, actor, centre_id, changes, fields)


async def set_centre_competency(
    db: Database,
    actor: Actor,
    centre_id: int,
    competency: str,
    kind: m.CompetencyKind,
    level: int,
    note: str | None = None,
) -> m.Centre:
    """Add one offered or sought competency, or change its level and note."""
    async with unit_of_work(db, actor, "setCentreCompetency") as uow:
        require_centre(actor.viewer, centre_id, "change its competencies")
        centre = await centres.load_centre(uow.session, centre_id)
        ids = await checks.competency_levels(uow.session, {competency: level}, "competency")
        competency_id = next(iter(ids))
        if _line(centre, competency_id, OTHER[kind]) is not None:
            raise fail(Invalid("competency", "a centre cannot offer and seek the same competency"))
        line = _line(centre, competency_id, kind)
        if line is None:
            line = m.CentreCompetency(competency_id=competency_id, kind=kind)
            centre.competencies.append(line)
        line.level = level
        line.note = checks.text(note, "note", 500)
        uow.changed(centre, [kind.value])
        uow.network_changed()
    return centre


async def remove_centre_competency(
    db: Database, actor: Actor, centre_id: int, competency: str, kind: m.CompetencyKind
) -> m.Centre:
    async with unit_of_work(db, actor, "removeCentreCompetency") as uow:
        require_centre(actor.viewer, centre_id, "change its competencies")
        centre = await centres.load_centre(uow.session, centre_id)
        ids = await checks.competency_levels(uow.session, {competency: 1}, "competency")
        line = _line(centre, next(iter(ids)), kind)
        if line is None:
            raise fail(Missing(f"The centre does not list this competency in {kind.value}."))
        centre.competencies.remove(line)
        uow.changed(centre, [kind.value])
        uow.network_changed()
    return centre


def _line(
    centre: m.Centre, competency_id: int, kind: m.CompetencyKind
) -> m.CentreCompetency | None:
    return next(
        (c for c in centre.competencies if c.competency_id == competency_id and c.kind is kind),
        None,
    )
