"""The exact reference: it obeys the same rules, and the scheduler is close to it."""

from __future__ import annotations

from hypothesis import given, settings

from matching.fair import FairInstance, check_schedule, schedule, solve_exact
from matching.fair.synthetic import FairShape, random_fair
from tests.matching_fair.fair_strategies import fairs


@settings(max_examples=40, deadline=None)
@given(fairs(max_meetings=10))
def test_exact_obeys_the_rules_and_bounds_the_scheduler(instance: FairInstance) -> None:
    exact = solve_exact(instance, time_limit=10)
    assert check_schedule(instance, exact) == []
    assert exact.total_priority >= schedule(instance).total_priority - 1e-9


def test_scheduler_is_near_optimal_on_a_seeded_fair() -> None:
    # given a 20-centre, 60-request fair with groups, holes, caps and languages
    instance = random_fair(7, FairShape(centres=20, requests=60, tables=4))
    # when both solve it, then the scheduler holds at least 97% of the optimal priority
    optimum = solve_exact(instance, time_limit=30).total_priority
    assert schedule(instance).total_priority >= 0.97 * optimum
