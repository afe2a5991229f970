"""Consortium builder: coverage, country minimum, explanations, greedy against exhaustive."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import (
    NetworkSnapshot,
    ProposalData,
    build_index,
    exhaustive_consortium,
    suggest_consortium,
)
from matching.synthetic import synthetic_network
from tests.matching.matching_cases import COMPETENCIES, centre, en, en_note, residency_network


def covering_network() -> NetworkSnapshot:
    """Owner 1 (FR) seeks three competencies; each is offered by one centre of its own country,
    and 5 (FR) offers two of them."""
    return NetworkSnapshot(
        (
            centre(1, "FR", seeks={"residencies": 2, "sound": 2, "garden": 2}),
            centre(2, "PT", offers={"residencies": 3}),
            centre(3, "DE", offers={"sound": 2}),
            centre(4, "IT", offers={"garden": 2}),
            centre(5, "FR", offers={"residencies": 2, "sound": 2}),
            centre(6, "FR", offers={"web": 3}),
        ),
        competency_names=COMPETENCIES,
    )


def proposal(**changes: object) -> ProposalData:
    fields: dict[str, object] = {
        "id": 1,
        "owner": 1,
        "seeks": {"residencies": 2, "sound": 2, "garden": 2},
        "partners_min": 2,
        "partners_max": 3,
        "min_countries": 1,
    }
    fields.update(changes)
    return ProposalData(**fields)  # type: ignore[arg-type]


def test_team_covers_everything_sought_with_few_partners() -> None:
    index = build_index(covering_network())

    team = suggest_consortium(index, proposal())

    assert {m.centre_id for m in team.members} == {5, 4}
    assert team.covered == ("garden", "residencies", "sound")
    assert team.uncovered == ()
    assert team.meets_size and team.meets_countries


def test_country_minimum_is_met_even_at_some_cost_in_partners() -> None:
    index = build_index(covering_network())

    team = suggest_consortium(index, proposal(), size=3, min_countries=4)

    assert {m.centre_id for m in team.members} == {2, 3, 4}
    assert team.countries == ("DE", "FR", "IT", "PT")
    assert team.meets_countries


def test_each_pick_is_explained_and_reason_weights_add_up_to_its_gain() -> None:
    index = build_index(covering_network())

    team = suggest_consortium(index, proposal(), size=3, min_countries=4)

    for pick in team.members:
        assert sum(r.weight for r in pick.reasons) == pytest.approx(pick.gain, abs=1e-5)
        assert {r.factor for r in pick.reasons} >= {"coverage", "country_spread"}
    first = team.members[0].reasons
    assert any("which nobody in the team offered yet" in en(r) for r in first)


def test_too_small_a_team_says_why_it_misses_the_country_minimum() -> None:
    index = build_index(covering_network())

    team = suggest_consortium(index, proposal(), size=2, min_countries=5)

    assert not team.meets_countries
    assert en_note(team.notes[0]) == (
        "a team of 3 organisations (you and 2 partners) cannot come from 5 countries: "
        "ask for at least 4 partners"
    )


def test_too_few_countries_in_the_network_says_which_there_are() -> None:
    index = build_index(covering_network())

    team = suggest_consortium(index, proposal(), size=5, min_countries=5)

    assert not team.meets_countries
    assert team.countries == ("DE", "FR", "IT", "PT")
    assert "come from only 4 countries (Germany, France, Italy, Portugal)" in en_note(team.notes[0])


def test_competency_nobody_offers_is_reported_uncovered() -> None:
    index = build_index(covering_network())

    team = suggest_consortium(index, proposal(seeks={"residencies": 2, "lighting": 1}))

    assert team.uncovered == ("lighting",)
    assert "nobody in the network offers 'lighting'" in [en_note(n) for n in team.notes]


def test_declined_and_accepted_partners_are_not_picked_but_count() -> None:
    index = build_index(covering_network())

    team = suggest_consortium(
        index, proposal(current_partners=(5,), declined=(4,)), size=2, min_countries=1
    )

    # Size 2 with one accepted partner leaves one pick; only 4 (declined) offers garden design.
    assert len(team.members) == 1
    assert team.members[0].centre_id in {2, 3}
    assert "residencies" in team.covered and "sound" in team.covered
    assert "garden" in team.uncovered


def test_greedy_matches_exhaustive_on_the_hand_made_case() -> None:
    index = build_index(covering_network())

    greedy = suggest_consortium(index, proposal(), size=3, min_countries=4)
    best = exhaustive_consortium(index, proposal(), size=3, min_countries=4)

    assert greedy.value == pytest.approx(best.value)


def test_residency_network_team_reaches_its_countries() -> None:
    index = build_index(residency_network())
    wanted = ProposalData(1, owner=1, seeks={"residencies": 3}, partners_min=2, min_countries=3)

    team = suggest_consortium(index, wanted)

    assert len(team.members) >= 2
    assert team.meets_countries
    assert team.members[0].centre_id in {2, 5, 6}


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(2, 4), countries=st.integers(1, 5))
def test_greedy_is_close_to_exhaustive_and_never_better(
    seed: int, size: int, countries: int
) -> None:
    network = synthetic_network(24, seed=seed, n_proposals=1)
    index = build_index(network.snapshot)
    wanted = network.snapshot.proposals[0]

    greedy = suggest_consortium(index, wanted, size=size, min_countries=countries)
    best = exhaustive_consortium(index, wanted, size=size, min_countries=countries, pool=23)

    assert len(greedy.members) == size
    assert greedy.meets_countries >= best.meets_countries
    if greedy.meets_countries == best.meets_countries:
        assert greedy.value <= best.value + 1e-9
        assert greedy.value >= 0.8 * best.value
