"""Clusters and network metrics on networks whose structure is known."""

from __future__ import annotations

import dataclasses
import random
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pytest

from matching import (
    NetworkSnapshot,
    build_index,
    cooperation_graph,
    detect_clusters,
    network_metrics,
)
from matching.centrality import betweenness, pagerank
from matching.synthetic import synthetic_network
from matching.yearly import Project, yearly_structure
from tests.matching.matching_cases import centre, two_cliques


def test_two_cliques_are_two_clusters_named_by_theme_and_country() -> None:
    result = detect_clusters(two_cliques())

    assert [c.centre_ids for c in result.clusters] == [(1, 2, 3, 4, 5), (6, 7, 8, 9, 10)]
    assert result.clusters[0].name == "Music · FR"
    assert result.clusters[1].top_themes == ("gardens",)
    assert result.clusters[1].top_countries == ("DE",)
    assert result.unclustered == (11,)
    assert result.method == "leiden"


def test_modularity_is_that_of_the_partition() -> None:
    snapshot = two_cliques()
    result = detect_clusters(snapshot)

    parts = [set(c.centre_ids) for c in result.clusters] + [{11}]
    expected = nx.community.modularity(cooperation_graph(snapshot), parts, weight="weight")
    assert result.modularity == pytest.approx(expected, abs=1e-6)
    assert result.modularity > 0.4


def test_year_range_drops_older_partnerships() -> None:
    result = detect_clusters(two_cliques(), year_from=2018)
    everything = network_metrics(two_cliques())
    recent = network_metrics(two_cliques(), year_from=2018)

    assert len(result.clusters) == 2
    assert everything.centres[4].degree == 5  # centre 5: its clique and centre 6
    assert recent.centres[4].degree == 4


def test_clusters_do_not_depend_on_insertion_order() -> None:
    snapshot = synthetic_network(300, seed=3).snapshot
    rng = random.Random(7)
    centres, partnerships = list(snapshot.centres), list(snapshot.partnerships)
    rng.shuffle(centres)
    rng.shuffle(partnerships)
    shuffled = dataclasses.replace(
        snapshot, centres=tuple(centres), partnerships=tuple(partnerships)
    )

    assert detect_clusters(snapshot) == detect_clusters(shuffled)


def test_similarity_blending_groups_isolated_centres_with_their_theme() -> None:
    snapshot = two_cliques()
    loner = dataclasses.replace(snapshot.centres[-1], themes=("gardens",))
    snapshot = dataclasses.replace(snapshot, centres=(*snapshot.centres[:-1], loner))

    plain = detect_clusters(snapshot)
    blended = detect_clusters(snapshot, similarity_weight=0.5)

    assert plain.unclustered == (11,)
    assert 11 in blended.clusters[0].centre_ids + blended.clusters[1].centre_ids
    gardens = next(c for c in blended.clusters if 6 in c.centre_ids)
    assert 11 in gardens.centre_ids


def test_bridge_centres_are_brokers_and_loners_isolated() -> None:
    metrics = network_metrics(two_cliques())

    assert {b.centre_id for b in metrics.brokers} == {5, 6}
    assert metrics.brokers[0].clusters[1:] != ()
    assert metrics.isolated == (11,)
    assert metrics.peripheral == ()
    by_id = {m.centre_id: m for m in metrics.centres}
    assert by_id[5].betweenness > by_id[1].betweenness == 0.0
    assert by_id[1].participation == 0.0 < by_id[5].participation
    assert by_id[11].cluster_id is None


def test_peripheral_centres_hang_on_one_partner_or_outside_the_main_group() -> None:
    snapshot = two_cliques()
    extra = dataclasses.replace(snapshot.partnerships[0], id=9, members=(10, 11))
    metrics = network_metrics(
        dataclasses.replace(snapshot, partnerships=(*snapshot.partnerships, extra))
    )

    assert metrics.peripheral == (11,)
    assert metrics.isolated == ()


def test_sparse_betweenness_and_pagerank_agree_with_networkx() -> None:
    graph = nx.gnm_random_graph(120, 300, seed=5)
    graph.add_nodes_from(range(120, 125))
    for u, v in graph.edges:
        graph[u][v]["weight"] = 1.0 + (u * v) % 4
    nodes = sorted(graph)
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", format="csr")

    exact = nx.betweenness_centrality(graph)
    ranks = nx.pagerank(graph, weight="weight")

    assert np.allclose(betweenness(adjacency), [exact[n] for n in nodes], atol=1e-12)
    assert np.allclose(pagerank(adjacency), [ranks[n] for n in nodes], atol=1e-6)


def test_sampled_betweenness_estimates_the_exact_one() -> None:
    index = build_index(synthetic_network(400, seed=2).snapshot)
    exact = betweenness(index.adjacency)
    sources = np.sort(np.random.default_rng(0).choice(index.size, 200, replace=False))

    sampled = betweenness(index.adjacency, sources)

    top = np.argsort(-exact)[:20]
    assert np.corrcoef(exact, sampled)[0, 1] > 0.95
    assert len(set(top[:10].tolist()) & set(np.argsort(-sampled)[:20].tolist())) >= 8


def test_a_network_without_cooperation_has_no_clusters_and_zero_modularity() -> None:
    snapshot = NetworkSnapshot((centre(1, "FR"), centre(2, "DE")))

    result = detect_clusters(snapshot)
    metrics = network_metrics(snapshot, clusters=result)

    assert result.clusters == ()
    assert result.modularity == 0.0
    assert result.unclustered == (1, 2)
    assert metrics.isolated == (1, 2)
    assert metrics.brokers == ()


def test_similarity_blending_also_uses_competencies_offered() -> None:
    snapshot = two_cliques()
    gardeners = tuple(
        dataclasses.replace(c, offers={"garden": 2}) if 6 <= c.id <= 10 else c
        for c in snapshot.centres[:-1]
    )
    loner = dataclasses.replace(snapshot.centres[-1], offers={"garden": 3})
    snapshot = dataclasses.replace(snapshot, centres=(*gardeners, loner))

    blended = detect_clusters(snapshot, similarity_weight=0.5)

    gardens = next(c for c in blended.clusters if 6 in c.centre_ids)
    assert 11 in gardens.centre_ids


def test_method_can_be_forced_and_must_be_known() -> None:
    forced = detect_clusters(two_cliques(), method="label_propagation")

    assert forced.method == "label_propagation"
    assert [c.centre_ids for c in forced.clusters] == [(1, 2, 3, 4, 5), (6, 7, 8, 9, 10)]
    with pytest.raises(ValueError):
        detect_clusters(two_cliques(), method="walktrap")


def test_leiden_is_deterministic_across_threads_and_as_good_as_louvain() -> None:
    index = build_index(synthetic_network(1_000, seed=2).snapshot)

    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda seed: detect_clusters(index, seed=seed), [42, 7, 42, 7]))
    louvain = detect_clusters(index, method="louvain")

    assert runs[0] == runs[2] and runs[1] == runs[3]
    assert runs[0].method == "leiden"
    assert runs[0].modularity >= louvain.modularity - 0.01


def test_yearly_clusters_use_the_same_leiden_run() -> None:
    snapshot = two_cliques()
    projects = [Project(p.start_year, p.end_year, p.members) for p in snapshot.partnerships]
    ids = [c.id for c in snapshot.centres]

    by_year = yearly_structure(ids, projects, [2015, 2020])

    # 2015: only 5-6 cooperated; 2020: the two cliques, joined by that link.
    assert (by_year[2015].clusters, by_year[2015].largest_cluster) == (1, 2)
    assert by_year[2020].clusters == 2 and by_year[2020].mean_cluster_size == 5
    assert by_year[2020].isolated_share == pytest.approx(1 / 11)  # centre 11
    found = detect_clusters(build_index(snapshot))
    assert sorted(len(c.centre_ids) for c in found.clusters) == [5, 5]
    assert yearly_structure(ids, projects[::-1], [2020]) == {2020: by_year[2020]}
