"""Weights fitted on a network's own history: bounded, deterministic, thin history stays near
the priors, and the validation year is never fitted on."""

from __future__ import annotations

import dataclasses

import pytest

from matching import NetworkSnapshot, ScoringWeights, build_index
from matching.fit import FittedModel, fit_weights, fit_years, priors_of
from matching.synthetic import synthetic_snapshot
from tests.matching.matching_cases import residency_network


@pytest.fixture(scope="module")
def history() -> NetworkSnapshot:
    return synthetic_snapshot(300, seed=3)


@pytest.fixture(scope="module")
def fitted(history: NetworkSnapshot) -> FittedModel:
    return fit_weights(history)


def test_weights_are_a_distribution_and_deterministic(
    history: NetworkSnapshot, fitted: FittedModel
) -> None:
    first = fitted
    again = fit_weights(history)

    assert first == again
    assert all(w >= 0 for w in first.weights.values())
    assert sum(first.weights.values()) == pytest.approx(1.0, abs=1e-4)
    assert first.training_cases > 20 and first.validation_cases > 0
    assert first.training_years[-1] == first.validation_year
    assert 0.0 <= first.trust <= 1.0


def test_history_moves_the_weights_and_validation_holds_up(fitted: FittedModel) -> None:

    priors = priors_of(ScoringWeights())
    moved = sum(abs(fitted.weights[f] - priors[f]) for f in priors)
    assert moved > 0.1
    assert fitted.validation_recall_at_10 is not None
    assert fitted.prior_recall_at_10 is not None
    # Fitting should not make the latest year worse than the priors.
    assert fitted.validation_recall_at_10 >= fitted.prior_recall_at_10 - 0.02


def test_the_validation_year_never_reaches_the_fit_that_it_judges(
    history: NetworkSnapshot, fitted: FittedModel
) -> None:
    year = fitted.validation_year
    assert year is not None
    earlier = tuple(y for y in fitted.training_years if y < year)
    # Change what the validation year's projects are about: the fit it judges does not move
    # (who took part in them still tells which centres had joined by then).
    changed = dataclasses.replace(
        history,
        partnerships=tuple(
            dataclasses.replace(p, themes=(), programme="another")
            if (p.start_year or p.end_year) == year
            else p
            for p in history.partnerships
        ),
    )
    silent = lambda _: None  # noqa: E731

    assert fit_years(changed, earlier, ScoringWeights(), 42, silent) == fit_years(
        history, earlier, ScoringWeights(), 42, silent
    )


def test_thin_history_keeps_the_priors() -> None:
    fitted = fit_weights(residency_network())

    priors = priors_of(ScoringWeights())
    assert fitted.training_cases <= 3
    assert sum(abs(fitted.weights[f] - priors[f]) for f in priors) < 0.15


def test_fitted_weights_drive_the_index(history: NetworkSnapshot, fitted: FittedModel) -> None:

    index = build_index(history, fitted.scoring_weights())

    for factor, weight in fitted.weights.items():
        assert index.weights.factor_weight(factor) == weight
