"""Registering for programme meetings: seats, the waiting list, cancellations, attendance.

A member registers its own centre (staff any centre) with one or more representatives. When the
meeting is full the centre joins the waiting list; when a seat frees, the first centre in line
(first come, first served) gets it and is notified (``meeting.registration.promoted``). Every
change of one meeting's registrations is serialised by ``meetings.lock_seats`` and the seat count
is bounded by a check constraint, so concurrent registrations never over-book.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import meetings
from accr_graph.services import checks
from accr_graph.services.errors import Invalid, Missing, Refused, fail
from accr_graph.services.meeting_seats import effective_status, has_seat, promote, seat_status
from accr_graph.services.permissions import require_centre, require_scope, require_staff
from accr_graph.services.uow import Actor, Database, UnitOfWork, unit_of_work
from accr_graph.viewer import Viewer

MAX_REPRESENTATIVES = 5
CONFIRMED, WAITING, CANCELLED = (
    m.RegistrationStatus.CONFIRMED,
    m.RegistrationStatus.WAITING,
    m.RegistrationStatus.CANCELLED,
)


@dataclass(frozen=True, slots=True)
class AttendanceEntry:
    centre_id: int
    attended: bool
    attendees: int | None = None


def _representatives(names: Sequence[str]) -> list[str]:
    cleaned = [n for n in (checks.text(x, "representatives", 200) for x in names) if n]
    if not 1 <= len(cleaned) <= MAX_REPRESENTATIVES:
        raise fail(
            Invalid("representatives", f"give 1 to {MAX_REPRESENTATIVES} names of who comes")
        )
    return list(dict.fromkeys(cleaned))


async def _locked_meeting(uow: UnitOfWork, meeting_id: int) -> m.Meeting:
    """Take the meeting's registration lock first, then read it (see the module docstring)."""
    meeting = None
    if await meetings.lock_seats(uow.session, meeting_id):
        meeting = await meetings.for_update(uow.session, meeting_id)
    if meeting is None or (meeting.status is m.ProgrammeStatus.DRAFT and not uow.viewer.is_staff):
        raise fail(Missing("No such meeting.", "Meeting", meeting_id))
    return meeting


def _check_open(meeting: m.Meeting, staff: bool) -> None:
    status = effective_status(meeting)
    if status in (m.ProgrammeStatus.OPEN, m.ProgrammeStatus.FULL):
        return
    if staff and status is m.ProgrammeStatus.CLOSED:
        return  # staff may still seat a centre after the deadline
    raise fail(Refused(f"Registration is not open: the meeting is {status.value}."))


async def _take_seat(uow: UnitOfWork, meeting: m.Meeting, reg: m.MeetingRegistration) -> None:
    if has_seat(meeting):
        reg.status = CONFIRMED
        confirmed = meeting.confirmed_count + 1
        status = seat_status(meeting, confirmed)
        await meetings.set_seats(uow.session, meeting.id, confirmed, status)
    else:
        reg.status = WAITING


async def register(
    db: Database, actor: Actor, meeting_id: int, centre_id: int | None, names: Sequence[str]
) -> m.MeetingRegistration:
    """Register a centre (or change its representatives); full meetings put it on the list."""
    async with unit_of_work(db, actor, "registerForMeeting") as uow:
        require_scope(uow.viewer, "write")
        centre = await checks.acting_centre(uow.session, uow.viewer, centre_id, "centreId")
        require_centre(uow.viewer, centre.id, "register it")
        representatives = _representatives(names)
        meeting = await _locked_meeting(uow, meeting_id)
        reg = await meetings.registration(uow.session, meeting.id, centre.id)
        if reg is not None and reg.status is not CANCELLED:
            reg.representatives = representatives  # already in: only who comes changes
        else:
            _check_open(meeting, uow.viewer.is_staff)
            reg = reg or m.MeetingRegistration(meeting_id=meeting.id, centre_id=centre.id)
            reg.representatives, reg.queued_at, reg.promoted_at = representatives, utcnow(), None
            uow.session.add(reg)
            await _take_seat(uow, meeting, reg)
            uow.emit(f"meeting.registration.{reg.status.value}", meeting, centre_ids=[centre.id])
        uow.changed(reg, ["representatives", "status"])
    return reg


async def _free_seat(uow: UnitOfWork, meeting: m.Meeting) -> None:
    if meeting.status in (m.ProgrammeStatus.CANCELLED, m.ProgrammeStatus.HELD):
        confirmed = meeting.confirmed_count - 1  # nobody is promoted into an ended meeting
    elif await promote(uow, meeting) is None:
        confirmed = meeting.confirmed_count - 1
    else:
        confirmed = meeting.confirmed_count
    await meetings.set_seats(uow.session, meeting.id, confirmed, seat_status(meeting, confirmed))


async def cancel_registration(
    db: Database, actor: Actor, meeting_id: int, centre_id: int | None
) -> m.MeetingRegistration:
    async with unit_of_work(db, actor, "cancelMeetingRegistration") as uow:
        require_scope(uow.viewer, "write")
        centre = await checks.acting_centre(uow.session, uow.viewer, centre_id, "centreId")
        require_centre(uow.viewer, centre.id, "cancel its registrations")
        meeting = await _locked_meeting(uow, meeting_id)
        reg = await meetings.registration(uow.session, meeting.id, centre.id)
        if reg is None or reg.status is CANCELLED:
            raise fail(Invalid("centreId", "this centre is not registered for the meeting"))
        held_seat = reg.status is CONFIRMED
        reg.status = CANCELLED
        await uow.session.flush()  # the centre leaves the list before the head is looked up
        if held_seat:
            await _free_seat(uow, meeting)
        uow.changed(reg, ["status"])
        uow.emit("meeting.registration.cancelled", meeting, centre_ids=[centre.id])
    return reg


async def record_attendance(
    db: Database, actor: Actor, meeting_id: int, entries: Sequence[AttendanceEntry]
) -> m.Meeting:
    """Staff mark who came, once the meeting has started; the meeting becomes held."""
    async with unit_of_work(db, actor, "recordAttendance") as uow:
        require_staff(uow.viewer, "record attendance")
        meeting = await _locked_meeting(uow, meeting_id)
        if meeting.status in (m.ProgrammeStatus.DRAFT, m.ProgrammeStatus.CANCELLED):
            raise fail(Refused(f"The meeting is {meeting.status.value}; nobody attended it."))
        if utcnow() < meeting.starts_at:
            raise fail(Invalid("meetingId", "attendance is recorded once the meeting started"))
        regs = (await meetings.registrations_of(uow.session, [meeting.id]))[meeting.id]
        seated = {r.centre_id: r for r in regs if r.status is CONFIRMED}
        for index, entry in enumerate(entries):
            reg = seated.get(entry.centre_id)
            if reg is None:
                raise fail(
                    Invalid(f"attendance.{index}.centreId", "the centre holds no seat at it")
                )
            reg.attended = entry.attended
            reg.attendees = (
                None
                if entry.attendees is None
                else checks.int_range(entry.attendees, f"attendance.{index}.attendees", 0, 50)
            )
        meeting.status = m.ProgrammeStatus.HELD
        uow.changed(meeting, ["attendance"])
    return meeting


# --- what a caller may see ------------------------------------------------------------------


def visible_registrations(
    viewer: Viewer, regs: Sequence[m.MeetingRegistration]
) -> list[m.MeetingRegistration]:
    """Staff see every registration; a member its own centre's; anonymous callers none."""
    return [r for r in regs if viewer.is_staff or r.centre_id == viewer.centre_id]


def may_join(viewer: Viewer, regs: Sequence[m.MeetingRegistration]) -> bool:
    """The join link is for staff and centres holding a confirmed seat."""
    if viewer.is_staff:
        return True
    return any(r.centre_id == viewer.centre_id and r.status is CONFIRMED for r in regs)
