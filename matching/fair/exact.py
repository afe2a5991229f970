"""Exact reference: the fair as an integer programme solved by HiGHS (scipy.optimize.milp).

Variables x[m, s, k] = 1 when meeting m is held in slot s at a table of class k (tables of the same
capacity and language are interchangeable, which keeps the programme small and still exact).
Maximise the total priority held. Locked meetings are checked as in the heuristic and their seats,
slots and caps are taken out first. Idle time is not modelled. Meant for small instances only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from matching.fair.board import Board
from matching.fair.model import FairInstance, Schedule
from matching.fair.problem import Problem, bits


@dataclass(frozen=True, slots=True)
class ExactResult:
    schedule: Schedule
    optimal: bool  # False when the time limit stopped the search
    bound: float  # proven upper bound on the total priority


class _Rows:
    """Sparse constraint rows ``sum x[cols] <= rhs`` built one at a time."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.rhs: list[float] = []

    def add(self, cols: list[int], rhs: float) -> None:
        if not cols:
            return
        row = len(self.rhs)
        self.rows.extend([row] * len(cols))
        self.cols.extend(cols)
        self.rhs.append(rhs)


def solve_exact(instance: FairInstance, time_limit: float = 60.0) -> Schedule:
    return solve_exact_detailed(instance, time_limit).schedule


def solve_exact_detailed(instance: FairInstance, time_limit: float = 60.0) -> ExactResult:
    problem = Problem(instance)
    board = Board(problem)  # holds the locked meetings
    variables = _variables(problem, board)
    fixed_value = board.value
    if not variables:
        return ExactResult(board.to_schedule(), True, fixed_value)
    rows = _constraints(problem, board, variables)
    weights = np.array([problem.weight[m] for m, _, _ in variables])
    matrix = coo_matrix(
        (np.ones(len(rows.cols)), (rows.rows, rows.cols)), shape=(len(rows.rhs), len(variables))
    )
    result = milp(
        -weights,
        constraints=LinearConstraint(matrix.tocsr(), -np.inf, np.array(rows.rhs)),
        integrality=np.ones(len(variables)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-6, "disp": False},
    )
    if result.x is None:
        raise RuntimeError(f"HiGHS found no solution: {result.message}")
    for (m, pos, k), value in zip(variables, result.x, strict=True):
        if value > 0.5:
            board.place(m, pos, k)
    optimal = result.status == 0
    dual = getattr(result, "mip_dual_bound", None)  # a lower bound of -(priority held)
    bound = board.value
    if not optimal and dual is not None:
        bound = max(bound, fixed_value - float(dual))
    return ExactResult(board.to_schedule(), optimal, bound)


def _variables(problem: Problem, board: Board) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for m in problem.schedulable():
        if not board.under_cap(m):
            continue
        for pos in bits(board.free_mask(m)):
            out.extend((m, pos, k) for k in problem.compat[m] if board.open[k] >> pos & 1)
    return out


def _constraints(problem: Problem, board: Board, variables: list[tuple[int, int, int]]) -> _Rows:
    by_meeting: dict[int, list[int]] = {}
    by_centre_slot: dict[tuple[int, int], list[int]] = {}
    by_centre: dict[int, list[int]] = {}
    by_table: dict[tuple[int, int], list[int]] = {}
    for j, (m, pos, k) in enumerate(variables):
        by_meeting.setdefault(m, []).append(j)
        by_table.setdefault((pos, k), []).append(j)
        for c in problem.parts[m]:
            by_centre_slot.setdefault((c, pos), []).append(j)
            by_centre.setdefault(c, []).append(j)
    rows = _Rows()
    for cols in by_meeting.values():
        rows.add(cols, 1)
    for cols in by_centre_slot.values():
        rows.add(cols, 1)
    for c, cols in by_centre.items():
        rows.add(cols, problem.cap[c] - board.count[c])
    for (pos, k), cols in by_table.items():
        rows.add(cols, problem.class_size[k] - board.used[pos][k])
    return rows
