"""A slot-free linear relaxation of the fair, used to order the greedy.

Greedy by priority alone spends the caps of popular centres on their best meeting even when two
slightly less valuable meetings would use them better. The relaxation sees those trade-offs: per
centre, at most min(cap, available slots) meetings; per set Q of table classes that some meeting
is limited to, the meetings limited to Q fit in the table-slots of Q (Hall's condition). Meetings
the relaxation takes fully are placed first. One small LP solved by HiGHS, milliseconds at
thousands of meetings.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from matching.fair.problem import Problem

DIGITS = 6  # LP values are rounded so that solver noise cannot change the order


def relaxed_values(p: Problem, meetings: list[int], held: list[int]) -> dict[int, float]:
    """LP value in [0, 1] of each meeting; ``held`` are meetings already placed per centre."""
    if not meetings:
        return {}
    rows: list[list[int]] = []
    rhs: list[float] = []
    for c, requests in enumerate(_by_centre(p, meetings)):
        room = min(p.cap[c] - held[c], p.avail[c].bit_count() - held[c])
        if requests and room < len(requests):
            rows.append(requests)
            rhs.append(max(room, 0))
    for classes in sorted({p.compat[m] for m in meetings}):
        limited = [j for j, m in enumerate(meetings) if set(p.compat[m]) <= set(classes)]
        seats = sum(p.class_size[k] for k in classes) * p.n_slots
        if seats < len(limited):
            rows.append(limited)
            rhs.append(seats)
    weights = np.array([p.weight[m] for m in meetings])
    if not rows:
        return dict.fromkeys(meetings, 1.0)
    result = linprog(-weights, A_ub=_matrix(rows, len(meetings)), b_ub=rhs, bounds=(0, 1))
    if result.x is None:
        return dict.fromkeys(meetings, 1.0)
    return {m: round(float(v), DIGITS) for m, v in zip(meetings, result.x, strict=True)}


def _by_centre(p: Problem, meetings: list[int]) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in p.centre_ids]
    for j, m in enumerate(meetings):
        for c in p.parts[m]:
            out[c].append(j)
    return out


def _matrix(rows: list[list[int]], width: int) -> coo_matrix:
    r = [i for i, cols in enumerate(rows) for _ in cols]
    c = [j for cols in rows for j in cols]
    return coo_matrix((np.ones(len(c)), (r, c)), shape=(len(rows), width)).tocsr()


def relaxation_bound(p: Problem, fixed_value: float, held: list[int]) -> float:
    """An upper bound on the total priority any schedule can reach (locked meetings included)."""
    todo = p.schedulable()
    values = relaxed_values(p, todo, held)
    return fixed_value + sum(p.weight[m] * values[m] for m in todo)
