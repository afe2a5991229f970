"""Programme meetings, their agenda and registrations; drafts are a staff-only row filter.

Seats are counted in ``meetings.confirmed_count``. Every registration change first runs
:func:`lock_seats`, an UPDATE of the meeting row: on PostgreSQL it takes the row lock, on SQLite
the database write lock, so registrations of one meeting run one after the other and each reads
what the previous one committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from accr_graph.db.models import (
    AgendaItem,
    Meeting,
    MeetingRegistration,
    ProgrammeKind,
    ProgrammeStatus,
    RegistrationStatus,
    Theme,
    meeting_themes,
)
from accr_graph.repositories.common import Window, count, page
from accr_graph.viewer import Viewer


@dataclass(frozen=True, slots=True)
class MeetingFilter:
    kinds: tuple[ProgrammeKind, ...] = ()
    themes: tuple[str, ...] = ()
    statuses: tuple[ProgrammeStatus, ...] = ()
    host_centre_ids: tuple[int, ...] = ()
    starts_from: datetime | None = None  # meetings ending at or after
    starts_to: datetime | None = None  # meetings starting before
    descending: bool = False


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """Drafts are seen by staff only; everything published is public."""
    if viewer.is_staff:
        return Meeting.id.is_not(None)
    return Meeting.status != ProgrammeStatus.DRAFT


def _filtered(flt: MeetingFilter, viewer: Viewer) -> Select[Any]:
    query = select(Meeting).where(visible_to(viewer))
    if flt.kinds:
        query = query.where(Meeting.kind.in_(flt.kinds))
    if flt.statuses:
        query = query.where(Meeting.status.in_(flt.statuses))
    if flt.host_centre_ids:
        query = query.where(Meeting.host_centre_id.in_(flt.host_centre_ids))
    if flt.starts_from is not None:
        query = query.where(Meeting.ends_at >= flt.starts_from)
    if flt.starts_to is not None:
        query = query.where(Meeting.starts_at < flt.starts_to)
    if flt.themes:
        themed = (
            select(meeting_themes.c.meeting_id)
            .join(Theme, Theme.id == meeting_themes.c.theme_id)
            .where(Theme.slug.in_(flt.themes))
        )
        query = query.where(Meeting.id.in_(themed))
    return query


async def count_meetings(session: AsyncSession, flt: MeetingFilter, viewer: Viewer) -> int:
    return await count(session, _filtered(flt, viewer))


async def list_meetings(
    session: AsyncSession, flt: MeetingFilter, viewer: Viewer, window: Window
) -> list[Meeting]:
    start = Meeting.starts_at.desc() if flt.descending else Meeting.starts_at.asc()
    return await page(session, _filtered(flt, viewer).order_by(start, Meeting.id), window)


async def by_ids(session: AsyncSession, ids: Sequence[int], viewer: Viewer) -> dict[int, Meeting]:
    rows = await session.scalars(select(Meeting).where(Meeting.id.in_(ids), visible_to(viewer)))
    return {row.id: row for row in rows}


async def for_update(session: AsyncSession, meeting_id: int) -> Meeting | None:
    """The meeting with its themes and agenda, fresh from the database (for a change)."""
    query = (
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(selectinload(Meeting.themes), selectinload(Meeting.agenda))
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).one_or_none()


async def lock_seats(session: AsyncSession, meeting_id: int) -> bool:
    """Serialise registration changes of one meeting (see the module docstring)."""
    result = await session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id)
        .values(confirmed_count=Meeting.confirmed_count)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_seats(
    session: AsyncSession, meeting_id: int, confirmed: int, status: ProgrammeStatus
) -> None:
    """Seat count and open/full status, without touching the meeting's edit version."""
    await session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id)
        .values(confirmed_count=confirmed, status=status)
        .execution_options(synchronize_session=False)
    )


async def registration(
    session: AsyncSession, meeting_id: int, centre_id: int
) -> MeetingRegistration | None:
    query = select(MeetingRegistration).where(
        MeetingRegistration.meeting_id == meeting_id, MeetingRegistration.centre_id == centre_id
    )
    return (await session.scalars(query.execution_options(populate_existing=True))).one_or_none()


async def first_waiting(session: AsyncSession, meeting_id: int) -> MeetingRegistration | None:
    """The waiting-list head: first come, first served."""
    query = (
        select(MeetingRegistration)
        .where(
            MeetingRegistration.meeting_id == meeting_id,
            MeetingRegistration.status == RegistrationStatus.WAITING,
        )
        .order_by(MeetingRegistration.queued_at, MeetingRegistration.id)
        .limit(1)
    )
    return (await session.scalars(query)).one_or_none()


async def registrations_of(
    session: AsyncSession, meeting_ids: Sequence[int]
) -> dict[int, list[MeetingRegistration]]:
    """Every registration (cancelled ones included) per meeting, in queue order."""
    query = (
        select(MeetingRegistration)
        .where(MeetingRegistration.meeting_id.in_(meeting_ids))
        .order_by(MeetingRegistration.queued_at, MeetingRegistration.id)
    )
    found: dict[int, list[MeetingRegistration]] = defaultdict(list)
    for row in await session.scalars(query):
        found[row.meeting_id].append(row)
    return found


async def themes_of(session: AsyncSession, meeting_ids: Sequence[int]) -> dict[int, list[Theme]]:
    query = (
        select(meeting_themes.c.meeting_id, Theme)
        .join(Theme, Theme.id == meeting_themes.c.theme_id)
        .where(meeting_themes.c.meeting_id.in_(meeting_ids))
        .order_by(Theme.slug)
    )
    found: dict[int, list[Theme]] = defaultdict(list)
    for meeting_id, theme in await session.execute(query):
        found[meeting_id].append(theme)
    return found


async def agenda_of(
    session: AsyncSession, meeting_ids: Sequence[int]
) -> dict[int, list[AgendaItem]]:
    query = (
        select(AgendaItem)
        .where(AgendaItem.meeting_id.in_(meeting_ids))
        .order_by(AgendaItem.meeting_id, AgendaItem.position)
    )
    found: dict[int, list[AgendaItem]] = defaultdict(list)
    for row in await session.scalars(query):
        found[row.meeting_id].append(row)
    return found


async def attended_by_centre(session: AsyncSession, centre_id: int) -> list[Meeting]:
    """Published meetings the centre holds a confirmed seat at (for its calendar feed)."""
    query = (
        select(Meeting)
        .join(MeetingRegistration, MeetingRegistration.meeting_id == Meeting.id)
        .where(
            MeetingRegistration.centre_id == centre_id,
            MeetingRegistration.status == RegistrationStatus.CONFIRMED,
            Meeting.status != ProgrammeStatus.DRAFT,
        )
        .order_by(Meeting.starts_at)
    )
    return list((await session.scalars(query)).all())
