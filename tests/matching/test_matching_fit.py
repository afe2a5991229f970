"""Weights fitted on a network's own history: bounded, deterministic, thin history stays near
the priors, and the validation year is never fitted on."""

from __future__ import annotations

import dataclasses

import pytest

from matching import NetworkSnapshot, ScoringWeights, build_index
from matching.fit import fit_weights, priors_of
from matching.synthetic import synthetic_snapshot
from tests.matching.matching_cases import residency_network


@pytest.fixture(scope="module")
def history() -> NetworkSnapshot:
    return synthetic_snapshot(300, seed=3)


def test_weights_are_a_distribution_and_deterministic(history: NetworkSnapshot) -> None:
    first = fit_weights(history)
    again = fit_weights(history)

    assert first == again
    assert all(w >= 0 for w in first.weights.values())
    assert sum(first.weights.values()) == pytest.approx(1.0, abs=1e-4)
    assert first.training_cases > 20 and first.validation_cases > 0
    assert first.validation_year not in first.training_years


def test_history_moves_the_weights_and_validation_holds_up(history: NetworkSnapshot) -> None:
    fitted = fit_weights(history)

    priors = priors_of(ScoringWeights())
    moved = sum(abs(fitted.weights[f] - priors[f]) for f in priors)
    assert moved > 0.1
    assert fitted.validation_recall_at_10 is not None
    assert fitted.prior_recall_at_10 is not None
    # Fitting should not make the latest year worse than the priors.
    assert fitted.validation_recall_at_10 >= fitted.prior_recall_at_10 - 0.02


def test_the_validation_year_is_never_fitted_on(history: NetworkSnapshot) -> None:
    fitted = fit_weights(history)
    year = fitted.validation_year
    # Keep a single project of the validation year: the fitted weights do not move.
    latest = [p for p in history.partnerships if (p.start_year or p.end_year) == year]
    others = [p for p in history.partnerships if (p.start_year or p.end_year) != year]
    fewer = dataclasses.replace(history, partnerships=(*others, latest[0]))

    again = fit_weights(fewer)

    assert again.validation_year == year and again.training_years == fitted.training_years
    assert again.weights == fitted.weights
    assert again.validation_cases < fitted.validation_cases


def test_thin_history_keeps_the_priors() -> None:
    fitted = fit_weights(residency_network())

    priors = priors_of(ScoringWeights())
    assert fitted.training_cases <= 3
    assert sum(abs(fitted.weights[f] - priors[f]) for f in priors) < 0.15


def test_fitted_weights_drive_the_index(history: NetworkSnapshot) -> None:
    fitted = fit_weights(history)

    index = build_index(history, fitted.scoring_weights())

    for factor, weight in fitted.weights.items():
        assert index.weights.factor_weight(factor) == weight
