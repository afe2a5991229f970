"""Reads behind the fair pages: the editions, and one edition as a member or staff sees it
(registration, who attends, requests sent and received, suggested meetings, the agenda)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import centres
from accr_graph.repositories import fair as repo
from accr_graph.services import fair_requests
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.fair_agenda import AgendaEntry, centre_agenda
from accr_graph.services.matching import MatchingQueries
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer

SUGGESTED = 5


@dataclass
class FairView:
    fair: m.Fair
    centre: m.Centre | None  # the reader's centre
    registration: m.FairRegistration | None = None
    attending: list[m.Centre] = field(default_factory=list)
    received: list[tuple[m.FairMeetingRequest, m.Centre]] = field(default_factory=list)
    sent: list[tuple[m.FairMeetingRequest, m.Centre]] = field(default_factory=list)
    suggested: list[m.Centre] = field(default_factory=list)
    agenda: list[AgendaEntry] = field(default_factory=list)
    slots: int = 0
    placed: int = 0


async def editions(db: Database) -> list[m.Fair]:
    async with db() as session:
        return await repo.list_fairs(session)


async def edition(
    db: Database, engine: MatchingQueries, viewer: Viewer, fair_id: int
) -> FairView | None:
    async with db() as session:
        found = (await repo.fairs_by_ids(session, [fair_id])).get(fair_id)
        if found is None:
            return None
        slots = (await repo.slots_of(session, [fair_id])).get(fair_id, [])
        attending_ids = (await repo.registered_centres_of(session, [fair_id])).get(fair_id, [])
        mine = viewer.centre_id
        known = await centres.by_ids(session, [*attending_ids, *([mine] if mine else [])])
        view = FairView(found, known.get(mine) if mine else None, slots=len(slots))
        view.attending = [known[c] for c in attending_ids if c in known and c != mine]
        if mine is not None and not viewer.is_anonymous:
            await _member_parts(session, engine, viewer, view, mine)
    return view


async def _member_parts(
    session: AsyncSession, engine: MatchingQueries, viewer: Viewer, view: FairView, mine: int
) -> None:
    fair_id = view.fair.id
    view.registration = await repo.registration_of(session, fair_id, mine)
    requests = (await repo.requests_of(session, [fair_id], viewer)).get(fair_id, [])
    one_to_one = [r for r in requests if r.kind is m.MeetingKind.ONE_TO_ONE]
    ids = {r.requester_id for r in one_to_one} | {r.target_id for r in one_to_one if r.target_id}
    others = await centres.by_ids(session, list(ids))
    view.received = [(r, others[r.requester_id]) for r in one_to_one if r.target_id == mine]
    view.sent = [
        (r, others[r.target_id]) for r in one_to_one if r.requester_id == mine and r.target_id
    ]
    if view.registration is not None:
        found = await fair_requests.suggested_meetings(session, engine, fair_id, mine, SUGGESTED)
        picked = await centres.by_ids(session, [s.centre_id for s in found])
        view.suggested = [picked[s.centre_id] for s in found if s.centre_id in picked]
        view.agenda = await _agenda(session, viewer, view)


async def _agenda(session: AsyncSession, viewer: Viewer, view: FairView) -> list[AgendaEntry]:
    assert view.centre is not None
    try:
        agenda = await centre_agenda(session, viewer, view.fair.id, view.centre.slug)
    except ServiceFailure:
        return []
    return sorted(agenda.entries, key=lambda e: e.starts_at)


@dataclass
class FairGrid:
    """A fair's slots (by day) and tables, with how many live meetings each holds (staff)."""

    fair: m.Fair
    days: list[tuple[int, str, list[m.FairSlot]]]
    tables: list[m.FairTable]
    in_slot: dict[int, int]
    at_table: dict[int, int]


async def grid(db: Database, viewer: Viewer, fair_id: int) -> FairGrid | None:
    if not viewer.is_staff:
        return None  # the grid page is for staff; its adapter answers 403 before asking
    async with db() as session:
        found = (await repo.fairs_by_ids(session, [fair_id])).get(fair_id)
        if found is None:
            return None
        slots = (await repo.slots_of(session, [fair_id])).get(fair_id, [])
        tables = (await repo.tables_of(session, [fair_id])).get(fair_id, [])
        meetings = await repo.meetings_by_request(session, fair_id)
    live = [r for r in meetings.values() if r.status is not m.MeetingStatus.CANCELLED]
    days = [
        (index, day, sorted((s for s in slots if s.day == index), key=lambda s: s.starts_at))
        for index, day in enumerate(found.days)
    ]
    return FairGrid(
        found,
        days,
        sorted(tables, key=lambda t: t.id),
        _count(r.slot_id for r in live),
        _count(r.table_id for r in live),
    )


def _count(ids: Iterable[int | None]) -> dict[int, int]:
    counted: dict[int, int] = {}
    for ident in ids:
        if ident is not None:
            counted[ident] = counted.get(ident, 0) + 1
    return counted
