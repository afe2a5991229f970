"""Project Fair rows: editions, slots, tables, registrations, meeting requests and meetings.

Visibility is a row filter here, so nested lists are filtered too: staff see every request and
meeting; a centre's members see the requests and meetings their centre takes part in (meetings
only once published); anonymous callers see neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from accr_graph.db.base import utcnow
from accr_graph.db.models import (
    Fair,
    FairMeeting,
    FairMeetingRequest,
    FairRegistration,
    FairSlot,
    FairTable,
    MeetingKind,
    MeetingRequestStatus,
    MeetingStatus,
    fair_request_members,
)
from accr_graph.viewer import Viewer

R = FairMeetingRequest


def involves(centre_id: int) -> ColumnElement[bool]:
    """Requests the centre takes part in: as requester, target or consortium member."""
    members = select(fair_request_members.c.request_id).where(
        fair_request_members.c.centre_id == centre_id
    )
    return or_(R.requester_id == centre_id, R.target_id == centre_id, R.id.in_(members))


def _requests_visible(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_staff:
        return R.id.is_not(None)
    if viewer.centre_id is None:
        return R.id.is_(None)
    return involves(viewer.centre_id)


def _meetings_visible(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_staff:
        return FairMeeting.id.is_not(None)
    return (FairMeeting.status == MeetingStatus.PUBLISHED) & _requests_visible(viewer)


# --- fairs, slots, tables -------------------------------------------------------------------


async def list_fairs(session: AsyncSession) -> list[Fair]:
    return list(await session.scalars(select(Fair).order_by(Fair.year.desc(), Fair.id.desc())))


async def fairs_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Fair]:
    return {f.id: f for f in await session.scalars(select(Fair).where(Fair.id.in_(ids)))}


async def fair_for_update(session: AsyncSession, fair_id: int) -> Fair | None:
    # The fair's writers take turns (SQLite omits FOR UPDATE: its writers take turns anyway).
    query = select(Fair).where(Fair.id == fair_id).with_for_update()
    return (await session.scalars(query)).one_or_none()


async def slots_of(session: AsyncSession, fair_ids: Sequence[int]) -> dict[int, list[FairSlot]]:
    query = (
        select(FairSlot)
        .where(FairSlot.fair_id.in_(fair_ids))
        .order_by(FairSlot.day, FairSlot.position)
    )
    grouped: dict[int, list[FairSlot]] = defaultdict(list)
    for slot in await session.scalars(query):
        grouped[slot.fair_id].append(slot)
    return grouped


async def tables_of(session: AsyncSession, fair_ids: Sequence[int]) -> dict[int, list[FairTable]]:
    query = select(FairTable).where(FairTable.fair_id.in_(fair_ids)).order_by(FairTable.id)
    grouped: dict[int, list[FairTable]] = defaultdict(list)
    for table in await session.scalars(query):
        grouped[table.fair_id].append(table)
    return grouped


async def slots_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, FairSlot]:
    return {s.id: s for s in await session.scalars(select(FairSlot).where(FairSlot.id.in_(ids)))}


async def tables_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, FairTable]:
    rows = await session.scalars(select(FairTable).where(FairTable.id.in_(ids)))
    return {t.id: t for t in rows}


async def schedule_versions(session: AsyncSession, fair_ids: Sequence[int]) -> dict[int, int]:
    rows = await session.execute(
        select(Fair.id, Fair.schedule_version).where(Fair.id.in_(fair_ids))
    )
    return {fair_id: int(version) for fair_id, version in rows}


async def bump_schedule_version(session: AsyncSession, fair_id: int) -> int:
    """One atomic step of the published schedule's version (a bulk UPDATE, no lost update)."""
    now = utcnow()
    await session.execute(
        update(Fair)
        .where(Fair.id == fair_id)
        .values(schedule_version=Fair.schedule_version + 1, published_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    version = await session.scalar(select(Fair.schedule_version).where(Fair.id == fair_id))
    return int(version or 0)


# --- registrations --------------------------------------------------------------------------


def _registrations_visible(viewer: Viewer | None) -> ColumnElement[bool]:
    """Registrations hold representatives' names and availability: staff see all, a centre
    its own; ``None`` (internal use, e.g. scheduling) sees all."""
    if viewer is None or viewer.is_staff:
        return FairRegistration.id.is_not(None)
    if viewer.centre_id is None:
        return FairRegistration.id.is_(None)
    return FairRegistration.centre_id == viewer.centre_id


async def registration_by_id(
    session: AsyncSession, registration_id: int, viewer: Viewer
) -> FairRegistration | None:
    query = select(FairRegistration).where(
        FairRegistration.id == registration_id, _registrations_visible(viewer)
    )
    return (await session.scalars(query)).one_or_none()


async def registrations_of(
    session: AsyncSession, fair_ids: Sequence[int], viewer: Viewer | None = None
) -> dict[int, list[FairRegistration]]:
    query = (
        select(FairRegistration)
        .where(FairRegistration.fair_id.in_(fair_ids), _registrations_visible(viewer))
        .order_by(FairRegistration.id)
    )
    grouped: dict[int, list[FairRegistration]] = defaultdict(list)
    for row in await session.scalars(query):
        grouped[row.fair_id].append(row)
    return grouped


async def registration_of(
    session: AsyncSession, fair_id: int, centre_id: int
) -> FairRegistration | None:
    query = select(FairRegistration).where(
        FairRegistration.fair_id == fair_id, FairRegistration.centre_id == centre_id
    )
    return (await session.scalars(query)).one_or_none()


async def registered_centres_of(
    session: AsyncSession, fair_ids: Sequence[int]
) -> dict[int, list[int]]:
    """Which centres attend each fair (public to signed-in users, unlike the registrations)."""
    query = (
        select(FairRegistration.fair_id, FairRegistration.centre_id)
        .where(FairRegistration.fair_id.in_(fair_ids))
        .order_by(FairRegistration.id)
    )
    grouped: dict[int, list[int]] = defaultdict(list)
    for fair_id, centre_id in await session.execute(query):
        grouped[fair_id].append(centre_id)
    return grouped


async def registered_centre_ids(session: AsyncSession, fair_id: int) -> set[int]:
    rows = await session.scalars(
        select(FairRegistration.centre_id).where(FairRegistration.fair_id == fair_id)
    )
    return set(rows)


# --- meeting requests -----------------------------------------------------------------------


async def requests_of(
    session: AsyncSession, fair_ids: Sequence[int], viewer: Viewer
) -> dict[int, list[FairMeetingRequest]]:
    query = (
        select(R)
        .where(R.fair_id.in_(fair_ids), _requests_visible(viewer))
        .order_by(R.created_at, R.id)
    )
    grouped: dict[int, list[FairMeetingRequest]] = defaultdict(list)
    for row in await session.scalars(query):
        grouped[row.fair_id].append(row)
    return grouped


async def requests_by_ids(
    session: AsyncSession, ids: Sequence[int], viewer: Viewer | None = None
) -> dict[int, FairMeetingRequest]:
    """Requests by id; with a viewer, only those it may see."""
    query = select(R).where(R.id.in_(ids))
    if viewer is not None:
        query = query.where(_requests_visible(viewer))
    return {r.id: r for r in await session.scalars(query)}


async def request_for_update(session: AsyncSession, request_id: int) -> FairMeetingRequest | None:
    """The request as committed now (not as first read in this transaction), row-locked."""
    query = select(R).where(R.id == request_id).with_for_update()
    return (await session.scalars(query.execution_options(populate_existing=True))).one_or_none()


async def open_table_about(
    session: AsyncSession, fair_id: int, proposal_id: int, centre_ids: Sequence[int]
) -> bool:
    """An accepted consortium table about this proposal with exactly these centres exists."""
    query = select(R.id).where(
        R.fair_id == fair_id,
        R.proposal_id == proposal_id,
        R.kind == MeetingKind.CONSORTIUM,
        R.status == MeetingRequestStatus.ACCEPTED,
    )
    ids = list(await session.scalars(query))
    members = await members_of(session, ids) if ids else {}
    return any(sorted(members.get(i, [])) == sorted(centre_ids) for i in ids)


async def members_of(session: AsyncSession, request_ids: Sequence[int]) -> dict[int, list[int]]:
    """Consortium members (besides the requester) per request, by centre id."""
    query = (
        select(fair_request_members.c.request_id, fair_request_members.c.centre_id)
        .where(fair_request_members.c.request_id.in_(request_ids))
        .order_by(fair_request_members.c.centre_id)
    )
    grouped: dict[int, list[int]] = defaultdict(list)
    for request_id, centre_id in await session.execute(query):
        grouped[request_id].append(centre_id)
    return grouped


async def add_members(session: AsyncSession, request_id: int, centre_ids: Sequence[int]) -> None:
    rows = [{"request_id": request_id, "centre_id": c} for c in centre_ids]
    await session.execute(fair_request_members.insert(), rows)


async def open_request_between(
    session: AsyncSession, fair_id: int, requester_id: int, target_id: int
) -> FairMeetingRequest | None:
    """A pending or accepted one-to-one request from requester to target, if any."""
    query = select(R).where(
        R.fair_id == fair_id,
        R.requester_id == requester_id,
        R.target_id == target_id,
        R.status.in_((MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED)),
    )
    return (await session.scalars(query.limit(1))).first()


async def requested_partners(session: AsyncSession, fair_id: int, centre_id: int) -> set[int]:
    """Centres with an open one-to-one request to or from this centre."""
    query = select(R.requester_id, R.target_id).where(
        R.fair_id == fair_id,
        or_(R.requester_id == centre_id, R.target_id == centre_id),
        R.status.in_((MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED)),
    )
    found: set[int] = set()
    for requester, target in await session.execute(query):
        found.update(c for c in (requester, target) if c is not None and c != centre_id)
    return found


async def accepted_requests(session: AsyncSession, fair_id: int) -> list[FairMeetingRequest]:
    query = (
        select(R)
        .where(R.fair_id == fair_id, R.status == MeetingRequestStatus.ACCEPTED)
        .order_by(R.id)
    )
    return list(await session.scalars(query))


# --- meetings -------------------------------------------------------------------------------


def _meetings_query(fair_ids: Sequence[int], viewer: Viewer) -> Select[Any]:
    return (
        select(FairMeeting)
        .join(R, R.id == FairMeeting.request_id)
        .where(FairMeeting.fair_id.in_(fair_ids), _meetings_visible(viewer))
    )


async def placed_meetings(
    session: AsyncSession,
    fair_ids: Sequence[int],
    viewer: Viewer,
    centre_id: int | None = None,
    table_id: int | None = None,
) -> dict[int, list[FairMeeting]]:
    """Meetings with a slot and table, not cancelled, in time order then table."""
    query = (
        _meetings_query(fair_ids, viewer)
        .join(FairSlot, FairSlot.id == FairMeeting.slot_id)
        .where(FairMeeting.table_id.is_not(None), FairMeeting.status != MeetingStatus.CANCELLED)
        .order_by(FairSlot.starts_at, FairMeeting.table_id, FairMeeting.id)
    )
    if centre_id is not None:
        query = query.where(involves(centre_id))
    if table_id is not None:
        query = query.where(FairMeeting.table_id == table_id)
    grouped: dict[int, list[FairMeeting]] = defaultdict(list)
    for row in await session.scalars(query):
        grouped[row.fair_id].append(row)
    return grouped


async def unscheduled_of(
    session: AsyncSession, fair_ids: Sequence[int], viewer: Viewer
) -> dict[int, list[FairMeeting]]:
    """Meetings the last run could not place, and published ones whose place was rejected."""
    unscheduled = (FairMeeting.slot_id.is_(None)) | (FairMeeting.reason.is_not(None))
    # Unplaced rows are never published, so not _meetings_visible: a centre still learns why
    # its meeting is missing.
    query = (
        select(FairMeeting)
        .join(R, R.id == FairMeeting.request_id)
        .where(FairMeeting.fair_id.in_(fair_ids), _requests_visible(viewer), unscheduled)
        .where(FairMeeting.status != MeetingStatus.CANCELLED)
        .order_by(FairMeeting.request_id)
    )
    grouped: dict[int, list[FairMeeting]] = defaultdict(list)
    for row in await session.scalars(query):
        grouped[row.fair_id].append(row)
    return grouped


async def meetings_by_ids(
    session: AsyncSession, ids: Sequence[int], viewer: Viewer | None = None
) -> dict[int, FairMeeting]:
    query = select(FairMeeting).join(R, R.id == FairMeeting.request_id)
    query = query.where(FairMeeting.id.in_(ids))
    if viewer is not None:
        query = query.where(_meetings_visible(viewer))
    return {m.id: m for m in await session.scalars(query)}


async def meetings_by_request(session: AsyncSession, fair_id: int) -> dict[int, FairMeeting]:
    rows = await session.scalars(select(FairMeeting).where(FairMeeting.fair_id == fair_id))
    return {m.request_id: m for m in rows}


async def drop_unpublished(session: AsyncSession, fair_id: int) -> None:
    """Forget the last run's drafts and unplaced rows before writing a new run."""
    await session.execute(
        delete(FairMeeting).where(
            FairMeeting.fair_id == fair_id, FairMeeting.status == MeetingStatus.DRAFT
        )
    )


async def publish_drafts(session: AsyncSession, fair_id: int) -> int:
    """Publish every placed draft; unplaced rows stay drafts. Returns how many were published."""
    result = await session.execute(
        update(FairMeeting)
        .where(
            FairMeeting.fair_id == fair_id,
            FairMeeting.status == MeetingStatus.DRAFT,
            FairMeeting.slot_id.is_not(None),
        )
        .values(status=MeetingStatus.PUBLISHED, published_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


SCHEDULE_CHANNEL = "accr_fair_schedule"


async def notify_schedule_changed(session: AsyncSession, fair_id: int, version: int) -> None:
    """On PostgreSQL, tell every worker's listener (delivered at commit, dropped on rollback).

    SQLite has no notifications: its subscribers poll ``fairs.schedule_version`` instead.
    """
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return
    await session.execute(select(func.pg_notify(SCHEDULE_CHANNEL, f"{fair_id}:{version}")))
