"""Independent check of a schedule against the hard rules, written from the plain model only.

It shares no code with the solvers, so the tests (and the service layer, for a schedule edited by
hand) get a second opinion: an empty list means every rule holds.
"""

from __future__ import annotations

from collections import Counter

from matching.fair.model import FairInstance, MeetingRequest, Schedule

LOCK_PREFIX = "locked placement rejected: "


def check_schedule(instance: FairInstance, schedule: Schedule) -> list[str]:
    problems = _coverage(instance, schedule)
    problems += _seating(instance, schedule)
    problems += _centres(instance, schedule)
    problems += _locks(instance, schedule)
    total = sum(m.priority for m in instance.meetings if m.id in schedule.placements)
    if abs(total - schedule.total_priority) > 1e-6 * max(1.0, total):
        problems.append(f"total_priority {schedule.total_priority} != {total}")
    return problems


def _coverage(instance: FairInstance, schedule: Schedule) -> list[str]:
    ids = {m.id for m in instance.meetings}
    placed, unplaced = set(schedule.placements), set(schedule.unplaced)
    out = [f"meeting {i} both placed and unplaced" for i in sorted(placed & unplaced)]
    out += [f"meeting {i} neither placed nor unplaced" for i in sorted(ids - placed - unplaced)]
    out += [f"unknown meeting {i}" for i in sorted((placed | unplaced) - ids)]
    out += [f"meeting {i} has an empty reason" for i, r in schedule.unplaced.items() if not r]
    return out


def _languages(instance: FairInstance, meeting: MeetingRequest) -> frozenset[str]:
    if meeting.languages is not None:
        return meeting.languages
    spoken = {a.centre_id: a.languages for a in instance.centres}
    return frozenset.intersection(*(spoken[c] for c in meeting.participants))


def _seating(instance: FairInstance, schedule: Schedule) -> list[str]:
    slots = {s.id for s in instance.slots}
    tables = {t.id: t for t in instance.tables}
    out: list[str] = []
    for m in instance.meetings:
        place = schedule.placements.get(m.id)
        if place is None:
            continue
        table = tables.get(place.table_id)
        if place.slot_id not in slots or table is None:
            out.append(f"meeting {m.id} placed at an unknown slot or table")
            continue
        if table.capacity < len(m.participants):
            out.append(f"meeting {m.id} does not fit table {table.id}")
        if table.language is not None and table.language not in _languages(instance, m):
            out.append(f"meeting {m.id} cannot speak {table.language} at table {table.id}")
    seats = Counter((p.slot_id, p.table_id) for p in schedule.placements.values())
    out += [f"table {t} double booked in slot {s}" for (s, t), n in seats.items() if n > 1]
    return out


def _centres(instance: FairInstance, schedule: Schedule) -> list[str]:
    attendees = {a.centre_id: a for a in instance.centres}
    busy: Counter[tuple[int, int]] = Counter()
    held: Counter[int] = Counter()
    out: list[str] = []
    for m in instance.meetings:
        place = schedule.placements.get(m.id)
        if place is None:
            continue
        for c in m.participants:
            busy[(c, place.slot_id)] += 1
            held[c] += 1
            if place.slot_id in attendees[c].unavailable:
                out.append(f"centre {c} is unavailable in slot {place.slot_id} (meeting {m.id})")
    out += [f"centre {c} double booked in slot {s}" for (c, s), n in busy.items() if n > 1]
    out += [
        f"centre {c} holds {n} meetings, above its maximum"
        for c, n in held.items()
        if n > attendees[c].max_meetings
    ]
    return out


def _locks(instance: FairInstance, schedule: Schedule) -> list[str]:
    out = []
    for m in instance.meetings:
        if m.locked is None:
            continue
        moved = m.id in schedule.placements and schedule.placements[m.id] != m.locked
        unexplained = m.id in schedule.unplaced and not schedule.unplaced[m.id].startswith(
            LOCK_PREFIX
        )
        if moved or unexplained:
            out.append(f"locked meeting {m.id} moved or dropped without a lock reason")
    return out
