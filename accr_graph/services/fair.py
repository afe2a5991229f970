"""Project Fair use cases: editions, registrations, meeting requests, scheduling, publishing.

Fair changes need the `fair` token scope. Staff create fairs, run and publish the schedule and
act for any centre; a centre's members register it, ask for and answer meetings for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import centres, proposals
from accr_graph.repositories import fair as repo
from accr_graph.services import checks
from accr_graph.services.errors import Invalid, Missing, Refused, fail
from accr_graph.services.permissions import require_centre, require_scope, require_staff
from accr_graph.services.viewer import Viewer
from matching import Suggestion
from matching.fair import Attendee, FairInstance, MeetingRequest, Placement, Slot, Table, schedule

SCOPE = "fair"
MAX_DAYS = 10
MAX_SLOTS_PER_DAY = 40
MAX_TABLES = 500


# --- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BreakSpec:
    after_slot: int  # the break follows this many slots of the day
    minutes: int


@dataclass(frozen=True, slots=True)
class DaySpec:
    day: date
    start: time
    slot_minutes: int
    slots: int
    breaks: tuple[BreakSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    capacity: int = 2
    language: str | None = None


@dataclass(frozen=True, slots=True)
class FairSpec:
    name: str
    year: int
    host_centre_id: int | None
    days: tuple[DaySpec, ...]
    tables: tuple[TableSpec, ...]
    venue: str | None = None
    timezone: str = "Europe/Paris"
    max_idle: int = 2


@dataclass(frozen=True, slots=True)
class RegistrationSpec:
    representatives: tuple[str, ...]
    unavailable_slot_ids: tuple[int, ...] = ()
    languages: tuple[str, ...] | None = None  # None: the centre's own languages
    max_meetings: int | None = None  # None: one per slot
    proposal_ids: tuple[int, ...] = ()


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


# --- permissions and lookups ----------------------------------------------------------------


async def load_fair(session: AsyncSession, fair_id: int, lock: bool = False) -> m.Fair:
    if lock:
        found = await repo.fair_for_update(session, fair_id)
    else:
        found = (await repo.fairs_by_ids(session, [fair_id])).get(fair_id)
    if found is None:
        raise fail(Missing("No such fair.", "Fair", fair_id))
    return found


async def _registration(
    session: AsyncSession, fair_id: int, centre: m.Centre, field: str
) -> m.FairRegistration:
    found = await repo.registration_of(session, fair_id, centre.id)
    if found is None:
        raise fail(Invalid(field, f"{centre.name} is not registered for this fair"))
    return found


async def participants(session: AsyncSession, request: m.FairMeetingRequest) -> list[int]:
    members = (await repo.members_of(session, [request.id])).get(request.id, [])
    return participant_ids(request, members)


def participant_ids(request: m.FairMeetingRequest, members: Sequence[int]) -> list[int]:
    ids = [request.requester_id]
    if request.target_id is not None:
        ids.append(request.target_id)
    return ids + [c for c in members if c not in ids]


# --- fair editions --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone(name: str) -> ZoneInfo:
    # Checked against the list: ZoneInfo() of a folder name or an over-long string raises
    # OSError, not ZoneInfoNotFoundError.
    if name not in _zone_names():
        raise fail(Invalid("timezone", f"'{name[:80]}' is not an IANA time zone"))
    return ZoneInfo(name)


def _day_slots(fair_id: int, index: int, spec: DaySpec, zone: ZoneInfo) -> list[m.FairSlot]:
    where = f"days[{index}]"
    checks.int_range(spec.slot_minutes, f"{where}.slotMinutes", 5, 240)
    checks.int_range(spec.slots, f"{where}.slots", 1, MAX_SLOTS_PER_DAY)
    pauses: dict[int, int] = {}
    for pause in spec.breaks:
        checks.int_range(pause.after_slot, f"{where}.breaks.afterSlot", 1, max(1, spec.slots - 1))
        checks.int_range(pause.minutes, f"{where}.breaks.minutes", 1, 600)
        pauses[pause.after_slot] = pauses.get(pause.after_slot, 0) + pause.minutes
    start = datetime.combine(spec.day, spec.start, tzinfo=zone).astimezone(UTC)
    length = timedelta(minutes=spec.slot_minutes)
    slots = []
    for position in range(spec.slots):
        slots.append(
            m.FairSlot(
                fair_id=fair_id,
                day=index,
                position=position,
                starts_at=start,
                ends_at=start + length,
            )
        )
        start += length + timedelta(minutes=pauses.get(position + 1, 0))
    return slots


def _tables(fair_id: int, specs: Sequence[TableSpec]) -> list[m.FairTable]:
    if not 1 <= len(specs) <= MAX_TABLES:
        raise fail(Invalid("tables", f"give between 1 and {MAX_TABLES} tables"))
    names: set[str] = set()
    rows = []
    for spec in specs:
        name = checks.text(spec.name, "tables.name", 80, required=True)
        assert name is not None
        if name in names:
            raise fail(Invalid("tables.name", f"'{name}' is given twice"))
        names.add(name)
        checks.int_range(spec.capacity, "tables.capacity", 2, 8)
        language = (
            checks.languages([spec.language], "tables.language")[0] if spec.language else None
        )
        rows.append(
            m.FairTable(fair_id=fair_id, name=name, capacity=spec.capacity, language=language)
        )
    return rows


def _check_days(days: Sequence[DaySpec], year: int) -> None:
    for index, day in enumerate(days):
        if day.day.year != year:
            raise fail(Invalid(f"days[{index}].date", f"must be in the fair's year, {year}"))
    if not 1 <= len(days) <= MAX_DAYS:
        raise fail(Invalid("days", f"give between 1 and {MAX_DAYS} days"))
    dates = [d.day for d in days]
    if len(set(dates)) != len(dates):
        raise fail(Invalid("days", "a date is given twice"))
    if dates != sorted(dates):
        raise fail(Invalid("days", "give the days in date order"))


async def create_fair(session: AsyncSession, viewer: Viewer, spec: FairSpec) -> m.Fair:
    require_staff(viewer, "create fairs", SCOPE)
    name = checks.text(spec.name, "name", 200, required=True)
    checks.int_range(spec.year, "year", 2000, 2100)
    checks.int_range(spec.max_idle, "maxIdle", 0, MAX_SLOTS_PER_DAY)
    zone = _zone(spec.timezone)
    _check_days(spec.days, spec.year)
    if spec.host_centre_id is not None:
        await checks.centre(session, spec.host_centre_id, "hostCentreId")
    fair = m.Fair(
        name=name,
        year=spec.year,
        host_centre_id=spec.host_centre_id,
        venue=checks.text(spec.venue, "venue", 300),
        timezone=spec.timezone,
        days=[d.day.isoformat() for d in spec.days],
        max_idle=spec.max_idle,
        registration_open=True,
        schedule_version=0,
    )
    session.add(fair)
    await session.flush()
    for index, day in enumerate(spec.days):
        session.add_all(_day_slots(fair.id, index, day, zone))
    session.add_all(_tables(fair.id, spec.tables))
    await session.flush()
    return fair


async def set_registration_open(
    session: AsyncSession, viewer: Viewer, fair_id: int, is_open: bool
) -> m.Fair:
    require_staff(viewer, "open or close registration", SCOPE)
    fair = await load_fair(session, fair_id)
    fair.registration_open = is_open
    fair.updated_at = utcnow()
    await session.flush()
    return fair


# --- registration ---------------------------------------------------------------------------


def _representatives(names: Sequence[str]) -> list[str]:
    cleaned = [checks.text(n, "representatives", 200) for n in names]
    kept = [n for n in cleaned if n]
    if not 1 <= len(kept) <= 3:
        raise fail(Invalid("representatives", "give one to three names"))
    return kept


def _unavailable(known: set[int], slot_ids: Sequence[int]) -> list[int]:
    unknown = [s for s in slot_ids if s not in known]
    if unknown:
        raise fail(Invalid("unavailableSlotIds", "not slots of this fair: " + repr(unknown)))
    return sorted(set(slot_ids))


async def _presented(session: AsyncSession, centre_id: int, ids: Sequence[int]) -> list[int]:
    found = await proposals.by_ids(session, list(ids), Viewer(role=m.UserRole.STAFF))
    for proposal_id in ids:
        proposal = found.get(proposal_id)
        if proposal is None:
            raise fail(Missing("A proposal given does not exist.", "Proposal", proposal_id))
        if proposal.owner_id != centre_id:
            raise fail(Invalid("proposalIds", "a centre presents its own proposals only"))
    return list(dict.fromkeys(ids))


async def register_for_fair(
    session: AsyncSession,
    viewer: Viewer,
    fair_id: int,
    centre_id: int | None,
    spec: RegistrationSpec,
) -> m.FairRegistration:
    """Register a centre, or update its registration (one per centre and fair)."""
    require_scope(viewer, SCOPE)
    fair = await load_fair(session, fair_id)
    centre = await checks.acting_centre(session, viewer, centre_id, "centreId")
    require_centre(viewer, centre.id, "register it", SCOPE)
    if not fair.registration_open and not viewer.is_staff:
        raise fail(Refused("Registration for this fair is closed; ask ACCR staff."))
    slot_ids = {s.id for s in (await repo.slots_of(session, [fair.id])).get(fair.id, [])}
    slot_count = len(slot_ids)
    languages = (
        checks.languages(spec.languages, "languages")
        if spec.languages is not None
        else list(centre.languages)
    )
    max_meetings = spec.max_meetings if spec.max_meetings is not None else slot_count
    checks.int_range(max_meetings, "maxMeetings", 1, max(1, slot_count))
    row = await repo.registration_of(session, fair.id, centre.id)
    if row is None:
        row = m.FairRegistration(fair_id=fair.id, centre_id=centre.id)
        session.add(row)
    row.representatives = _representatives(spec.representatives)
    row.unavailable_slot_ids = _unavailable(slot_ids, spec.unavailable_slot_ids)
    row.languages = languages
    row.max_meetings = max_meetings
    row.proposal_ids = await _presented(session, centre.id, spec.proposal_ids)
    row.updated_at = utcnow()
    await session.flush()
    return row


# --- meeting requests -----------------------------------------------------------------------


async def _about(
    session: AsyncSession, viewer: Viewer, proposal_id: int | None, owners: Sequence[int]
) -> None:
    if proposal_id is None:
        return
    # Looked up as the caller sees it: another centre's draft is "no such proposal".
    proposal = (await proposals.by_ids(session, [proposal_id], viewer)).get(proposal_id)
    if proposal is None:
        raise fail(Missing("No such proposal.", "Proposal", proposal_id))
    if proposal.owner_id not in owners:
        raise fail(Invalid("proposalId", "the proposal must belong to one of the two centres"))


async def request_meeting(
    session: AsyncSession,
    viewer: Viewer,
    fair_id: int,
    from_centre_id: int | None,
    to_centre_id: int,
    proposal_id: int | None,
    priority: int,
    message: str | None,
) -> m.FairMeetingRequest:
    """Ask another centre for a one-to-one meeting. If that centre already asked this one and
    waits for an answer, its request is accepted instead: accepting a suggestion is one step."""
    require_scope(viewer, SCOPE)
    fair = await load_fair(session, fair_id)
    asker = await checks.acting_centre(session, viewer, from_centre_id, "fromCentreId")
    require_centre(viewer, asker.id, "ask for meetings on its behalf", SCOPE)
    target = await checks.centre(session, to_centre_id, "toCentreId")
    if target.id == asker.id:
        raise fail(Invalid("toCentreId", "a centre cannot meet itself"))
    await _registration(session, fair.id, asker, "fromCentreId")
    await _registration(session, fair.id, target, "toCentreId")
    checks.int_range(priority, "priority", 1, 5)
    await _about(session, viewer, proposal_id, (asker.id, target.id))
    if await repo.open_request_between(session, fair.id, asker.id, target.id):
        raise fail(Invalid("toCentreId", f"{asker.name} already asked {target.name}"))
    reverse = await repo.open_request_between(session, fair.id, target.id, asker.id)
    if reverse is not None:
        if reverse.status is m.MeetingRequestStatus.PENDING:
            _answer(reverse, True)
            await session.flush()
        return reverse
    request = m.FairMeetingRequest(
        fair_id=fair.id,
        kind=m.MeetingKind.ONE_TO_ONE,
        requester_id=asker.id,
        target_id=target.id,
        proposal_id=proposal_id,
        priority=priority,
        message=checks.text(message, "message", checks.MAX_TEXT),
        status=m.MeetingRequestStatus.PENDING,
    )
    session.add(request)
    await session.flush()
    return request


def _answer(request: m.FairMeetingRequest, accept: bool) -> None:
    request.status = m.MeetingRequestStatus.ACCEPTED if accept else m.MeetingRequestStatus.DECLINED
    request.responded_at = utcnow()


async def respond_to_meeting_request(
    session: AsyncSession, viewer: Viewer, request_id: int, accept: bool
) -> m.FairMeetingRequest:
    require_scope(viewer, SCOPE)
    request = (await repo.requests_by_ids(session, [request_id])).get(request_id)
    if request is None or (request.target_id is None and not viewer.is_staff):
        raise fail(Missing("No such meeting request.", "MeetingRequest", request_id))
    if request.target_id is None:
        raise fail(Invalid("requestId", "a consortium table needs no answer"))
    require_centre(viewer, request.target_id, "answer this request", SCOPE)
    if request.status is not m.MeetingRequestStatus.PENDING:
        raise fail(Invalid("requestId", f"the request is already {request.status.value}"))
    _answer(request, accept)
    await session.flush()
    return request


async def _consortium_members(
    session: AsyncSession, fair: m.Fair, proposal: m.Proposal, centre_ids: Sequence[int]
) -> list[int]:
    members = list(dict.fromkeys(centre_ids))
    if proposal.owner_id in members:
        raise fail(Invalid("centreIds", "the owner sits at the table anyway; do not list it"))
    if not 2 <= len(members) <= 7:
        raise fail(Invalid("centreIds", "a consortium table seats the owner and 2 to 7 centres"))
    registered = await repo.registered_centre_ids(session, fair.id)
    interests = (await proposals.interests_of(session, [proposal.id])).get(proposal.id, [])
    interested = {i.centre_id for i in interests if i.status is not m.InterestStatus.DECLINED}
    found = await centres.by_ids(session, members)  # one query for the whole table
    for centre_id in members:
        centre = found.get(centre_id)
        if centre is None:
            raise fail(Missing("A centre given does not exist.", "Centre", centre_id))
        if centre_id not in registered:
            raise fail(Invalid("centreIds", f"{centre.name} is not registered for this fair"))
        if centre_id not in interested:
            raise fail(Invalid("centreIds", f"{centre.name} has not shown interest in it"))
    tables = (await repo.tables_of(session, [fair.id])).get(fair.id, [])
    if not any(t.capacity >= len(members) + 1 for t in tables):
        raise fail(Invalid("centreIds", f"no table of this fair seats {len(members) + 1}"))
    return members


async def request_consortium_table(
    session: AsyncSession,
    viewer: Viewer,
    fair_id: int,
    proposal_id: int,
    centre_ids: Sequence[int],
    priority: int,
    message: str | None,
) -> m.FairMeetingRequest:
    """A proposal owner's group meeting with centres interested in the proposal. The members
    said they were interested, so the table is accepted at once (a member may cancel)."""
    require_scope(viewer, SCOPE)
    fair = await load_fair(session, fair_id)
    proposal = (await proposals.by_ids(session, [proposal_id], viewer)).get(proposal_id)
    if proposal is None:
        raise fail(Missing("No such proposal.", "Proposal", proposal_id))
    require_centre(viewer, proposal.owner_id, "ask for a table about this proposal", SCOPE)
    owner = await checks.centre(session, proposal.owner_id, "proposalId")
    await _registration(session, fair.id, owner, "proposalId")
    checks.int_range(priority, "priority", 1, 5)
    members = await _consortium_members(session, fair, proposal, centre_ids)
    request = m.FairMeetingRequest(
        fair_id=fair.id,
        kind=m.MeetingKind.CONSORTIUM,
        requester_id=owner.id,
        target_id=None,
        proposal_id=proposal.id,
        priority=priority,
        message=checks.text(message, "message", checks.MAX_TEXT),
        status=m.MeetingRequestStatus.ACCEPTED,
        responded_at=utcnow(),
    )
    session.add(request)
    await session.flush()
    await repo.add_members(session, request.id, members)
    return request


# --- scheduling -----------------------------------------------------------------------------


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


async def schedule_fair(session: AsyncSession, viewer: Viewer, fair_id: int) -> ScheduleRun:
    """Place every accepted request; published meetings stay where they are (locked)."""
    require_staff(viewer, "schedule the fair", SCOPE)
    fair = await load_fair(session, fair_id, lock=True)
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
    await session.flush()
    unplaced = len(result.unplaced) + len(loaded.not_registered)
    return ScheduleRun(fair, placed, unplaced, result.total_priority, len(result.idle_gaps))


async def publish_schedule(session: AsyncSession, viewer: Viewer, fair_id: int) -> m.Fair:
    """Publish the placed drafts: they reach the agendas and stay put in later runs."""
    require_staff(viewer, "publish the schedule", SCOPE)
    fair = await load_fair(session, fair_id, lock=True)
    if fair.scheduled_at is None:
        raise fail(Invalid("fairId", "schedule the fair before publishing"))
    await repo.publish_drafts(session, fair.id)
    await _schedule_changed(session, fair)
    return fair


async def _schedule_changed(session: AsyncSession, fair: m.Fair) -> None:
    version = await repo.bump_schedule_version(session, fair.id)
    await session.refresh(fair)
    await repo.notify_schedule_changed(session, fair.id, version)


async def cancel_meeting(session: AsyncSession, viewer: Viewer, meeting_id: int) -> m.FairMeeting:
    """Cancel a meeting (staff, or a centre taking part); its request is cancelled too, so
    later runs leave it out and its seats free up."""
    require_scope(viewer, SCOPE)
    meeting = (await repo.meetings_by_ids(session, [meeting_id])).get(meeting_id)
    request = (
        (await repo.requests_by_ids(session, [meeting.request_id])).get(meeting.request_id)
        if meeting
        else None
    )
    if meeting is None or request is None:
        raise fail(Missing("No such meeting.", "FairMeeting", meeting_id))
    ids = await participants(session, request)
    if not viewer.is_staff and viewer.centre_id not in ids:
        raise fail(Refused("Only centres taking part or ACCR staff may cancel this meeting."))
    if meeting.status is m.MeetingStatus.CANCELLED:
        raise fail(Invalid("meetingId", "the meeting is already cancelled"))
    was_published = meeting.status is m.MeetingStatus.PUBLISHED
    meeting.status = m.MeetingStatus.CANCELLED
    meeting.cancelled_at = utcnow()
    request.status = m.MeetingRequestStatus.CANCELLED
    await session.flush()
    if was_published:
        await _schedule_changed(session, await load_fair(session, meeting.fair_id))
    return meeting


# --- suggestions ----------------------------------------------------------------------------


class SuggestionSource(Protocol):
    async def for_centre(self, centre_id: int, first: int) -> list[Suggestion]: ...


async def suggested_meetings(
    session: AsyncSession,
    source: SuggestionSource,
    fair_id: int,
    centre_id: int,
    first: int,
) -> list[Suggestion]:
    """The matching engine's best partners for a centre among the centres registered for the
    fair, leaving out itself and centres it already asked or was asked by."""
    registered = await repo.registered_centre_ids(session, fair_id)
    if centre_id not in registered:
        return []
    skip = await repo.requested_partners(session, fair_id, centre_id) | {centre_id}
    wanted = registered - skip
    found = await source.for_centre(centre_id, min(len(registered) + len(skip) + first, 500))
    return [s for s in found if s.centre_id in wanted][:first]
