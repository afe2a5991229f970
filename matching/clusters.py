"""Clusters: communities of the cooperation network, optionally blended with theme similarity.

Algorithm: Louvain (networkx, seeded, weighted by cooperation strength) up to ``LOUVAIN_MAX_EDGES``
edges, asynchronous label propagation (seeded, weighted) above: Louvain finds better partitions
but its pure-Python passes grow faster than linearly (~1 s at 10,000 centres / 66k edges,
~9.5 s at 50,000 / 354k edges on the bench machine). Nodes and edges are inserted in sorted
order, so the same data gives the same clusters whatever order it came in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from matching.graph import CooperationEdges, cooperation_edges, graph_from_edges
from matching.index import MatchingIndex, build_index
from matching.snapshot import NetworkSnapshot

LOUVAIN_MAX_EDGES = 400_000
SIMILAR_NEIGHBOURS = 5  # similarity edges added per centre when blending
SIMILARITY_BLOCK = 1_000_000  # cells of one dense similarity block
TOP_THEMES = 3
TOP_COUNTRIES = 3


@dataclass(frozen=True, slots=True)
class Cluster:
    id: int  # 0 = largest cluster
    centre_ids: tuple[int, ...]
    name: str  # e.g. "Music & Artist residencies · FR, BE"
    top_themes: tuple[str, ...]  # theme slugs, most characteristic first
    top_countries: tuple[str, ...]  # most frequent first
    size: int


@dataclass(frozen=True, slots=True)
class ClusterResult:
    clusters: tuple[Cluster, ...]  # clusters of two or more centres, largest first
    modularity: float  # of the partition, on the (year-filtered) cooperation graph
    method: str  # "louvain" or "label_propagation"
    unclustered: tuple[int, ...]  # centres left alone (no cooperation in the year range)


def detect_clusters(
    source: MatchingIndex | NetworkSnapshot,
    year_from: int | None = None,
    year_to: int | None = None,
    seed: int = 42,
    *,
    similarity_weight: float = 0.0,
    method: str | None = None,
) -> ClusterResult:
    """Communities of centres that cooperate (in the year range) and, with ``similarity_weight``
    > 0, that resemble each other: each centre also gets edges to its most similar centres
    (themes and competencies offered), weighted ``similarity_weight * cosine * mean cooperation
    weight``. ``method`` forces "louvain" or "label_propagation" instead of choosing by size."""
    index = source if isinstance(source, MatchingIndex) else build_index(source)
    edges = _edges(index, year_from, year_to)
    cooperation = graph_from_edges(index.ids.tolist(), edges)
    graph = _blend(index, cooperation, edges, similarity_weight)
    if method is None:
        small = graph.number_of_edges() <= LOUVAIN_MAX_EDGES
        method = "louvain" if small else "label_propagation"
    elif method not in ("louvain", "label_propagation"):
        raise ValueError(f"unknown clustering method {method!r}")
    communities = _communities(graph, method, seed)
    modularity = _modularity(cooperation, communities)
    groups = sorted((sorted(c) for c in communities), key=lambda m: (-len(m), m[0]))
    clusters = tuple(
        _describe(index, k, members) for k, members in enumerate(g for g in groups if len(g) > 1)
    )
    unclustered = tuple(sorted(g[0] for g in groups if len(g) == 1))
    return ClusterResult(clusters, round(modularity, 6), method, unclustered)


def _edges(index: MatchingIndex, year_from: int | None, year_to: int | None) -> CooperationEdges:
    if year_from is None and year_to is None:
        return index.edges
    partnerships = index.snapshot.partnerships
    return cooperation_edges(partnerships, index.row_of, index.reference_year, year_from, year_to)


def _modularity(graph: nx.Graph, communities: list[set[int]]) -> float:
    if graph.number_of_edges() == 0:
        return 0.0
    return float(nx.community.modularity(graph, communities, weight="weight"))


def _communities(graph: nx.Graph, method: str, seed: int) -> list[set[int]]:
    if method == "louvain":
        return list(nx.community.louvain_communities(graph, weight="weight", seed=seed))
    return list(nx.community.asyn_lpa_communities(graph, weight="weight", seed=seed))


def _blend(
    index: MatchingIndex, cooperation: nx.Graph, edges: CooperationEdges, weight: float
) -> nx.Graph:
    if weight <= 0:
        return cooperation
    scale = weight * (float(edges.weight.mean()) if len(edges.weight) else 1.0)
    graph = cooperation.copy()
    for a, b, similarity in _similar_pairs(index):
        u, v = int(index.ids[a]), int(index.ids[b])
        existing = graph.get_edge_data(u, v, default={"weight": 0.0})["weight"]
        graph.add_edge(u, v, weight=existing + scale * similarity)
    return graph


def _similar_pairs(index: MatchingIndex) -> list[tuple[int, int, float]]:
    """Each centre's SIMILAR_NEIGHBOURS most similar centres, as sorted, de-duplicated (a < b)
    pairs. Similarity is the cosine of theme profile and offered competencies (idf-weighted),
    each half of the vector."""
    profile = _resemblance_profile(index)
    block = max(1, SIMILARITY_BLOCK // max(index.size, 1))
    pairs: dict[tuple[int, int], float] = {}
    for start in range(0, index.size, block):
        rows = np.arange(start, min(start + block, index.size))
        sims = np.asarray((profile[rows, :] @ profile.T).toarray())
        sims[np.arange(len(rows)), rows] = 0.0
        for i, row in enumerate(rows.tolist()):
            for other in _best(sims[i], SIMILAR_NEIGHBOURS):
                pairs[(min(row, other), max(row, other))] = float(sims[i, other])
    return [(a, b, s) for (a, b), s in sorted(pairs.items())]


def _resemblance_profile(index: MatchingIndex) -> sp.csr_array:
    offers = sp.csr_array(index.offers @ sp.diags_array(index.competency_idf))
    norms = np.sqrt(np.asarray(offers.multiply(offers).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    halves = [index.theme_profile, sp.csr_array(sp.diags_array(inverse) @ offers)]
    return sp.csr_array(sp.hstack(halves, format="csr") * np.sqrt(0.5))


def _best(values: np.ndarray, k: int) -> list[int]:
    positive = np.flatnonzero(values > 0)
    order = np.lexsort((positive, -values[positive]))
    return [int(p) for p in positive[order][:k]]


def _describe(index: MatchingIndex, k: int, members: Sequence[int]) -> Cluster:
    rows = [index.row_of[m] for m in members]
    themes = _top_themes(index, rows)
    countries = [c for c, _ in sorted(_country_counts(index, rows).items(), key=_by_count)]
    return Cluster(
        id=k,
        centre_ids=tuple(members),
        name=_name(index, themes, countries),
        top_themes=tuple(themes),
        top_countries=tuple(countries[:TOP_COUNTRIES]),
        size=len(members),
    )


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def _country_counts(index: MatchingIndex, rows: Sequence[int]) -> Counter[str]:
    return Counter(index.centres[r].country for r in rows)


def _top_themes(index: MatchingIndex, rows: Sequence[int]) -> list[str]:
    """Themes the cluster's centres work on most; profiles are idf-weighted, so a theme everybody
    works on does not name every cluster."""
    weight = np.asarray(index.theme_profile[rows, :].sum(axis=0)).ravel()
    ranked = sorted(
        (i for i in np.flatnonzero(weight > 0).tolist()),
        key=lambda i: (-weight[i], index.themes.slugs[i]),
    )
    return [index.themes.slugs[i] for i in ranked[:TOP_THEMES]]


def _name(index: MatchingIndex, themes: Sequence[str], countries: Sequence[str]) -> str:
    topic = " & ".join(index.theme_name(t) for t in themes[:2]) or "Mixed themes"
    where = ", ".join(countries[:2])
    if len(countries) > 2:
        where += f" +{len(countries) - 2}"
    return f"{topic} · {where}"
