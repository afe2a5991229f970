"""What the meetings and resource pages show, with the visibility rules applied (one way in:
pages call these, never the repositories)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import centres, meetings, resources
from accr_graph.repositories.common import Window

# Value types the GraphQL adapters pass in (re-exported: schema/ reaches no repository).
from accr_graph.repositories.meetings import MeetingFilter as MeetingFilter
from accr_graph.repositories.resources import ResourceFilter as ResourceFilter
from accr_graph.repositories.resources import ResourceOrder as ResourceOrder
from accr_graph.repositories.resources import ResourceOrderField as ResourceOrderField
from accr_graph.repositories.search import DocFilter as DocFilter
from accr_graph.services.meeting_registrations import may_join, visible_registrations
from accr_graph.services.meeting_seats import effective_status
from accr_graph.services.permissions import require_staff
from accr_graph.services.reads import Page, WindowOf
from accr_graph.services.resources import may_edit
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer

PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class MeetingCard:
    meeting: m.Meeting
    status: m.ProgrammeStatus
    venue: m.Centre | None
    waiting: int


@dataclass(frozen=True, slots=True)
class MeetingList:
    cards: list[MeetingCard]
    total: int
    page: int
    pages: int


@dataclass
class MeetingDetail:
    meeting: m.Meeting
    status: m.ProgrammeStatus
    themes: list[m.Theme]
    agenda: list[m.AgendaItem]
    venue: m.Centre | None
    host: m.Centre | None
    registrations: list[tuple[m.MeetingRegistration, m.Centre]]
    mine: m.MeetingRegistration | None
    join_url: str | None
    waiting: int
    documents: list[m.Resource] = field(default_factory=list)
    can_register: bool = False


async def meeting_list(
    db: Database, viewer: Viewer, flt: MeetingFilter, page: int, size: int = PAGE_SIZE
) -> MeetingList:
    async with db() as session:
        total = await meetings.count_meetings(session, flt, viewer)
        pages = max(1, -(-total // size))
        page = min(page, pages)
        rows = await meetings.list_meetings(session, flt, viewer, Window((page - 1) * size, size))
        ids = [r.id for r in rows]
        regs = await meetings.registrations_of(session, ids)
        venue_ids = sorted({r.venue_centre_id for r in rows if r.venue_centre_id})
        venues = await centres.by_ids(session, venue_ids)
    now = utcnow()
    cards = [
        MeetingCard(
            r,
            effective_status(r, now),
            venues.get(r.venue_centre_id) if r.venue_centre_id else None,
            sum(x.status is m.RegistrationStatus.WAITING for x in regs.get(r.id, [])),
        )
        for r in rows
    ]
    return MeetingList(cards, total, page, pages)


async def meeting_detail(db: Database, viewer: Viewer, meeting_id: int) -> MeetingDetail | None:
    async with db() as session:
        meeting = (await meetings.by_ids(session, [meeting_id], viewer)).get(meeting_id)
        if meeting is None:
            return None
        regs = (await meetings.registrations_of(session, [meeting.id])).get(meeting.id, [])
        shown = visible_registrations(viewer, regs)
        wanted = {meeting.venue_centre_id, meeting.host_centre_id, *(r.centre_id for r in shown)}
        found = await centres.by_ids(session, sorted(i for i in wanted if i))
        detail = MeetingDetail(
            meeting=meeting,
            status=effective_status(meeting),
            themes=(await meetings.themes_of(session, [meeting.id])).get(meeting.id, []),
            agenda=(await meetings.agenda_of(session, [meeting.id])).get(meeting.id, []),
            venue=found.get(meeting.venue_centre_id) if meeting.venue_centre_id else None,
            host=found.get(meeting.host_centre_id) if meeting.host_centre_id else None,
            registrations=[(r, found[r.centre_id]) for r in shown if r.centre_id in found],
            mine=next((r for r in regs if r.centre_id == viewer.centre_id), None),
            join_url=meeting.join_url if may_join(viewer, regs) else None,
            waiting=sum(r.status is m.RegistrationStatus.WAITING for r in regs),
        )
        docs = await resources.of_meetings(session, [meeting.id], viewer)
        detail.documents = docs.get(meeting.id, [])
    detail.can_register = (
        viewer.centre_id is not None
        and detail.status in (m.ProgrammeStatus.OPEN, m.ProgrammeStatus.FULL)
        and (detail.mine is None or detail.mine.status is m.RegistrationStatus.CANCELLED)
    )
    return detail


def month_grid(year: int, month: int) -> list[list[datetime | None]]:
    """Weeks (Monday first) of a month for the calendar view; None outside the month."""
    import calendar

    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [datetime(d.year, d.month, d.day) if d.month == month else None for d in week]
        for week in weeks
    ]


@dataclass(frozen=True, slots=True)
class ResourceDetail:
    resource: m.Resource
    themes: list[m.Theme]
    centres: list[m.Centre]
    meeting: m.Meeting | None
    can_edit: bool


async def resource_detail(db: Database, viewer: Viewer, resource_id: int) -> ResourceDetail | None:
    async with db() as session:
        row = (await resources.by_ids(session, [resource_id], viewer)).get(resource_id)
        if row is None or (row.deleted_at is not None and not viewer.is_staff):
            return None
        themes = (await resources.themes_of(session, [row.id])).get(row.id, [])
        centre_ids = (await resources.centre_ids_of(session, [row.id])).get(row.id, [])
        about = await centres.by_ids(session, centre_ids)
        meeting = None
        if row.meeting_id is not None:
            meeting = (await meetings.by_ids(session, [row.meeting_id], viewer)).get(row.meeting_id)
    can_edit = may_edit(viewer, row)
    return ResourceDetail(
        row, themes, [about[i] for i in centre_ids if i in about], meeting, can_edit
    )


@dataclass(frozen=True, slots=True)
class DeletedList:
    resources: list[m.Resource]
    total: int
    page: int
    pages: int


async def deleted_resources(
    db: Database, viewer: Viewer, page: int, size: int = PAGE_SIZE
) -> DeletedList:
    """Staff: the deleted resources, most recently deleted first (to restore them)."""
    require_staff(viewer, "see deleted resources", "read")
    async with db() as session:
        total = await resources.count_resources(session, ResourceFilter(deleted=True), viewer)
        pages = max(1, -(-total // size))
        page = min(page, pages)
        rows = await resources.list_deleted(session, viewer, Window((page - 1) * size, size))
    return DeletedList(rows, total, page, pages)


# --- GraphQL lists (the same row rules) ---------------------------------------------------------


async def meeting_page(
    db: Database, viewer: Viewer, flt: MeetingFilter, window_of: WindowOf
) -> Page[m.Meeting]:
    async with db() as session:
        total = await meetings.count_meetings(session, flt, viewer)
        window = window_of(total)
        rows = await meetings.list_meetings(session, flt, viewer, window)
    return Page(rows, window, total)


async def resource_page(
    db: Database, viewer: Viewer, flt: ResourceFilter, order: ResourceOrder, window_of: WindowOf
) -> Page[m.Resource]:
    async with db() as session:
        total = await resources.count_resources(session, flt, viewer)
        window = window_of(total)
        rows = await resources.list_resources(session, flt, order, viewer, window)
    return Page(rows, window, total)
