"""The prepared, read-only structure every request scores against.

Building it is the expensive part (O(centres + joint-project pairs)); the service builds it once
per data version and shares it between requests. Rows are centres sorted by id, columns are
themes / competencies / languages / programmes / countries sorted by slug, so the same data gives
the same matrices whatever order the snapshot listed things in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matching.graph import (
    CooperationEdges,
    FloatArray,
    IntArray,
    Memberships,
    cooperation_edges,
    memberships,
    reference_year,
)
from matching.snapshot import CentreData, NetworkSnapshot

LEVELS = (1, 2, 3)
# A past project's themes count half as much as a declared theme (times its recency): declared
# themes are what a centre says it does, project themes what it was seen doing.
PROJECT_THEME_WEIGHT = 0.5
# Exposure re-ranking only lowers centres above this percentile of degree.
EXPOSED_PERCENTILE = 75.0
# A participation counts as recent for the activity reason when it ended at most this many years
# before the reference year.
RECENT_YEARS = 5


@dataclass(frozen=True, slots=True)
class ScoringWeights:
    """Weights of the suggestion factors (renormalised over the factors that carry a signal for a
    query) and the knobs of the scoring. These defaults are the *priors*: a network's fitted
    model (``matching.fit``) replaces them with weights learnt from its own history, shrunk
    toward these when that history is thin. See docs/matching.md."""

    complementarity: float = 0.25
    reciprocity: float = 0.05
    theme_affinity: float = 0.15
    network_proximity: float = 0.10
    global_proximity: float = 0.05
    past_cooperation: float = 0.05
    activity: float = 0.10
    country_diversity: float = 0.05
    shared_language: float = 0.05
    programme_experience: float = 0.10
    programme_area: float = 0.05
    # Exposure re-ranking (matching/exposure.py): a centre's score is multiplied by
    # 1 - exposure_strength * exposure, exposure in [0, 1] growing with its log degree.
    exposure_strength: float = 0.05
    # Network proximity is 1 - exp(-RA / proximity_scale), RA = resource allocation index.
    proximity_scale: float = 0.5

    def factor_weight(self, factor: str) -> float:
        return float(getattr(self, factor))

    def with_factors(self, weights: Mapping[str, float]) -> ScoringWeights:
        """The same knobs with other factor weights (unknown names are ignored)."""
        known = {f: float(w) for f, w in weights.items() if f in FACTORS}
        return dataclasses.replace(self, **known)


FACTORS: tuple[str, ...] = (
    "complementarity",
    "reciprocity",
    "theme_affinity",
    "network_proximity",
    "global_proximity",
    "past_cooperation",
    "activity",
    "country_diversity",
    "shared_language",
    "programme_experience",
    "programme_area",
)
# Tuned on the keep.eu validation split (known up to 2015, proposals of 2016) before weights were
# fitted per network; kept as a fixed alternative for the quality bench.
CROSS_BORDER_WEIGHTS = ScoringWeights(
    complementarity=0.30,
    theme_affinity=0.20,
    network_proximity=0.05,
    global_proximity=0.0,
    activity=0.0,
    country_diversity=0.10,
    programme_experience=0.50,
    programme_area=0.05,
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Sorted slugs of one kind and their column numbers."""

    slugs: tuple[str, ...]
    col: Mapping[str, int]

    @classmethod
    def of(cls, slugs: Iterable[str]) -> Vocabulary:
        ordered = tuple(sorted(set(slugs)))
        return cls(ordered, {s: i for i, s in enumerate(ordered)})

    def __len__(self) -> int:
        return len(self.slugs)


@dataclass(frozen=True, slots=True, eq=False)
class MatchingIndex:
    snapshot: NetworkSnapshot
    weights: ScoringWeights
    reference_year: int
    centres: tuple[CentreData, ...]  # row order (sorted by id)
    ids: IntArray
    row_of: Mapping[int, int]
    countries: Vocabulary
    country_code: IntArray  # per row, column in `countries`
    country_onehot: sp.csr_array  # n x K
    themes: Vocabulary
    # n x T: declared themes (1.0) + recency-weighted project themes, idf-weighted, L2-normalised
    theme_profile: sp.csr_array
    theme_profile_t: sp.csr_array  # T x n, its transpose: one query reads its themes' rows
    theme_idf: FloatArray
    competencies: Vocabulary
    offers: sp.csr_array  # n x C levels
    seeks: sp.csr_array  # n x C levels
    competency_idf: FloatArray
    offer_count: IntArray  # how many centres offer each competency
    offers_at_least_t: tuple[sp.csr_array, ...]  # per level l: C x n indicator offers >= l
    seek_credit_t: tuple[sp.csr_array, ...]  # per level l: C x n, see _seek_credit
    languages: Vocabulary
    language_onehot: sp.csr_array  # n x L
    language_t: sp.csr_array  # L x n, its transpose
    programmes: Vocabulary
    programme_count: sp.csr_array  # n x P joint projects per programme
    programme_country_share: FloatArray  # P x K share of a programme's participations
    # n x P log1p(participations) / log1p(the programme's most active centre's participations)
    programme_activity: sp.csr_array
    programme_activity_t: sp.csr_array  # P x n, its transpose
    adjacency: sp.csr_array  # n x n cooperation weight
    binary_adjacency: sp.csr_array  # n x n 1.0 where two centres cooperated
    joint_count: sp.csr_array  # n x n number of joint projects
    joint_last_year: sp.csr_array  # n x n latest joint year (-1 undated, 0 = no edge)
    degree: IntArray  # distinct partners
    transition: sp.csr_array  # n x n random-walk step on cooperation weights (rows sum to 1)
    transition_t: sp.csr_array  # its transpose, for one query's dense walk steps
    recent_projects: IntArray  # projects ended in the last RECENT_YEARS years (or undated)
    activity: FloatArray  # (n,) log1p(recency-weighted participations) over the maximum
    exposure: FloatArray  # (n,) 0..1, how much exposure a centre already gets (log degree)
    edges: CooperationEdges = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.centres)

    def theme_name(self, slug: str) -> str:
        return self.snapshot.theme_names.get(slug, slug)

    def competency_name(self, slug: str) -> str:
        return self.snapshot.competency_names.get(slug, slug)


def row_items(matrix: sp.csr_array, row: int) -> tuple[list[int], list[float]]:
    """Column indices and values of one CSR row, without building a sliced matrix (slicing costs
    ~50 us in scipy; this is what keeps explanations cheap)."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:end].tolist(), matrix.data[start:end].tolist()


def cell(matrix: sp.csr_array, row: int, col: int) -> float:
    """One value of a CSR matrix with sorted indices (0.0 when absent), without scipy's
    scalar indexing (~50 us)."""
    start, end = int(matrix.indptr[row]), int(matrix.indptr[row + 1])
    position = start + int(np.searchsorted(matrix.indices[start:end], col))
    if position < end and matrix.indices[position] == col:
        return float(matrix.data[position])
    return 0.0


def build_index(snapshot: NetworkSnapshot, weights: ScoringWeights | None = None) -> MatchingIndex:
    centres = tuple(sorted(snapshot.centres, key=lambda c: c.id))
    row_of = {c.id: r for r, c in enumerate(centres)}
    ref = reference_year(snapshot)
    joined = memberships(snapshot.partnerships, row_of)
    edges = cooperation_edges(joined, row_of, ref)
    n = len(centres)
    countries = Vocabulary.of(c.country for c in centres)
    themes = Vocabulary.of(_theme_slugs(snapshot))
    competencies = Vocabulary.of(_competency_slugs(snapshot))
    languages = Vocabulary.of(lang for c in centres for lang in c.languages)
    programmes = Vocabulary.of(p.programme for p in snapshot.partnerships if p.programme)
    offers = _level_matrix(centres, competencies, lambda c: c.offers)
    seeks = _level_matrix(centres, competencies, lambda c: c.seeks)
    offer_count = np.asarray((offers > 0).sum(axis=0), dtype=np.int64).ravel()
    idf = _idf(offer_count, n)
    theme_raw = _theme_raw(joined, centres, themes, ref)
    theme_idf = _idf(np.asarray((theme_raw > 0).sum(axis=0), dtype=np.int64).ravel(), n)
    country_code = np.asarray([countries.col[c.country] for c in centres], dtype=np.int64)
    programme_count = _programme_count(joined, programmes)
    adjacency, joint_count, joint_last_year = _adjacency(edges, n)
    degree = np.diff(adjacency.indptr).astype(np.int64)
    participation, recent = _participation(joined, ref)
    transition = _transition(adjacency)
    theme_profile = _normalise_rows(theme_raw @ sp.diags_array(theme_idf))
    language_onehot = _onehot(centres, languages, lambda c: c.languages)
    programme_activity = _programme_activity(programme_count)
    return MatchingIndex(
        snapshot=snapshot,
        weights=weights or ScoringWeights(),
        reference_year=ref,
        centres=centres,
        ids=np.asarray([c.id for c in centres], dtype=np.int64),
        row_of=row_of,
        countries=countries,
        country_code=country_code,
        country_onehot=_country_onehot(country_code, countries),
        themes=themes,
        theme_profile=theme_profile,
        theme_profile_t=_transposed(theme_profile),
        theme_idf=theme_idf,
        competencies=competencies,
        offers=offers,
        seeks=seeks,
        competency_idf=idf,
        offer_count=offer_count,
        offers_at_least_t=tuple(_at_least(offers, lvl).T.tocsr() for lvl in LEVELS),
        seek_credit_t=tuple(_seek_credit(seeks, idf, lvl).T.tocsr() for lvl in LEVELS),
        languages=languages,
        language_onehot=language_onehot,
        language_t=_transposed(language_onehot),
        programmes=programmes,
        programme_count=programme_count,
        programme_country_share=_programme_country_share(programme_count, country_code, countries),
        programme_activity=programme_activity,
        programme_activity_t=_transposed(programme_activity),
        adjacency=adjacency,
        binary_adjacency=sp.csr_array(adjacency > 0, dtype=np.float64),
        joint_count=joint_count,
        joint_last_year=joint_last_year,
        degree=degree,
        transition=transition,
        transition_t=_transposed(transition),
        recent_projects=recent,
        activity=_log_share(participation),
        exposure=_exposure(degree),
        edges=edges,
    )


def _transposed(matrix: sp.csr_array) -> sp.csr_array:
    """The transpose as CSR (sorted indices): one query reads the few rows it needs."""
    transposed = sp.csr_array(matrix.T.tocsr())
    transposed.sort_indices()
    return transposed


def _theme_slugs(snapshot: NetworkSnapshot) -> Iterable[str]:
    yield from snapshot.theme_names
    for c in snapshot.centres:
        yield from c.themes
    for p in snapshot.partnerships:
        yield from p.themes


def _competency_slugs(snapshot: NetworkSnapshot) -> Iterable[str]:
    yield from snapshot.competency_names
    for c in snapshot.centres:
        yield from c.offers
        yield from c.seeks


def _idf(document_count: IntArray, n: int) -> FloatArray:
    """Smoothed inverse document frequency: a competency offered by few centres weighs more."""
    return np.asarray(np.log((1.0 + n) / (1.0 + document_count)) + 1.0, dtype=np.float64)


def _sparse(
    rows: list[int], cols: list[int], vals: list[float], shape: tuple[int, int]
) -> sp.csr_array:
    matrix = sp.coo_array((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=shape)
    out = matrix.tocsr()
    out.sum_duplicates()
    out.sort_indices()
    return out


def _level_matrix(
    centres: tuple[CentreData, ...],
    vocab: Vocabulary,
    levels: Callable[[CentreData], Mapping[str, int]],
) -> sp.csr_array:
    rows, cols, vals = [], [], []
    for r, c in enumerate(centres):
        for slug, level in levels(c).items():
            rows.append(r)
            cols.append(vocab.col[slug])
            vals.append(float(min(max(level, 1), 3)))
    return _sparse(rows, cols, vals, (len(centres), len(vocab)))


def _onehot(
    centres: tuple[CentreData, ...],
    vocab: Vocabulary,
    values: Callable[[CentreData], Iterable[str]],
) -> sp.csr_array:
    pairs = sorted({(r, vocab.col[v]) for r, c in enumerate(centres) for v in values(c)})
    rows = [r for r, _ in pairs]
    cols = [k for _, k in pairs]
    return _sparse(rows, cols, [1.0] * len(pairs), (len(centres), len(vocab)))


def _theme_raw(
    joined: Memberships, centres: tuple[CentreData, ...], themes: Vocabulary, ref: int
) -> sp.csr_array:
    """Declared themes (1.0) plus, for every joint project, its themes for each member at
    PROJECT_THEME_WEIGHT times the project's recency."""
    rows, cols = [], []
    for r, c in enumerate(centres):
        for slug in set(c.themes):
            rows.append(r)
            cols.append(themes.col[slug])
    declared = np.ones(len(rows))
    # Project p's themes are theme_col[theme_start[p]:theme_start[p + 1]].
    per_project = [sorted({themes.col[t] for t in p.themes}) for p in joined.partnerships]
    theme_count = np.asarray([len(t) for t in per_project], dtype=np.int64)
    theme_start = np.r_[0, np.cumsum(theme_count)]
    theme_col = np.asarray([c for t in per_project for c in t], dtype=np.int64)
    weight = PROJECT_THEME_WEIGHT * joined.recency(ref)
    repeat = theme_count[joined.project]
    entry = np.repeat(np.arange(len(joined.project)), repeat)
    offset = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    project = joined.project[entry]
    return _sparse(
        [*rows, *joined.row[entry].tolist()],
        [*cols, *theme_col[theme_start[project] + offset].tolist()],
        [*declared.tolist(), *weight[project].tolist()],
        (len(centres), len(themes)),
    )


def _normalise_rows(matrix: sp.csr_array) -> sp.csr_array:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_array(sp.diags_array(inverse) @ matrix)


def _at_least(levels: sp.csr_array, level: int) -> sp.csr_array:
    out = sp.csr_array(levels >= level, dtype=np.float64)
    out.eliminate_zeros()
    return out


def _seek_credit(seeks: sp.csr_array, idf: FloatArray, level: int) -> sp.csr_array:
    """Per-level credit of a centre's wants: [wanted >= l] * idf / wanted / sum of its wants' idf.

    Summed over levels against "offers >= l" indicators this gives, for each want,
    min(offered, wanted) / wanted, weighted by idf and normalised to [0, 1] (see scoring)."""
    weighted = seeks.copy()
    weighted.data = idf[weighted.indices] / weighted.data
    total = np.asarray((seeks > 0).astype(np.float64) @ idf).ravel()
    inverse = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    mask = _at_least(seeks, level)
    return sp.csr_array(sp.diags_array(inverse) @ weighted.multiply(mask))


def _programme_count(joined: Memberships, programmes: Vocabulary) -> sp.csr_array:
    column = np.asarray(
        [programmes.col[p.programme] if p.programme else -1 for p in joined.partnerships],
        dtype=np.int64,
    )
    cols = column[joined.project]
    has = cols >= 0
    shape = (joined.centres, len(programmes))
    return _sparse(joined.row[has].tolist(), cols[has].tolist(), [1.0] * int(has.sum()), shape)


def _country_onehot(country_code: IntArray, countries: Vocabulary) -> sp.csr_array:
    n = len(country_code)
    return sp.csr_array((np.ones(n), (np.arange(n), country_code)), shape=(n, len(countries)))


def _programme_country_share(
    programme_count: sp.csr_array, country_code: IntArray, countries: Vocabulary
) -> FloatArray:
    onehot = _country_onehot(country_code, countries)
    per_country = np.asarray((programme_count.T @ onehot).todense(), dtype=np.float64)
    totals = per_country.sum(axis=1, keepdims=True)
    share = np.divide(per_country, totals, out=np.zeros_like(per_country), where=totals > 0)
    return np.asarray(share, dtype=np.float64)


def _adjacency(edges: CooperationEdges, n: int) -> tuple[sp.csr_array, sp.csr_array, sp.csr_array]:
    rows = np.r_[edges.a, edges.b]
    cols = np.r_[edges.b, edges.a]

    def symmetric(values: FloatArray) -> sp.csr_array:
        out = sp.csr_array((np.r_[values, values], (rows, cols)), shape=(n, n))
        out.sort_indices()
        return out

    years = edges.last_year.astype(np.float64)
    return (
        symmetric(edges.weight),
        symmetric(edges.count.astype(np.float64)),
        symmetric(years),
    )


def _programme_activity(programme_count: sp.csr_array) -> sp.csr_array:
    """Participations in a programme on a log scale, relative to its most active centre: keeps
    ranking the more experienced where a saturating 1 - exp(-count) could not tell 3 from 30."""
    out = programme_count.tocsc(copy=True)
    top = np.log1p(np.asarray(programme_count.max(axis=0).todense()).ravel())
    for col in range(out.shape[1]):
        start, end = out.indptr[col], out.indptr[col + 1]
        out.data[start:end] = np.log1p(out.data[start:end]) / max(top[col], 1e-12)
    return sp.csr_array(out)


def _participation(joined: Memberships, ref: int) -> tuple[FloatArray, IntArray]:
    """Per centre: recency-weighted project count, and projects of the last RECENT_YEARS years."""
    years = joined.years()
    weight = joined.recency(ref)
    recent = ((years < 0) | (ref - years <= RECENT_YEARS)).astype(np.float64)
    n = joined.centres
    weighted = np.bincount(joined.row, weights=weight[joined.project], minlength=n)
    counts = np.bincount(joined.row, weights=recent[joined.project], minlength=n)
    return np.asarray(weighted, dtype=np.float64), np.rint(counts).astype(np.int64)


def _log_share(values: FloatArray) -> FloatArray:
    top = float(np.log1p(values.max())) if len(values) else 0.0
    if top <= 0:
        return np.zeros(len(values))
    return np.asarray(np.log1p(values) / top, dtype=np.float64)


def _transition(adjacency: sp.csr_array) -> sp.csr_array:
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
    return sp.csr_array(sp.diags_array(inverse) @ adjacency)


def _exposure(degree: IntArray) -> FloatArray:
    """How much a centre is already seen, in [0, 1]: 0 up to the EXPOSED_PERCENTILE of degree,
    then rising in log degree to 1 for the most connected centre; a centre with a few partners
    is never lowered."""
    if len(degree) == 0 or degree.max() == 0:
        return np.zeros(len(degree))
    log_degree = np.log1p(degree.astype(np.float64))
    threshold = np.log1p(np.percentile(degree, EXPOSED_PERCENTILE))
    top = float(log_degree.max())
    if top <= threshold:
        return np.zeros(len(degree))
    return np.asarray(np.clip((log_degree - threshold) / (top - threshold), 0.0, 1.0))
