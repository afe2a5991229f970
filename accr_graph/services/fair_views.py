"""Reads behind the fair pages: the editions, and one edition as a member or staff sees it
(registration, who attends, requests sent and received, suggested meetings, the agenda)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import centres, proposals
from accr_graph.repositories import fair as repo
from accr_graph.services import fair_requests
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.fair_agenda import AgendaEntry, centre_agenda
from accr_graph.services.matching import MatchingQueries
from accr_graph.services.permissions import require_staff
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
    tables: list[ConsortiumTable] = field(default_factory=list)
    table_choices: list[TableChoice] = field(default_factory=list)
    slot_list: list[m.FairSlot] = field(default_factory=list)  # for "not available at" choices
    presentable: list[m.Proposal] = field(default_factory=list)  # the centre's open proposals


@dataclass(frozen=True, slots=True)
class ConsortiumTable:
    """A consortium table request as the reader may see it, with its meeting once scheduled
    (staff see drafts and reasons; members only a published placement)."""

    request: m.FairMeetingRequest
    proposal: m.Proposal | None
    owner: m.Centre
    members: list[m.Centre]
    meeting: m.FairMeeting | None
    slot: m.FairSlot | None
    table: m.FairTable | None


@dataclass(frozen=True, slots=True)
class TableChoice:
    """One of the reader's proposals and the registered centres interested in it."""

    proposal: m.Proposal
    centres: list[m.Centre]


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
        view.slot_list = slots
        view.attending = [known[c] for c in attending_ids if c in known and c != mine]
        if not viewer.is_anonymous:  # the requests the reader may see, read once for both parts
            requests = (await repo.requests_of(session, [fair_id], viewer)).get(fair_id, [])
            if mine is not None:
                registered = set(attending_ids)
                await _member_parts(session, engine, viewer, view, mine, requests, registered)
            view.tables = await _consortium_tables(session, viewer, view, requests)
    return view


async def _consortium_tables(
    session: AsyncSession, viewer: Viewer, view: FairView, requests: list[m.FairMeetingRequest]
) -> list[ConsortiumTable]:
    fair_id = view.fair.id
    tables = [r for r in requests if r.kind is m.MeetingKind.CONSORTIUM]
    if not tables:
        return []
    members = await repo.members_of(session, [r.id for r in tables])
    wanted = {r.requester_id for r in tables} | {c for ids in members.values() for c in ids}
    known = await centres.by_ids(session, list(wanted))
    about = await proposals.by_ids(
        session, [r.proposal_id for r in tables if r.proposal_id], viewer
    )
    meetings = await repo.meetings_by_request(session, fair_id)
    slots = {s.id: s for s in view.slot_list}
    seats = {t.id: t for t in (await repo.tables_of(session, [fair_id])).get(fair_id, [])}
    found = []
    for request in tables:
        meeting = meetings.get(request.id)
        if meeting is not None and not viewer.is_staff and meeting.status is not _PUBLISHED:
            meeting = None  # members learn the placement once it is published
        found.append(
            ConsortiumTable(
                request,
                about.get(request.proposal_id) if request.proposal_id else None,
                known[request.requester_id],
                [known[c] for c in members.get(request.id, []) if c in known],
                meeting,
                slots.get(meeting.slot_id) if meeting and meeting.slot_id else None,
                seats.get(meeting.table_id) if meeting and meeting.table_id else None,
            )
        )
    return found


_PUBLISHED = m.MeetingStatus.PUBLISHED


async def _table_choices(
    session: AsyncSession, viewer: Viewer, usable: list[m.Proposal], registered: set[int]
) -> list[TableChoice]:
    """The centre's open proposals, each with the registered centres interested in it: who
    may sit at a consortium table about it (the service checks the same rules)."""
    interests = await proposals.interests_of(session, [p.id for p in usable], viewer)
    ids = {
        i.centre_id
        for rows in interests.values()
        for i in rows
        if i.status is not m.InterestStatus.DECLINED and i.centre_id in registered
    }
    known = await centres.by_ids(session, list(ids))
    choices = []
    for proposal in usable:
        seats = [
            known[i.centre_id]
            for i in interests.get(proposal.id, [])
            if i.centre_id in known and i.status is not m.InterestStatus.DECLINED
        ]
        if seats:
            choices.append(TableChoice(proposal, seats))
    return choices


_TABLE_STATUSES = (m.ProposalStatus.OPEN, m.ProposalStatus.IN_DISCUSSION)


async def _member_parts(
    session: AsyncSession,
    engine: MatchingQueries,
    viewer: Viewer,
    view: FairView,
    mine: int,
    requests: list[m.FairMeetingRequest],
    registered: set[int],
) -> None:
    fair_id = view.fair.id
    view.registration = await repo.registration_of(session, fair_id, mine)
    own = (await proposals.by_owner_ids(session, [mine], viewer)).get(mine, [])
    view.presentable = [p for p in own if p.status in _TABLE_STATUSES]
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
        view.table_choices = await _table_choices(session, viewer, view.presentable, registered)


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
    """Staff only (refused otherwise, not passed off as "no such fair"); None: no such fair."""
    require_staff(viewer, "see the fair's grid", "read")
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
