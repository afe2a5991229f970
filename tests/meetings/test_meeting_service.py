"""Meetings programme services on both databases: seats, waiting list, concurrency, DST."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from accr_graph.db import models as m
from accr_graph.services import meeting_registrations as regs
from accr_graph.services import meetings
from accr_graph.services.errors import Invalid, Refused, ServiceFailure
from accr_graph.services.meetings import MeetingSpec
from tests.conftest import Database
from tests.meetings.helpers import (
    GIULIA,
    MARIE,
    actor_for,
    centre_ids,
    centre_pk,
    open_meeting,
    staff,
    upcoming,
)


async def _statuses(db: Database, meeting_id: int) -> dict[int, m.RegistrationStatus]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(m.MeetingRegistration).where(m.MeetingRegistration.meeting_id == meeting_id)
        )
        return {r.centre_id: r.status for r in rows}


async def _meeting(db: Database, meeting_id: int) -> m.Meeting:
    async with db.sessionmaker() as session:
        found = await session.get(m.Meeting, meeting_id)
    assert found is not None
    return found


async def _events(db: Database, kind: str) -> list[m.OutboxEvent]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.kind == kind))
        return list(rows)


async def test_twenty_concurrent_registrations_never_overbook(network_db: Database) -> None:
    # given an open meeting with 5 seats and 20 centres
    meeting = await open_meeting(network_db, capacity=5)
    actor = await staff(network_db)
    centres = await centre_ids(network_db, 20)
    # when the 20 centres register at the same moment
    results = await asyncio.gather(
        *(regs.register(network_db.sessionmaker, actor, meeting.id, c, ["Rep"]) for c in centres)
    )
    # then exactly 5 hold a seat, 15 wait, and the seat count agrees with the rows
    statuses = [r.status for r in results]
    assert statuses.count(m.RegistrationStatus.CONFIRMED) == 5
    assert statuses.count(m.RegistrationStatus.WAITING) == 15
    saved = await _meeting(network_db, meeting.id)
    assert saved.confirmed_count == 5
    assert saved.status is m.ProgrammeStatus.FULL
    stored = await _statuses(network_db, meeting.id)
    assert sum(s is m.RegistrationStatus.CONFIRMED for s in stored.values()) == 5


async def test_the_database_refuses_more_seats_than_capacity(network_db: Database) -> None:
    # given a meeting with 2 seats; when a write bypasses the service, the check constraint holds
    meeting = await open_meeting(network_db, capacity=2)
    with pytest.raises(IntegrityError):
        async with network_db.sessionmaker.begin() as session:
            await session.execute(
                update(m.Meeting).where(m.Meeting.id == meeting.id).values(confirmed_count=3)
            )


async def test_cancellation_promotes_the_first_waiting_centre(network_db: Database) -> None:
    # given a full meeting (2 seats) and two centres waiting, in order
    meeting = await open_meeting(network_db, capacity=2)
    actor = await staff(network_db)
    a, b, c, d = await centre_ids(network_db, 4)
    for centre in (a, b, c, d):
        await regs.register(network_db.sessionmaker, actor, meeting.id, centre, ["Rep"])
    # when a seated centre cancels
    await regs.cancel_registration(network_db.sessionmaker, actor, meeting.id, a)
    # then the first centre in line (c) gets the seat, d still waits, and c is notified
    statuses = await _statuses(network_db, meeting.id)
    assert statuses[c] is m.RegistrationStatus.CONFIRMED
    assert statuses[d] is m.RegistrationStatus.WAITING
    assert statuses[a] is m.RegistrationStatus.CANCELLED
    promoted = await _events(network_db, "meeting.registration.promoted")
    assert [e.centre_ids for e in promoted] == [[c]]
    assert (await _meeting(network_db, meeting.id)).confirmed_count == 2
    # when a waiting centre cancels, nobody moves and the count stays
    await regs.cancel_registration(network_db.sessionmaker, actor, meeting.id, d)
    assert (await _meeting(network_db, meeting.id)).confirmed_count == 2
    # when a seated centre cancels with nobody waiting, the seat is free again
    await regs.cancel_registration(network_db.sessionmaker, actor, meeting.id, b)
    saved = await _meeting(network_db, meeting.id)
    assert (saved.confirmed_count, saved.status) == (1, m.ProgrammeStatus.OPEN)


async def test_concurrent_cancellations_promote_each_waiting_centre_once(
    network_db: Database,
) -> None:
    # given 3 seats taken and 3 centres waiting
    meeting = await open_meeting(network_db, capacity=3)
    actor = await staff(network_db)
    centres = await centre_ids(network_db, 6)
    for centre in centres:
        await regs.register(network_db.sessionmaker, actor, meeting.id, centre, ["Rep"])
    # when the 3 seated centres cancel at once
    await asyncio.gather(
        *(
            regs.cancel_registration(network_db.sessionmaker, actor, meeting.id, c)
            for c in centres[:3]
        )
    )
    # then the 3 waiting centres hold the 3 seats
    statuses = await _statuses(network_db, meeting.id)
    assert [statuses[c] for c in centres[3:]] == [m.RegistrationStatus.CONFIRMED] * 3
    assert (await _meeting(network_db, meeting.id)).confirmed_count == 3
    assert len(await _events(network_db, "meeting.registration.promoted")) == 3


async def test_raising_the_capacity_seats_waiting_centres(network_db: Database) -> None:
    meeting = await open_meeting(network_db, capacity=1)
    actor = await staff(network_db)
    a, b, c = await centre_ids(network_db, 3)
    for centre in (a, b, c):
        await regs.register(network_db.sessionmaker, actor, meeting.id, centre, ["Rep"])
    await meetings.update_meeting(
        network_db.sessionmaker, actor, meeting.id, MeetingSpec(capacity=2)
    )
    statuses = await _statuses(network_db, meeting.id)
    assert (statuses[b], statuses[c]) == (
        m.RegistrationStatus.CONFIRMED,
        m.RegistrationStatus.WAITING,
    )
    # and lowering it below the seats taken is refused clearly
    with pytest.raises(ServiceFailure) as refused:
        await meetings.update_meeting(
            network_db.sessionmaker, actor, meeting.id, MeetingSpec(capacity=1)
        )
    assert isinstance(refused.value.failure, Invalid)
    assert refused.value.failure.field == "capacity"


async def test_members_register_their_own_centre_only(network_db: Database) -> None:
    meeting = await open_meeting(network_db)
    marie = await actor_for(network_db, MARIE)
    other = await centre_pk(network_db, "castello-di-valmora")
    # a member registers its own centre by default
    mine = await regs.register(network_db.sessionmaker, marie, meeting.id, None, ["Marie Dubois"])
    assert mine.centre_id == marie.viewer.centre_id
    # and may not register another centre
    with pytest.raises(ServiceFailure) as refused:
        await regs.register(network_db.sessionmaker, marie, meeting.id, other, ["X"])
    assert isinstance(refused.value.failure, Refused)
    # nor cancel another centre's registration
    giulia = await actor_for(network_db, GIULIA)
    await regs.register(network_db.sessionmaker, giulia, meeting.id, None, ["Giulia"])
    with pytest.raises(ServiceFailure) as refused:
        await regs.cancel_registration(network_db.sessionmaker, marie, meeting.id, other)
    assert isinstance(refused.value.failure, Refused)


async def test_registration_needs_a_published_meeting_before_its_deadline(
    network_db: Database,
) -> None:
    actor = await staff(network_db)
    marie = await actor_for(network_db, MARIE)
    start = upcoming()
    draft = await meetings.create_meeting(
        network_db.sessionmaker,
        actor,
        MeetingSpec(
            kind=m.ProgrammeKind.THEMATIC,
            title=[("en", "Draft")],
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        ),
    )
    # a draft is invisible to members
    with pytest.raises(ServiceFailure) as missing:
        await regs.register(network_db.sessionmaker, marie, draft.id, None, ["Marie"])
    assert type(missing.value.failure).__name__ == "Missing"
    # a cancelled meeting takes no registrations
    await meetings.publish_meeting(network_db.sessionmaker, actor, draft.id)
    await meetings.cancel_meeting(network_db.sessionmaker, actor, draft.id)
    with pytest.raises(ServiceFailure) as refused:
        await regs.register(network_db.sessionmaker, marie, draft.id, None, ["Marie"])
    assert isinstance(refused.value.failure, Refused)
    assert "cancelled" in refused.value.failure.message


async def test_a_local_time_in_the_dst_gap_is_refused(network_db: Database) -> None:
    # given 2027-03-28 in Paris, when the clocks jump from 02:00 to 03:00
    actor = await staff(network_db)
    spec = MeetingSpec(
        kind=m.ProgrammeKind.INFORMATION_SESSION,
        title=[("fr", "Session d'information")],
        starts_at=datetime(2027, 3, 28, 2, 30),
        ends_at=datetime(2027, 3, 28, 4, 0),
        timezone="Europe/Paris",
    )
    # when a meeting is set at 02:30, then it is refused with a clear message on startsAt
    with pytest.raises(ServiceFailure) as refused:
        await meetings.create_meeting(network_db.sessionmaker, actor, spec)
    failure = refused.value.failure
    assert isinstance(failure, Invalid) and failure.field == "startsAt"
    assert "does not exist in Europe/Paris" in failure.message
    # and 03:30 the same night is stored as 01:30 UTC (summer time)
    ok = await meetings.create_meeting(
        network_db.sessionmaker, actor, replace(spec, starts_at=datetime(2027, 3, 28, 3, 30))
    )
    assert ok.starts_at.strftime("%H:%M") == "01:30"
    # and an unknown zone is refused on timeZone
    with pytest.raises(ServiceFailure) as bad_zone:
        await meetings.create_meeting(
            network_db.sessionmaker, actor, replace(spec, timezone="Europe/Atlantis")
        )
    assert getattr(bad_zone.value.failure, "field", None) == "timeZone"


async def test_attendance_is_recorded_after_the_start(network_db: Database) -> None:
    actor = await staff(network_db)
    a, b = await centre_ids(network_db, 2)
    # given a meeting that started an hour ago, with two centres registered by staff
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    created = await meetings.create_meeting(
        network_db.sessionmaker,
        actor,
        MeetingSpec(
            kind=m.ProgrammeKind.STUDY_VISIT,
            title=[("en", "Study visit")],
            starts_at=start,
            ends_at=start + timedelta(hours=4),
        ),
    )
    await meetings.publish_meeting(network_db.sessionmaker, actor, created.id)
    for centre in (a, b):
        await regs.register(network_db.sessionmaker, actor, created.id, centre, ["Rep"])
    # when staff record attendance
    held = await regs.record_attendance(
        network_db.sessionmaker,
        actor,
        created.id,
        [regs.AttendanceEntry(a, True, 2), regs.AttendanceEntry(b, False)],
    )
    # then the meeting is held and the registrations carry it
    assert held.status is m.ProgrammeStatus.HELD
    async with network_db.sessionmaker() as session:
        rows = {
            r.centre_id: (r.attended, r.attendees)
            for r in await session.scalars(select(m.MeetingRegistration))
        }
        count = await session.scalar(select(func.count()).select_from(m.AuditEntry))
    assert rows == {a: (True, 2), b: (False, None)}
    assert count and count >= 5
    # and a centre without a seat cannot be marked
    outsider = (await centre_ids(network_db, 3))[2]
    with pytest.raises(ServiceFailure) as refused:
        await regs.record_attendance(
            network_db.sessionmaker, actor, created.id, [regs.AttendanceEntry(outsider, True)]
        )
    assert getattr(refused.value.failure, "field", "") == "attendance.0.centreId"


@pytest.mark.parametrize("when", [datetime(1, 1, 1, 0, 0), datetime(9999, 12, 31, 23, 59)])
async def test_a_date_out_of_range_is_refused_not_a_crash(
    network_db: Database, when: datetime
) -> None:
    # converting year 1 or 9999 between zones overflows: a clear refusal, never a 500
    spec = MeetingSpec(
        kind=m.ProgrammeKind.INFORMATION_SESSION,
        title=[("fr", "Session")],
        starts_at=when,
        ends_at=when,
        timezone="America/New_York",
    )
    with pytest.raises(ServiceFailure) as refused:
        await meetings.create_meeting(network_db.sessionmaker, await staff(network_db), spec)
    failure = refused.value.failure
    assert isinstance(failure, Invalid) and failure.field == "startsAt"
    assert "must be between 1900 and 2100" in failure.message
