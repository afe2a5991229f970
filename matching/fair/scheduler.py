"""The Project Fair scheduler: a guided greedy, local search, then an idle-time repair."""

from __future__ import annotations

from matching.fair.board import Board
from matching.fair.idle import repair_idle
from matching.fair.model import FairInstance, Schedule
from matching.fair.problem import Problem
from matching.fair.relax import relaxation_bound, relaxed_values
from matching.fair.search import Search

# Insertion attempts of the local search per schedulable meeting. A count, not a clock, so the
# answer never depends on the machine; at 3,000 requests one round costs about 6 attempts per
# meeting, so this allows a handful of rounds (the search usually stops earlier, with no gain).
SEARCH_BUDGET_PER_MEETING = 40


def schedule(instance: FairInstance) -> Schedule:
    """Place the meetings to maximise the total priority held; see docs/fair.md."""
    problem = Problem(instance)
    board = Board(problem)
    order = greedy_order(problem, board)
    for m in order:
        board.try_place(m)
    board.commit()
    search = Search(board, order, budget=SEARCH_BUDGET_PER_MEETING * len(order))
    search.run()
    while repair_idle(board) and search.fill():
        pass
    return board.to_schedule()


def greedy_order(p: Problem, board: Board) -> list[int]:
    """Meetings the relaxation holds first, then by priority, most constrained, smallest id."""
    todo = p.schedulable()
    value = relaxed_values(p, todo, board.count)
    return sorted(
        todo,
        key=lambda m: (-value[m], -p.weight[m], p.common[m].bit_count(), p.meeting_ids[m]),
    )


def priority_bound(instance: FairInstance) -> float:
    """An upper bound on the total priority of any valid schedule (a linear relaxation)."""
    problem = Problem(instance)
    board = Board(problem)
    return relaxation_bound(problem, board.value, board.count)
