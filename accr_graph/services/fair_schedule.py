"""Scheduling a fair, publishing the schedule, cancelling meetings.

Published meetings stay where they are in later runs (locked in the instance); changes to a
published schedule bump the fair's schedule version and tell subscribers (`fair_events`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import fair as repo
from accr_graph.services.errors import Invalid, Missing, Refused, fail
from accr_graph.services.fair_common import SCOPE, load_fair, participant_ids, participants
from accr_graph.services.permissions import require_scope, require_staff
from accr_graph.services.uow import Actor, Database, unit_of_work
from matching.fair import Attendee, FairInstance, MeetingRequest, Placement, Slot, Table, schedule


@dataclass(frozen=True, slots=True)
class ScheduleRun:
    """What scheduleFair did; ``fair`` is what the audit log records."""

    fair: m.Fair
    placed: int
    unplaced: int
    total_priority: float
    idle_gaps: int

    @property
    def audit_target(self) -> m.Fair:
        return self.fair


@dataclass(frozen=True, slots=True)
class _Loaded:
    instance: FairInstance
    not_registered: dict[int, str]  # request id -> reason, kept out of the instance
    existing: dict[int, m.FairMeeting]  # request id -> current row


async def _instance(session: AsyncSession, fair: m.Fair) -> _Loaded:
    slots = (await repo.slots_of(session, [fair.id])).get(fair.id, [])
    tables = (await repo.tables_of(session, [fair.id])).get(fair.id, [])
    registrations = (await repo.registrations_of(session, [fair.id])).get(fair.id, [])
    requests = await repo.accepted_requests(session, fair.id)
    members = await repo.members_of(session, [r.id for r in requests])
    existing = await repo.meetings_by_request(session, fair.id)
    registered = {r.centre_id for r in registrations}
    meetings, not_registered = [], {}
    for request in requests:
        ids = participant_ids(request, members.get(request.id, []))
        missing = [c for c in ids if c not in registered]
        if missing:
            not_registered[request.id] = f"centre {missing[0]} is not registered"
            continue
        row = existing.get(request.id)
        locked = None
        if row is not None and row.status is m.MeetingStatus.PUBLISHED and row.slot_id:
            locked = Placement(row.slot_id, row.table_id) if row.table_id else None
        meetings.append(
            MeetingRequest(
                id=request.id,
                participants=tuple(ids),
                priority=float(request.priority),
                locked=locked,
                about_proposal=request.proposal_id,
            )
        )
    instance = FairInstance(
        slots=tuple(Slot(s.id, s.day, s.position) for s in slots),
        tables=tuple(Table(t.id, t.capacity, t.language) for t in tables),
        centres=tuple(
            Attendee(
                centre_id=r.centre_id,
                max_meetings=r.max_meetings,
                unavailable=frozenset(r.unavailable_slot_ids),
                languages=frozenset(r.languages),
            )
            for r in registrations
        ),
        meetings=tuple(meetings),
        max_idle=fair.max_idle,
    )
    return _Loaded(instance, not_registered, existing)


def _write_row(
    session: AsyncSession,
    fair_id: int,
    request_id: int,
    existing: m.FairMeeting | None,
    place: Placement | None,
    reason: str | None,
) -> bool:
    """Write one request's answer; True when it is placed."""
    if existing is not None and existing.status is m.MeetingStatus.PUBLISHED:
        existing.reason = reason  # kept where it was published; a reason flags it for staff
        return reason is None
    session.add(
        m.FairMeeting(
            fair_id=fair_id,
            request_id=request_id,
            slot_id=place.slot_id if place else None,
            table_id=place.table_id if place else None,
            status=m.MeetingStatus.DRAFT,
            reason=reason,
        )
    )
    return place is not None


async def schedule_fair(db: Database, actor: Actor, fair_id: int) -> ScheduleRun:
    """Place every accepted request; published meetings stay where they are (locked)."""
    async with unit_of_work(db, actor, "scheduleFair") as uow:
        require_staff(uow.viewer, "schedule the fair", SCOPE)
        fair = await load_fair(uow.session, fair_id, lock=True)
        run = await _run(uow.session, fair)
        uow.changed(fair, ["fairId"])
    return run


async def _run(session: AsyncSession, fair: m.Fair) -> ScheduleRun:
    loaded = await _instance(session, fair)
    result = await asyncio.to_thread(schedule, loaded.instance)
    await repo.drop_unpublished(session, fair.id)
    placed = 0
    for meeting in loaded.instance.meetings:
        place = result.placements.get(meeting.id)
        reason = result.unplaced.get(meeting.id)
        existing = loaded.existing.get(meeting.id)
        placed += _write_row(session, fair.id, meeting.id, existing, place, reason)
    for request_id, reason in loaded.not_registered.items():
        _write_row(session, fair.id, request_id, loaded.existing.get(request_id), None, reason)
    fair.scheduled_at = utcnow()
    unplaced = len(result.unplaced) + len(loaded.not_registered)
    return ScheduleRun(fair, placed, unplaced, result.total_priority, len(result.idle_gaps))


async def publish_schedule(db: Database, actor: Actor, fair_id: int) -> m.Fair:
    """Publish the placed drafts: they reach the agendas and stay put in later runs."""
    async with unit_of_work(db, actor, "publishSchedule") as uow:
        require_staff(uow.viewer, "publish the schedule", SCOPE)
        fair = await load_fair(uow.session, fair_id, lock=True)
        if fair.scheduled_at is None:
            raise fail(Invalid("fairId", "schedule the fair before publishing"))
        await repo.publish_drafts(uow.session, fair.id)
        await _schedule_changed(uow.session, fair)
        uow.changed(fair, ["fairId"])
        told = sorted(await repo.registered_centre_ids(uow.session, fair.id))
        uow.emit("fair.schedule.published", fair, centre_ids=told, payload={"fair_id": fair.id})
    return fair


async def _schedule_changed(session: AsyncSession, fair: m.Fair) -> None:
    version = await repo.bump_schedule_version(session, fair.id)
    await session.refresh(fair)
    await repo.notify_schedule_changed(session, fair.id, version)


async def cancel_meeting(db: Database, actor: Actor, meeting_id: int) -> m.FairMeeting:
    """Cancel a meeting (staff, or a centre taking part); its request is cancelled too, so
    later runs leave it out and its seats free up."""
    async with unit_of_work(db, actor, "cancelMeeting") as uow:
        viewer, session = uow.viewer, uow.session
        require_scope(viewer, SCOPE)
        meeting, request = await _meeting(session, meeting_id)
        await load_fair(session, meeting.fair_id, lock=True)
        ids = await participants(session, request)
        if not viewer.is_staff and viewer.centre_id not in ids:
            raise fail(Refused("Only centres taking part or ACCR staff may cancel this meeting."))
        if meeting.status is m.MeetingStatus.CANCELLED:
            raise fail(Invalid("meetingId", "the meeting is already cancelled"))
        was_published = meeting.status is m.MeetingStatus.PUBLISHED
        meeting.status = m.MeetingStatus.CANCELLED
        meeting.cancelled_at = utcnow()
        request.status = m.MeetingRequestStatus.CANCELLED
        uow.changed(meeting, ["meetingId"])
        if was_published:
            await session.flush()
            await _schedule_changed(session, await load_fair(session, meeting.fair_id))
            payload = {"fair_id": meeting.fair_id, "meeting_id": meeting.id}
            uow.emit("fair.meeting.cancelled", meeting, centre_ids=ids, payload=payload)
    return meeting


async def _meeting(
    session: AsyncSession, meeting_id: int
) -> tuple[m.FairMeeting, m.FairMeetingRequest]:
    meeting = (await repo.meetings_by_ids(session, [meeting_id])).get(meeting_id)
    request = (
        (await repo.requests_by_ids(session, [meeting.request_id])).get(meeting.request_id)
        if meeting
        else None
    )
    if meeting is None or request is None:
        raise fail(Missing("No such meeting.", "FairMeeting", meeting_id))
    return meeting, request
