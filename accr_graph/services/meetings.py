"""The meetings programme: staff create, edit, publish and cancel meetings (issue 14).

Every write runs in a unit of work; events go to the outbox (``meeting.published``,
``meeting.cancelled``). Registrations live in ``meeting_registrations.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import meetings
from accr_graph.services import checks, search_index
from accr_graph.services.errors import Conflict, Invalid, Missing, Refused, fail
from accr_graph.services.meeting_seats import fill_from_waiting_list
from accr_graph.services.meeting_times import to_utc, zone
from accr_graph.services.permissions import require_staff
from accr_graph.services.uow import Actor, Database, UnitOfWork, unit_of_work

Texts = list[tuple[str, str]]
MAX_CAPACITY = 10_000
MAX_AGENDA = 60
CANCELLED = m.RegistrationStatus.CANCELLED
ENDED = (m.ProgrammeStatus.CANCELLED, m.ProgrammeStatus.HELD)


@dataclass(frozen=True, slots=True)
class AgendaSpec:
    title: Texts
    starts_at: datetime | None = None  # naive: local time of the meeting
    speaker: str | None = None
    resource_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingSpec:
    """Fields to set; None leaves a field as it is (on update)."""

    kind: m.ProgrammeKind | None = None
    title: Texts | None = None
    description: Texts | None = None
    themes: list[str] | None = None
    host_centre_id: int | None = None
    online: bool | None = None
    venue_centre_id: int | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    join_url: str | None = None
    timezone: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int | None = None
    # On update: no seat limit any more. ``capacity=None`` means "leave it as it is", so
    # clearing needs its own flag; the waiting list is seated at once.
    clear_capacity: bool = False
    registration_deadline: datetime | None = None
    agenda: list[AgendaSpec] | None = None
    expected_version: int | None = None
    changed: list[str] = field(default_factory=list)


# --- applying a spec ------------------------------------------------------------------------


def _apply_texts(meeting: m.Meeting, spec: MeetingSpec) -> None:
    if spec.kind is not None:
        meeting.kind = spec.kind
    if spec.title is not None:
        meeting.title = checks.translations(spec.title, "title", checks.MAX_TITLE, True)
    if spec.description is not None:
        meeting.description = checks.translations(spec.description, "description", 20_000)


async def _apply_place(session: AsyncSession, meeting: m.Meeting, spec: MeetingSpec) -> None:
    if spec.host_centre_id is not None:
        host = await checks.centre(session, spec.host_centre_id, "hostCentreId")
        meeting.host_centre_id = host.id
    if spec.venue_centre_id is not None:
        venue = await checks.centre(session, spec.venue_centre_id, "venueCentreId")
        meeting.venue_centre_id = venue.id
        # The site's coordinates unless the input gives others (a study visit elsewhere).
        meeting.latitude, meeting.longitude = venue.latitude, venue.longitude
    if spec.online is not None:
        meeting.online = spec.online
    if spec.address is not None:
        meeting.address = checks.text(spec.address, "address", 300)
    if spec.latitude is not None:
        meeting.latitude = checks.float_range(spec.latitude, "latitude", -90, 90)
    if spec.longitude is not None:
        meeting.longitude = checks.float_range(spec.longitude, "longitude", -180, 180)
    if spec.join_url is not None:
        meeting.join_url = checks.web_address(spec.join_url, "joinUrl")


def _apply_times(meeting: m.Meeting, spec: MeetingSpec) -> None:
    if spec.timezone is not None:
        meeting.timezone = zone(spec.timezone).key
    tz = zone(meeting.timezone)
    if spec.starts_at is not None:
        meeting.starts_at = to_utc(spec.starts_at, tz, "startsAt")
    if spec.ends_at is not None:
        meeting.ends_at = to_utc(spec.ends_at, tz, "endsAt")
    if spec.registration_deadline is not None:
        meeting.registration_deadline = to_utc(
            spec.registration_deadline, tz, "registrationDeadline"
        )
    if meeting.starts_at is None or meeting.ends_at is None:
        raise fail(Invalid("startsAt", "a meeting needs a start and an end"))
    if meeting.ends_at <= meeting.starts_at:
        raise fail(Invalid("endsAt", "must be after startsAt"))
    deadline = meeting.registration_deadline
    if deadline is not None and deadline > meeting.starts_at:
        raise fail(Invalid("registrationDeadline", "must not be after the start"))


def _apply_capacity(meeting: m.Meeting, spec: MeetingSpec) -> None:
    if spec.clear_capacity:
        if spec.capacity is not None:
            raise fail(Invalid("capacity", "give a capacity or clear it, not both"))
        meeting.capacity = None
        return
    if spec.capacity is None:
        return
    checks.int_range(spec.capacity, "capacity", 1, MAX_CAPACITY)
    if spec.capacity < (meeting.confirmed_count or 0):
        raise fail(
            Invalid(
                "capacity",
                f"{meeting.confirmed_count} centres already hold a seat; cancel registrations "
                "before lowering the capacity below that",
            )
        )
    meeting.capacity = spec.capacity


def _agenda(items: list[AgendaSpec], meeting: m.Meeting) -> list[m.AgendaItem]:
    if len(items) > MAX_AGENDA:
        raise fail(Invalid("agenda", f"at most {MAX_AGENDA} items"))
    tz = zone(meeting.timezone)
    return [
        m.AgendaItem(
            position=index,
            title=checks.translations(item.title, f"agenda.{index}.title", checks.MAX_TITLE, True),
            starts_at=None
            if item.starts_at is None
            else to_utc(item.starts_at, tz, f"agenda.{index}.startsAt"),
            speaker=checks.text(item.speaker, f"agenda.{index}.speaker", 200),
            resource_ids=list(dict.fromkeys(item.resource_ids)),
        )
        for index, item in enumerate(items)
    ]


async def _apply(session: AsyncSession, meeting: m.Meeting, spec: MeetingSpec) -> None:
    _apply_texts(meeting, spec)
    if spec.themes is not None:
        meeting.themes = await checks.themes(session, spec.themes, "themes")
    await _apply_place(session, meeting, spec)
    _apply_times(meeting, spec)
    _apply_capacity(meeting, spec)
    if spec.agenda is not None:
        items = _agenda(spec.agenda, meeting)
        # One flush would insert the new items before deleting the old ones, and the
        # (meeting, position) unique constraint would refuse them: delete first.
        meeting.agenda = []
        await session.flush()
        meeting.agenda = items
        await session.flush()


# --- use cases ------------------------------------------------------------------------------


async def _load(uow: UnitOfWork, meeting_id: int) -> m.Meeting:
    found = await meetings.for_update(uow.session, meeting_id)
    if found is None:
        raise fail(Missing("No such meeting.", "Meeting", meeting_id))
    uow.guard(found)
    return found


def _check_version(meeting: m.Meeting, expected: int | None) -> None:
    if expected is not None and expected != meeting.version:
        raise fail(
            Conflict(
                f"The meeting changed since version {expected}; it is now at version "
                f"{meeting.version}. Reload it and apply your change again.",
                meeting.version,
            )
        )


async def create_meeting(db: Database, actor: Actor, spec: MeetingSpec) -> m.Meeting:
    async with unit_of_work(db, actor, "createMeeting") as uow:
        require_staff(uow.viewer, "create meetings")
        if spec.kind is None or spec.title is None:
            raise fail(Invalid("kind" if spec.kind is None else "title", "is required"))
        if spec.starts_at is None or spec.ends_at is None:
            raise fail(Invalid("startsAt", "a meeting needs a start and an end"))
        meeting = m.Meeting(
            kind=spec.kind, title={}, description={}, themes=[], agenda=[], confirmed_count=0
        )
        meeting.timezone = "Europe/Paris"
        with uow.session.no_autoflush:
            await _apply(uow.session, meeting, replace(spec, agenda=None))
        uow.session.add(meeting)
        await uow.session.flush()
        if spec.agenda:
            meeting.agenda = _agenda(spec.agenda, meeting)
            await uow.session.flush()
        await search_index.index_meeting(uow.session, meeting)
        uow.changed(meeting, spec.changed)
        return meeting


async def update_meeting(
    db: Database, actor: Actor, meeting_id: int, spec: MeetingSpec
) -> m.Meeting:
    async with unit_of_work(db, actor, "updateMeeting") as uow:
        require_staff(uow.viewer, "edit meetings")
        # A capacity change moves seats: take the registration lock before reading.
        await meetings.lock_seats(uow.session, meeting_id)
        meeting = await _load(uow, meeting_id)
        _check_version(meeting, spec.expected_version)
        if meeting.status in ENDED:
            raise fail(Refused(f"A {meeting.status.value} meeting can no longer be edited."))
        with uow.session.no_autoflush:
            await _apply(uow.session, meeting, spec)
        meeting.updated_at = utcnow()
        await uow.session.flush()
        await fill_from_waiting_list(uow, meeting)
        await search_index.index_meeting(uow.session, meeting)
        uow.changed(meeting, spec.changed)
    return meeting


async def publish_meeting(db: Database, actor: Actor, meeting_id: int) -> m.Meeting:
    async with unit_of_work(db, actor, "publishMeeting") as uow:
        require_staff(uow.viewer, "publish meetings")
        meeting = await _load(uow, meeting_id)
        if meeting.status is not m.ProgrammeStatus.DRAFT:
            raise fail(Invalid("meetingId", f"the meeting is already {meeting.status.value}"))
        meeting.status = m.ProgrammeStatus.OPEN
        meeting.published_at = utcnow()
        await uow.session.flush()
        await search_index.index_meeting(uow.session, meeting)
        uow.changed(meeting, ["status"])
        uow.emit("meeting.published", meeting, payload={"title": meeting.title})
    return meeting


async def cancel_meeting(db: Database, actor: Actor, meeting_id: int) -> m.Meeting:
    async with unit_of_work(db, actor, "cancelMeeting") as uow:
        require_staff(uow.viewer, "cancel meetings")
        meeting = await _load(uow, meeting_id)
        if meeting.status in ENDED:
            raise fail(Invalid("meetingId", f"the meeting is already {meeting.status.value}"))
        registered = (await meetings.registrations_of(uow.session, [meeting.id]))[meeting.id]
        meeting.status = m.ProgrammeStatus.CANCELLED
        meeting.cancelled_at = utcnow()
        uow.changed(meeting, ["status"])
        centres = [r.centre_id for r in registered if r.status is not CANCELLED]
        uow.emit("meeting.cancelled", meeting, centre_ids=centres, payload={"title": meeting.title})
    return meeting
