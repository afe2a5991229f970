"""Quality of the matching engine: suggestions on keep.eu, consortium greedy vs best, clusters.

suggestions: the network known up to --split-year (projects that started by then) predicts the
  partners of later projects. Each later project with at least two members already known becomes
  a proposal of its lead partner (its themes and programme; a lead that is new is added as a
  centre with no history, and never suggested to others); the hidden truth is its other partners.
  Recall@k = share of the other partners in the first k suggestions (mean over projects); "known"
  recall counts only the partners that were in the known network (the findable ones). A
  validation split (known up to split-1, proposals of the split year) is printed first: weights
  were tuned on it, never on the test split.
exposure: how hub dampening spreads the top places of suggestions on a heavy-tailed network.
consortium: greedy against exhaustive search on small random synthetic cases.
clusters: NMI against the planted communities of LFR benchmark graphs (n = 1,000) and of the
  synthetic generator.

    .venv/bin/python bench/matching_quality.py --sections suggestions,exposure,consortium,clusters
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching import (  # noqa: E402
    CentreData,
    ClusterResult,
    MatchingIndex,
    NetworkSnapshot,
    PartnershipData,
    ProposalData,
    ScoringWeights,
    build_index,
    detect_clusters,
    exhaustive_consortium,
    gini,
    suggest_consortium,
    suggest_for_proposal,
)
from matching.fit import fit_weights  # noqa: E402
from matching.index import row_items  # noqa: E402
from matching.keep_eu_snapshot import (  # noqa: E402
    Dataset,
    Project,
    keep_eu_network,
    project_as_proposal,
)
from matching.synthetic import synthetic_network  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "keep-eu"
RANKED = 100  # ranking depth kept per proposal (for MRR)
BOOTSTRAP = 1000  # resamples of the cases for the 95% intervals
TARGET = 1.25  # engine recall@10 over the best classic predictor
Ranker = Callable[["Case"], list[int]]


@dataclass(frozen=True)
class Case:
    proposal: ProposalData  # declined = newcomers and the lead's past partners: not candidates
    truth: frozenset[int]  # new partners: members that never cooperated with the lead before


@dataclass(frozen=True)
class Split:
    name: str
    index: MatchingIndex  # the known network
    cases: tuple[Case, ...]
    fit_on: NetworkSnapshot  # the history the engine may learn from (never the cases)


# --- evaluation sets ------------------------------------------------------------------------


def load_dataset(directory: Path) -> Dataset:
    from accr_graph.importers.keep_eu import parse_keep_eu

    return parse_keep_eu(directory)


CROSS_BORDER = ("V-A", "IPA CBC", "PEACE")


def is_cross_border(programme: str | None) -> bool:
    return programme is not None and any(tag in programme for tag in CROSS_BORDER)


def keep_eu_split(
    dataset: Dataset, known_until: int, name: str, keep: Callable[[Project], bool] | None = None
) -> Split:
    """Projects started after ``known_until`` (with a lead and two known members) as queries of
    their lead; a lead new to the network is added without history and never suggested."""
    network = keep_eu_network(dataset, until_year=known_until)
    known = {c.id for c in network.snapshot.centres}
    later = [
        p
        for p in sorted(dataset.projects, key=lambda p: p.key)
        if (p.start_year or 0) > known_until
        and p.lead_key is not None
        and (keep is None or keep(p))
        and sum(network.centre_id[k] in known for k in p.member_keys) >= 2
    ]
    newcomers = {
        network.centre_id[p.lead_key]: dataset.organisations[p.lead_key]
        for p in later
        if p.lead_key and network.centre_id[p.lead_key] not in known
    }
    extra = tuple(
        CentreData(id=cid, name=org.name, country=org.country)
        for cid, org in sorted(newcomers.items())
    )
    snapshot = dataclasses.replace(network.snapshot, centres=network.snapshot.centres + extra)
    index = build_index(snapshot)
    # keep.eu has no declared themes: the importer derives each organisation's from its projects
    # up to the cut-off, so the year-by-year fit would see later projects' themes through them.
    history = dataclasses.replace(
        snapshot, centres=tuple(dataclasses.replace(c, themes=()) for c in snapshot.centres)
    )
    proposals = [
        project_as_proposal(p, network.partnership_id[p.key], network.centre_id) for p in later
    ]
    members = [frozenset(network.centre_id[k] for k in p.member_keys) for p in later]
    return Split(name, index, _cases(index, proposals, members, set(newcomers)), history)


def _cases(
    index: MatchingIndex,
    proposals: Sequence[ProposalData],
    members: Sequence[frozenset[int]],
    never: set[int],
) -> tuple[Case, ...]:
    cases = []
    for proposal, team in zip(proposals, members, strict=True):
        past = {
            int(index.ids[r]) for r in row_items(index.adjacency, index.row_of[proposal.owner])[0]
        }
        truth = frozenset(team - past - {proposal.owner})
        declined = tuple(sorted((never | past) - {proposal.owner}))
        if truth:
            cases.append(Case(dataclasses.replace(proposal, declined=declined), truth))
    return tuple(cases)


def bare(split: Split) -> Split:
    """The same split with themes, descriptions and competencies removed: topology, countries
    and programmes only (like the held-out network)."""

    def strip(snapshot: NetworkSnapshot) -> NetworkSnapshot:
        return dataclasses.replace(
            snapshot,
            centres=tuple(
                dataclasses.replace(c, themes=(), offers={}, seeks={}) for c in snapshot.centres
            ),
            partnerships=tuple(dataclasses.replace(p, themes=()) for p in snapshot.partnerships),
            theme_names={},
            competency_names={},
        )

    cases = tuple(
        dataclasses.replace(
            c,
            proposal=dataclasses.replace(c.proposal, themes=(), seeks={}, offers={}, text=""),
        )
        for c in split.cases
    )
    snapshot = strip(split.index.snapshot)
    return Split(f"{split.name}, bare", build_index(snapshot), cases, strip(split.fit_on))


def cross_programme(dataset: Dataset, known_until: int) -> Split:
    """Fit on the cross-border programmes' history only; evaluate on later transnational and
    interregional projects (INTERREG VB, ESPON, URBACT)."""
    split = keep_eu_split(
        dataset, known_until, "keep.eu cross-programme", lambda p: not is_cross_border(p.programme)
    )
    history = split.fit_on
    fit_on = dataclasses.replace(
        history,
        partnerships=tuple(p for p in history.partnerships if is_cross_border(p.programme)),
    )
    return dataclasses.replace(split, fit_on=fit_on)


def synthetic_split(n: int, known_until: int, seed: int = 5) -> Split:
    """A synthetic network with a known generating process (communities with a home region,
    favourite themes and competencies, Pareto activity); every centre exists from the start."""
    snapshot = synthetic_network(n, seed=seed, n_proposals=0).snapshot
    known = tuple(p for p in snapshot.partnerships if (p.start_year or 0) <= known_until)
    later = [p for p in snapshot.partnerships if (p.start_year or 0) > known_until]
    history = dataclasses.replace(snapshot, partnerships=known, reference_year=known_until)
    index = build_index(history)
    proposals = [
        ProposalData(
            id=p.id,
            owner=p.lead if p.lead is not None else p.members[0],
            themes=p.themes,
            programme=p.programme,
            partners_max=max(1, len(set(p.members)) - 1),
        )
        for p in sorted(later, key=lambda p: p.id)
    ]
    members = [frozenset(p.members) for p in sorted(later, key=lambda p: p.id)]
    cases = _cases(index, proposals, members, set())
    return Split(f"synthetic n={n:,}", index, cases, history)


# --- methods ----------------------------------------------------------------------------------


def ranked_by(index: MatchingIndex, scores: np.ndarray, case: Case) -> list[int]:
    values = np.asarray(scores, dtype=np.float64).copy()
    blocked = [case.proposal.owner, *case.proposal.declined]
    values[[index.row_of[c] for c in blocked if c in index.row_of]] = -np.inf
    order = np.lexsort((index.ids, -values))[:RANKED]
    return [int(index.ids[r]) for r in order if values[r] > -np.inf]


def classic(split: Split, kind: str, seed: int = 0) -> Ranker:
    """Link prediction from the lead's neighbourhood in the known network."""
    index = split.index
    adjacency = index.binary_adjacency
    degree = index.degree.astype(np.float64)
    rng = np.random.default_rng(seed)

    def rank(case: Case) -> list[int]:
        row = index.row_of[case.proposal.owner]
        lead = adjacency[[row], :].toarray().ravel()
        if kind == "random":
            scores = rng.random(index.size)
        elif kind == "popularity":
            scores = degree
        elif kind == "common neighbours":
            scores = adjacency @ lead
        elif kind == "Adamic-Adar":
            scores = adjacency @ (lead / np.log(np.maximum(degree, 2.0)))
        elif kind == "resource allocation":
            scores = adjacency @ (lead / np.maximum(degree, 1.0))
        else:  # personalised PageRank on the weighted graph (restart 0.15, 30 steps)
            scores = _ppr(index, row)
        return ranked_by(index, scores, case)

    return rank


def _ppr(index: MatchingIndex, row: int, restart: float = 0.15, steps: int = 30) -> np.ndarray:
    start = np.zeros(index.size)
    start[row] = 1.0
    rank = start.copy()
    step = index.transition.T.tocsr()
    for _ in range(steps):
        rank = restart * start + (1.0 - restart) * (step @ rank)
    return rank


def engine(split: Split, weights: ScoringWeights) -> Ranker:
    index = dataclasses.replace(split.index, weights=weights)

    def rank(case: Case) -> list[int]:
        found = suggest_for_proposal(index, case.proposal, RANKED, explain=False)
        return [s.centre_id for s in found]

    return rank


CLASSIC = (
    "random",
    "popularity",
    "common neighbours",
    "Adamic-Adar",
    "resource allocation",
    "personalised PageRank",
)


# --- metrics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerCase:
    recall10: np.ndarray
    rr: np.ndarray
    ndcg10: np.ndarray
    top10: list[list[int]]


def evaluate(split: Split, rank: Ranker) -> PerCase:
    r10, rr, nd, tops = [], [], [], []
    for case in split.cases:
        ranked = rank(case)
        hits = [c in case.truth for c in ranked]
        r10.append(sum(hits[:10]) / len(case.truth))
        first = next((i for i, h in enumerate(hits) if h), None)
        rr.append(0.0 if first is None else 1.0 / (first + 1))
        dcg = sum(1.0 / math.log2(i + 2) for i, h in enumerate(hits[:10]) if h)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(10, len(case.truth))))
        nd.append(dcg / ideal)
        tops.append(ranked[:10])
    return PerCase(np.asarray(r10), np.asarray(rr), np.asarray(nd), tops)


def interval(values: np.ndarray, seed: int = 11) -> tuple[float, float, float]:
    """Mean and 95% bootstrap interval over the cases."""
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (BOOTSTRAP, len(values)))].mean(axis=1)
    return float(values.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def cell(values: np.ndarray) -> str:
    mean, low, high = interval(values)
    return f"{mean:.3f} [{low:.3f}, {high:.3f}]"


def exposure_gini(result: PerCase) -> float:
    counts = Counter(c for top in result.top10 for c in top)
    return gini(list(counts.values()))


# --- the table ----------------------------------------------------------------------------------


def suggestions_section(directory: Path, split_year: int, synthetic_n: int) -> None:
    splits = []
    if (directory / "projects.csv").is_file():
        dataset = load_dataset(directory)
        full = keep_eu_split(dataset, split_year, "keep.eu")
        splits += [full, bare(full), cross_programme(dataset, split_year)]
    else:
        print(f"\nkeep-eu data not found in {directory}: keep.eu sets skipped")
    splits.append(synthetic_split(synthetic_n, 2019))
    summary = [_suggestions_table(split) for split in splits]
    print("\n### summary: engine (fitted) recall@10 over the best classic predictor\n")
    print("| set | best classic | its recall@10 | engine recall@10 | ratio | target 1.25 |")
    print("|---|---|---:|---:|---:|---|")
    for name, best, best_value, value in summary:
        ratio = value / best_value if best_value > 0 else float("inf")
        print(
            f"| {name} | {best} | {best_value:.3f} | {value:.3f} | {ratio:.2f} | "
            f"{'met' if ratio >= TARGET else 'missed'} |"
        )


def _suggestions_table(split: Split) -> tuple[str, str, float, float]:
    truth = sum(len(c.truth) for c in split.cases)
    started = time.perf_counter()
    fitted = fit_weights(split.fit_on)
    fit_seconds = time.perf_counter() - started
    print(
        f"\n### {split.name}: {split.index.size:,} centres known, {len(split.cases)} queries, "
        f"{truth} new partners to find; fitted on {fitted.training_cases} projects "
        f"({fit_seconds:.1f} s), trust {fitted.trust:.2f} chosen over {fitted.validation_folds} "
        f"folds: held-out recall@10 {fitted.validation_recall_at_10 or 0:.3f} "
        f"(priors {fitted.prior_recall_at_10 or 0:.3f})\n"
    )
    print(
        "fitted weights: "
        + ", ".join(
            f"{f} {w:.2f}"
            for f, w in sorted(fitted.weights.items(), key=lambda kv: -kv[1])
            if w >= 0.005
        )
        + "\n"
    )
    print("| method | recall@10 [95% CI] | MRR [95% CI] | nDCG@10 [95% CI] | exposure Gini |")
    print("|---|---|---|---|---:|")
    results = {name: evaluate(split, classic(split, name)) for name in CLASSIC}
    best = max(CLASSIC, key=lambda name: float(results[name].recall10.mean()))
    weights = fitted.scoring_weights()
    engines = {
        "engine, priors": ScoringWeights(),
        "engine, fitted, no exposure re-rank": dataclasses.replace(weights, exposure_strength=0.0),
        "**engine, fitted (default)**": weights,
        "engine, fitted, exposure strength 0.1": dataclasses.replace(
            weights, exposure_strength=0.1
        ),
        "engine, fitted, exposure strength 0.2": dataclasses.replace(
            weights, exposure_strength=0.2
        ),
    }
    for name, w in engines.items():
        results[name] = evaluate(split, engine(split, w))
    for name, r in results.items():
        print(
            f"| {name} | {cell(r.recall10)} | {cell(r.rr)} | {cell(r.ndcg10)} | "
            f"{exposure_gini(r):.3f} |"
        )
    value = float(results["**engine, fitted (default)**"].recall10.mean())
    return split.name, best, float(results[best].recall10.mean()), value


# --- consortium --------------------------------------------------------------------------


def consortium_section(cases: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(cases):
        network = synthetic_network(30, seed=int(rng.integers(1 << 30)), n_proposals=1)
        index = build_index(network.snapshot)
        proposal = network.snapshot.proposals[0]
        size, countries = int(rng.integers(2, 6)), int(rng.integers(2, 6))
        rows.append(_compare(index, proposal, size, countries))
    _consortium_table(rows, cases)


@dataclass(frozen=True)
class Comparison:
    ratio: float  # greedy value / best value (same country outcome)
    same_countries: bool  # greedy meets the minimum exactly when the best does
    greedy_ms: float
    exhaustive_ms: float


def _compare(index: MatchingIndex, proposal: ProposalData, size: int, countries: int) -> Comparison:
    start = time.perf_counter()
    greedy = suggest_consortium(index, proposal, size=size, min_countries=countries)
    middle = time.perf_counter()
    best = exhaustive_consortium(index, proposal, size, countries, pool=index.size)
    end = time.perf_counter()
    return Comparison(
        ratio=greedy.value / best.value if best.value > 0 else 1.0,
        same_countries=greedy.meets_countries == best.meets_countries,
        greedy_ms=(middle - start) * 1000,
        exhaustive_ms=(end - middle) * 1000,
    )


def _consortium_table(rows: Sequence[Comparison], cases: int) -> None:
    ratios = [r.ratio for r in rows]
    print(
        f"\n### consortium: greedy vs exhaustive, {cases} random cases "
        "(30 centres, 2-5 partners, 2-5 countries, every team of the 29 candidates tried)\n"
    )
    print("| figure | value |")
    print("|---|---:|")
    print(f"| greedy value / best value, mean | {statistics.mean(ratios):.4f} |")
    print(f"| greedy value / best value, worst | {min(ratios):.4f} |")
    optimal = sum(r >= 1 - 1e-9 for r in ratios) / len(rows)
    same = sum(r.same_countries for r in rows) / len(rows)
    print(f"| cases where greedy found a best team | {optimal:.0%} |")
    print(f"| cases with the same country outcome | {same:.0%} |")
    print(f"| greedy time, median ms | {statistics.median(r.greedy_ms for r in rows):.1f} |")
    print(
        f"| exhaustive time, median ms | {statistics.median(r.exhaustive_ms for r in rows):.0f} |"
    )


# --- exposure ----------------------------------------------------------------------------


# --- clusters ----------------------------------------------------------------------------


def nmi(a: Sequence[int], b: Sequence[int]) -> float:
    """Normalised mutual information, arithmetic-mean normalisation (sklearn's default)."""
    n = len(a)
    joint = Counter(zip(a, b, strict=True))
    pa, pb = Counter(a), Counter(b)
    mutual = sum(c / n * math.log(c * n / (pa[x] * pb[y])) for (x, y), c in joint.items())
    ha = -sum(c / n * math.log(c / n) for c in pa.values())
    hb = -sum(c / n * math.log(c / n) for c in pb.values())
    return 1.0 if ha + hb == 0 else 2 * mutual / (ha + hb)


def graph_snapshot(graph: nx.Graph) -> NetworkSnapshot:
    centres = tuple(CentreData(id=int(v), name=str(v), country="FR") for v in sorted(graph))
    edges = sorted((min(u, v), max(u, v)) for u, v in graph.edges)
    partnerships = tuple(
        PartnershipData(id=k, members=e, start_year=2020) for k, e in enumerate(edges)
    )
    return NetworkSnapshot(centres, partnerships, reference_year=2020)


def labels_of(result: ClusterResult, ids: Sequence[int]) -> list[int]:
    """Cluster of each id; every unclustered centre is a cluster of its own."""
    label = {c: cluster.id for cluster in result.clusters for c in cluster.centre_ids}
    start = len(result.clusters)
    label.update({c: start + i for i, c in enumerate(result.unclustered)})
    return [label[i] for i in ids]


def lfr(mu: float) -> tuple[nx.Graph, dict[int, int]]:
    """LFR graph (n = 1,000, degree 20 on average, 50 at most, communities of 20-100) and its
    planted community per node; retries seeds when generation fails."""
    for seed in range(20):
        try:
            graph = nx.LFR_benchmark_graph(
                1000,
                3,
                1.5,
                mu,
                average_degree=20,
                max_degree=50,
                min_community=20,
                max_community=100,
                seed=seed,
                max_iters=500,
            )
        except nx.ExceededMaxIterations:
            continue
        planted = {}
        for k, community in enumerate(
            sorted({frozenset(graph.nodes[v]["community"]) for v in graph}, key=min)
        ):
            planted.update({v: k for v in community})
        graph.remove_edges_from(nx.selfloop_edges(graph))
        return graph, planted
    raise RuntimeError(f"LFR generation failed for mu={mu}")


def planted_mixing(index: MatchingIndex, planted: dict[int, int]) -> float:
    """Share of edges between planted communities (networkx's LFR overshoots its mu)."""
    edges = index.edges
    a, b = index.ids[edges.a], index.ids[edges.b]
    crossing = sum(planted[int(x)] != planted[int(y)] for x, y in zip(a, b, strict=True))
    return crossing / max(len(a), 1)


def clusters_section() -> None:
    print("\n### clusters: NMI against planted communities\n")
    columns = ("NMI", "modularity", "seconds")
    names = ("Leiden", "Louvain", "label propagation")
    methods = [f"{m} {c}" for m in names for c in columns]
    print("| graph | edges across planted communities | " + " | ".join(methods) + " |")
    print("|---|" + "---:|" * (1 + len(methods)))
    for mu in (0.1, 0.2, 0.3, 0.4, 0.5):
        graph, planted = lfr(mu)
        _cluster_row(f"LFR n=1,000 mu={mu}", graph_snapshot(graph), planted)
    for n in (1_000, 10_000):
        network = synthetic_network(n, seed=1)
        _cluster_row(f"synthetic n={n:,}", network.snapshot, network.community)


def _cluster_row(name: str, snapshot: NetworkSnapshot, planted: dict[int, int]) -> None:
    index = build_index(snapshot)
    ids = index.ids.tolist()
    truth = [planted[i] for i in ids]
    across = planted_mixing(index, planted)
    cells = [f"{across:.2f}"]
    for method in ("leiden", "louvain", "label_propagation"):
        start = time.perf_counter()
        result = detect_clusters(index, method=method)
        seconds = time.perf_counter() - start
        found = labels_of(result, ids)
        cells.append(f"{nmi(truth, found):.3f} | {result.modularity:.3f} | {seconds:.2f}")
    print(f"| {name} | {' | '.join(cells)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DATA, help="keep-eu data directory")
    parser.add_argument("--sections", default="suggestions,consortium,clusters")
    parser.add_argument("--split-year", type=int, default=2016)
    parser.add_argument("--consortium-cases", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--synthetic", type=int, default=2_000, help="synthetic set size")
    args = parser.parse_args()
    sections = {s.strip() for s in args.sections.split(",")}
    if "suggestions" in sections:
        suggestions_section(args.dir, args.split_year, args.synthetic)
    if "consortium" in sections:
        consortium_section(args.consortium_cases, args.seed)
    if "clusters" in sections:
        clusters_section()


if __name__ == "__main__":
    main()
