"""Mutable schedule state with undo, shared by the greedy, the local search and the reasons.

Every change goes through ``place``/``remove``, which log to a journal, so a local-search move can
be tried and rolled back exactly with ``undo``. Occupation is kept both as bitsets (fast "where
are all participants free" tests) and as tables (who blocks a centre in a slot).
"""

from __future__ import annotations

import math
from collections import deque
from itertools import pairwise

from matching.fair.model import IdleGap, Placement, Schedule
from matching.fair.problem import Problem, bits

Spot = tuple[int, int]  # (position, table class)


class Board:
    """Who sits where for one ``Problem``; locked meetings are placed at creation, never moved."""

    def __init__(self, problem: Problem) -> None:
        p = problem
        self.p = p
        n_centres, n_slots, n_classes = len(p.centre_ids), p.n_slots, len(p.classes)
        self.busy = [0] * n_centres  # positions where the centre is in a meeting
        self.count = [0] * n_centres
        self.at = [[-1] * n_slots for _ in range(n_centres)]  # meeting of a centre at a position
        self.used = [[0] * n_classes for _ in range(n_slots)]
        # Movable meetings per position, class and kind (see Problem.kinds); dicts keep a
        # deterministic insertion order.
        self.members: list[list[dict[int, dict[int, None]]]] = [
            [{} for _ in range(n_classes)] for _ in range(n_slots)
        ]
        self.open = [p.all_mask if size else 0 for size in p.class_size]  # free table somewhere
        every_class = sum(1 << k for k, size in enumerate(p.class_size) if size)
        self.open_classes = [every_class] * n_slots  # per position: classes with a free table
        # Table shuffles that failed, per (kind, position), with the position's version then:
        # the same search on an unchanged position fails again, so it is skipped.
        self.version = [0] * n_slots
        self.stuck: dict[tuple[int, int], int] = {}
        self.where: list[Spot | None] = [None] * len(p.meeting_ids)
        self.value = 0.0
        self.journal: list[tuple[int, int, int]] = []  # (meeting, pos, class); pos -1: was placed
        for m, f in sorted(p.fixed.items()):
            self._put(m, f.pos, f.klass)

    # -- elementary changes -------------------------------------------------------------------

    def _put(self, m: int, pos: int, k: int) -> None:
        bit = 1 << pos
        self.version[pos] += 1
        for c in self.p.parts[m]:
            self.busy[c] |= bit
            self.count[c] += 1
            self.at[c][pos] = m
        self.used[pos][k] += 1
        if self.used[pos][k] >= self.p.class_size[k]:
            self.open[k] &= ~bit
            self.open_classes[pos] &= ~(1 << k)
        if m not in self.p.fixed:
            self.members[pos][k].setdefault(self.p.kind[m], {})[m] = None
        self.where[m] = (pos, k)
        self.value += self.p.weight[m]

    def _take(self, m: int) -> Spot:
        spot = self.where[m]
        assert spot is not None and m not in self.p.fixed
        pos, k = spot
        self.version[pos] += 1
        for c in self.p.parts[m]:
            self.busy[c] &= ~(1 << pos)
            self.count[c] -= 1
            self.at[c][pos] = -1
        self.used[pos][k] -= 1
        self.open[k] |= 1 << pos
        self.open_classes[pos] |= 1 << k
        alike = self.members[pos][k][self.p.kind[m]]
        del alike[m]
        if not alike:
            del self.members[pos][k][self.p.kind[m]]
        self.where[m] = None
        self.value -= self.p.weight[m]
        return spot

    def place(self, m: int, pos: int, k: int) -> None:
        self._put(m, pos, k)
        self.journal.append((m, -1, -1))

    def remove(self, m: int) -> Spot:
        pos, k = self._take(m)
        self.journal.append((m, pos, k))
        return pos, k

    def mark(self) -> int:
        return len(self.journal)

    def undo(self, mark: int) -> None:
        while len(self.journal) > mark:
            m, pos, k = self.journal.pop()
            if pos < 0:
                self._take(m)
            else:
                self._put(m, pos, k)

    def commit(self) -> None:
        """Forget the journal: the changes so far are final."""
        self.journal.clear()

    # -- queries --------------------------------------------------------------------------------

    def seated(self, pos: int, k: int) -> list[int]:
        """Movable meetings at a class-k table at ``pos``."""
        return [m for alike in self.members[pos][k].values() for m in alike]

    def under_cap(self, m: int) -> bool:
        return all(self.count[c] < self.p.cap[c] for c in self.p.parts[m])

    def free_mask(self, m: int) -> int:
        """Positions where every participant is available and not in another meeting."""
        mask = self.p.common[m]
        for c in self.p.parts[m]:
            mask &= ~self.busy[c]
        return mask

    def table_mask(self, m: int) -> int:
        mask = 0
        for k in self.p.compat[m]:
            mask |= self.open[k]
        return mask

    def free_class(self, m: int, pos: int) -> int:
        for k in self.p.compat[m]:
            if self.open[k] >> pos & 1:
                return k
        return -1

    def excess_delta(self, c: int, pos: int) -> int:
        """Change in centre c's waiting above max_idle if it got a meeting at ``pos``."""
        p = self.p
        day = self.busy[c] & p.day_mask[pos]
        if not day:
            return 0
        below = day & ((1 << pos) - 1)
        above = day >> (pos + 1)
        prev = below.bit_length() - 1 if below else -1
        nxt = pos + (above & -above).bit_length() if above else -1
        if prev >= 0 and nxt >= 0:
            whole = self._excess(c, prev, nxt)
            return self._excess(c, prev, pos) + self._excess(c, pos, nxt) - whole
        if prev >= 0:
            return self._excess(c, prev, pos)
        return self._excess(c, pos, nxt)

    def idle_between(self, c: int, a: int, b: int) -> int:
        """Slots centre c waits between meetings at a < b; slots it is away don't count."""
        return (self.p.avail[c] & ((1 << b) - (1 << (a + 1)))).bit_count()

    def _excess(self, c: int, a: int, b: int) -> int:
        return max(0, self.idle_between(c, a, b) - self.p.max_idle)

    def centre_excess(self, c: int) -> int:
        """Waiting above max_idle of centre c, summed over its days."""
        day_of = self.p.day_of
        return sum(
            self._excess(c, a, b) for a, b in pairwise(bits(self.busy[c])) if day_of[a] == day_of[b]
        )

    def spot_cost(self, m: int, pos: int) -> int:
        return sum(self.excess_delta(c, pos) for c in self.p.parts[m])

    def choose(self, m: int, mask: int) -> Spot:
        """The spot adding the least waiting, then leaving the most versatile tables free."""
        best: tuple[int, int, int, int] | None = None
        for pos in bits(mask):
            rank, k = next(
                (r, k) for r, k in enumerate(self.p.compat[m]) if self.open[k] >> pos & 1
            )
            key = (self.spot_cost(m, pos), rank, pos, k)
            if best is None or key < best:
                best = key
        if best is None:
            raise ValueError("no free spot in mask")
        return best[2], best[3]

    # -- placing --------------------------------------------------------------------------------

    def try_place(self, m: int) -> bool:
        """Place m without moving anyone to another slot (tables within a slot may be swapped)."""
        if not self.under_cap(m):
            return False
        free = self.free_mask(m)
        if not free:
            return False
        direct = free & self.table_mask(m)
        if direct:
            self.place(m, *self.choose(m, direct))
            return True
        return any(self.augment(m, pos) for pos in bits(free))

    def augment(self, m: int, pos: int) -> bool:
        """Seat m at ``pos`` by shifting meetings there between table classes, if that helps."""
        p = self.p
        key = (p.kind[m], pos)
        if not self.open_classes[pos] & p.reach[key[0]] or self.stuck.get(key) == self.version[pos]:
            return False
        if self._shuffle(m, pos):
            return True
        self.stuck[key] = self.version[pos]
        return False

    def _shuffle(self, m: int, pos: int) -> bool:
        """Breadth-first search over classes: an edge k -> k2 exists when a movable meeting at a
        class-k table also fits class k2. A path ending at a class with a free table is an
        augmenting path of the slot's meeting/table matching. One meeting per kind is enough.
        """
        p = self.p
        parent: dict[int, tuple[int, int]] = {}  # class -> (meeting to move into it, its class)
        seen = set(p.compat[m])
        queue = deque(p.compat[m])
        while queue:
            k = queue.popleft()
            for kind, alike in self.members[pos][k].items():
                x = next(iter(alike))
                for k2 in p.kinds[kind]:
                    if k2 in seen:
                        continue
                    seen.add(k2)
                    parent[k2] = (x, k)
                    if self.used[pos][k2] < p.class_size[k2]:
                        self.place(m, pos, self._shift(pos, k2, parent))
                        return True
                    queue.append(k2)
        return False

    def _shift(self, pos: int, target: int, parent: dict[int, tuple[int, int]]) -> int:
        """Move meetings along the path ending at ``target``; return the class left free."""
        while target in parent:
            x, source = parent[target]
            self.remove(x)
            self.place(x, pos, target)
            target = source
        return target

    # -- answer ---------------------------------------------------------------------------------

    def reason(self, m: int) -> str:
        """Why an unplaced meeting is not held, in the current state."""
        p = self.p
        if m in p.lock_reason:
            return p.lock_reason[m]
        static = p.static_reason(m)
        if static is not None:
            return static
        for c in p.parts[m]:
            if self.count[c] >= p.cap[c]:
                return f"centre {p.centre_ids[c]} reached its maximum of {p.cap[c]} meetings"
        if not self.free_mask(m):
            return "all common free slots are taken"
        mark = self.mark()
        placeable = self.try_place(m)
        self.undo(mark)
        if placeable:
            return "left out by the solver although it fits"
        return "all suitable tables are taken in the common free slots"

    def idle_gaps(self) -> list[IdleGap]:
        p, gaps = self.p, []
        for c, busy in enumerate(self.busy):
            for a, b in pairwise(bits(busy)):
                idle = self.idle_between(c, a, b)
                if p.day_of[a] == p.day_of[b] and idle > p.max_idle:
                    slot_a, slot_b = p.slot_ids[a], p.slot_ids[b]
                    gaps.append(IdleGap(p.centre_ids[c], p.day_of[a], slot_a, slot_b, idle))
        return gaps

    def to_schedule(self) -> Schedule:
        p = self.p
        unplaced = {p.meeting_ids[m]: self.reason(m) for m, s in enumerate(self.where) if s is None}
        total = math.fsum(p.weight[m] for m, s in enumerate(self.where) if s is not None)
        return Schedule(self._placements(), unplaced, total, tuple(self.idle_gaps()))

    def _placements(self) -> dict[int, Placement]:
        """Concrete tables: locked meetings keep theirs, the others take the rest in id order."""
        p, out = self.p, {}
        for m, f in p.fixed.items():
            out[p.meeting_ids[m]] = Placement(p.slot_ids[f.pos], f.table_id)
        for pos in range(p.n_slots):
            for k, tc in enumerate(p.classes):
                taken = {f.table_id for f in p.fixed.values() if (f.pos, f.klass) == (pos, k)}
                free = [t for t in tc.table_ids if t not in taken]
                for m, t in zip(sorted(self.seated(pos, k)), free, strict=False):
                    out[p.meeting_ids[m]] = Placement(p.slot_ids[pos], t)
        return dict(sorted(out.items()))
