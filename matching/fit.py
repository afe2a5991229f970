"""Factor weights fitted per network from its own history (temporal self-supervision).

For each of the latest years, the network known before that year is rebuilt (its projects and the
centres that had joined by then) and each project started that year becomes a query of its lead:
which centres joined it as *new* partners (never cooperated with the lead before)? Every query
gives pairs (a new partner, a centre that did not join, drawn at random with a seed: negatives
picked for their high prior score would make the priors' own factors look harmful) and the weights
minimise a pairwise logistic loss, w >= 0 so that reasons keep adding up, with an L2 pull toward
the priors. The pull is fixed while the loss grows with the number of queries, so a network with
little history (the 44-centre sample) keeps weights close to the priors.

Model choice is temporal too: a first fit on the years before the latest is blended with the
priors at the trust (0, 0.25 ... 1) that gives the best recall@10 of new partners on the latest
year, which that fit never saw (the figures stored with the model); then the weights are fitted
again with the latest year included and blended at that trust.

Callers must pass only the history they may learn from (the quality bench passes the network
known up to its cut-off, never the evaluation years).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.optimize as opt

from matching.graph import FloatArray
from matching.index import FACTORS, MatchingIndex, ScoringWeights, build_index, row_items
from matching.scoring import proposals_query, score, top_rows
from matching.snapshot import NetworkSnapshot, PartnershipData, ProposalData

Progress = Callable[[str], None]
TRAINING_YEARS = 3
MAX_QUERIES_PER_YEAR = 300
NEGATIVES = 60  # centres that did not join, per query, drawn at random
PRIOR_SCALE = 10.0  # priors (summing to 1) times this are the anchor of the weights
PRIOR_PULL = 0.5  # L2 strength toward the anchor, against a loss summed over queries
BLOCK_CELLS = 2_000_000


@dataclass(frozen=True, slots=True)
class FittedModel:
    weights: Mapping[str, float]  # factor -> weight, summing to 1
    training_cases: int  # queries (projects) fitted on
    training_pairs: int
    validation_cases: int
    validation_recall_at_10: float | None  # fitted weights, new partners, latest year
    prior_recall_at_10: float | None  # the priors on the same validation queries
    training_years: tuple[int, ...]  # of the final fit (the validation year included)
    validation_year: int | None  # the first fit, which chose `trust`, never saw it
    trust: float = 1.0  # share of the fit in the weights (the rest: the priors)

    def scoring_weights(self, base: ScoringWeights | None = None) -> ScoringWeights:
        return (base or ScoringWeights()).with_factors(self.weights)


@dataclass(frozen=True, slots=True)
class Query:
    proposal: ProposalData
    positives: tuple[int, ...]  # rows of new partners
    past: tuple[int, ...]  # rows of the lead's past partners: not candidates


def priors_of(weights: ScoringWeights) -> dict[str, float]:
    raw = {f: weights.factor_weight(f) for f in FACTORS}
    total = sum(raw.values()) or 1.0
    return {f: w / total for f, w in raw.items()}


def fit_weights(
    snapshot: NetworkSnapshot,
    priors: ScoringWeights | None = None,
    *,
    seed: int = 42,
    progress: Progress | None = None,
) -> FittedModel:
    """Fit on the years before the latest, choose on the latest how far to trust the fit
    (a blend with the priors), then fit again with the latest year included and blend the same."""
    base = priors or ScoringWeights()
    say = progress or (lambda _: None)
    years = _project_years(snapshot)
    prior = priors_of(base)
    if len(years) < 2:
        say("too little history to fit: keeping the priors")
        return FittedModel(prior, 0, 0, 0, None, None, (), None, 0.0)
    validation_year, training = years[-1], tuple(years[-1 - TRAINING_YEARS : -1])
    first, _, _ = fit_years(snapshot, training, base, seed, say)
    trust, fitted_recall, prior_recall, cases = _choose_trust(
        snapshot, validation_year, base, first, say
    )
    final_years = tuple(years[-TRAINING_YEARS:])
    refit, queries, pairs = fit_years(snapshot, final_years, base, seed, say)
    weights = _blend(refit, prior, trust)
    say(f"final weights (trust {trust:.2f} in the fit): " + _describe(weights))
    return FittedModel(
        weights,
        queries,
        pairs,
        cases,
        fitted_recall,
        prior_recall,
        final_years,
        validation_year,
        trust,
    )


def fit_years(
    snapshot: NetworkSnapshot,
    years: Sequence[int],
    base: ScoringWeights,
    seed: int,
    say: Progress,
) -> tuple[dict[str, float], int, int]:
    rng = np.random.default_rng(seed)
    diffs: list[FloatArray] = []
    for year in years:
        index, queries = year_queries(snapshot, year, base)
        say(f"{year}: {len(queries)} projects on {index.size:,} centres")
        diffs.extend(_pair_features(index, _sample(queries, rng), rng))
    weights = _optimise(diffs, priors_of(base)) if diffs else priors_of(base)
    say(f"fitted on {len(diffs)} projects: " + _describe(weights))
    return weights, len(diffs), sum(len(d) for d in diffs)


TRUST_LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _blend(
    fitted: Mapping[str, float], prior: Mapping[str, float], trust: float
) -> dict[str, float]:
    return {f: round(trust * fitted[f] + (1.0 - trust) * prior[f], 6) for f in FACTORS}


def _choose_trust(
    snapshot: NetworkSnapshot,
    year: int,
    base: ScoringWeights,
    fitted: Mapping[str, float],
    say: Progress,
) -> tuple[float, float | None, float | None, int]:
    """The blend of fit and priors with the best recall@10 on ``year`` (never fitted on);
    ties go to the priors. Returns it with its recall, the priors' recall and the cases."""
    index, queries = year_queries(snapshot, year, base)
    if not queries:
        return 1.0, None, None, 0
    prior = priors_of(base)
    scored = []
    for trust in TRUST_LEVELS:
        weighted = dataclasses.replace(
            index, weights=base.with_factors(_blend(fitted, prior, trust))
        )
        scored.append((recall_at_10(weighted, queries), -trust))
    best, negative_trust = max(scored)
    say(
        f"{year} (validation): recall@10 {best:.3f} at trust {-negative_trust:.2f}, "
        f"priors {scored[0][0]:.3f}"
    )
    return -negative_trust, best, scored[0][0], len(queries)


def _describe(weights: Mapping[str, float]) -> str:
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{f} {w:.2f}" for f, w in ranked if w >= 0.005)


def _start(p: PartnershipData) -> int | None:
    return p.start_year if p.start_year is not None else p.end_year


def _project_years(snapshot: NetworkSnapshot) -> list[int]:
    """Years in which projects with at least two members started."""
    return sorted({y for p in snapshot.partnerships if (y := _start(p)) and len(p.members) > 1})


def known_before(snapshot: NetworkSnapshot, year: int) -> NetworkSnapshot:
    """The network as it was known before ``year``: projects started earlier (undated ones kept)
    and the centres of that time. A centre whose first project starts in or after ``year`` had
    not joined yet (it is no candidate), unless it leads a project of ``year`` (it asks); centres
    with no project at all are members without history and stay."""
    kept = tuple(p for p in snapshot.partnerships if (_start(p) or 0) < year)
    active = {m for p in kept for m in p.members}
    leads = {p.lead for p in snapshot.partnerships if _start(p) == year and p.lead is not None}
    seen = {m for p in snapshot.partnerships for m in p.members}
    centres = tuple(
        c for c in snapshot.centres if c.id in active or c.id in leads or c.id not in seen
    )
    return dataclasses.replace(
        snapshot, centres=centres, partnerships=kept, proposals=(), reference_year=year - 1
    )


def year_queries(
    snapshot: NetworkSnapshot, year: int, weights: ScoringWeights
) -> tuple[MatchingIndex, list[Query]]:
    index = build_index(known_before(snapshot, year), weights)
    started = [p for p in snapshot.partnerships if _start(p) == year]
    queries = [q for p in sorted(started, key=lambda p: p.id) if (q := _query(index, p))]
    return index, queries


def _query(index: MatchingIndex, project: PartnershipData) -> Query | None:
    members = sorted({m for m in project.members if m in index.row_of})
    if len(members) < 2:
        return None
    lead = project.lead if project.lead is not None and project.lead in index.row_of else members[0]
    past = set(row_items(index.binary_adjacency, index.row_of[lead])[0])
    positives = tuple(index.row_of[m] for m in members if m != lead and index.row_of[m] not in past)
    if not positives:
        return None
    proposal = ProposalData(
        id=project.id,
        owner=lead,
        themes=project.themes,
        programme=project.programme,
        partners_max=max(1, len(members) - 1),
    )
    return Query(proposal, positives, tuple(sorted(past)))


def _sample(queries: list[Query], rng: np.random.Generator) -> list[Query]:
    if len(queries) <= MAX_QUERIES_PER_YEAR:
        return queries
    keep = sorted(rng.choice(len(queries), MAX_QUERIES_PER_YEAR, replace=False).tolist())
    return [queries[i] for i in keep]


def _blocks(index: MatchingIndex, queries: Sequence[Query]) -> list[Sequence[Query]]:
    size = max(1, BLOCK_CELLS // max(index.size * len(FACTORS), 1))
    return [queries[i : i + size] for i in range(0, len(queries), size)]


def _pair_features(
    index: MatchingIndex, queries: Sequence[Query], rng: np.random.Generator
) -> list[FloatArray]:
    """Per query: rows of (positive − negative) factor values, one row per pair."""
    out = []
    for block in _blocks(index, queries):
        q = proposals_query(index, [query.proposal for query in block])
        s = score(index, q)
        stacked = np.stack([s.factors[f] for f in FACTORS], axis=2)  # B x n x F
        for b, query in enumerate(block):
            owner = index.row_of[query.proposal.owner]
            negatives = _negatives(s.final[b], query, owner, rng)
            if len(negatives):
                pos = stacked[b, list(query.positives)]
                neg = stacked[b, negatives]
                out.append((pos[:, None, :] - neg[None, :, :]).reshape(-1, len(FACTORS)))
    return out


def _negatives(final: FloatArray, query: Query, owner: int, rng: np.random.Generator) -> list[int]:
    eligible = final >= 0
    eligible[[*query.positives, *query.past, owner]] = False
    pool = np.flatnonzero(eligible)
    if len(pool) == 0:
        return []
    return sorted(rng.choice(pool, min(NEGATIVES, len(pool)), replace=False).tolist())


def _optimise(diffs: Sequence[FloatArray], priors: Mapping[str, float]) -> dict[str, float]:
    anchor = PRIOR_SCALE * np.asarray([priors[f] for f in FACTORS])
    stacked = np.concatenate(diffs)
    per_query = np.concatenate([np.full(len(d), 1.0 / len(d)) for d in diffs])

    def loss(w: FloatArray) -> tuple[float, FloatArray]:
        margin = stacked @ w
        value = float(per_query @ np.logaddexp(0.0, -margin))
        slope = -(per_query * _sigmoid(-margin)) @ stacked
        gap = w - anchor
        return value + PRIOR_PULL * float(gap @ gap), slope + 2.0 * PRIOR_PULL * gap

    bounds = [(0.0, None)] * len(FACTORS)
    found = opt.minimize(loss, anchor, jac=True, method="L-BFGS-B", bounds=bounds)
    w = np.maximum(found.x, 0.0)
    total = float(w.sum()) or 1.0
    return {f: round(float(v) / total, 6) for f, v in zip(FACTORS, w, strict=True)}


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)), dtype=np.float64)


def recall_at_10(index: MatchingIndex, queries: Sequence[Query]) -> float:
    """Mean share of each query's new partners in its ten best suggestions (past partners of
    the lead are not candidates)."""
    found = []
    for block in _blocks(index, queries):
        final = score(index, proposals_query(index, [q.proposal for q in block])).final
        for b, query in enumerate(block):
            values = final[b].copy()
            values[list(query.past)] = -1.0
            top = set(top_rows(index, values, 10).tolist())
            found.append(len(top.intersection(query.positives)) / len(query.positives))
    return float(np.mean(found))
