"""Agendas of a fair as plain data, for the iCalendar download and the printable schedule.

A centre's agenda holds its published meetings and is seen by its members and staff; the full
venue schedule (every placed meeting, drafts marked) is for staff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.i18n import pick
from accr_graph.repositories import centres, proposals
from accr_graph.repositories import fair as repo
from accr_graph.services.errors import Missing, Refused, fail
from accr_graph.services.fair_common import load_fair, participant_ids
from accr_graph.viewer import Viewer

STAFF = Viewer(user_id=0, role=m.UserRole.STAFF)


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    meeting_id: int
    starts_at: datetime
    ends_at: datetime
    slot_id: int
    table_id: int
    table: str
    kind: m.MeetingKind
    status: m.MeetingStatus
    centres: tuple[str, ...]  # names, requester first
    centre_ids: tuple[int, ...]
    proposal: str | None  # title


@dataclass(frozen=True, slots=True)
class Agenda:
    fair: m.Fair
    centre: m.Centre | None  # None: the whole fair
    slots: list[m.FairSlot]
    tables: list[m.FairTable]
    entries: list[AgendaEntry]


@dataclass(frozen=True, slots=True)
class Grid:
    """A fair's slots and tables, read once per agenda."""

    slots: list[m.FairSlot]
    tables: list[m.FairTable]


async def _grid(session: AsyncSession, fair_id: int) -> Grid:
    slots = (await repo.slots_of(session, [fair_id])).get(fair_id, [])
    tables = (await repo.tables_of(session, [fair_id])).get(fair_id, [])
    return Grid(slots, tables)


async def _entries(
    session: AsyncSession, meetings: Sequence[m.FairMeeting], reader: Viewer, grid: Grid
) -> list[AgendaEntry]:
    if not meetings:
        return []
    requests = await repo.requests_by_ids(session, [x.request_id for x in meetings])
    members = await repo.members_of(session, list(requests))
    ids = {r: participant_ids(requests[r], members.get(r, [])) for r in requests}
    names = await centres.by_ids(session, sorted({c for v in ids.values() for c in v}))
    about = [r.proposal_id for r in requests.values() if r.proposal_id is not None]
    titles = await proposals.by_ids(session, about, reader)  # no other centre's draft titles
    slots = {s.id: s for s in grid.slots}
    tables = {t.id: t for t in grid.tables}
    entries = []
    for meeting in meetings:
        request = requests[meeting.request_id]
        assert meeting.slot_id is not None and meeting.table_id is not None
        slot, table = slots[meeting.slot_id], tables[meeting.table_id]
        proposal = titles.get(request.proposal_id) if request.proposal_id else None
        entries.append(
            AgendaEntry(
                meeting_id=meeting.id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                slot_id=slot.id,
                table_id=table.id,
                table=table.name,
                kind=request.kind,
                status=meeting.status,
                centres=tuple(names[c].name for c in ids[request.id]),
                centre_ids=tuple(ids[request.id]),
                proposal=pick(proposal.title, None) if proposal else None,
            )
        )
    return entries


async def centre_agenda(
    session: AsyncSession, viewer: Viewer, fair_id: int, centre_slug: str
) -> Agenda:
    fair = await load_fair(session, fair_id)
    centre = (await centres.by_slugs(session, [centre_slug])).get(centre_slug)
    if centre is None:
        raise fail(Missing("No such centre.", "Centre"))
    if not viewer.acts_for(centre.id):
        raise fail(Refused("Only members of this centre or ACCR staff may see its agenda."))
    found = await repo.placed_meetings(session, [fair.id], STAFF, centre_id=centre.id)
    published = [x for x in found.get(fair.id, []) if x.status is m.MeetingStatus.PUBLISHED]
    reader = viewer if viewer.is_staff else Viewer(centre_id=centre.id)
    if not published:
        return Agenda(fair, centre, [], [], [])
    grid = await _grid(session, fair.id)
    return Agenda(fair, centre, [], [], await _entries(session, published, reader, grid))


async def venue_schedule(session: AsyncSession, viewer: Viewer, fair_id: int) -> Agenda:
    if not viewer.is_staff:
        raise fail(Refused("Only ACCR staff may print the full schedule."))
    fair = await load_fair(session, fair_id)
    found = (await repo.placed_meetings(session, [fair.id], STAFF)).get(fair.id, [])
    grid = await _grid(session, fair.id)
    entries = await _entries(session, found, viewer, grid)
    return Agenda(fair, None, grid.slots, grid.tables, entries)
