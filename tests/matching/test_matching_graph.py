"""The network graph, cooperation weights and the prepared index."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matching import NetworkSnapshot, PartnershipData, build_graph, build_index, cooperation_graph
from matching.graph import in_year_range, recency_weight
from tests.matching.matching_cases import (
    centre,
    project,
    residency_network,
    residency_proposal,
    two_cliques,
)


def test_recency_halves_every_five_years() -> None:
    assert recency_weight(2024, 2024) == 1.0
    assert recency_weight(2019, 2024) == pytest.approx(0.5)
    assert recency_weight(2014, 2024) == pytest.approx(0.25)
    assert recency_weight(2030, 2024) == 1.0
    assert recency_weight(None, 2024) == 0.5


def test_cooperation_weight_adds_recency_of_each_joint_project() -> None:
    snapshot = NetworkSnapshot(
        (centre(1, "FR"), centre(2, "DE"), centre(3, "IT")),
        (project(1, 1, 2, year=2024), project(2, 2, 1, year=2019), project(3, 2, 3, year=2014)),
        reference_year=2024,
    )

    graph = cooperation_graph(snapshot)

    assert graph[1][2] == {"weight": pytest.approx(1.5), "count": 2, "last_year": 2024}
    assert graph[2][3]["weight"] == pytest.approx(0.25)
    assert not graph.has_edge(1, 3)


def test_reference_year_defaults_to_latest_year_seen() -> None:
    snapshot = dataclasses.replace(two_cliques(), reference_year=None)

    assert cooperation_graph(snapshot)[5][6]["weight"] == pytest.approx(0.5)


def test_year_range_keeps_overlapping_and_undated_partnerships() -> None:
    spanning = PartnershipData(1, (1, 2), start_year=2010, end_year=2015)
    undated = PartnershipData(2, (1, 2))

    assert in_year_range(spanning, 2014, 2020)
    assert not in_year_range(spanning, 2016, None)
    assert not in_year_range(spanning, None, 2009)
    assert in_year_range(undated, 2016, 2017)


def test_members_that_are_not_centres_are_ignored() -> None:
    snapshot = NetworkSnapshot((centre(1, "FR"), centre(2, "DE")), (project(1, 1, 2, 99),))

    assert sorted(cooperation_graph(snapshot).edges) == [(1, 2)]


def test_build_graph_has_every_kind_of_node_and_relation() -> None:
    snapshot = dataclasses.replace(residency_network(), proposals=(residency_proposal(),))

    graph = build_graph(snapshot)

    kinds = {node[0] for node in graph}
    assert kinds == {"centre", "theme", "competency", "proposal"}
    relations = {key for _, _, key in graph.edges(keys=True)}
    assert relations == {"offers", "seeks", "works_on", "owns", "cooperates"}
    assert graph.nodes["competency", "residencies"]["name"] == "Artist residencies"
    offers = graph.get_edge_data(("centre", 2), ("competency", "residencies"))
    assert offers["offers"]["level"] == 3


def test_index_does_not_depend_on_input_order() -> None:
    snapshot = residency_network()
    shuffled = dataclasses.replace(
        snapshot,
        centres=tuple(reversed(snapshot.centres)),
        partnerships=tuple(reversed(snapshot.partnerships)),
    )

    a, b = build_index(snapshot), build_index(shuffled)

    assert np.array_equal(a.ids, b.ids)
    for name in ("adjacency", "theme_profile", "offers", "seeks", "programme_count"):
        assert (getattr(a, name) != getattr(b, name)).nnz == 0


def test_rarer_competencies_weigh_more() -> None:
    index = build_index(residency_network())
    col = index.competencies.col

    # 4 centres offer residencies, 2 offer web development, 1 sound engineering.
    assert index.offer_count[col["residencies"]] == 4
    idf = index.competency_idf
    assert idf[col["sound"]] > idf[col["web"]] > idf[col["residencies"]]
