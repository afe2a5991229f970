"""Local search on top of the greedy: insert by relocating blockers, and exchange moves.

Every move is tried on the board and rolled back unless it raises the total priority, so the
value only ever increases and the search ends. Work is bounded by counts, never by the clock,
so the same input always gives the same schedule.
"""

from __future__ import annotations

from itertools import islice

from matching.fair.board import Board
from matching.fair.problem import bits

EPS = 1e-9
CANDIDATES = 12  # unplaced meetings tried per exchange: bounds the work per move


class Search:
    def __init__(self, board: Board, order: list[int], budget: int) -> None:
        self.board = board
        self.p = board.p
        self.order = order  # greedy order: the order in which unplaced meetings are retried
        self.rank = {m: i for i, m in enumerate(order)}
        self.budget = budget  # insertion attempts left; moves stop when it runs out

    def unplaced(self) -> list[int]:
        return [m for m in self.order if self.board.where[m] is None]

    def run(self) -> None:
        """Alternate insertion and exchange rounds until neither gains or the budget is spent."""
        gained = True
        while gained and self.budget > 0:
            gained = self.insert_round()
            gained |= self.exchange_round()

    def fill(self) -> bool:
        """Place whatever fits without moving anyone; True if anything was placed."""
        placed = [m for m in self.unplaced() if self.board.try_place(m)]
        self.board.commit()
        return bool(placed)

    # -- insert an unplaced meeting by moving the meetings in its way ---------------------------

    def insert_round(self) -> bool:
        gained = False
        for m in self.unplaced():
            if self.budget <= 0:
                break
            if self.board.where[m] is None and self.insert(m):
                self.board.commit()
                gained = True
        return gained

    def insert(self, m: int) -> bool:
        """Place m, moving other meetings to other slots if needed; nobody is dropped."""
        board = self.board
        self.budget -= 1
        if board.try_place(m):
            return True
        if not board.under_cap(m):
            return False
        for pos in bits(self.p.common[m]):
            mark = board.mark()
            if self._insert_at(m, pos):
                return True
            board.undo(mark)
        return False

    def _insert_at(self, m: int, pos: int) -> bool:
        """Hold m at pos: move its participants' meetings there, and a table's if needed."""
        board, p = self.board, self.p
        blockers = sorted({board.at[c][pos] for c in p.parts[m]} - {-1})
        if any(b in p.fixed for b in blockers):
            return False
        for b in blockers:
            board.remove(b)
        if not self._seat(m, pos):
            return False
        return all(board.try_place(b) for b in blockers)

    def _seat(self, m: int, pos: int) -> bool:
        """Give m a table at pos, relocating one meeting off a compatible table if all are taken."""
        board = self.board
        k = board.free_class(m, pos)
        if k >= 0:
            board.place(m, pos, k)
            return True
        if board.augment(m, pos):
            return True
        for k in self.p.compat[m]:
            for x in board.seated(pos, k):
                if not board.free_mask(x) & board.table_mask(x):
                    continue  # x has no free spot elsewhere (table shuffles aside)
                mark = board.mark()
                board.remove(x)
                board.place(m, pos, k)
                if board.try_place(x):
                    return True
                board.undo(mark)
        return False

    # -- drop one placed meeting for several unplaced ones worth more ---------------------------

    def exchange_round(self) -> bool:
        gained = False
        placed = [m for m in self.order if self.board.where[m] is not None]
        placed.sort(key=lambda m: (self.p.weight[m], -self.rank[m]))
        for b in placed:
            if self.budget <= 0:
                break
            if self.board.where[b] is not None and self.exchange(b):
                gained = True
        return gained

    def exchange(self, b: int) -> bool:
        board, p = self.board, self.p
        spot = board.where[b]
        assert spot is not None
        pos, k = spot
        capped = [c for c in p.parts[b] if board.count[c] >= p.cap[c]]
        table_full = not board.open[k] >> pos & 1
        mark, before = board.mark(), board.value
        board.remove(b)
        candidates = self._candidates(b, pos, k, capped, table_full)
        if self._gain_bound(b, candidates) <= p.weight[b] + EPS:
            board.undo(mark)
            return False
        for u in candidates:
            if board.where[u] is None:
                self.insert(u)
        if board.value > before + EPS:
            board.commit()
            return True
        board.undo(mark)
        return False

    def _gain_bound(self, b: int, candidates: list[int]) -> float:
        """Most the candidates can bring: b frees one meeting per participant, and one table."""
        p = self.p
        best = dict.fromkeys(p.parts[b], 0.0)
        table = 0.0
        for u in candidates:
            shared = [c for c in p.parts[u] if c in best]
            for c in shared:
                best[c] = max(best[c], p.weight[u])
            if not shared:
                table = max(table, p.weight[u])
        return sum(best.values()) + table

    def _candidates(
        self, b: int, pos: int, k: int, capped: list[int], table_full: bool
    ) -> list[int]:
        """Unplaced meetings that b's removal may let in, best first, at most ``CANDIDATES``.

        A centre at its cap frees a meeting anywhere; otherwise b only frees the centre's slot
        ``pos``, and its table there if all tables of that class were taken.
        """
        p, board = self.p, self.board
        bit = 1 << pos
        found: set[int] = set()
        for c in p.parts[b]:
            anywhere = c in capped
            found.update(
                u
                for u in p.by_centre[c]
                if board.where[u] is None and (anywhere or p.common[u] & bit) and u in self.rank
            )
        if table_full:
            seats = (
                u
                for u in self.order
                if board.where[u] is None and k in p.compat[u] and board.free_mask(u) & bit
            )
            found.update(islice(seats, CANDIDATES))
        found.discard(b)
        return sorted(found, key=self.rank.__getitem__)[:CANDIDATES]
