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
# After the first PPR_EXACT_STEPS steps, the walk goes on only from centres holding at least
# PPR_PRUNE of its mass (a residual threshold, as in push-style approximate PageRank): on a large
# network the last steps would otherwise spread over most of it (two dense products over every
# cooperation edge) for values too small to move a ranking. Two-step reach stays exact.
PPR_EXACT_STEPS = 2
PPR_PRUNE = 1e-3
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
    if q.size == 1:
        cols, wanted = _sorted_row(q.seek_levels)
        credit = index.competency_idf[cols] / wanted * inverse[0]
        return np.minimum(_level_sums(index.offers_at_least_t, cols, wanted, credit), 1.0)
    credit = q.seek_levels.copy()
    credit.data = index.competency_idf[credit.indices] / credit.data
    credit = sp.csr_array(sp.diags_array(inverse) @ credit)
    total = np.zeros((q.size, index.size))
    for level, offers_t in zip(LEVELS, index.offers_at_least_t, strict=True):
        total += _product(sp.csr_array(credit.multiply(q.seek_levels >= level)), offers_t)
    return np.minimum(total, 1.0)


def reciprocity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    """The same measure the other way round: how much of what the candidate seeks we offer."""
    if q.size == 1:
        cols, offered = _sorted_row(q.offer_levels)
        return np.minimum(_level_sums(index.seek_credit_t, cols, offered, np.ones(len(cols))), 1.0)
    total = np.zeros((q.size, index.size))
    for level, credit_t in zip(LEVELS, index.seek_credit_t, strict=True):
        offered = sp.csr_array(q.offer_levels >= level, dtype=np.float64)
        total += _product(offered, credit_t)
    return np.minimum(total, 1.0)


def _sorted_row(matrix: sp.csr_array) -> tuple[IntArray, FloatArray]:
    """Columns (ascending, duplicates summed) and values of a one-row sparse matrix."""
    row = sp.csr_array(matrix)
    row.sum_duplicates()
    return row.indices.astype(np.int64), row.data.astype(np.float64)


def _level_sums(
    per_level: Sequence[sp.csr_array], cols: IntArray, levels: FloatArray, credit: FloatArray
) -> FloatArray:
    """One query's sum over levels l of the rows ``cols`` (with ``levels`` >= l) of each
    level's matrix times ``credit``, in the order the sparse products add them up, so the
    values are those of the batch path; (1, n)."""
    n = per_level[0].shape[1]
    total = np.zeros((1, n))
    for level, matrix in zip(LEVELS, per_level, strict=True):
        out = np.zeros(n)
        chosen = levels >= level
        for col, value in zip(cols[chosen].tolist(), credit[chosen].tolist(), strict=True):
            lo, hi = matrix.indptr[col], matrix.indptr[col + 1]
            out[matrix.indices[lo:hi]] += value * matrix.data[lo:hi]
        total += out[None, :]
    return total


def theme_affinity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    if q.size == 1:  # the rows of the query's themes in the transposed profile
        return np.clip(_rows_times(index.theme_profile_t, q.themes[0]), 0.0, 1.0)[None, :]
    return np.clip(_dense(index.theme_profile @ q.themes.T).T, 0.0, 1.0)


def resource_allocation(index: MatchingIndex, team: sp.csr_array) -> FloatArray:
    """Sum of 1/degree over the partners a candidate shares with the team (Zhou et al. 2009):
    a partner shared with a hub says less than one shared with a small centre."""
    binary = index.binary_adjacency
    if team.shape[0] == 1:  # the rows of the team's partners only
        neighbours = np.flatnonzero(_rows_times(binary, _dense(team)[0]) > 0)
        inverse = 1.0 / index.degree[neighbours]  # partners have a degree of at least 1
        return _gather_times(binary, neighbours, inverse)[None, :]
    inverse_degree = np.divide(1.0, index.degree, out=np.zeros(index.size), where=index.degree > 0)
    neighbours = sp.csr_array(_product(team, binary) > 0, dtype=np.float64)
    return _product(sp.csr_array(neighbours @ sp.diags_array(inverse_degree)), binary)


def _rows_times(matrix: sp.csr_array, vector: FloatArray) -> FloatArray:
    """vector @ matrix reading only the rows where ``vector`` is not zero."""
    where = np.flatnonzero(vector != 0)  # on booleans: several times faster than on floats
    return _gather_times(matrix, where, vector[where])


def _gather_times(matrix: sp.csr_array, rows: IntArray, values: FloatArray) -> FloatArray:
    """Σ values[i] · matrix[rows[i]] (rows ascending) as a dense vector, with array operations
    on the CSR arrays (scipy's row selection and product cost ~0.5 ms of overhead at 100,000
    centres, even for one row). Each column adds up its terms in row order, as scipy's
    products do, so the values are the same."""
    lo = matrix.indptr[rows]
    counts = matrix.indptr[rows + 1] - lo
    if len(rows) <= FEW_ROWS:
        out = np.zeros(matrix.shape[1])
        spans = zip(lo.tolist(), (lo + counts).tolist(), values.tolist(), strict=True)
        for start, end, value in spans:
            out[matrix.indices[start:end]] += matrix.data[start:end] * value
        return out
    ends = np.cumsum(counts)
    positions = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(lo - ends + counts, counts)
    terms = matrix.data[positions] * np.repeat(values, counts)
    summed = np.bincount(matrix.indices[positions], weights=terms, minlength=matrix.shape[1])
    return np.asarray(summed, dtype=np.float64)


def network_proximity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    ra = resource_allocation(index, q.team)
    return _saturate(ra, index.weights.proximity_scale)


def _saturate(values: FloatArray, scale: float) -> FloatArray:
    """1 - exp(-values / scale), computed where values are not 0 (0 elsewhere)."""
    out = np.zeros_like(values)
    where = values != 0
    out[where] = 1.0 - np.exp(-values[where] / scale)
    return out


def walk(index: MatchingIndex, team: sp.csr_array) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """Truncated personalised PageRank from each team (B x n) and the step at which the walk
    first reached each centre (0 = the team itself or not reached). Sparse rows, so the work
    grows with the neighbourhood reached, not with the network; after two steps only centres
    holding at least PPR_PRUNE of the walk pass it on."""
    sizes = np.maximum(np.asarray(team.sum(axis=1)).reshape(-1, 1), 1.0)
    start = sp.csr_array(team.multiply(1.0 / sizes))
    if team.shape[0] == 1:
        return _walk_one(index, _dense(start)[0])
    total = np.zeros(team.shape)
    hops = np.zeros(team.shape, dtype=np.int8)
    seen = _dense(team) > 0
    current = sp.csr_array(start)
    for step in range(1, PPR_STEPS + 1):
        if step > PPR_EXACT_STEPS:
            current = sp.csr_array(current.multiply(current >= PPR_PRUNE))
        current = sp.csr_array(current @ index.transition)
        reached = _dense(current) > 0
        hops[reached & ~seen] = step
        seen |= reached
        total += (1.0 - PPR_CONTINUE) * PPR_CONTINUE**step * _dense(current)
    return total, hops


def _walk_one(index: MatchingIndex, start: FloatArray) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """``walk`` for one team, the reached centres of each step kept as (rows, values): while
    the walk has reached few centres only their rows are read, else (on a small network) one
    dense product; the sum and the first steps are written once at the end."""
    n = len(start)
    team = np.flatnonzero(start != 0)
    rows, values = team, start[team]
    reached: list[tuple[IntArray, FloatArray]] = []
    for step in range(1, PPR_STEPS + 1):
        if step > PPR_EXACT_STEPS:
            kept = values >= PPR_PRUNE
            rows, values = rows[kept], values[kept]
        if len(rows) * SPARSE_FRONTIER < n:
            current = _gather_times(index.transition, rows, values)
        else:
            dense = np.zeros(n)
            dense[rows] = values
            current = np.asarray(index.transition_t @ dense, dtype=np.float64)
        rows = np.flatnonzero(current > 0)
        values = current[rows]
        reached.append((rows, values))
    # Each centre adds its steps' terms in step order, as a running dense sum would.
    terms = [(1.0 - PPR_CONTINUE) * PPR_CONTINUE**k * v for k, (_, v) in enumerate(reached, 1)]
    total = np.bincount(
        np.concatenate([r for r, _ in reached]), weights=np.concatenate(terms), minlength=n
    )
    hops = np.zeros(n, dtype=np.int8)
    for step in range(len(reached), 0, -1):  # the first step that reached a centre wins
        hops[reached[step - 1][0]] = step
    hops[team] = 0
    return np.asarray(total, dtype=np.float64)[None, :], hops[None, :]


def global_proximity(index: MatchingIndex, q: QueryBatch, ppr: FloatArray) -> FloatArray:
    """Personalised PageRank relative to the best eligible candidate's, in [0, 1]."""
    ppr = np.where(_dense(q.excluded) > 0, 0.0, ppr)
    top = ppr.max(axis=1, keepdims=True) if ppr.size else np.zeros((q.size, 1))
    return np.asarray(np.divide(ppr, top, out=np.zeros_like(ppr), where=top > 0))


def activity(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    """Preferential attachment: active centres start new projects more often."""
    return np.broadcast_to(index.activity, (q.size, index.size)).copy()


def past_cooperation(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    if q.size == 1:
        return _saturate(_rows_times(index.adjacency, _dense(q.team)[0]), 1.0)[None, :]
    return _saturate(_dense(q.team @ index.adjacency), 1.0)


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
    if q.size == 1:
        lacking = np.ones(len(index.countries), dtype=bool)
        lacking[index.country_code[q.team.indices]] = False
        missing = q.min_countries[0] - (len(lacking) - int(lacking.sum()))
        urgency = float(np.clip(missing / q.open_slots[0], COUNTRY_FLOOR, 1.0))
        return np.asarray(lacking[index.country_code] * urgency, dtype=np.float64)[None, :]
    new = ~team_countries(index, q)[:, index.country_code]
    return np.asarray(new * country_urgency(index, q)[:, None], dtype=np.float64)


def shared_language(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    if q.size == 1:
        spoken = np.zeros(len(index.languages))
        spoken[row_items(index.language_onehot, int(q.owners[0]))[0]] = 1.0
        return np.asarray(_rows_times(index.language_t, spoken) > 0, dtype=np.float64)[None, :]
    owner_languages = index.language_onehot[q.owners, :].toarray()
    # n x B rather than B x n: the transposed one-hot matrix would be converted on every query.
    shared = np.asarray(index.language_onehot @ owner_languages.T).T
    return np.asarray(shared > 0, dtype=np.float64)


def programme_experience(index: MatchingIndex, q: QueryBatch) -> FloatArray:
    if q.size == 1:
        values = _rows_times(index.programme_activity_t, q.programmes[0])
        return np.clip(values, 0.0, 1.0)[None, :]
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
    excluded = _dense(q.excluded) > 0
    share = _shares(weights, factors, excluded)
    base = np.zeros((q.size, index.size))
    for k, f in enumerate(FACTORS):
        if share[:, k].any():  # a factor that dropped out adds nothing
            base += share[:, k : k + 1] * factors[f]
    base = np.round(base, 9)
    final = np.round(base * exposure_multiplier(index)[None, :], 9)
    final[excluded] = -1.0
    return Scores(FACTORS, factors, share, base, final, hops)


def _shares(
    weights: FloatArray, factors: Mapping[str, FloatArray], excluded: BoolArray
) -> FloatArray:
    """B x F weights renormalised over the factors that vary among each query's candidates."""
    if excluded.shape[0] == 1:
        return _shares_one(weights, factors, np.flatnonzero(excluded[0]))
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
    weights: FloatArray, factors: Mapping[str, FloatArray], excluded: IntArray
) -> FloatArray:
    """``_shares`` for one query: the spread of each factor over the eligible candidates from
    its maximum and minimum over every centre, looked at again only when the few excluded
    centres hold them (the NaN-masked reductions make three passes over every centre per
    factor, gathering the eligible ones a copy)."""
    varies = []
    for f in FACTORS:
        values = factors[f][0]
        if len(excluded) >= len(values):
            varies.append(False)
            continue
        top = max(_extreme(values, excluded, float(values.max())), 0.0)
        low = min(_extreme(values, excluded, float(values.min())), 1.0)
        varies.append(top - low > SIGNAL)
    used = weights[None, :] * np.asarray(varies, dtype=np.float64)[None, :]
    totals = used.sum(axis=1, keepdims=True)
    return np.asarray(np.divide(used, totals, out=np.zeros_like(used), where=totals > 0))


def _extreme(values: FloatArray, excluded: IntArray, extreme: float) -> float:
    """``extreme`` (the maximum or minimum of ``values``) when a centre not excluded holds it,
    else the same extreme over the centres not excluded."""
    held = int(np.count_nonzero(values[excluded] == extreme))
    if held == 0 or int(np.count_nonzero(values == extreme)) > held:
        return extreme
    kept = np.delete(values, excluded)
    return float(kept.max() if extreme == float(values.max()) else kept.min())


def top_rows(index: MatchingIndex, scores: FloatArray, first: int) -> IntArray:
    """The `first` best candidates of one query row, highest score first, ties by centre id;
    excluded candidates (score -1) never appear."""
    if first <= 0 or len(scores) == 0:
        return np.zeros(0, dtype=np.int64)
    # Excluded candidates score below every eligible one, so the first-th best of all is the
    # first-th best eligible one whenever there are that many; keep every candidate tied with
    # it so the id tie-break stays exact.
    cut = 0.0
    if len(scores) > first:
        cut = max(float(np.partition(scores, len(scores) - first)[len(scores) - first]), 0.0)
    chosen = np.flatnonzero(scores >= cut)
    order = np.lexsort((index.ids[chosen], -scores[chosen]))
    return np.asarray(chosen[order][:first], dtype=np.int64)
