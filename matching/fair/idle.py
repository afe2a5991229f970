"""Idle-time repair: move meetings so that nobody waits more than ``max_idle`` slots in a row.

Waiting is soft: the repair never drops or adds a meeting, it only moves movable meetings to other
free (slot, table) spots, or swapping a meeting into a slot whose one blocking meeting moves
elsewhere, when that strictly lowers the total waiting above ``max_idle`` of the centres concerned.
Every accepted move lowers an integer total, so the pass ends; at the end no such move can lower it
further (a local optimum, not a global one).
"""

from __future__ import annotations

from matching.fair.board import Board
from matching.fair.problem import bits


def repair_idle(board: Board) -> bool:
    """Move meetings until no single move lowers the waiting; True if anything moved."""
    moved_any = False
    while True:
        moved = False
        for c in _waiting_centres(board):
            for m in _movable_meetings(board, c):
                moved |= _move_if_better(board, m) or _swap_if_better(board, m)
        board.commit()
        if not moved:
            return moved_any
        moved_any = True


def _waiting_centres(board: Board) -> list[int]:
    return [c for c in range(len(board.busy)) if board.centre_excess(c) > 0]


def _movable_meetings(board: Board, c: int) -> list[int]:
    at, fixed = board.at[c], board.p.fixed
    return [m for m in at if m >= 0 and m not in fixed]


def _move_if_better(board: Board, m: int) -> bool:
    """Move m to the free spot that lowers its participants' waiting the most, if any does."""
    parts = board.p.parts[m]
    if board.where[m] is None:
        return False
    before = sum(board.centre_excess(c) for c in parts)
    mark = board.mark()
    old_pos, _ = board.remove(m)
    after_removal = sum(board.centre_excess(c) for c in parts)
    best: tuple[int, int] | None = None
    for pos in bits(board.free_mask(m) & board.table_mask(m) & ~(1 << old_pos)):
        cost = after_removal + board.spot_cost(m, pos)
        if cost < before and (best is None or (cost, pos) < best):
            best = (cost, pos)
    if best is None:
        board.undo(mark)
        return False
    pos = best[1]
    board.place(m, pos, board.choose(m, 1 << pos)[1])
    return True


def _swap_if_better(board: Board, m: int) -> bool:
    """Move m to a slot held up by one other meeting, which moves to its best free spot."""
    p = board.p
    spot = board.where[m]
    if spot is None:
        return False
    for pos in bits(p.common[m] & ~(1 << spot[0])):
        blockers = {board.at[c][pos] for c in p.parts[m]} - {-1}
        if len(blockers) != 1:
            continue
        (other,) = blockers
        if other in p.fixed:
            continue
        if _try_swap(board, m, other, pos):
            return True
    return False


def _try_swap(board: Board, m: int, other: int, pos: int) -> bool:
    centres = set(board.p.parts[m]) | set(board.p.parts[other])
    before = sum(board.centre_excess(c) for c in centres)
    mark = board.mark()
    board.remove(m)
    board.remove(other)
    k = board.free_class(m, pos)
    if k < 0:
        board.undo(mark)
        return False
    board.place(m, pos, k)
    if board.try_place(other) and sum(board.centre_excess(c) for c in centres) < before:
        return True
    board.undo(mark)
    return False
