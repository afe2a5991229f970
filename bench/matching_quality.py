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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching import (  # noqa: E402
    CROSS_BORDER_WEIGHTS,
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
    suggest_consortium,
    suggest_for_centre,
    suggest_for_proposal,
)
from matching.keep_eu_snapshot import (  # noqa: E402
    Dataset,
    Project,
    keep_eu_network,
    project_as_proposal,
)
from matching.synthetic import synthetic_network  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "keep-eu"
RANKED = 100  # ranking depth kept per proposal (for MRR)
HUB_SHARE = 0.01  # "hubs" = the 1% most connected known centres
Ranker = Callable[[ProposalData], list[int]]


@dataclass(frozen=True)
class Case:
    proposal: ProposalData
    truth: frozenset[int]  # other partners
    findable: frozenset[int]  # other partners present in the known network


@dataclass(frozen=True)
class Split:
    name: str
    index: MatchingIndex
    cases: tuple[Case, ...]
    newcomers: frozenset[int]  # leads added without history: never candidates


# --- suggestions -------------------------------------------------------------------------


def load_dataset(directory: Path) -> Dataset:
    from accr_graph.importers.keep_eu import parse_keep_eu

    return parse_keep_eu(directory)


def make_split(dataset: Dataset, known_until: int, years: range, name: str) -> Split:
    network = keep_eu_network(dataset, until_year=known_until)
    known = {c.id for c in network.snapshot.centres}
    later = [
        p
        for p in sorted(dataset.projects, key=lambda p: p.key)
        if p.start_year in years
        and p.lead_key is not None
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
    cases = tuple(
        _case(p, network.centre_id, network.partnership_id, known, set(newcomers)) for p in later
    )
    return Split(name, build_index(snapshot), cases, frozenset(newcomers))


def _case(
    project: Project,
    centre_id: Mapping[str, int],
    partnership_id: Mapping[str, int],
    known: set[int],
    newcomers: set[int],
) -> Case:
    proposal = project_as_proposal(project, partnership_id[project.key], centre_id)
    others = frozenset(centre_id[k] for k in project.member_keys if k != project.lead_key)
    declined = tuple(sorted(newcomers - {proposal.owner}))
    return Case(dataclasses.replace(proposal, declined=declined), others, frozenset(others & known))


def ranked_by(split: Split, scores: np.ndarray, owner: int) -> list[int]:
    index = split.index
    values = np.asarray(scores, dtype=np.float64).copy()
    values[index.row_of[owner]] = -np.inf
    values[[index.row_of[c] for c in split.newcomers]] = -np.inf
    order = np.lexsort((index.ids, -values))[:RANKED]
    return [int(index.ids[r]) for r in order if values[r] > -np.inf]


def baseline(split: Split, kind: str, seed: int = 0) -> Ranker:
    """Link prediction from the lead's neighbourhood in the known network."""
    index = split.index
    adjacency = index.binary_adjacency
    degree = index.degree.astype(np.float64)
    rng = np.random.default_rng(seed)

    def rank(proposal: ProposalData) -> list[int]:
        lead = adjacency[[index.row_of[proposal.owner]], :].toarray().ravel()
        common = adjacency @ lead
        if kind == "random":
            scores = rng.random(index.size)
        elif kind == "popularity":
            scores = degree
        elif kind == "common neighbours":
            scores = common
        elif kind == "Jaccard":
            scores = common / np.maximum(degree + lead.sum() - common, 1.0)
        elif kind == "Adamic-Adar":
            scores = adjacency @ (lead / np.log(np.maximum(degree, 2.0)))
        else:
            scores = adjacency @ (lead / np.maximum(degree, 1.0))
        return ranked_by(split, scores, proposal.owner)

    return rank


def engine(split: Split, weights: ScoringWeights) -> Ranker:
    index = dataclasses.replace(split.index, weights=weights)

    def rank(proposal: ProposalData) -> list[int]:
        return [s.centre_id for s in suggest_for_proposal(index, proposal, RANKED, explain=False)]

    return rank


@dataclass(frozen=True)
class Scores:
    recall10: float
    recall20: float
    mrr: float
    findable10: float
    hub_share: float


def evaluate(split: Split, rank: Ranker) -> Scores:
    hubs = _hubs(split.index)
    r10, r20, rr, f10, hub_places = [], [], [], [], 0
    for case in split.cases:
        ranked = rank(case.proposal)
        r10.append(len(case.truth.intersection(ranked[:10])) / len(case.truth))
        r20.append(len(case.truth.intersection(ranked[:20])) / len(case.truth))
        f10.append(len(case.findable.intersection(ranked[:10])) / max(len(case.findable), 1))
        first = next((i for i, c in enumerate(ranked) if c in case.truth), None)
        rr.append(0.0 if first is None else 1.0 / (first + 1))
        hub_places += len(hubs.intersection(ranked[:10]))
    places = 10 * len(split.cases)
    r10_, r20_, mrr, f10_ = (float(np.mean(x)) for x in (r10, r20, rr, f10))
    return Scores(r10_, r20_, mrr, f10_, hub_places / places)


def _hubs(index: MatchingIndex) -> set[int]:
    count = max(1, math.ceil(HUB_SHARE * index.size))
    order = np.lexsort((index.ids, -index.degree))[:count]
    return {int(index.ids[r]) for r in order}


BASELINES = (
    "random",
    "popularity",
    "common neighbours",
    "Jaccard",
    "Adamic-Adar",
    "resource allocation",
)
ENGINES = {
    "engine, default weights": ScoringWeights(),
    "engine, default, no hub dampening": dataclasses.replace(ScoringWeights(), hub_dampening=0.0),
    "engine, CROSS_BORDER_WEIGHTS": CROSS_BORDER_WEIGHTS,
    "engine, CROSS_BORDER, no hub dampening": dataclasses.replace(
        CROSS_BORDER_WEIGHTS, hub_dampening=0.0
    ),
}


def suggestions_section(directory: Path, split_year: int) -> None:
    dataset = load_dataset(directory)
    splits = (
        make_split(dataset, split_year - 1, range(split_year, split_year + 1), "validation"),
        make_split(dataset, split_year, range(split_year + 1, 3000), "test"),
    )
    for split in splits:
        _suggestions_table(split)


def _suggestions_table(split: Split) -> None:
    index = split.index
    truth = sum(len(c.truth) for c in split.cases)
    findable = sum(len(c.findable) for c in split.cases)
    print(
        f"\n### {split.name}: {index.size:,} centres known, {len(split.cases)} proposals, "
        f"{truth} hidden partners ({findable} of them in the known network)\n"
    )
    header = "| method | recall@10 | recall@20 | MRR | recall@10 of findable"
    print(header + " | top-10 places to 1% hubs | recall@10 / best baseline |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    results = {name: evaluate(split, baseline(split, name)) for name in BASELINES}
    best = max(r.recall10 for r in results.values())
    for name, weights in ENGINES.items():
        results[name] = evaluate(split, engine(split, weights))
    for name, r in results.items():
        ratio = f"{r.recall10 / best:.2f}" if best > 0 else "n/a"
        print(
            f"| {name} | {r.recall10:.3f} | {r.recall20:.3f} | {r.mrr:.3f} | "
            f"{r.findable10:.3f} | {r.hub_share:.1%} | {ratio} |"
        )


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


def exposure_section(n: int, queries: int) -> None:
    """Who gets the top-10 places of centre suggestions on a heavy-tailed synthetic network."""
    network = synthetic_network(n, seed=3)
    base = build_index(network.snapshot)
    asking = np.random.default_rng(0).choice(base.ids, size=queries, replace=False).tolist()
    print(
        f"\n### exposure: top-10 suggestions for {queries} centres of a synthetic network of "
        f"{n:,} (largest hub: {int(base.degree.max())} partners, median "
        f"{int(np.median(base.degree))})\n"
    )
    print(
        "| hub_dampening | top-10 places to 1% hubs | distinct centres in top-10 lists "
        "| same planted community |"
    )
    print("|---:|---:|---:|---:|")
    hubs = _hubs(base)
    for damping in (0.0, 0.3, 0.6):
        index = dataclasses.replace(base, weights=ScoringWeights(hub_dampening=damping))
        lists = [[s.centre_id for s in suggest_for_centre(index, c)] for c in asking]
        places = sum(len(hubs.intersection(top)) for top in lists) / (10 * queries)
        seen = len({c for top in lists for c in top})
        same = np.mean(
            [
                network.community[c] == network.community[q]
                for q, top in zip(asking, lists, strict=True)
                for c in top
            ]
        )
        print(f"| {damping} | {places:.1%} | {seen:,} | {same:.1%} |")


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
    methods = [f"{m} {c}" for m in ("louvain", "label propagation") for c in columns]
    print("| graph | edges across planted communities | " + " | ".join(methods) + " |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
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
    for method in ("louvain", "label_propagation"):
        start = time.perf_counter()
        result = detect_clusters(index, method=method)
        seconds = time.perf_counter() - start
        found = labels_of(result, ids)
        cells.append(f"{nmi(truth, found):.3f} | {result.modularity:.3f} | {seconds:.2f}")
    print(f"| {name} | {' | '.join(cells)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DATA, help="keep-eu data directory")
    parser.add_argument("--sections", default="suggestions,exposure,consortium,clusters")
    parser.add_argument("--split-year", type=int, default=2016)
    parser.add_argument("--consortium-cases", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sections = {s.strip() for s in args.sections.split(",")}
    if "suggestions" in sections:
        if (args.dir / "projects.csv").is_file():
            suggestions_section(args.dir, args.split_year)
        else:
            print(f"\nkeep-eu data not found in {args.dir}: suggestions section skipped")
    if "exposure" in sections:
        exposure_section(2_000, 300)
    if "consortium" in sections:
        consortium_section(args.consortium_cases, args.seed)
    if "clusters" in sections:
        clusters_section()


if __name__ == "__main__":
    main()
