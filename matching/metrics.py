"""Network metrics: who is central, who bridges clusters, who is left out.

- degree: distinct partners; weighted degree: sum of cooperation weights (see ``graph``).
- betweenness: hop-count shortest paths, exact up to ``BETWEENNESS_EXACT_MAX`` centres, above that
  estimated from ``BETWEENNESS_SAMPLES`` seeded random sources (scaled by n / k as networkx does).
- PageRank on cooperation weights (alpha 0.85).
- participation coefficient (Guimerà & Amaral 2005): 1 - sum over clusters of (share of the
  centre's cooperation weight going to that cluster)^2; 0 when all ties stay in one cluster.
- brokers: centres with ties to two or more clusters, ranked by participation x betweenness.
- isolated: no joint project in the year range. peripheral: one single partner, or outside the
  largest connected group of the network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching import centrality
from matching.clusters import ClusterResult, detect_clusters
from matching.graph import FloatArray, IntArray, cooperation_edges
from matching.index import MatchingIndex, build_index, row_items
from matching.snapshot import NetworkSnapshot

BETWEENNESS_EXACT_MAX = 2_000
BETWEENNESS_SAMPLES = 300
MAX_BROKERS = 20


@dataclass(frozen=True, slots=True)
class CentreMetrics:
    centre_id: int
    degree: int
    weighted_degree: float
    betweenness: float  # normalised to [0, 1]
    pagerank: float
    participation: float  # 0..1
    cluster_id: int | None  # None for unclustered centres


@dataclass(frozen=True, slots=True)
class Broker:
    centre_id: int
    participation: float
    betweenness: float
    clusters: tuple[int, ...]  # clusters it has ties to, its own first


@dataclass(frozen=True, slots=True)
class NetworkMetrics:
    centres: tuple[CentreMetrics, ...]  # by centre id
    brokers: tuple[Broker, ...]  # best first
    isolated: tuple[int, ...]
    peripheral: tuple[int, ...]
    betweenness_sources: int  # BFS sources used: all centres when exact, else the sample size
    clusters: ClusterResult


def network_metrics(
    source: MatchingIndex | NetworkSnapshot,
    year_from: int | None = None,
    year_to: int | None = None,
    seed: int = 42,
    clusters: ClusterResult | None = None,
) -> NetworkMetrics:
    """All metrics for the cooperation network in the year range. Pass ``clusters`` when they were
    computed already (for the same range) to skip a second community detection."""
    index = source if isinstance(source, MatchingIndex) else build_index(source)
    if clusters is None:
        clusters = detect_clusters(index, year_from, year_to, seed)
    adjacency = _adjacency(index, year_from, year_to)
    sources = _betweenness_sources(index.size, seed)
    between = centrality.betweenness(adjacency, sources)
    labels = _cluster_labels(index, clusters)
    participation = _participation(adjacency, labels)
    degree = np.diff(adjacency.indptr)
    return NetworkMetrics(
        centres=_per_centre(
            index, adjacency, between, participation, labels, len(clusters.clusters)
        ),
        brokers=_brokers(index, adjacency, between, participation, labels),
        isolated=tuple(int(i) for i in index.ids[degree == 0]),
        peripheral=_peripheral(index, adjacency, degree),
        betweenness_sources=index.size if sources is None else len(sources),
        clusters=clusters,
    )


def _adjacency(index: MatchingIndex, year_from: int | None, year_to: int | None) -> sp.csr_array:
    if year_from is None and year_to is None:
        return index.adjacency
    edges = cooperation_edges(
        index.snapshot.partnerships, index.row_of, index.reference_year, year_from, year_to
    )
    n = index.size
    rows, cols = np.r_[edges.a, edges.b], np.r_[edges.b, edges.a]
    out = sp.csr_array((np.r_[edges.weight, edges.weight], (rows, cols)), shape=(n, n))
    out.sort_indices()
    return out


def _betweenness_sources(n: int, seed: int) -> IntArray | None:
    if n <= BETWEENNESS_EXACT_MAX:
        return None
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=BETWEENNESS_SAMPLES, replace=False))


def _cluster_labels(index: MatchingIndex, clusters: ClusterResult) -> IntArray:
    """Cluster id per row; unclustered centres get their own label past the last cluster."""
    labels = np.arange(index.size, dtype=np.int64) + len(clusters.clusters)
    for cluster in clusters.clusters:
        labels[[index.row_of[c] for c in cluster.centre_ids]] = cluster.id
    return labels


def _cluster_weights(adjacency: sp.csr_array, labels: IntArray) -> sp.csr_array:
    """n x clusters: cooperation weight from each centre into each cluster."""
    n = len(labels)
    membership = sp.csr_array((np.ones(n), (np.arange(n), labels)), shape=(n, labels.max() + 1))
    return sp.csr_array(adjacency @ membership)


def _participation(adjacency: sp.csr_array, labels: IntArray) -> FloatArray:
    if len(labels) == 0:
        return np.zeros(0)
    into = _cluster_weights(adjacency, labels)
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    squares = np.asarray(into.multiply(into).sum(axis=1)).ravel()
    ratio = np.divide(squares, strength**2, out=np.ones_like(strength), where=strength > 0)
    return np.asarray(np.clip(1.0 - ratio, 0.0, 1.0), dtype=np.float64)


def _per_centre(
    index: MatchingIndex,
    adjacency: sp.csr_array,
    between: FloatArray,
    participation: FloatArray,
    labels: IntArray,
    n_clusters: int,
) -> tuple[CentreMetrics, ...]:
    rank = centrality.pagerank(adjacency)
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    degree = np.diff(adjacency.indptr)
    return tuple(
        CentreMetrics(
            centre_id=int(index.ids[r]),
            degree=int(degree[r]),
            weighted_degree=round(float(strength[r]), 6),
            betweenness=round(float(between[r]), 9),
            pagerank=round(float(rank[r]), 9),
            participation=round(float(participation[r]), 6),
            cluster_id=int(labels[r]) if labels[r] < n_clusters else None,
        )
        for r in range(index.size)
    )


def _brokers(
    index: MatchingIndex,
    adjacency: sp.csr_array,
    between: FloatArray,
    participation: FloatArray,
    labels: IntArray,
) -> tuple[Broker, ...]:
    into = _cluster_weights(adjacency, labels) if index.size else sp.csr_array((0, 0))
    merit = participation * between
    linked = np.diff(into.indptr)
    candidates = [r for r in np.flatnonzero(merit > 0).tolist() if linked[r] >= 2]
    ranked = sorted(candidates, key=lambda r: (-merit[r], int(index.ids[r])))
    return tuple(
        _broker(index, r, into, between, participation, labels) for r in ranked[:MAX_BROKERS]
    )


def _broker(
    index: MatchingIndex,
    row: int,
    into: sp.csr_array,
    between: FloatArray,
    participation: FloatArray,
    labels: IntArray,
) -> Broker:
    order = sorted(
        zip(*row_items(into, row), strict=True),
        key=lambda cw: (cw[0] != labels[row], -cw[1], cw[0]),
    )
    return Broker(
        centre_id=int(index.ids[row]),
        participation=round(float(participation[row]), 6),
        betweenness=round(float(between[row]), 9),
        clusters=tuple(c for c, _ in order),
    )


def _peripheral(index: MatchingIndex, adjacency: sp.csr_array, degree: IntArray) -> tuple[int, ...]:
    if index.size == 0:
        return ()
    labels = centrality.components(adjacency)
    sizes = np.bincount(labels[degree > 0], minlength=labels.max() + 1)
    outside_main = labels != int(np.argmax(sizes))
    mask = (degree == 1) | ((degree > 0) & outside_main)
    return tuple(int(i) for i in index.ids[mask])
