"""Partner suggestions on hand-made networks whose right answer is known."""

from __future__ import annotations

import dataclasses

import pytest

from matching import (
    NetworkSnapshot,
    ScoringWeights,
    Suggestion,
    build_index,
    missing_links,
    suggest_for_centre,
    suggest_for_proposal,
)
from tests.matching.matching_cases import (
    centre,
    en,
    project,
    residency_network,
    residency_proposal,
)


def test_centre_offering_exactly_what_is_sought_ranks_first() -> None:
    index = build_index(residency_network())

    suggestions = suggest_for_proposal(index, residency_proposal())

    assert suggestions[0].centre_id == 2
    # Level 1 of the same competency is worth a third of level 3.
    ranked = [s.centre_id for s in suggestions]
    assert ranked.index(2) < ranked.index(4)


def test_owner_current_partners_and_declined_centres_are_never_suggested() -> None:
    index = build_index(residency_network())

    ranked = {s.centre_id for s in suggest_for_proposal(index, residency_proposal(), first=50)}

    assert ranked == {2, 3, 4, 7}


def test_complementarity_reason_names_competency_level_and_rarity() -> None:
    index = build_index(residency_network())

    best = suggest_for_proposal(index, residency_proposal())[0]

    reason = next(r for r in best.reasons if r.factor == "complementarity")
    assert en(reason) == (
        "offers 'Artist residencies' (level 3), which this proposal seeks, "
        "and only 4 centres offer it"
    )
    assert reason.weight == max(r.weight for r in best.reasons)


def test_reasons_name_shared_partners_and_new_country() -> None:
    snapshot = residency_network()
    # A candidate from the owner's country, so that a new country sets candidates apart.
    snapshot = dataclasses.replace(snapshot, centres=(*snapshot.centres, centre(8, "FR")))
    index = build_index(snapshot)

    best = suggest_for_proposal(index, residency_proposal())[0]

    texts = {r.factor: en(r) for r in best.reasons}
    assert texts["network_proximity"] == "shares 1 partner with your team (Centre 7)"
    assert texts["country_diversity"] == (
        "adds a new country: Portugal (the team has 2 of the 3 countries it needs)"
    )
    assert [r.weight for r in best.reasons] == sorted(
        (r.weight for r in best.reasons), reverse=True
    )


def test_a_factor_without_signal_drops_out() -> None:
    # Every candidate adds a new country and nobody has a programme: neither says anything.
    index = build_index(residency_network())

    suggestions = suggest_for_proposal(index, residency_proposal(), first=50)

    factors = {r.factor for s in suggestions for r in s.reasons}
    assert not factors & {"country_diversity", "programme_experience", "programme_area"}
    assert all(
        sum(r.weight for r in s.reasons) == pytest.approx(s.score, abs=1e-5) for s in suggestions
    )


def test_reason_weights_add_up_to_the_score() -> None:
    index = build_index(residency_network())

    for s in suggest_for_proposal(index, residency_proposal(), first=50):
        assert sum(r.weight for r in s.reasons) == pytest.approx(s.score, abs=1e-5)
        assert 0.0 <= s.score <= 1.0


def test_explain_false_gives_same_ranking_without_reasons() -> None:
    index = build_index(residency_network())

    full = suggest_for_proposal(index, residency_proposal())
    bare = suggest_for_proposal(index, residency_proposal(), explain=False)

    assert [(s.centre_id, s.score) for s in full] == [(s.centre_id, s.score) for s in bare]
    assert all(s.reasons == () for s in bare)


def twins_and_hub() -> NetworkSnapshot:
    """Centres 2, 3 and 4 are identical to the proposal's eyes except that 4 is a hub."""
    same = {"themes": ("music",), "offers": {"sound": 3}}
    centres = (
        centre(1, "FR", seeks={"sound": 3}, themes=("music",)),
        centre(3, "DE", **same),  # type: ignore[arg-type]
        centre(2, "DE", **same),  # type: ignore[arg-type]
        centre(4, "DE", **same),  # type: ignore[arg-type]
        *(centre(i, "AT") for i in range(10, 30)),
    )
    partnerships = tuple(project(i, 4, i) for i in range(10, 30))
    return NetworkSnapshot(centres, partnerships, reference_year=2020)


def test_ties_are_broken_by_centre_id() -> None:
    index = build_index(twins_and_hub())

    ranked = [s.centre_id for s in suggest_for_centre(index, 1, first=3)]

    # 4 is more active (it may rank anywhere); its twins 2 and 3 tie and come by id.
    assert [c for c in ranked if c != 4] == [2, 3]


def test_exposure_rerank_lowers_hubs_and_says_so() -> None:
    snapshot = twins_and_hub()
    strong = ScoringWeights(exposure_strength=0.5, activity=0.0)
    relevance = ScoringWeights(exposure_strength=0.0, activity=0.0)
    damped = suggest_for_centre(build_index(snapshot, strong), 1, first=3)
    plain = suggest_for_centre(build_index(snapshot, relevance), 1, first=3)

    hub = next(s for s in damped if s.centre_id == 4)
    exposure = next(r for r in hub.reasons if r.factor == "exposure")
    assert exposure.weight < 0 and exposure.count == 20 and exposure.value == 0.5
    assert hub.score < next(s.score for s in plain if s.centre_id == 4)
    assert damped[-1].centre_id == 4
    # The default strength is milder but still says what it did.
    default = suggest_for_centre(build_index(snapshot), 1, first=3)
    assert any(r.factor == "exposure" for s in default if s.centre_id == 4 for r in s.reasons)


def test_centre_suggestions_can_skip_past_partners() -> None:
    index = build_index(residency_network())

    everyone = {s.centre_id for s in suggest_for_centre(index, 1, first=50)}
    new_only = {
        s.centre_id for s in suggest_for_centre(index, 1, first=50, exclude_past_partners=True)
    }

    assert everyone == {2, 3, 4, 5, 6, 7}
    assert new_only == {2, 4, 5, 6}


def test_past_cooperation_reason_counts_joint_projects() -> None:
    index = build_index(residency_network())

    hub = next(s for s in suggest_for_centre(index, 1, first=50) if s.centre_id == 7)

    texts = {r.factor: en(r) for r in hub.reasons}
    assert texts["past_cooperation"] == "worked with you on 1 joint project, latest in 2019"


def test_missing_links_never_cooperated_and_best_complement_comes_first() -> None:
    index = build_index(residency_network())
    cooperated = {frozenset(p) for p in [(7, 1), (7, 2), (7, 3), (7, 4), (7, 5), (7, 6), (1, 3)]}
    cooperated |= {frozenset((4, 5))}

    links = missing_links(index, first=10)

    assert all(frozenset((link.a, link.b)) not in cooperated for link in links)
    assert (links[0].a, links[0].b) in {(1, 2), (1, 5), (1, 6)}
    assert [link.score for link in links] == sorted((link.score for link in links), reverse=True)


def test_unknown_owner_is_an_error() -> None:
    index = build_index(residency_network())

    with pytest.raises(KeyError):
        suggest_for_proposal(index, residency_proposal(owner=99))


def test_programme_factors_favour_programme_members_from_its_countries() -> None:
    snapshot = residency_network()
    programme = dataclasses.replace(snapshot.partnerships[2], programme="Interreg ES-DE")
    snapshot = dataclasses.replace(
        snapshot, partnerships=(*snapshot.partnerships[:2], programme, snapshot.partnerships[3])
    )
    index = build_index(snapshot)

    plain = suggest_for_proposal(index, residency_proposal(current_partners=(), seeks={}))
    interreg = suggest_for_proposal(
        index, residency_proposal(current_partners=(), seeks={}, programme="Interreg ES-DE")
    )

    def rank(suggestions: list[Suggestion]) -> list[int]:
        return [s.centre_id for s in suggestions]

    # 5 did a project in the programme, 2 did not: the programme widens 5's lead over 2.
    def gap(suggestions: list[Suggestion]) -> float:
        scores = {s.centre_id: s.score for s in suggestions}
        return scores[5] - scores[2]

    assert gap(interreg) > gap(plain) + 0.05
    assert rank(interreg).index(5) < rank(interreg).index(2)
    five = next(s for s in interreg if s.centre_id == 5)
    texts = {r.factor: en(r) for r in five.reasons}
    assert texts["programme_experience"] == (
        "took part in 1 project of 'Interreg ES-DE', this proposal's programme"
    )
