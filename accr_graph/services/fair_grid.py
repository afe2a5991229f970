"""Changing a fair's grid after it was created (staff): add or remove a time slot, add or
remove a table.

Published meetings are what centres already hold in their agendas, so a slot or table that
carries one cannot be removed (cancel the meeting first). Draft placements in a removed slot or
table are unplaced with a reason (the next scheduler run places them again). Every writer locks
the fair's row first, like the other fair use cases.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import fair as repo
from accr_graph.services import checks
from accr_graph.services.errors import Invalid, Missing, fail
from accr_graph.services.fair_common import SCOPE, load_fair
from accr_graph.services.fair_editions import MAX_SLOTS_PER_DAY, MAX_TABLES, TableSpec
from accr_graph.services.meeting_times import to_utc
from accr_graph.services.permissions import require_staff
from accr_graph.services.uow import Actor, Database, UnitOfWork, unit_of_work

# Positions are renumbered through this offset so the (fair, day, position) unique constraint
# never sees two slots at the same place in the middle of the change.
_SHIFT = 1000


async def _locked_fair(uow: UnitOfWork, fair_id: int, what: str) -> m.Fair:
    require_staff(uow.viewer, what, SCOPE)
    return await load_fair(uow.session, fair_id, lock=True)


def _day_date(fair: m.Fair, day: int) -> date:
    if not 0 <= day < len(fair.days):
        raise fail(Invalid("day", "choose one of the fair's days"))
    return date.fromisoformat(fair.days[day])


async def add_slot(
    db: Database, actor: Actor, fair_id: int, day: int, start: time, minutes: int
) -> m.FairSlot:
    """A new slot on one of the fair's days, at a local start time of the venue; the day's
    slots are numbered again in time order."""
    async with unit_of_work(db, actor, "addFairSlot") as uow:
        fair = await _locked_fair(uow, fair_id, "change the fair's slots")
        checks.int_range(minutes, "minutes", 5, 240)
        zone = ZoneInfo(fair.timezone)
        starts = to_utc(datetime.combine(_day_date(fair, day), start), zone, "start")
        slot = m.FairSlot(
            fair_id=fair.id,
            day=day,
            position=0,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
        )
        same_day = [s for s in await _slots(uow.session, fair.id) if s.day == day]
        _check_free(slot, same_day, zone)
        await _insert_in_order(uow.session, slot, same_day)
        fair.updated_at = utcnow()
        uow.changed(slot, ["fairId", "day", "start", "minutes"])
    return slot


async def _slots(session: AsyncSession, fair_id: int) -> list[m.FairSlot]:
    return (await repo.slots_of(session, [fair_id])).get(fair_id, [])


def _check_free(slot: m.FairSlot, same_day: list[m.FairSlot], zone: ZoneInfo) -> None:
    if len(same_day) >= MAX_SLOTS_PER_DAY:
        raise fail(Invalid("start", f"a day has at most {MAX_SLOTS_PER_DAY} slots"))
    for other in same_day:
        if other.starts_at < slot.ends_at and slot.starts_at < other.ends_at:
            begins = other.starts_at.astimezone(zone)
            ends = other.ends_at.astimezone(zone)
            raise fail(Invalid("start", f"overlaps the slot {begins:%H:%M}-{ends:%H:%M}"))


async def _insert_in_order(
    session: AsyncSession, slot: m.FairSlot, same_day: list[m.FairSlot]
) -> None:
    for other in same_day:
        other.position += _SHIFT
    session.add(slot)
    slot.position = _SHIFT * 2  # out of the way until the final numbering
    await session.flush()
    for position, each in enumerate(sorted([*same_day, slot], key=lambda s: s.starts_at)):
        each.position = position
    await session.flush()


async def _held_here(
    session: AsyncSession, fair_id: int, *, slot_id: int | None = None, table_id: int | None = None
) -> list[m.FairMeeting]:
    """The fair's meetings placed in this slot (or at this table), cancelled ones left out."""
    found = await repo.meetings_by_request(session, fair_id)
    return [
        row
        for row in found.values()
        if row.status is not m.MeetingStatus.CANCELLED
        and (
            (slot_id is not None and row.slot_id == slot_id)
            or (table_id is not None and row.table_id == table_id)
        )
    ]


def _unplace(rows: list[m.FairMeeting], field: str, reason: str) -> None:
    """Drafts lose their place; a published meeting blocks the removal."""
    if any(r.status is m.MeetingStatus.PUBLISHED for r in rows):
        raise fail(
            Invalid(field, "a published meeting is held here; cancel it before removing this")
        )
    for row in rows:
        row.slot_id = row.table_id = None
        row.reason = reason


async def remove_slot(db: Database, actor: Actor, fair_id: int, slot_id: int) -> m.FairSlot:
    async with unit_of_work(db, actor, "removeFairSlot") as uow:
        fair = await _locked_fair(uow, fair_id, "change the fair's slots")
        slots = await _slots(uow.session, fair.id)
        slot = next((s for s in slots if s.id == slot_id), None)
        if slot is None:
            raise fail(Missing("No such slot in this fair.", "FairSlot", slot_id))
        if sum(s.day == slot.day for s in slots) == 1:
            raise fail(Invalid("slotId", "a day keeps at least one slot"))
        held = await _held_here(uow.session, fair.id, slot_id=slot.id)
        _unplace(held, "slotId", f"slot {slot.id} was removed; run the scheduler again")
        await _forget_unavailability(uow.session, fair.id, slot.id)
        await uow.session.delete(slot)
        fair.updated_at = utcnow()
        uow.changed(slot, ["fairId", "slotId"])
    return slot


async def _forget_unavailability(session: AsyncSession, fair_id: int, slot_id: int) -> None:
    """Registrations that marked the slot unavailable no longer name a slot that is gone."""
    for row in (await repo.registrations_of(session, [fair_id])).get(fair_id, []):
        if slot_id in row.unavailable_slot_ids:
            row.unavailable_slot_ids = [s for s in row.unavailable_slot_ids if s != slot_id]


async def add_table(db: Database, actor: Actor, fair_id: int, spec: TableSpec) -> m.FairTable:
    async with unit_of_work(db, actor, "addFairTable") as uow:
        fair = await _locked_fair(uow, fair_id, "change the fair's tables")
        tables = (await repo.tables_of(uow.session, [fair.id])).get(fair.id, [])
        if len(tables) >= MAX_TABLES:
            raise fail(Invalid("name", f"a fair has at most {MAX_TABLES} tables"))
        name = checks.text(spec.name, "name", 80, required=True)
        if any(t.name == name for t in tables):
            raise fail(Invalid("name", "another table of this fair has this name"))
        checks.int_range(spec.capacity, "capacity", 2, 8)
        language = checks.languages([spec.language], "language")[0] if spec.language else None
        table = m.FairTable(fair_id=fair.id, name=name, capacity=spec.capacity, language=language)
        uow.session.add(table)
        await uow.session.flush()
        fair.updated_at = utcnow()
        uow.changed(table, ["fairId", "name", "capacity", *(["language"] if language else [])])
    return table


async def remove_table(db: Database, actor: Actor, fair_id: int, table_id: int) -> m.FairTable:
    async with unit_of_work(db, actor, "removeFairTable") as uow:
        fair = await _locked_fair(uow, fair_id, "change the fair's tables")
        tables = (await repo.tables_of(uow.session, [fair.id])).get(fair.id, [])
        table = next((t for t in tables if t.id == table_id), None)
        if table is None:
            raise fail(Missing("No such table in this fair.", "FairTable", table_id))
        if len(tables) == 1:
            raise fail(Invalid("tableId", "a fair keeps at least one table"))
        held = await _held_here(uow.session, fair.id, table_id=table.id)
        _unplace(held, "tableId", f"table {table.id} was removed; run the scheduler again")
        await uow.session.delete(table)
        fair.updated_at = utcnow()
        uow.changed(table, ["fairId", "tableId"])
    return table
