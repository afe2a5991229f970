"""One query's fast paths (array operations on the CSR arrays, a walk kept as reached rows)
give the values of the batch path (scipy's sparse products), and the walk's pruning keeps
two-step reach exact."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matching import MatchingIndex, ProposalData, build_index
from matching import scoring as scoring_module
from matching.index import FACTORS
from matching.scoring import QueryBatch, centre_query, proposals_query, score, top_rows, walk
from matching.synthetic import synthetic_network


@pytest.fixture(scope="module")
def network() -> tuple[MatchingIndex, list[ProposalData]]:
    made = synthetic_network(400, seed=6, n_proposals=8)
    index = build_index(made.snapshot)
    proposals = list(made.snapshot.proposals)
    # A declined centre and an accepted partner, so that exclusions and teams are exercised.
    proposals[0] = dataclasses.replace(
        proposals[0], declined=(int(index.ids[5]),), current_partners=(int(index.ids[9]),)
    )
    return index, proposals


def assert_same_row(one: scoring_module.Scores, batch: scoring_module.Scores, b: int) -> None:
    for f in FACTORS:
        np.testing.assert_allclose(one.factors[f][0], batch.factors[f][b], rtol=0, atol=1e-12)
    np.testing.assert_allclose(one.share[0], batch.share[b], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(one.hops[0], batch.hops[b])
    np.testing.assert_allclose(one.final[0], batch.final[b], rtol=0, atol=2e-9)


def test_one_proposal_scores_as_in_a_batch(
    network: tuple[MatchingIndex, list[ProposalData]],
) -> None:
    index, proposals = network
    batch = score(index, proposals_query(index, proposals))

    for b, proposal in enumerate(proposals):
        assert_same_row(score(index, proposals_query(index, [proposal])), batch, b)


def test_one_centre_scores_as_in_a_batch(network: tuple[MatchingIndex, list[ProposalData]]) -> None:
    index, _ = network
    rows = [0, 17, 123, 399]
    batch = score(index, centre_query(index, rows, exclude_past_partners=True))

    for b, row in enumerate(rows):
        one = score(index, centre_query(index, [row], exclude_past_partners=True))
        assert_same_row(one, batch, b)


def test_top_rows_takes_eligible_candidates_best_first_ties_by_id(
    network: tuple[MatchingIndex, list[ProposalData]],
) -> None:
    index, _ = network
    scores = np.full(index.size, 0.5)
    scores[[3, 7, 11]] = 0.9
    scores[[1, 2]] = -1.0  # excluded

    assert top_rows(index, scores, 4).tolist() == [3, 7, 11, 0]
    assert top_rows(index, np.full(index.size, -1.0), 4).tolist() == []
    few = np.full(index.size, -1.0)
    few[[8, 6]] = [0.0, 0.2]
    assert top_rows(index, few, 10).tolist() == [6, 8]


def team_of(index: MatchingIndex, row: int) -> QueryBatch:
    return centre_query(index, [row])


def test_pruning_keeps_two_steps_exact_and_only_removes_mass(
    network: tuple[MatchingIndex, list[ProposalData]], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, _ = network
    for row in (0, 50, 200):
        q = team_of(index, row)
        pruned, hops = walk(index, q.team)
        with monkeypatch.context() as exact:
            exact.setattr(scoring_module, "PPR_PRUNE", 0.0)
            full, full_hops = walk(index, q.team)
        # Within two steps: reached at the same step as without pruning.
        near = (full_hops >= 1) & (full_hops <= 2)
        np.testing.assert_array_equal(hops[near], full_hops[near])
        # Pruning stops mass from travelling on, it never adds any.
        assert np.all(pruned <= full + 1e-15)
        assert np.all((hops == 0) | (hops >= full_hops))
        # The best candidates of the walk are still its best.
        assert np.argmax(pruned) == np.argmax(full)
