"""Vectorised suggestion scores: a batch of queries against every centre at once.

A query is "who would fit this team": a proposal (owner + accepted partners, what it seeks and
offers, its themes and programme) or a centre looking for partners. Every factor is a value in
[0, 1] per (query, candidate), computed with sparse matrix products over the index; the score is
their weighted mean over the factors that carry a signal for that query (a factor equal for every
candidate, e.g. themes on a network without themes, drops out), then the exposure re-rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.exposure import exposure_multiplier
from matching.graph import FloatArray, IntArray
from matching.index import FACTORS, LEVELS, MatchingIndex, row_items
from matching.snapshot import ProposalData

BoolArray = npt.NDArray[np.bool_]
# A centre looking for partners in general wants one foreign partner among two or so.
CENTRE_MIN_COUNTRIES = 2
CENTRE_OPEN_SLOTS = 2
# A new country is worth at least this much, even when the team has the countries it needs.
COUNTRY_FLOOR = 0.25
# Global proximity: a random walk from the team that goes on with this probability at each step
# (personalised PageRank with restart 1 - PPR_CONTINUE), truncated after PPR_STEPS steps.
PPR_CONTINUE = 0.7
PPR_STEPS = 4
# A walk step reads only the reached centres' rows while they are under 1/SPARSE_FRONTIER.
SPARSE_FRONTIER = 16
# Up to this many rows of a matrix, one query adds them up itself (``_product``).
FEW_ROWS = 16


@dataclass(frozen=True, slots=True)
class QueryBatch:
    owners: IntArray  # (B,) rows
    team: sp.csr_array  # B x n indicator: owner and accepted partners
    excluded: sp.csr_array  # B x n indicator: never suggested
    seek_levels: sp.csr_array  # B x C wanted levels
    seek_total_idf: FloatArray  # (B,) idf of every sought competency, known to the index or not
    offer_levels: sp.csr_array  # B x C
    themes: FloatArray  # B x T idf-weighted unit vectors
    programmes: FloatArray  # B x P rows summing to 1 (or 0 when unknown)
    min_countries: IntArray  # (B,)
    open_slots: IntArray  # (B,) partners still to find

    @property
    def size(self) -> int:
        return len(self.owners)


@dataclass(frozen=True, slots=True)
class Scores:
    names: tuple[str, ...]  # the factors, in column order of `share`
    factors: Mapping[str, FloatArray]  # factor -> B x n values in [0, 1]
    share: FloatArray  # B x F: weight of each factor in the score (rows sum to 1)
    base: FloatArray  # B x n weighted mean of the factors (relevance)
    final: FloatArray  # B x n after the exposure re-rank, excluded candidates at -1
    hops: npt.NDArray[np.int8]  # B x n steps from the team in the cooperation graph (0: > MAX)


def _indicator_rows(rows_per_query: Sequence[Iterable[int]], n: int) -> sp.csr_array:
    rows: list[int] = []
    cols: list[int] = []
    for b, members in enumerate(rows_per_query):
        unique = sorted(set(members))
        rows.extend([b] * len(unique))
        cols.extend(unique)
    return sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(rows_per_query), n))


def _level_rows(index: MatchingIndex, wants: Sequence[Mapping[str, int]]) -> sp.csr_array:
    rows, cols, vals = [], [], []
    for b, levels in enumerate(wants):
        for slug, level in sorted(levels.items()):
            col = index.competencies.col.get(slug)
            if col is not None:
                rows.append(b)
                cols.append(col)
                vals.append(float(min(max(level, 1), 3)))
    shape = (len(wants), len(index.competencies))
    return sp.csr_array((np.asarray(vals), (rows, cols)), shape=shape)


def _unknown_idf(index: MatchingIndex) -> float:
    return float(np.log(1.0 + index.size) + 1.0)


def total_idf(index: MatchingIndex, wants: Mapping[str, int]) -> float:
    """Sought competencies nobody offers still count, so a proposal whose needs cannot be met
    never shows perfect complementarity."""
    cols = index.competencies.col
    return sum(
        float(index.competency_idf[cols[s]]) if s in cols else _unknown_idf(index) for s in wants
    )


def _theme_vector(index: MatchingIndex, themes: Iterable[str]) -> FloatArray:
    vec = np.zeros(len(index.themes))
    unknown = 0.0
    for slug in set(themes):
        col = index.themes.col.get(slug)
        if col is None:
            unknown += _unknown_idf(index) ** 2
        else:
            vec[col] = index.theme_idf[col]
    norm = float(np.sqrt(vec @ vec + unknown))
    return vec / norm if norm > 0 else vec


def proposal_query(index: MatchingIndex, proposal: ProposalData) -> QueryBatch:
    return proposals_query(index, [proposal])


def proposals_query(index: MatchingIndex, proposals: Sequence[ProposalData]) -> QueryBatch:
    """One query row per proposal: its team (owner + accepted partners) looking for partners."""
    for proposal in proposals:
        if proposal.owner not in index.row_of:
            raise KeyError(f"proposal {proposal.id}: owner {proposal.owner} is not a known centre")
    teams = [_known(index, (p.owner, *p.current_partners)) for p in proposals]
    programmes = np.zeros((len(proposals), len(index.programmes)))
    for b, proposal in enumerate(proposals):
        column = index.programmes.col.get(proposal.programme or "")
        if column is not None:
            programmes[b, column] = 1.0
    n = index.size
    return QueryBatch(
        owners=np.asarray([index.row_of[p.owner] for p in proposals], dtype=np.int64),
        team=_indicator_rows(teams, n),
        excluded=_indicator_rows(
            [[*t, *_known(index, p.declined)] for t, p in zip(teams, proposals, strict=True)], n
        ),
        seek_levels=_level_rows(index, [p.seeks for p in proposals]),
        seek_total_idf=np.asarray([total_idf(index, p.seeks) for p in proposals]),
        offer_levels=_level_rows(index, [p.offers for p in proposals]),
        themes=np.stack([_theme_vector(index, p.themes) for p in proposals])
        if proposals
        else np.zeros((0, len(index.themes))),
        programmes=programmes,
        min_countries=np.asarray([p.min_countries for p in proposals], dtype=np.int64),
        open_slots=np.asarray(
            [max(1, p.partners_max - len(t) + 1) for t, p in zip(teams, proposals, strict=True)],
            dtype=np.int64,
        ),
    )


def _known(index: MatchingIndex, ids: Iterable[int]) -> list[int]:
    return [index.row_of[c] for c in ids if c in index.row_of]


def centre_query(
    index: MatchingIndex, rows: Sequence[int], exclude_past_partners: bool = False
) -> QueryBatch:
    """A centre looking for partners: its own wants, offers, theme profile and programmes."""
    selected = np.asarray(rows, dtype=np.int64)
    excluded: list[list[int]] = [[r] for r in rows]
    if exclude_past_partners:
        excluded = [[r, *row_items(index.adjacency, r)[0]] for r in rows]
    counts = index.programme_count[selected, :].toarray()
    totals = counts.sum(axis=1, keepdims=True)
    wants = [index.centres[r].seeks for r in rows]
    return QueryBatch(
        owners=selected,
        team=_indicator_rows([[r] for r in rows], index.size),
        excluded=_indicator_rows(excluded, index.size),
        seek_levels=_level_rows(index, wants),
        seek_total_idf=np.asarray([total_idf(index, w) for w in wants]),
        offer_levels=_level_rows(index, [index.centres[r].offers for r in rows]),
        themes=index.theme_profile[selected, :].toarray(),
        programmes=np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0),
        min_countries=np.full(len(rows), CENTRE_MIN_COUNTRIES, dtype=np.int64),
        open_slots=np.full(len(rows), CENTRE_OPEN_SLOTS, dtype=np.int64),
    )


def _dense(matrix: sp.csr_array | FloatArray) -> FloatArray:
    """Sparse products with a dense operand come back dense; sparse ones need expanding."""
    if isinstance(matrix, np.ndarray):
        return np.asarray(matrix, dtype=np.float64)
    return np.asarray(matrix.toarray(), dtype=np.float64)


def _product(coeffs: sp.csr_array, matrix: sp.csr_array) -> FloatArray:
    """coeffs (B x C) @ matrix (C x n), dense. One query adds up the few rows of ``matrix`` it
    needs with array operations: a sparse-times-sparse product costs ~0.1 ms of scipy overhead
    each, and a suggestion makes a dozen of them (most of its time at 100,000 centres)."""
    if coeffs.shape[0] != 1 or coeffs.nnz > FEW_ROWS:
        return _dense(coeffs @ matrix)
    row = sp.csr_array(coeffs)
    row.sum_duplicates()
    out = np.zeros(matrix.shape[1])
    for col, value in zip(row.indices.tolist(), row.data.tolist(), strict=True):
        lo, hi = matrix.indptr[col], matrix.indptr[col + 1]
        out[matrix.indices[lo:hi]] += value * matrix.data[lo:hi]
    return out[None, :]


def complementarity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    """Sum over sought competencies of idf * min(offered, wanted) / wanted, over the total idf.

    min(o, w) = sum over levels l of [o >= l][w >= l], which turns the level match into three
    sparse products."""
    inverse = np.divide(1.0, q.seek_total_idf, out=np.zeros(q.size), where=q.seek_total_idf > 0)
    credit = q.seek_levels.copy()
    credit.data = index.competency_idf[credit.indices] / credit.data
    credit = sp.csr_array(sp.diags_array(inverse) @ credit)
    total = np.zeros((q.size, index.size))
    for level, offers_t in zip(LEVELS, index.offers_at_least_t, strict=True):
        total += _product(sp.csr_array(credit.multiply(q.seek_levels >= level)), offers_t)
    return np.minimum(total, 1.0)


def reciprocity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    """The same measure the other way round: how much of what the candidate seeks we offer."""
    total = np.zeros((q.size, index.size))
    for level, credit_t in zip(LEVELS, index.seek_credit_t, strict=True):
        offered = sp.csr_array(q.offer_levels >= level, dtype=np.float64)
        total += _product(offered, credit_t)
    return np.minimum(total, 1.0)


def theme_affinity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    return np.clip(_dense(index.theme_profile @ q.themes.T).T, 0.0, 1.0)


def resource_allocation(index: MatchingIndex, team: sp.csr_array) -> FloatArray:
    """Sum of 1/degree over the partners a candidate shares with the team (Zhou et al. 2009):
    a partner shared with a hub says less than one shared with a small centre."""
    binary = index.binary_adjacency
    inverse_degree = np.divide(1.0, index.degree, out=np.zeros(index.size), where=index.degree > 0)
    if team.shape[0] == 1:  # the rows of the team's partners only
        neighbours = (_rows_times(binary, _dense(team)[0]) > 0).astype(np.float64)
        return _rows_times(binary, neighbours * inverse_degree)[None, :]
    neighbours = sp.csr_array(_product(team, binary) > 0, dtype=np.float64)
    return _product(sp.csr_array(neighbours @ sp.diags_array(inverse_degree)), binary)


def _rows_times(matrix: sp.csr_array, vector: FloatArray) -> FloatArray:
    """vector @ matrix reading only the rows where ``vector`` is not zero."""
    where = np.flatnonzero(vector)
    return np.asarray(vector[where] @ matrix[where], dtype=np.float64)


def network_proximity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    ra = resource_allocation(index, q.team)
    return 1.0 - np.exp(-ra / index.weights.proximity_scale)


def walk(index: MatchingIndex, team: sp.csr_array) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """Truncated personalised PageRank from each team (B x n) and the step at which the walk
    first reached each centre (0 = the team itself or not reached). Sparse rows, so the work
    grows with the neighbourhood reached, not with the network."""
    sizes = np.maximum(np.asarray(team.sum(axis=1)).reshape(-1, 1), 1.0)
    start = sp.csr_array(team.multiply(1.0 / sizes))
    if team.shape[0] == 1:
        return _walk_one(index, _dense(start)[0])
    total = np.zeros(team.shape)
    hops = np.zeros(team.shape, dtype=np.int8)
    seen = _dense(team) > 0
    current = sp.csr_array(start)
    for step in range(1, PPR_STEPS + 1):
        current = sp.csr_array(current @ index.transition)
        reached = _dense(current) > 0
        hops[reached & ~seen] = step
        seen |= reached
        total += (1.0 - PPR_CONTINUE) * PPR_CONTINUE**step * _dense(current)
    return total, hops


def _walk_one(index: MatchingIndex, start: FloatArray) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """``walk`` for one team with dense vectors: after two steps the walk has reached most of a
    large network, where a sparse row times a sparse matrix costs several times a dense
    vector-matrix product (what keeps a suggestion at 100,000 centres within its budget)."""
    total = np.zeros(len(start))
    hops = np.zeros(len(start), dtype=np.int8)
    seen = start > 0
    current = start
    for step in range(1, PPR_STEPS + 1):
        current = _step(index.transition, index.transition_t, current)
        reached = current > 0
        hops[reached & ~seen] = step
        seen |= reached
        total += (1.0 - PPR_CONTINUE) * PPR_CONTINUE**step * current
    return total[None, :], hops[None, :]


def _step(transition: sp.csr_array, transposed: sp.csr_array, current: FloatArray) -> FloatArray:
    """current @ transition; while the walk has reached few centres, only their rows are read."""
    if np.count_nonzero(current) * SPARSE_FRONTIER < len(current):
        return _rows_times(transition, current)
    return np.asarray(transposed @ current, dtype=np.float64)


def global_proximity(index: MatchingIndex, q: QueryBatch, ppr: FloatArray) -> FloatArray:
    """Personalised PageRank relative to the best eligible candidate's, in [0, 1]."""
    ppr = np.where(_dense(q.excluded) > 0, 0.0, ppr)
    top = ppr.max(axis=1, keepdims=True) if ppr.size else np.zeros((q.size, 1))
    return np.asarray(np.divide(ppr, top, out=np.zeros_like(ppr), where=top > 0))


def activity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    """Preferential attachment: active centres start new projects more often."""
    return np.broadcast_to(index.activity, (q.size, index.size)).copy()


def past_cooperation(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    return 1.0 - np.exp(-_dense(q.team @ index.adjacency))


def team_countries(index: MatchingIndex, q: QueryBatch) -> BoolArray:
    """B x K: countries already in each team."""
    return np.asarray(_dense(q.team @ index.country_onehot) > 0)


def country_urgency(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    """(B,) how much a new country is worth: the share of the open slots that must go to new
    countries (3 countries missing for 3 slots: 1.0; 1 missing for 9 slots: 0.11), at least
    COUNTRY_FLOOR. A rule-driven value: a cross-border project that already has its two
    countries is better served by the partners it needs than by more countries."""
    missing = q.min_countries - team_countries(index, q).sum(axis=1)
    return np.asarray(np.clip(missing / q.open_slots, COUNTRY_FLOOR, 1.0), dtype=np.float64)


def country_diversity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    new = ~team_countries(index, q)[:, index.country_code]
    return np.asarray(new * country_urgency(index, q)[:, None], dtype=np.float64)


def shared_language(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    owner_languages = index.language_onehot[q.owners, :].toarray()
    # n x B rather than B x n: the transposed one-hot matrix would be converted on every query.
    shared = np.asarray(index.language_onehot @ owner_languages.T).T
    return np.asarray(shared > 0, dtype=np.float64)


def programme_experience(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    return np.clip(_dense(index.programme_activity @ q.programmes.T).T, 0.0, 1.0)


def programme_area(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    """How much of the programme's past participation came from the candidate's country,
    relative to its main country: in cross-border programmes partners come from few countries."""
    share = q.programmes @ index.programme_country_share
    top = share.max(axis=1, keepdims=True) if share.size else np.zeros((q.size, 1))
    relative = np.divide(share, top, out=np.zeros_like(share), where=top > 0)
    if relative.shape[1] == 0:
        return np.zeros((q.size, index.size))
    return np.asarray(relative[:, index.country_code], dtype=np.float64)


FACTOR_FUNCTIONS = {
    "complementarity": complementarity,
    "reciprocity": reciprocity,
    "theme_affinity": theme_affinity,
    "network_proximity": network_proximity,
    "past_cooperation": past_cooperation,
    "activity": activity,
    "country_diversity": country_diversity,
    "shared_language": shared_language,
    "programme_experience": programme_experience,
    "programme_area": programme_area,
}
# A factor whose values differ by less than this over the candidates carries no signal.
SIGNAL = 1e-9


def score(index: MatchingIndex, q: QueryBatch) -> Scores:
    ppr, hops = walk(index, q.team)
    factors = {
        f: global_proximity(index, q, ppr)
        if f == "global_proximity"
        else FACTOR_FUNCTIONS[f](index, q)
        for f in FACTORS
    }
    weights = np.asarray([index.weights.factor_weight(f) for f in FACTORS])
    share = _shares(weights, factors, _dense(q.excluded) > 0)
    base = sum(
        (share[:, k : k + 1] * factors[f] for k, f in enumerate(FACTORS)),
        start=np.zeros((q.size, index.size)),
    )
    base = np.round(base, 9)
    final = np.round(base * exposure_multiplier(index)[None, :], 9)
    final[_dense(q.excluded) > 0] = -1.0
    return Scores(FACTORS, factors, share, base, final, hops)


def _shares(
    weights: FloatArray, factors: Mapping[str, FloatArray], excluded: BoolArray
) -> FloatArray:
    """B x F weights renormalised over the factors that vary among each query's candidates."""
    if excluded.shape[0] == 1:
        return _shares_one(weights, factors, np.flatnonzero(~excluded[0]))
    spreads = []
    for f in FACTORS:
        values = np.where(excluded, np.nan, factors[f])
        with np.errstate(all="ignore"):
            spread = np.nanmax(values, axis=1, initial=0.0) - np.nanmin(values, axis=1, initial=1.0)
        spreads.append(np.nan_to_num(spread) > SIGNAL)
    used = weights[None, :] * np.stack(spreads, axis=1)
    totals = used.sum(axis=1, keepdims=True)
    return np.asarray(np.divide(used, totals, out=np.zeros_like(used), where=totals > 0))


def _shares_one(
    weights: FloatArray, factors: Mapping[str, FloatArray], eligible: IntArray
) -> FloatArray:
    """``_shares`` for one query: spreads over the eligible candidates' values, gathered once
    per factor (the NaN-masked reductions make three passes over every centre per factor)."""
    varies = []
    for f in FACTORS:
        values = factors[f][0, eligible]
        top = max(float(values.max()), 0.0) if len(values) else 0.0
        low = min(float(values.min()), 1.0) if len(values) else 1.0
        varies.append(top - low > SIGNAL)
    used = weights[None, :] * np.asarray(varies, dtype=np.float64)[None, :]
    totals = used.sum(axis=1, keepdims=True)
    return np.asarray(np.divide(used, totals, out=np.zeros_like(used), where=totals > 0))


def top_rows(index: MatchingIndex, scores: FloatArray, first: int) -> IntArray:
    """The `first` best candidates of one query row, highest score first, ties by centre id;
    excluded candidates (score -1) never appear."""
    eligible = np.flatnonzero(scores >= 0)
    if first <= 0 or len(eligible) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(eligible) > first:
        # Keep every candidate tied with the k-th best so the id tie-break stays exact.
        cut = np.partition(scores[eligible], len(eligible) - first)[len(eligible) - first]
        eligible = eligible[scores[eligible] >= cut]
    order = np.lexsort((index.ids[eligible], -scores[eligible]))
    return np.asarray(eligible[order][:first], dtype=np.int64)
