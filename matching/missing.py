"""Missing links of the whole network without scoring every pair.

A missing link is a pair of centres that never cooperated although one is among the other's best
suggestions (``suggest_for_centre`` with past partners excluded). Scoring every centre against
every other is O(n^2) (``exhaustive_missing_links``: ~30 s at 10,000 centres). Here only
*candidate pairs* are scored:

- the 2-hop neighbourhood of each centre (partners of partners): the only pairs where network
  proximity (resource allocation) is not zero, from one sparse product A·D⁻¹·A;
- its ``profile_k`` best centres by a sparsified profile similarity (what it seeks against what
  others offer, and shared themes), a sparse product against each competency's and theme's
  ``FEATURE_TOP`` best centres.

Scores are the exhaustive version's: the same factors, and the same per-centre normalisation
(weights renormalised over the factors that vary among *all* eligible candidates), which is
computed without the n x n matrix: from sums and sums of squares over all centres (the factors
are inner products u_a · v_b, so Σ_b and Σ_b (u_a · v_b)² come from Σ_b v_b and the Gram matrix
VᵀV) less the excluded centres. Global proximity (a random walk of 4 steps, pruned after 2) is
computed exactly, with its own normaliser, only for the centres whose candidate pairs may still
reach the top: a lower bound (proximity 0) and an upper bound (proximity 1) per pair give a
threshold first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.exposure import exposure_multiplier
from matching.graph import FloatArray, IntArray
from matching.index import FACTORS, LEVELS, MatchingIndex
from matching.reasons import Reason, explain
from matching.scoring import (
    CENTRE_MIN_COUNTRIES,
    CENTRE_OPEN_SLOTS,
    COUNTRY_FLOOR,
    SIGNAL,
    BoolArray,
    centre_query,
    global_proximity,
    score,
    top_rows,
    total_idf,
    walk,
)
from matching.suggest import centre_context

WALK_BLOCK_CELLS = 1_000_000  # dense cells of one block of random walks (~6 arrays each)
SCREEN_BLOCK_CELLS = 4_000_000  # float32 cells of one block of the profile screen
SCREEN_MARGIN = 1e-4  # float32 sums of ~200 terms in [0, 1] are good to ~1e-5
# Above this many pairs over the threshold in one block, the best bounds are scored first.
SCREEN_KEEP = 2_000
# Margin on the bounds: scores are rounded to 9 decimals, sums may differ in the last bits.
MARGIN = 1e-8
# The eligible candidates' sums are all centres' sums less the excluded ones', so they carry
# cancellation noise of ~1e-16 of the totals: below ZERO of the total sum of squares they are
# zero, and values count as equal below a relative variance of EQUAL (the exhaustive test,
# max - min > SIGNAL, cannot be reproduced from sums; the two differ only when all eligible
# candidates but a few have the same value within ~0.1%, which the tests would show).
ZERO = 1e-9
EQUAL = 1e-6
GP = FACTORS.index("global_proximity")
NP = FACTORS.index("network_proximity")


@dataclass(frozen=True, slots=True)
class MissingLink:
    a: int  # the centre the suggestion is for
    b: int  # the suggested centre; a and b never cooperated
    score: float
    reasons: tuple[Reason, ...]


# --- per-pair factors ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Linear:
    """A factor u_a · v_b: u per querying centre (sparse rows), v per candidate (dense rows)."""

    u: sp.csr_array  # n x D
    v: FloatArray  # n x D

    def at(self, rows: IntArray, cols: IntArray) -> FloatArray:
        """u[rows] · v[cols] for each pair, without the n x n product."""
        counts = np.diff(self.u.indptr)[rows]
        total = int(counts.sum())
        pair = np.repeat(np.arange(len(rows)), counts)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        k = np.repeat(self.u.indptr[rows], counts) + (np.arange(total) - first)
        terms = self.u.data[k] * self.v[cols[pair], self.u.indices[k]]
        return np.asarray(np.bincount(pair, weights=terms, minlength=len(rows)), dtype=np.float64)

    def moments(self) -> tuple[FloatArray, FloatArray]:
        """(n,) Σ_b u_a · v_b and Σ_b (u_a · v_b)² over every centre b."""
        total = self.u @ self.v.sum(axis=0)
        gram = self.v.T @ self.v
        squares = np.asarray((self.u @ gram) * self.u.toarray()).sum(axis=1)
        return np.asarray(total, dtype=np.float64), np.asarray(squares, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _PairFactors:
    """Every factor of a centre query with past partners excluded, on lists of pairs."""

    index: MatchingIndex
    linear: dict[str, _Linear]
    allocation: sp.csr_array  # n x n resource allocation of eligible 2-hop pairs
    area: FloatArray  # n x K: programme area of a candidate from country k, per querying centre
    urgency: float  # country diversity of a candidate from another country

    def values(self, rows: IntArray, cols: IntArray, ra: FloatArray) -> dict[str, FloatArray]:
        index = self.index
        out = {name: f.at(rows, cols) for name, f in self.linear.items()}
        out["complementarity"] = np.minimum(out["complementarity"], 1.0)
        out["reciprocity"] = np.minimum(out["reciprocity"], 1.0)
        out["theme_affinity"] = np.clip(out["theme_affinity"], 0.0, 1.0)
        out["programme_experience"] = np.clip(out["programme_experience"], 0.0, 1.0)
        out["shared_language"] = np.asarray(out["shared_language"] > 0, dtype=np.float64)
        out["activity"] = index.activity[cols]
        code = index.country_code
        out["country_diversity"] = (code[cols] != code[rows]) * self.urgency
        out["programme_area"] = self.area[rows, code[cols]]
        out["network_proximity"] = 1.0 - np.exp(-ra / index.weights.proximity_scale)
        # Past partners are excluded, so nobody eligible cooperated with the centre before.
        out["past_cooperation"] = np.zeros(len(rows))
        return out


def _pair_factors(index: MatchingIndex) -> _PairFactors:
    seek_credit, offers_at_least = _level_features(index)
    counts = index.programme_count.toarray()
    totals = counts.sum(axis=1, keepdims=True)
    programmes = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    return _PairFactors(
        index=index,
        linear={
            "complementarity": _Linear(seek_credit, offers_at_least.toarray()),
            "reciprocity": _Linear(offers_at_least, seek_credit.toarray()),
            "theme_affinity": _Linear(index.theme_profile, index.theme_profile.toarray()),
            "programme_experience": _Linear(
                sp.csr_array(programmes), index.programme_activity.toarray()
            ),
            "shared_language": _Linear(index.language_onehot, index.language_onehot.toarray()),
        },
        allocation=allocation_pairs(index),
        area=_area(index, programmes),
        urgency=_pair_urgency(),
    )


def _pair_urgency() -> float:
    """Country diversity of a candidate from another country: the team is the centre alone."""
    missing = CENTRE_MIN_COUNTRIES - 1
    return float(np.clip(missing / CENTRE_OPEN_SLOTS, COUNTRY_FLOOR, 1.0))


def _area(index: MatchingIndex, programmes: FloatArray) -> FloatArray:
    """n x K: programme area of a candidate from country k, as ``scoring.programme_area``."""
    share = programmes @ index.programme_country_share
    if share.shape[1] == 0:
        return np.zeros((index.size, len(index.countries)))
    top = share.max(axis=1, keepdims=True)
    return np.asarray(np.divide(share, top, out=np.zeros_like(share), where=top > 0))


def _level_features(index: MatchingIndex) -> tuple[sp.csr_array, sp.csr_array]:
    """n x 3C: each centre's credit per (level, sought competency) and its "offers at least
    level l" indicators; their inner product is the complementarity of ``scoring``."""
    totals = np.asarray([total_idf(index, c.seeks) for c in index.centres], dtype=np.float64)
    inverse = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
    credit = index.seeks.copy()
    credit.data = index.competency_idf[credit.indices] / credit.data
    credit = sp.csr_array(sp.diags_array(inverse) @ credit)
    per_level = [credit.multiply(index.seeks >= level) for level in LEVELS]
    at_least = [offers_t.T for offers_t in index.offers_at_least_t]
    return (
        sp.csr_array(sp.hstack(per_level, format="csr")),
        sp.csr_array(sp.hstack(at_least, format="csr")),
    )


# --- 2-hop neighbourhoods ----------------------------------------------------------------------


def allocation_pairs(index: MatchingIndex) -> sp.csr_array:
    """n x n resource allocation (Σ over shared partners of 1 / their degree) of every pair 2
    hops apart, from one sparse product A·D⁻¹·A; never a centre with itself or a past partner.
    Network proximity is 0 everywhere else."""
    binary = index.binary_adjacency
    inverse_degree = np.divide(1.0, index.degree, out=np.zeros(index.size), where=index.degree > 0)
    allocation = sp.csr_array(binary @ sp.diags_array(inverse_degree) @ binary)
    allocation = sp.csr_array(allocation - allocation.multiply(_excluded(index)))
    allocation.eliminate_zeros()
    allocation.sort_indices()
    return allocation


def _excluded(index: MatchingIndex) -> sp.csr_array:
    return sp.csr_array(index.binary_adjacency + sp.eye_array(index.size, format="csr"))


# --- per-centre normalisation -------------------------------------------------------------------

# Factors whose "does it vary among the eligible candidates" comes from sums and sums of squares.
MOMENT_FACTORS = (
    "complementarity",
    "reciprocity",
    "theme_affinity",
    "activity",
    "country_diversity",
    "shared_language",
    "programme_experience",
    "programme_area",
)


def row_shares(index: MatchingIndex, pf: _PairFactors) -> FloatArray:
    """n x F: the weight of each factor in each centre's scores, as ``scoring._shares`` gives
    it: the weights renormalised over the factors that vary among the centre's eligible
    candidates (everybody but itself and its past partners)."""
    eligible = (index.size - 1 - index.degree).astype(np.float64)
    excluded = sp.coo_array(_excluded(index))
    rows_x, cols_x = excluded.row.astype(np.int64), excluded.col.astype(np.int64)
    at_excluded = pf.values(rows_x, cols_x, np.zeros(len(rows_x)))
    varies: dict[str, BoolArray] = {}
    for name, (total, squares) in _all_moments(index, pf).items():
        x = at_excluded[name]
        s1 = total - np.bincount(rows_x, weights=x, minlength=index.size)
        s2 = squares - np.bincount(rows_x, weights=x * x, minlength=index.size)
        varies[name] = _not_constant(s1, s2, eligible, squares)
    proximity, two_hop = _proximity_spread(index, pf.allocation, eligible)
    varies["network_proximity"] = proximity
    # Reached by the walk iff some eligible centre is 2 hops away (beyond it, only through it).
    varies["global_proximity"] = (eligible >= 2) & (two_hop >= 1)
    varies["past_cooperation"] = np.zeros(index.size, dtype=bool)  # 0 for every eligible one
    weights = np.asarray([index.weights.factor_weight(f) for f in FACTORS])
    used = weights[None, :] * np.stack([varies[f] for f in FACTORS], axis=1)
    totals = used.sum(axis=1, keepdims=True)
    return np.asarray(np.divide(used, totals, out=np.zeros_like(used), where=totals > 0))


def _not_constant(s1: FloatArray, s2: FloatArray, m: FloatArray, total: FloatArray) -> BoolArray:
    """Whether m values with sum s1 and sum of squares s2 differ (``total``: the sum of squares
    before the excluded centres were taken away, the scale of the cancellation noise)."""
    safe = np.maximum(m, 1.0)
    mean_square = s2 / safe
    variance = mean_square - (s1 / safe) ** 2
    significant = s2 > ZERO * total
    return np.asarray((m >= 2) & significant & (variance > EQUAL * mean_square))


Moments = dict[str, tuple[FloatArray, FloatArray]]


def _all_moments(index: MatchingIndex, pf: _PairFactors) -> Moments:
    """Per factor: (n,) sums over every centre (excluded ones included) of the factor and of its
    square, for each querying centre."""
    n = index.size
    out = {
        name: pf.linear[name].moments()
        for name in ("complementarity", "reciprocity", "theme_affinity", "programme_experience")
    }
    sharing = _language_sharers(index)
    out["shared_language"] = (sharing, sharing)
    act = index.activity
    out["activity"] = (np.full(n, act.sum()), np.full(n, (act * act).sum()))
    per_country = np.bincount(index.country_code, minlength=len(index.countries)).astype(float)
    others = n - per_country[index.country_code]
    out["country_diversity"] = (others * pf.urgency, others * pf.urgency**2)
    out["programme_area"] = (pf.area @ per_country, (pf.area * pf.area) @ per_country)
    return out


def _language_sharers(index: MatchingIndex) -> FloatArray:
    """(n,) how many centres (itself included) share a language with each centre; computed once
    per distinct set of languages."""
    onehot = index.language_onehot.toarray()
    if onehot.shape[1] == 0:
        return np.zeros(index.size)
    sets, which = np.unique(onehot, axis=0, return_inverse=True)
    per_set = ((onehot @ sets.T) > 0).sum(axis=0).astype(np.float64)
    return np.asarray(per_set[np.asarray(which).ravel()], dtype=np.float64)


def _proximity_spread(
    index: MatchingIndex, allocation: sp.csr_array, eligible: FloatArray
) -> tuple[BoolArray, FloatArray]:
    """Whether network proximity varies among each centre's eligible candidates (it is 0 beyond
    2 hops), and how many eligible centres are 2 hops away."""
    n = index.size
    rows = np.repeat(np.arange(n), np.diff(allocation.indptr))
    values = 1.0 - np.exp(-allocation.data / index.weights.proximity_scale)
    two_hop = np.asarray(np.diff(allocation.indptr), dtype=np.float64)
    top = np.zeros(n)
    np.maximum.at(top, rows, values)
    low = np.ones(n)
    np.minimum.at(low, rows, values)
    low = np.where(eligible > two_hop, 0.0, low)
    return np.asarray(top - low > SIGNAL), two_hop


# --- bounds, then exact scores ------------------------------------------------------------------


class _Screen:
    """Pairs whose upper bound reaches the threshold, and the threshold itself: the `first`-th
    best exact lower bound (global proximity 0) among distinct pairs seen so far."""

    def __init__(self, index: MatchingIndex, pf: _PairFactors, share: FloatArray, first: int):
        self.index, self.pf, self.share, self.first = index, pf, share, first
        self.mult = exposure_multiplier(index)
        self.threshold = -np.inf
        self.rows = np.zeros(0, dtype=np.int64)
        self.cols = np.zeros(0, dtype=np.int64)
        self.high = np.zeros(0)
        self.low = np.zeros(0)

    def add(self, rows: IntArray, cols: IntArray, high: FloatArray) -> None:
        """Take a block's pairs (bound already >= the threshold); when they are many, their best
        bounds are scored first to raise the threshold."""
        if len(rows) > SCREEN_KEEP:
            best = np.argpartition(-high, SCREEN_KEEP)[:SCREEN_KEEP]
            self._merge(rows[best], cols[best], high[best])
            keep = high >= self.threshold - SCREEN_MARGIN
            rows, cols, high = rows[keep], cols[keep], high[keep]
        self._merge(rows, cols, high)

    def _merge(self, rows: IntArray, cols: IntArray, high: FloatArray) -> None:
        new = ~np.isin(rows * self.index.size + cols, self.rows * self.index.size + self.cols)
        rows, cols, high = rows[new], cols[new], high[new]
        values = self.pf.values(rows, cols, _allocation_at(self.pf.allocation, rows, cols))
        low = _weighted(self.share[rows], _stack(values, len(rows))) * self.mult[cols]
        self.rows = np.r_[self.rows, rows]
        self.cols = np.r_[self.cols, cols]
        self.high = np.r_[self.high, high]
        self.low = np.r_[self.low, low]
        n = self.index.size
        self.threshold = max(
            self.threshold, _threshold(n, self.rows, self.cols, self.low, self.first)
        )
        keep = self.high >= self.threshold - SCREEN_MARGIN
        self.rows, self.cols = self.rows[keep], self.cols[keep]
        self.high, self.low = self.high[keep], self.low[keep]


def _screen(index: MatchingIndex, pf: _PairFactors, share: FloatArray, first: int) -> _Screen:
    """Every pair whose score could reach the `first` best, from an upper bound of every pair.

    Beyond network proximity (2-hop pairs, sparse) and global proximity (bounded by 1), every
    factor has an upper bound that is an inner product of low-dimensional profiles
    (complementarity and reciprocity: a competency offered at any level counts fully; shared
    languages: their count), so one float32 product per block of centres bounds every pair:
    ~2 x 170 flops per pair, light enough to keep the answer exact (~1 s at 10,000 centres)."""
    mult = exposure_multiplier(index)
    u, v = _bound_profiles(index, share, mult)
    # Sparse additions, scattered into each dense block: 2-hop proximity, and -1 for the
    # centre itself and its past partners (never candidates).
    proximity = pf.allocation.copy()
    proximity.data = 1.0 - np.exp(-proximity.data / index.weights.proximity_scale)
    proximity = sp.csr_array(sp.diags_array(share[:, NP]) @ proximity @ sp.diags_array(mult))
    excluded = _excluded(index)
    screen = _Screen(index, pf, share, first)
    block = max(1, SCREEN_BLOCK_CELLS // max(index.size, 1))
    for start in range(0, index.size, block):
        end = min(start + block, index.size)
        bound = u[start:end] @ v
        _scatter(bound, proximity, start, end, add=True)
        _scatter(bound, excluded, start, end, add=False)
        # Most rows have no pair near the top: find the few that do before scanning cells.
        limit = max(screen.threshold - SCREEN_MARGIN, -0.5)  # never the excluded (-1)
        near = np.flatnonzero(bound.max(axis=1) >= limit)
        rows, cols = np.nonzero(bound[near] >= limit)
        rows = near[rows]
        high = bound[rows, cols].astype(np.float64)
        screen.add(rows.astype(np.int64) + start, cols.astype(np.int64), high)
    return screen


def _scatter(
    dense: npt.NDArray[np.float32], matrix: sp.csr_array, start: int, end: int, *, add: bool
) -> None:
    """Rows start:end of a sparse matrix into a dense block: added, or marking -1."""
    lo, hi = matrix.indptr[start], matrix.indptr[end]
    rows = np.repeat(np.arange(end - start), np.diff(matrix.indptr[start : end + 1]))
    cols = matrix.indices[lo:hi]
    if add:
        dense[rows, cols] += matrix.data[lo:hi].astype(np.float32)
    else:
        dense[rows, cols] = -1.0


def _allocation_at(allocation: sp.csr_array, rows: IntArray, cols: IntArray) -> FloatArray:
    if len(rows) == 0:
        return np.zeros(0)
    return np.asarray(allocation[rows, cols], dtype=np.float64).ravel()


def _stack(values: dict[str, FloatArray], count: int) -> FloatArray:
    """F x pairs in FACTORS order; global proximity 0 until it is computed."""
    return np.stack([values.get(f, np.zeros(count)) for f in FACTORS])


def _bound_profiles(
    index: MatchingIndex, share: FloatArray, mult: FloatArray
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """n x D share-weighted query profiles and D x n candidate profiles whose product bounds
    (Σ_f share_f · f) · exposure multiplier for every factor but network proximity (added by
    the caller), global proximity counted as 1."""
    k = {f: share[:, FACTORS.index(f), None] for f in FACTORS}
    totals = np.asarray([total_idf(index, c.seeks) for c in index.centres], dtype=np.float64)
    inverse = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
    seeks = (index.seeks > 0).toarray() * index.competency_idf[None, :] * inverse[:, None]
    offers = (index.offers > 0).toarray().astype(np.float64)
    counts = index.programme_count.toarray()
    sums = counts.sum(axis=1, keepdims=True)
    programmes = np.divide(counts, sums, out=np.zeros_like(counts), where=sums > 0)
    country = index.country_onehot.toarray()
    urgency = _pair_urgency()
    area = _area(index, programmes)
    languages = index.language_onehot.toarray()
    u = np.hstack(
        [
            k["complementarity"] * seeks,
            k["reciprocity"] * offers,
            k["theme_affinity"] * index.theme_profile.toarray(),
            k["programme_experience"] * programmes,
            k["activity"],
            k["country_diversity"] * urgency * (1.0 - country) + k["programme_area"] * area,
            k["shared_language"] * languages,
            k["global_proximity"],
        ]
    )
    v = np.hstack(
        [
            offers,
            seeks,
            index.theme_profile.toarray(),
            index.programme_activity.toarray(),
            index.activity[:, None],
            country,
            languages,
            np.ones((index.size, 1)),
        ]
    )
    v = v * mult[:, None]
    return u.astype(np.float32), np.ascontiguousarray(v.T, dtype=np.float32)


def _weighted(share: FloatArray, values: FloatArray) -> FloatArray:
    """Σ_f share_f · value_f in FACTORS order, as ``scoring.score`` adds them."""
    total = np.zeros(values.shape[1])
    for k in range(len(FACTORS)):
        total = total + share[:, k] * values[k]
    return total


def _threshold(n: int, rows: IntArray, cols: IntArray, low: FloatArray, first: int) -> float:
    """The `first`-th largest lower bound over distinct pairs (a pair is as good as its better
    direction), or -inf while fewer pairs are known."""
    keys = np.minimum(rows, cols) * n + np.maximum(rows, cols)
    order = np.lexsort((-low, keys))
    starts = np.flatnonzero(np.r_[True, keys[order][1:] != keys[order][:-1]])
    best = low[order][starts]
    if len(best) < first:
        return -np.inf
    return float(np.partition(best, len(best) - first)[len(best) - first])


def _exact(
    index: MatchingIndex, rows: IntArray, cols: IntArray, values: FloatArray, share: FloatArray
) -> FloatArray:
    """Final scores of the kept pairs, with global proximity from each centre's random walk."""
    mult = exposure_multiplier(index)
    needed = np.unique(rows)
    block = max(1, WALK_BLOCK_CELLS // max(index.size, 1))
    position = np.searchsorted(needed, rows)
    for start in range(0, len(needed), block):
        chunk = needed[start : start + block].tolist()
        q = centre_query(index, chunk, exclude_past_partners=True)
        ppr, _ = walk(index, q.team)
        proximity = global_proximity(index, q, ppr)
        inside = (position >= start) & (position < start + len(chunk))
        values[GP, inside] = proximity[position[inside] - start, cols[inside]]
    base = np.round(_weighted(share[rows], values), 9)
    return np.asarray(np.round(base * mult[cols], 9), dtype=np.float64)


def _ranked(index: MatchingIndex, rows: IntArray, cols: IntArray, final: FloatArray) -> IntArray:
    """Positions of the distinct pairs, each in its better direction (ties: the lower row, as
    the exhaustive scan meets it first), best first, ties by the two centres' ids."""
    n = index.size
    keys = np.minimum(rows, cols) * n + np.maximum(rows, cols)
    order = np.lexsort((rows, -final, keys))
    starts = order[np.r_[True, keys[order][1:] != keys[order][:-1]]] if len(order) else order
    ids = index.ids
    return np.asarray(starts[np.lexsort((ids[cols[starts]], ids[rows[starts]], -final[starts]))])


def missing_links(index: MatchingIndex, first: int = 20) -> list[MissingLink]:
    """Pairs that never cooperated although one is among the other's best suggestions, best
    first (a pair's score is that of its better direction; ``a`` is the centre the suggestion
    is for): the same answers as ``exhaustive_missing_links``, scoring only the pairs whose upper
    bound can reach the top (see the module docstring)."""
    if first <= 0 or index.size < 2:
        return []
    pf = _pair_factors(index)
    share = row_shares(index, pf)
    screen = _screen(index, pf, share, first)
    rows, cols = screen.rows, screen.cols
    values = _stack(pf.values(rows, cols, _allocation_at(pf.allocation, rows, cols)), len(rows))
    final = _exact(index, rows, cols, values, share)
    best = _ranked(index, rows, cols, final)[:first]
    return _explained(index, [(int(rows[k]), int(cols[k])) for k in best])


def exhaustive_missing_links(index: MatchingIndex, first: int = 20) -> list[MissingLink]:
    """The reference: every centre scored against every other, in blocks (O(n^2): ~30 s at
    10,000 centres). For tests and the speed bench."""
    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    block = max(1, EXHAUSTIVE_CELLS // max(index.size, 1))
    for start in range(0, index.size, block):
        rows = list(range(start, min(start + block, index.size)))
        scores = score(index, centre_query(index, rows, exclude_past_partners=True))
        for b, row in enumerate(rows):
            for other in top_rows(index, scores.final[b], first).tolist():
                _keep_better(best, float(scores.final[b, other]), row, other)
    ranked = sorted(best.values(), key=lambda e: (-e[0], index.ids[e[1]], index.ids[e[2]]))
    return _explained(index, [(row, other) for _, row, other in ranked[:first]])


EXHAUSTIVE_CELLS = 2_000_000  # dense B x n score blocks of ~16 MB


def _keep_better(
    best: dict[tuple[int, int], tuple[float, int, int]], value: float, row: int, other: int
) -> None:
    key = (min(row, other), max(row, other))
    if key not in best or value > best[key][0]:
        best[key] = (value, row, other)


def _explained(index: MatchingIndex, pairs: list[tuple[int, int]]) -> list[MissingLink]:
    """The links with their reasons, scoring each distinct centre once (in one batch)."""
    rows = sorted({row for row, _ in pairs})
    if not rows:
        return []
    q = centre_query(index, rows, exclude_past_partners=True)
    scores = score(index, q)
    batch = {row: b for b, row in enumerate(rows)}
    return [
        MissingLink(
            a=int(index.ids[row]),
            b=int(index.ids[other]),
            score=round(float(scores.final[batch[row], other]), 6),
            reasons=explain(index, q, scores, centre_context(index, row, batch[row]), other),
        )
        for row, other in pairs
    ]
