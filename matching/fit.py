"""Factor weights fitted per network from its own history (temporal self-supervision).

For each of the latest years, the network known before that year is rebuilt (its projects and the
centres that had joined by then) and each project started that year becomes a query of its lead:
which centres joined it as *new* partners (never cooperated with the lead before)? Every query
gives pairs (a new partner, a centre that did not join, drawn at random with a seed: negatives
picked for their high prior score would make the priors' own factors look harmful) and the weights
minimise a pairwise logistic loss, w >= 0 so that reasons keep adding up, with an L2 pull toward
the priors. The pull is fixed while the loss grows with the number of queries, so a network with
little history (the 44-centre sample) keeps weights close to the priors.

Model choice (how far to trust the fit: a blend with the priors at 0, 0.25 ... 1) is validated
on cases no fit it judges has seen, in folds: the latest year, judged by a fit on the earlier
years (time moves on), and each group of funding programmes, judged by a fit on the other
programmes' projects (weights must carry over to programmes they were not fitted on: a network's
cross-border history says little about its transnational projects). The trust is chosen by the
one-standard-error rule over the folds: the best mean recall@10 of new partners, then the lowest
trust whose mean is within one standard error (of the paired per-fold differences) of it, so
folds that disagree shrink the weights toward the priors. Then the weights are fitted on every
case and blended at that trust. The figures stored with the model are the folds' means.

Callers must pass only the history they may learn from (the quality bench passes the network
known up to its cut-off, never the evaluation years).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.optimize as opt

from matching.graph import FloatArray
from matching.index import FACTORS, MatchingIndex, ScoringWeights, build_index, row_items
from matching.scoring import proposals_query, score, top_rows
from matching.snapshot import NetworkSnapshot, PartnershipData, ProposalData

Progress = Callable[[str], None]
TRAINING_YEARS = 3
PROGRAMME_FOLDS = 5  # groups of programmes held out in turn (fewer when fewer programmes)
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
    validation_cases: int  # held-out cases over all folds
    validation_recall_at_10: float | None  # mean over the folds at the chosen trust
    prior_recall_at_10: float | None  # the priors on the same held-out cases
    training_years: tuple[int, ...]  # of the final fit (the validation year included)
    validation_year: int | None  # the temporal fold: judged by a fit on the earlier years
    trust: float = 1.0  # share of the fit in the weights (the rest: the priors)
    validation_folds: int = 0  # the temporal fold and the programme folds

    def scoring_weights(self, base: ScoringWeights | None = None) -> ScoringWeights:
        return (base or ScoringWeights()).with_factors(self.weights)


@dataclass(frozen=True, slots=True)
class Query:
    proposal: ProposalData
    positives: tuple[int, ...]  # rows of new partners
    past: tuple[int, ...]  # rows of the lead's past partners: not candidates


@dataclass(frozen=True, slots=True)
class Case:
    """A project of a training year as a query on the network known before that year."""

    year: int
    index: MatchingIndex
    query: Query
    pairs: FloatArray | None  # (new partner − centre that did not join) factor rows


@dataclass(frozen=True, slots=True)
class Fold:
    """Cases held out (``test``) and the cases of the fit that judges them (``train``)."""

    name: str
    train: tuple[int, ...]
    test: tuple[int, ...]


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
    final_years = tuple(years[-TRAINING_YEARS:])
    cases = history_cases(snapshot, final_years, base, seed, say)
    folds = validation_folds(cases, years[-1])
    trust, fitted_recall, prior_recall, held_out = _choose_trust(cases, folds, base, say)
    refit = _optimise_cases(cases, range(len(cases)), prior)
    queries = sum(c.pairs is not None for c in cases)
    pairs = sum(len(c.pairs) for c in cases if c.pairs is not None)
    say(f"fitted on {queries} projects: " + _describe(refit))
    weights = _blend(refit, prior, trust)
    say(f"final weights (trust {trust:.2f} in the fit): " + _describe(weights))
    return FittedModel(
        weights,
        queries,
        pairs,
        held_out,
        fitted_recall,
        prior_recall,
        final_years,
        years[-1],
        trust,
        len(folds),
    )


def fit_years(
    snapshot: NetworkSnapshot,
    years: Sequence[int],
    base: ScoringWeights,
    seed: int,
    say: Progress,
) -> tuple[dict[str, float], int, int]:
    """Weights fitted on the projects of ``years`` (no blend), projects and pairs fitted on."""
    cases = history_cases(snapshot, years, base, seed, say)
    weights = _optimise_cases(cases, range(len(cases)), priors_of(base))
    fitted = [c.pairs for c in cases if c.pairs is not None]
    say(f"fitted on {len(fitted)} projects: " + _describe(weights))
    return weights, len(fitted), sum(len(p) for p in fitted)


def history_cases(
    snapshot: NetworkSnapshot,
    years: Sequence[int],
    base: ScoringWeights,
    seed: int,
    say: Progress,
) -> list[Case]:
    """The projects of ``years`` (at most MAX_QUERIES_PER_YEAR each, drawn with the seed) as
    queries on the network known before their year, with their pair features."""
    rng = np.random.default_rng(seed)
    cases: list[Case] = []
    for year in years:
        index, queries = year_queries(snapshot, year, base)
        say(f"{year}: {len(queries)} projects on {index.size:,} centres")
        sampled = _sample(queries, rng)
        features = _pair_features(index, sampled, rng)
        cases.extend(Case(year, index, q, f) for q, f in zip(sampled, features, strict=True))
    return cases


def validation_folds(cases: Sequence[Case], latest: int) -> list[Fold]:
    """The latest year judged by a fit on the earlier years, and each group of programmes
    judged by a fit on the other programmes' projects. Groups are filled largest programme
    first into the smallest group (ties by name), so they are balanced and deterministic; a
    fold without cases to fit on or to judge is left out."""
    everything = range(len(cases))
    folds = [
        Fold(
            str(latest),
            tuple(i for i in everything if cases[i].year < latest),
            tuple(i for i in everything if cases[i].year == latest),
        )
    ]
    sizes = Counter(c.query.proposal.programme or "" for c in cases)
    groups: list[set[str]] = [set() for _ in range(min(PROGRAMME_FOLDS, len(sizes)))]
    if len(groups) >= 2:
        filled = [0] * len(groups)
        for programme, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
            k = min(range(len(groups)), key=lambda g: (filled[g], g))
            groups[k].add(programme)
            filled[k] += size
        for k, group in enumerate(groups):
            held = [(cases[i].query.proposal.programme or "") in group for i in everything]
            folds.append(
                Fold(
                    f"programmes {k + 1}/{len(groups)}",
                    tuple(i for i in everything if not held[i]),
                    tuple(i for i in everything if held[i]),
                )
            )
    return [f for f in folds if f.test and any(cases[i].pairs is not None for i in f.train)]


TRUST_LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _blend(
    fitted: Mapping[str, float], prior: Mapping[str, float], trust: float
) -> dict[str, float]:
    return {f: round(trust * fitted[f] + (1.0 - trust) * prior[f], 6) for f in FACTORS}


def _choose_trust(
    cases: Sequence[Case], folds: Sequence[Fold], base: ScoringWeights, say: Progress
) -> tuple[float, float | None, float | None, int]:
    """The trust chosen by the one-standard-error rule over the folds (see the module's doc);
    returns it with the folds' mean recall@10 at it and with the priors, and the held-out
    cases. Without a fold (too little history) the fit is trusted: its pull keeps it near the
    priors."""
    if not folds:
        return 1.0, None, None, 0
    prior = priors_of(base)
    table = np.zeros((len(folds), len(TRUST_LEVELS)))
    for k, fold in enumerate(folds):
        fitted = _optimise_cases(cases, fold.train, prior)
        for t, trust in enumerate(TRUST_LEVELS):
            weights = base.with_factors(_blend(fitted, prior, trust))
            table[k, t] = float(np.mean(held_out_recalls(cases, fold.test, weights)))
        say(
            f"fold {fold.name} ({len(fold.test)} held out): recall@10 by trust "
            + " ".join(f"{v:.3f}" for v in table[k])
        )
    chosen = one_standard_error(table)
    mean = table.mean(axis=0)
    say(
        f"validation: mean recall@10 {mean[chosen]:.3f} at trust {TRUST_LEVELS[chosen]:.2f}, "
        f"priors {mean[0]:.3f} ({len(folds)} folds)"
    )
    held = sum(len(f.test) for f in folds)
    return TRUST_LEVELS[chosen], float(mean[chosen]), float(mean[0]), held


def one_standard_error(table: FloatArray) -> int:
    """Column (trust level, priors first) of a folds × trusts table of recall: the lowest
    whose mean is within one standard error of the best mean, the error of the per-fold
    differences to the best (0 with a single fold)."""
    mean = table.mean(axis=0)
    best = int(np.argmax(mean))  # the first best: ties go to the priors
    gaps = table[:, [best]] - table
    folds = len(table)
    error = gaps.std(axis=0, ddof=1) / np.sqrt(folds) if folds > 1 else np.zeros(len(mean))
    return next(t for t in range(len(mean)) if gaps[:, t].mean() <= error[t] + 1e-12)


def held_out_recalls(
    cases: Sequence[Case], chosen: Sequence[int], weights: ScoringWeights
) -> FloatArray:
    """Recall@10 of each chosen case under ``weights``, on its year's network."""
    by_year: dict[int, list[Case]] = {}
    for i in chosen:
        by_year.setdefault(cases[i].year, []).append(cases[i])
    found = []
    for group in by_year.values():
        index = dataclasses.replace(group[0].index, weights=weights)
        found.append(recalls_at_10(index, [c.query for c in group]))
    return np.concatenate(found)


def _optimise_cases(
    cases: Sequence[Case], chosen: Iterable[int], prior: Mapping[str, float]
) -> dict[str, float]:
    pairs = [p for i in chosen if (p := cases[i].pairs) is not None]
    return _optimise(pairs, prior) if pairs else dict(prior)


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
) -> list[FloatArray | None]:
    """Per query: rows of (positive − negative) factor values, one row per pair (None when no
    centre is left to be a negative)."""
    out: list[FloatArray | None] = []
    for block in _blocks(index, queries):
        q = proposals_query(index, [query.proposal for query in block])
        s = score(index, q)
        stacked = np.stack([s.factors[f] for f in FACTORS], axis=2)  # B x n x F
        for b, query in enumerate(block):
            owner = index.row_of[query.proposal.owner]
            negatives = _negatives(s.final[b], query, owner, rng)
            if not negatives:
                out.append(None)
                continue
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


def recalls_at_10(index: MatchingIndex, queries: Sequence[Query]) -> FloatArray:
    """Each query's share of new partners in its ten best suggestions."""
    found = []
    for block in _blocks(index, queries):
        final = score(index, proposals_query(index, [q.proposal for q in block])).final
        for b, query in enumerate(block):
            values = final[b].copy()
            values[list(query.past)] = -1.0
            top = set(top_rows(index, values, 10).tolist())
            found.append(len(top.intersection(query.positives)) / len(query.positives))
    return np.asarray(found, dtype=np.float64)
