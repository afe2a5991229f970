"""Seats of a programme meeting: status from the seat count, promotion from the waiting list.

Callers hold the meeting's registration lock (``meetings.lock_seats``) while they use these.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm.attributes import set_committed_value

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import meetings
from accr_graph.services.uow import UnitOfWork

SEATED = (m.ProgrammeStatus.OPEN, m.ProgrammeStatus.FULL)


def effective_status(meeting: m.Meeting, now: datetime | None = None) -> m.ProgrammeStatus:
    """Open or full meetings read as closed once the deadline (or the start) has passed."""
    now = now or utcnow()
    if meeting.status in SEATED:
        deadline = meeting.registration_deadline or meeting.starts_at
        if now >= deadline:
            return m.ProgrammeStatus.CLOSED
    return meeting.status


def has_seat(meeting: m.Meeting) -> bool:
    return meeting.capacity is None or meeting.confirmed_count < meeting.capacity


def seat_status(meeting: m.Meeting, confirmed: int) -> m.ProgrammeStatus:
    if meeting.status not in SEATED:
        return meeting.status
    full = meeting.capacity is not None and confirmed >= meeting.capacity
    return m.ProgrammeStatus.FULL if full else m.ProgrammeStatus.OPEN


async def promote(uow: UnitOfWork, meeting: m.Meeting) -> m.MeetingRegistration | None:
    """Give a freed seat to the head of the waiting list (and tell it); None when nobody waits."""
    head = await meetings.first_waiting(uow.session, meeting.id)
    if head is None:
        return None
    head.status, head.promoted_at = m.RegistrationStatus.CONFIRMED, utcnow()
    await uow.session.flush()
    uow.emit(
        "meeting.registration.promoted",
        meeting,
        centre_ids=[head.centre_id],
        payload={"title": meeting.title, "registration_id": head.id},
    )
    return head


async def fill_from_waiting_list(uow: UnitOfWork, meeting: m.Meeting) -> int:
    """Seat waiting centres while seats are free (after a capacity increase); how many."""
    confirmed = meeting.confirmed_count
    while meeting.status in SEATED and (meeting.capacity is None or confirmed < meeting.capacity):
        if await promote(uow, meeting) is None:
            break
        confirmed += 1
    status = seat_status(meeting, confirmed)
    # A full meeting whose capacity grew (or was cleared) reopens even if nobody was waiting.
    if confirmed != meeting.confirmed_count or status is not meeting.status:
        await meetings.set_seats(uow.session, meeting.id, confirmed, status)
        added = confirmed - meeting.confirmed_count
        # The SQL update bypassed the ORM: show the caller the stored values, unflushed.
        set_committed_value(meeting, "confirmed_count", confirmed)
        set_committed_value(meeting, "status", status)
        return added
    return 0
