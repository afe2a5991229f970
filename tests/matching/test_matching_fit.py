"""Weights fitted on a network's own history: bounded, deterministic, thin history stays near
the priors, and the validation year is never fitted on."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matching import NetworkSnapshot, ScoringWeights, build_index
from matching.fit import (
    FittedModel,
    fit_weights,
    fit_years,
    history_cases,
    one_standard_error,
    priors_of,
    validation_folds,
)
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


def test_history_moves_the_fit_and_the_trust_blends_it_with_the_priors(
    history: NetworkSnapshot, fitted: FittedModel
) -> None:
    silent = lambda _: None  # noqa: E731
    raw, _, _ = fit_years(history, fitted.training_years, ScoringWeights(), 42, silent)

    priors = priors_of(ScoringWeights())
    assert sum(abs(raw[f] - priors[f]) for f in priors) > 0.1
    for f, prior in priors.items():
        blend = fitted.trust * raw[f] + (1 - fitted.trust) * prior
        assert fitted.weights[f] == pytest.approx(blend, abs=1e-6)
    assert fitted.validation_recall_at_10 is not None
    assert fitted.prior_recall_at_10 is not None
    assert fitted.validation_folds > 2
    # The chosen trust is never worse than the priors on the held-out folds.
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


def test_each_fold_is_judged_by_a_fit_that_never_saw_it(history: NetworkSnapshot) -> None:
    silent = lambda _: None  # noqa: E731
    years = sorted({p.start_year for p in history.partnerships if p.start_year})[-3:]
    cases = history_cases(history, years, ScoringWeights(), 42, silent)
    folds = validation_folds(cases, years[-1])

    assert folds[0].name == str(years[-1]) and len(folds) > 2
    for fold in folds:
        assert fold.test and not set(fold.train) & set(fold.test)
    temporal, *by_programme = folds
    assert {cases[i].year for i in temporal.test} == {years[-1]}
    assert max(cases[i].year for i in temporal.train) < years[-1]
    held = [{cases[i].query.proposal.programme for i in f.test} for f in by_programme]
    for fold, programmes in zip(by_programme, held, strict=True):
        assert not programmes & {cases[i].query.proposal.programme for i in fold.train}
    # Every case is held out by exactly one programme fold.
    assert sorted(i for f in by_programme for i in f.test) == list(range(len(cases)))


def test_folds_that_disagree_shrink_toward_the_priors() -> None:
    # Columns: trust 0 (the priors), 0.25 ... 1. The fit wins on average in both tables.
    agree = np.asarray([[0.10, 0.11, 0.12, 0.13, 0.14], [0.10, 0.11, 0.12, 0.13, 0.15]])
    disagree = np.asarray([[0.10, 0.11, 0.12, 0.13, 0.30], [0.10, 0.10, 0.09, 0.06, 0.02]])

    assert one_standard_error(agree) == 4
    assert one_standard_error(disagree) == 0
    assert one_standard_error(agree[:1]) == 4  # one fold: its best, ties to the priors
    assert one_standard_error(np.full((3, 5), 0.1)) == 0
