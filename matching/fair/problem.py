"""The instance compiled to indices and bitsets, shared by the heuristic and the exact solver.

Slots become positions 0..S-1 in (day, index) order and sets of slots become Python ints used as
bitsets. Tables with the same capacity and language are interchangeable, so they are grouped into
classes: a meeting only needs a free table of a compatible class, the concrete table is chosen at
the end. Published (locked) placements are checked here once, so both solvers treat them alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matching.fair.model import Attendee, FairInstance, MeetingRequest, Placement, Table

LOCK_PREFIX = "locked placement rejected: "


@dataclass(frozen=True, slots=True)
class TableClass:
    capacity: int
    language: str | None
    table_ids: tuple[int, ...]  # ascending


@dataclass(frozen=True, slots=True)
class Fixed:
    """A locked meeting that keeps its published place."""

    pos: int
    klass: int
    table_id: int


def bits(mask: int) -> Iterable[int]:
    """Positions of the set bits, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class Problem:
    """Read-only, index-based view of a ``FairInstance``; input order never matters."""

    def __init__(self, instance: FairInstance) -> None:
        _check_ids(instance)
        if instance.max_idle < 0:
            raise ValueError("max_idle must be >= 0")
        self.max_idle = instance.max_idle
        self._index_slots(instance)
        self._index_centres(instance.centres)
        self._index_tables(instance.tables)
        self._index_meetings(instance.meetings)
        self._fix_locks(instance)

    def _index_slots(self, instance: FairInstance) -> None:
        ordered = sorted(instance.slots, key=lambda s: (s.day, s.index, s.id))
        self.slot_ids = [s.id for s in ordered]
        self.pos_of = {s.id: p for p, s in enumerate(ordered)}
        self.day_of = [s.day for s in ordered]
        self.n_slots = len(ordered)
        self.all_mask = (1 << self.n_slots) - 1
        self.day_mask = [0] * self.n_slots  # per position: the positions of its day
        for p in range(self.n_slots):
            for q in range(self.n_slots):
                if self.day_of[q] == self.day_of[p]:
                    self.day_mask[p] |= 1 << q

    def _index_centres(self, centres: Sequence[Attendee]) -> None:
        ordered = sorted(centres, key=lambda a: a.centre_id)
        self.centre_ids = [a.centre_id for a in ordered]
        self.cidx = {a.centre_id: i for i, a in enumerate(ordered)}
        self.cap = [a.max_meetings for a in ordered]
        self.langs = [a.languages for a in ordered]
        self.avail = [self._available(a) for a in ordered]
        if any(c < 0 for c in self.cap):
            raise ValueError("max_meetings must be >= 0")

    def _available(self, attendee: Attendee) -> int:
        unknown = attendee.unavailable - self.pos_of.keys()
        if unknown:
            raise ValueError(f"centre {attendee.centre_id}: unknown slots {sorted(unknown)}")
        mask = self.all_mask
        for slot_id in attendee.unavailable:
            mask &= ~(1 << self.pos_of[slot_id])
        return mask

    def _index_tables(self, tables: Sequence[Table]) -> None:
        groups: dict[tuple[int, str | None], list[int]] = {}
        for t in tables:
            if t.capacity < 1:
                raise ValueError(f"table {t.id}: capacity must be >= 1")
            groups.setdefault((t.capacity, t.language), []).append(t.id)
        keys = sorted(groups, key=lambda k: (k[0], k[1] is None, k[1] or ""))
        self.classes = [TableClass(c, lang, tuple(sorted(groups[(c, lang)]))) for c, lang in keys]
        self.class_size = [len(k.table_ids) for k in self.classes]
        self.class_of_table = {t: i for i, k in enumerate(self.classes) for t in k.table_ids}
        self.max_capacity = max((t.capacity for t in tables), default=0)

    def _index_meetings(self, meetings: Sequence[MeetingRequest]) -> None:
        ordered = sorted(meetings, key=lambda m: m.id)
        self.meeting_ids = [m.id for m in ordered]
        self.parts = [self._participants(m) for m in ordered]
        self.weight = [float(m.priority) for m in ordered]
        self.size = [len(p) for p in self.parts]
        self.languages = [self._languages(m) for m in ordered]
        self.compat = [self._compatible(i) for i in range(len(ordered))]
        self.common = [self._common(i) for i in range(len(ordered))]
        # Meetings fitting the same table classes are alike for table shuffles within a slot.
        self.kinds = sorted(set(self.compat))
        kind_of = {compat: i for i, compat in enumerate(self.kinds)}
        self.kind = [kind_of[compat] for compat in self.compat]
        self.reach = self._reach()
        self.locked: list[Placement | None] = [m.locked for m in ordered]
        self.by_centre: list[list[int]] = [[] for _ in self.centre_ids]
        for i, ps in enumerate(self.parts):
            for c in ps:
                self.by_centre[c].append(i)

    def _reach(self) -> list[int]:
        """Per kind: the classes a table shuffle could ever free for it (a bitset of classes).

        Class k leads to k2 when some kind fits both: a meeting at k could move to k2.
        """
        masks = [sum(1 << k for k in compat) for compat in self.kinds]
        step = [0] * len(self.classes)
        for mask in masks:
            for k in bits(mask):
                step[k] |= mask
        out: list[int] = []
        for mask in masks:
            closure = 0
            while closure != mask:
                closure = mask
                for k in bits(closure):
                    mask |= step[k]
            out.append(closure)
        return out

    def _participants(self, m: MeetingRequest) -> tuple[int, ...]:
        if not math.isfinite(m.priority) or m.priority <= 0:
            raise ValueError(f"meeting {m.id}: priority must be a positive number")
        if len(set(m.participants)) != len(m.participants) or len(m.participants) < 2:
            raise ValueError(f"meeting {m.id}: needs at least two distinct participants")
        missing = [c for c in m.participants if c not in self.cidx]
        if missing:
            raise ValueError(f"meeting {m.id}: centres {missing} are not registered")
        return tuple(sorted(self.cidx[c] for c in m.participants))

    def _languages(self, m: MeetingRequest) -> frozenset[str]:
        if m.languages is not None:
            return m.languages
        return frozenset.intersection(*(self.langs[self.cidx[c]] for c in m.participants))

    def _compatible(self, m: int) -> tuple[int, ...]:
        """Table classes the meeting fits, least versatile first so versatile tables stay free."""
        return tuple(
            k
            for k, tc in enumerate(self.classes)
            if tc.capacity >= self.size[m]
            and (tc.language is None or tc.language in self.languages[m])
        )

    def _common(self, m: int) -> int:
        mask = self.all_mask
        for c in self.parts[m]:
            mask &= self.avail[c]
        return mask

    def schedulable(self) -> list[int]:
        """Meetings the solvers may place: not locked, and not impossible whatever happens."""
        return [
            m
            for m in range(len(self.meeting_ids))
            if self.locked[m] is None and self.static_reason(m) is None
        ]

    def static_reason(self, m: int) -> str | None:
        """Why a meeting can never be held, whatever the rest of the schedule."""
        if self.max_capacity < self.size[m]:
            return f"no table with capacity {self.size[m]}"
        if not self.compat[m]:
            return "no table in a shared language"
        if not self.common[m]:
            return "no common free slot"
        return None

    def _fix_locks(self, instance: FairInstance) -> None:
        """Keep every published placement that is still valid; higher priority wins a clash."""
        self.fixed: dict[int, Fixed] = {}
        self.lock_reason: dict[int, str] = {}
        table_taken: dict[tuple[int, int], int] = {}
        centre_taken: dict[tuple[int, int], int] = {}
        held = [0] * len(self.centre_ids)
        locked = [i for i, p in enumerate(self.locked) if p is not None]
        for m in sorted(locked, key=lambda i: (-self.weight[i], self.meeting_ids[i])):
            reason = self._lock_problem(m, table_taken, centre_taken, held)
            if reason is not None:
                self.lock_reason[m] = LOCK_PREFIX + reason
                continue
            place = self.locked[m]
            assert place is not None
            pos = self.pos_of[place.slot_id]
            self.fixed[m] = Fixed(pos, self.class_of_table[place.table_id], place.table_id)
            table_taken[(pos, place.table_id)] = m
            for c in self.parts[m]:
                centre_taken[(pos, c)] = m
                held[c] += 1

    def _lock_problem(
        self,
        m: int,
        table_taken: dict[tuple[int, int], int],
        centre_taken: dict[tuple[int, int], int],
        held: list[int],
    ) -> str | None:
        place = self.locked[m]
        assert place is not None
        if place.slot_id not in self.pos_of:
            return f"slot {place.slot_id} does not exist"
        if place.table_id not in self.class_of_table:
            return f"table {place.table_id} does not exist"
        pos = self.pos_of[place.slot_id]
        if (pos, place.table_id) in table_taken:
            other = self.meeting_ids[table_taken[(pos, place.table_id)]]
            return f"table {place.table_id} in slot {place.slot_id} is locked for meeting {other}"
        return self._table_problem(m, place.table_id) or self._centre_problem(
            m, place.slot_id, centre_taken, held
        )

    def _table_problem(self, m: int, table_id: int) -> str | None:
        table = self.classes[self.class_of_table[table_id]]
        if table.capacity < self.size[m]:
            return f"table {table_id} seats {table.capacity}, not {self.size[m]}"
        if table.language is not None and table.language not in self.languages[m]:
            return f"table {table_id} is in {table.language!r}, not a shared language"
        return None

    def _centre_problem(
        self, m: int, slot_id: int, centre_taken: dict[tuple[int, int], int], held: list[int]
    ) -> str | None:
        pos = self.pos_of[slot_id]
        for c in self.parts[m]:
            centre = self.centre_ids[c]
            if not self.avail[c] >> pos & 1:
                return f"centre {centre} is unavailable in slot {slot_id}"
            if (pos, c) in centre_taken:
                other = self.meeting_ids[centre_taken[(pos, c)]]
                return f"centre {centre} is in locked meeting {other} in slot {slot_id}"
            if held[c] >= self.cap[c]:
                return f"centre {centre} reached its maximum of {self.cap[c]} meetings"
        return None


def _check_ids(instance: FairInstance) -> None:
    for what, ids in (
        ("slot", [s.id for s in instance.slots]),
        ("table", [t.id for t in instance.tables]),
        ("centre", [a.centre_id for a in instance.centres]),
        ("meeting", [m.id for m in instance.meetings]),
    ):
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {what} ids")
