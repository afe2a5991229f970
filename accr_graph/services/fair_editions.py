"""Fair editions (slot grid, tables, opening registration) and centres' registrations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import centres, proposals
from accr_graph.repositories import fair as repo
from accr_graph.services import checks
from accr_graph.services.errors import Invalid, Missing, Refused, fail
from accr_graph.services.fair_common import SCOPE, load_fair
from accr_graph.services.fields import named
from accr_graph.services.permissions import require_centre, require_scope, require_staff
from accr_graph.services.uow import Actor, Database, UnitOfWork, unit_of_work
from accr_graph.viewer import Viewer

MAX_DAYS = 10
MAX_SLOTS_PER_DAY = 40
MAX_TABLES = 500


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


async def create_fair(db: Database, actor: Actor, spec: FairSpec) -> m.Fair:
    async with unit_of_work(db, actor, "createFair") as uow:
        require_staff(uow.viewer, "create fairs", SCOPE)
        fair = await build_fair(uow.session, spec)
        uow.changed(fair, _spec_fields(spec))
        await _registration_opened(uow, fair)
    return fair


async def build_fair(session: AsyncSession, spec: FairSpec) -> m.Fair:
    """The edition with its slots and tables, checked and added to the session (flushed)."""
    fair = await _new_fair(session, spec)
    session.add(fair)
    await session.flush()
    for index, day in enumerate(spec.days):
        session.add_all(_day_slots(fair.id, index, day, _zone(spec.timezone)))
    session.add_all(_tables(fair.id, spec.tables))
    await session.flush()
    return fair


def _spec_fields(spec: FairSpec) -> list[str]:
    optional = named(host_centre_id=spec.host_centre_id, venue=spec.venue)
    return ["name", "year", *optional, "timezone", "maxIdle", "days", "tables"]


async def _new_fair(session: AsyncSession, spec: FairSpec) -> m.Fair:
    name = checks.text(spec.name, "name", 200, required=True)
    checks.int_range(spec.year, "year", 2000, 2100)
    checks.int_range(spec.max_idle, "maxIdle", 0, MAX_SLOTS_PER_DAY)
    _zone(spec.timezone)
    _check_days(spec.days, spec.year)
    if spec.host_centre_id is not None:
        await checks.centre(session, spec.host_centre_id, "hostCentreId")
    return m.Fair(
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


async def _registration_opened(uow: UnitOfWork, fair: m.Fair) -> None:
    """Every centre may register: each is told (the notifications pick who reads it)."""
    everyone = await centres.all_ids(uow.session)
    uow.emit("fair.registration.opened", fair, centre_ids=everyone, payload={"fair_id": fair.id})


async def set_registration_open(db: Database, actor: Actor, fair_id: int, is_open: bool) -> m.Fair:
    async with unit_of_work(db, actor, "setFairRegistrationOpen") as uow:
        require_staff(uow.viewer, "open or close registration", SCOPE)
        fair = await load_fair(uow.session, fair_id, lock=True)
        was_open = fair.registration_open
        fair.registration_open = is_open
        fair.updated_at = utcnow()
        uow.changed(fair, ["fairId", "open"])
        if is_open and not was_open:
            await _registration_opened(uow, fair)
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


async def _presented(
    session: AsyncSession, viewer: Viewer, centre_id: int, ids: Sequence[int]
) -> list[int]:
    # Looked up as the caller sees them: another centre's draft is missing, like a wrong ID.
    found = await proposals.by_ids(session, list(ids), viewer)
    for proposal_id in ids:
        proposal = found.get(proposal_id)
        if proposal is None:
            raise fail(Missing("A proposal given does not exist.", "Proposal", proposal_id))
        if proposal.owner_id != centre_id:
            raise fail(Invalid("proposalIds", "a centre presents its own proposals only"))
    return list(dict.fromkeys(ids))


async def register_for_fair(
    db: Database, actor: Actor, fair_id: int, centre_id: int | None, spec: RegistrationSpec
) -> m.FairRegistration:
    """Register a centre, or update its registration (one per centre and fair). The fair's row
    is locked, so two first registrations at once end as one registration, updated twice."""
    async with unit_of_work(db, actor, "registerForFair") as uow:
        viewer, session = uow.viewer, uow.session
        require_scope(viewer, SCOPE)
        fair = await load_fair(session, fair_id, lock=True)
        centre = await checks.acting_centre(session, viewer, centre_id, "centreId")
        require_centre(viewer, centre.id, "register it", SCOPE)
        if not fair.registration_open and not viewer.is_staff:
            raise fail(Refused("Registration for this fair is closed; ask ACCR staff."))
        row = await repo.registration_of(session, fair.id, centre.id)
        if row is None:
            row = m.FairRegistration(fair_id=fair.id, centre_id=centre.id)
            session.add(row)
        await _fill(session, viewer, fair, centre, row, spec)
        uow.changed(row, ["fairId", *named(centre_id=centre_id), *_registration_fields(spec)])
    return row


def _registration_fields(spec: RegistrationSpec) -> list[str]:
    optional = named(languages=spec.languages, max_meetings=spec.max_meetings)
    slots = ["unavailableSlotIds"] if spec.unavailable_slot_ids else []
    presented = ["proposalIds"] if spec.proposal_ids else []
    return ["representatives", *slots, *optional, *presented]


async def _fill(
    session: AsyncSession,
    viewer: Viewer,
    fair: m.Fair,
    centre: m.Centre,
    row: m.FairRegistration,
    spec: RegistrationSpec,
) -> None:
    slot_ids = {s.id for s in (await repo.slots_of(session, [fair.id])).get(fair.id, [])}
    languages = (
        checks.languages(spec.languages, "languages")
        if spec.languages is not None
        else list(centre.languages)
    )
    max_meetings = spec.max_meetings if spec.max_meetings is not None else len(slot_ids)
    checks.int_range(max_meetings, "maxMeetings", 1, max(1, len(slot_ids)))
    row.representatives = _representatives(spec.representatives)
    row.unavailable_slot_ids = _unavailable(slot_ids, spec.unavailable_slot_ids)
    row.languages = languages
    row.max_meetings = max_meetings
    row.proposal_ids = await _presented(session, viewer, centre.id, spec.proposal_ids)
    row.updated_at = utcnow()
