"""Recording joint projects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import centres
from accr_graph.services import checks
from accr_graph.services.errors import Missing, fail
from accr_graph.services.fields import provided
from accr_graph.services.permissions import require_staff
from accr_graph.services.uow import Actor, Database, unit_of_work


@dataclass(frozen=True, slots=True)
class MemberLine:
    centre_id: int
    role: m.PartnershipRole = m.PartnershipRole.PARTNER


@dataclass(frozen=True, slots=True)
class NewPartnership:
    title: str
    programme: str | None
    start_year: int
    end_year: int | None
    lead_id: int
    members: list[MemberLine]
    themes: list[str]


def _check_years(data: NewPartnership) -> None:
    checks.int_range(data.start_year, "startYear", 1950, 2100)
    if data.end_year is not None:
        checks.int_range(data.end_year, "endYear", data.start_year, 2100)


async def _check_centres(session: AsyncSession, data: NewPartnership) -> None:
    ids = {data.lead_id, *(line.centre_id for line in data.members)}
    found = await centres.by_ids(session, list(ids))
    missing = sorted(ids - set(found))
    if missing:
        raise fail(Missing("A member centre does not exist.", "Centre", missing[0]))


def _members(data: NewPartnership) -> list[m.PartnershipMember]:
    roles = {line.centre_id: line.role for line in data.members}
    if len(roles) != len(data.members):
        raise checks.invalid("members", "a centre is listed twice")
    roles[data.lead_id] = m.PartnershipRole.LEAD
    if len(roles) < 2:
        raise checks.invalid("members", "a partnership needs at least two centres")
    return [m.PartnershipMember(centre_id=cid, role=role) for cid, role in roles.items()]


async def record_partnership(db: Database, actor: Actor, data: NewPartnership) -> m.Partnership:
    async with unit_of_work(db, actor, "recordPartnership") as uow:
        require_staff(uow.viewer, "record partnerships")
        partnership = await _new_partnership(uow.session, data)
        uow.session.add(partnership)
        uow.changed(partnership, provided(data))
        uow.network_changed()
    return partnership


async def _new_partnership(session: AsyncSession, data: NewPartnership) -> m.Partnership:
    title = checks.text(data.title, "title", 500, required=True)
    _check_years(data)
    await _check_centres(session, data)
    return m.Partnership(
        title=title,
        programme=checks.text(data.programme, "programme", 300),
        start_year=data.start_year,
        end_year=data.end_year,
        lead_id=data.lead_id,
        source="api",
        members=_members(data),
        themes=await checks.themes(session, data.themes, "themes"),
    )
