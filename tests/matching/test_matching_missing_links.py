"""Missing links from bounded candidate pairs give the exhaustive scan's answers."""

from __future__ import annotations

import numpy as np
import pytest

from accr_graph.repositories.snapshot import network_snapshot
from matching import (
    MatchingIndex,
    ScoringWeights,
    build_index,
    exhaustive_missing_links,
    missing_links,
)
from matching.exposure import exposure_multiplier
from matching.index import FACTORS
from matching.missing import NP, SCREEN_MARGIN, _bound_profiles, _pair_factors, row_shares
from matching.scoring import _shares, centre_query, global_proximity, score, walk
from matching.synthetic import synthetic_snapshot
from tests.conftest import Database
from tests.matching.matching_cases import residency_network, two_cliques


def same_answers(index: MatchingIndex, first: int) -> None:
    fast = missing_links(index, first)
    exhaustive = exhaustive_missing_links(index, first)
    assert [(m.a, m.b, m.score) for m in fast] == [(m.a, m.b, m.score) for m in exhaustive]
    assert fast == exhaustive  # reasons too


@pytest.mark.parametrize(("n", "seed"), [(60, 1), (250, 0), (700, 3)])
def test_generated_networks_have_the_exhaustive_top_answers(n: int, seed: int) -> None:
    same_answers(build_index(synthetic_snapshot(n, seed)), first=30)


def test_hand_made_networks_have_the_exhaustive_answers() -> None:
    same_answers(build_index(residency_network()), first=10)
    same_answers(build_index(two_cliques()), first=10)


def test_fitted_weights_without_exposure_give_the_same_answers() -> None:
    weights = ScoringWeights(complementarity=0.05, global_proximity=0.4, exposure_strength=0.0)
    same_answers(build_index(synthetic_snapshot(300, 2), weights), first=20)


async def test_sample_network_has_the_exhaustive_answers(sample_db: Database) -> None:
    async with sample_db.sessionmaker() as session:
        snapshot = await network_snapshot(session)

    same_answers(build_index(snapshot), first=50)


def test_per_centre_normalisation_matches_the_dense_one() -> None:
    index = build_index(synthetic_snapshot(300, 4))
    rows = list(range(index.size))
    q = centre_query(index, rows, exclude_past_partners=True)
    dense = score(index, q)

    shares = row_shares(index, _pair_factors(index))

    weights = np.asarray([index.weights.factor_weight(f) for f in FACTORS])
    expected = _shares(weights, dense.factors, q.excluded.toarray() > 0)
    np.testing.assert_allclose(shares, expected, atol=1e-12)
    ppr, _ = walk(index, q.team)
    np.testing.assert_array_equal(
        global_proximity(index, q, ppr), dense.factors["global_proximity"]
    )


def test_nothing_asked_or_nobody_to_link() -> None:
    index = build_index(synthetic_snapshot(40, 0))

    assert missing_links(index, 0) == []
    assert missing_links(build_index(synthetic_snapshot(1, 0)), 5) == []


@pytest.mark.parametrize("seed", [0, 5])
def test_screen_bound_is_above_every_score(seed: int) -> None:
    index = build_index(synthetic_snapshot(200, seed))
    pf = _pair_factors(index)
    shares = row_shares(index, pf)
    q = centre_query(index, list(range(index.size)), exclude_past_partners=True)
    final = score(index, q).final

    u, v = _bound_profiles(index, shares, exposure_multiplier(index))
    proximity = 1.0 - np.exp(-pf.allocation.toarray() / index.weights.proximity_scale)
    bound = u @ v + shares[:, [NP]] * proximity * exposure_multiplier(index)[None, :]

    eligible = final >= 0
    assert np.all(bound[eligible] >= final[eligible] - SCREEN_MARGIN)
