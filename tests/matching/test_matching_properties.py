"""Properties on random small networks: bounds, order, exclusions, determinism."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import (
    CentreData,
    NetworkSnapshot,
    PartnershipData,
    ProposalData,
    build_index,
    suggest_consortium,
    suggest_for_centre,
    suggest_for_proposal,
)
from tests.matching.matching_cases import en

COUNTRIES = ("FR", "DE", "PT", "IT")
THEMES = ("music", "heritage", "gardens", "youth")
SKILLS = ("residencies", "sound", "web", "garden", "press")
LANGUAGES = ("fr", "de", "en")

levels = st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=3)


@st.composite
def snapshots(draw: st.DrawFn) -> NetworkSnapshot:
    n = draw(st.integers(2, 12))
    centres = tuple(
        CentreData(
            id=i * 3 + 1,  # ids are not rows
            name=f"c{i}",
            country=draw(st.sampled_from(COUNTRIES)),
            languages=tuple(draw(st.sets(st.sampled_from(LANGUAGES), max_size=2))),
            themes=tuple(draw(st.sets(st.sampled_from(THEMES), max_size=2))),
            offers=draw(levels),
            seeks=draw(levels),
        )
        for i in range(n)
    )
    ids = [c.id for c in centres]
    partnerships = tuple(
        PartnershipData(
            id=k,
            members=tuple(draw(st.lists(st.sampled_from(ids), min_size=2, max_size=4))),
            start_year=draw(st.none() | st.integers(2000, 2024)),
            themes=tuple(draw(st.sets(st.sampled_from(THEMES), max_size=2))),
            programme=draw(st.sampled_from((None, "CE", "Interreg"))),
        )
        for k in range(draw(st.integers(0, 10)))
    )
    return NetworkSnapshot(centres, partnerships)


@st.composite
def cases(draw: st.DrawFn) -> tuple[NetworkSnapshot, ProposalData]:
    snapshot = draw(snapshots())
    ids = [c.id for c in snapshot.centres]
    owner = draw(st.sampled_from(ids))
    others = [i for i in ids if i != owner]
    proposal = ProposalData(
        id=1,
        owner=owner,
        themes=tuple(draw(st.sets(st.sampled_from(THEMES), max_size=3))),
        seeks=draw(levels),
        offers=draw(levels),
        partners_max=draw(st.integers(1, 5)),
        min_countries=draw(st.integers(1, 4)),
        current_partners=tuple(draw(st.sets(st.sampled_from(others), max_size=2)))
        if others
        else (),
        declined=tuple(draw(st.sets(st.sampled_from(others), max_size=2))) if others else (),
        programme=draw(st.sampled_from((None, "CE", "Interreg"))),
    )
    return snapshot, proposal


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_scores_are_bounded_sorted_explained_and_exclusions_hold(
    case: tuple[NetworkSnapshot, ProposalData],
) -> None:
    snapshot, proposal = case
    index = build_index(snapshot)

    suggestions = suggest_for_proposal(index, proposal, first=20)

    excluded = {proposal.owner, *proposal.current_partners, *proposal.declined}
    assert not excluded & {s.centre_id for s in suggestions}
    assert len(suggestions) == len(snapshot.centres) - len(excluded)
    keys = [(-s.score, s.centre_id) for s in suggestions]
    assert keys == sorted(keys)
    for s in suggestions:
        assert 0.0 <= s.score <= 1.0
        assert sum(r.weight for r in s.reasons) == pytest.approx(s.score, abs=1e-5)
        assert all(en(r) for r in s.reasons)


@settings(max_examples=40, deadline=None)
@given(case=cases(), data=st.data())
def test_same_data_in_another_order_gives_the_same_answers(
    case: tuple[NetworkSnapshot, ProposalData], data: st.DataObject
) -> None:
    snapshot, proposal = case
    shuffled = dataclasses.replace(
        snapshot,
        centres=tuple(data.draw(st.permutations(snapshot.centres))),
        partnerships=tuple(data.draw(st.permutations(snapshot.partnerships))),
    )
    a, b = build_index(snapshot), build_index(shuffled)

    assert suggest_for_proposal(a, proposal) == suggest_for_proposal(b, proposal)
    assert suggest_for_centre(a, proposal.owner) == suggest_for_centre(b, proposal.owner)
    assert suggest_consortium(a, proposal) == suggest_consortium(b, proposal)


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_consortium_respects_exclusions_size_and_reports_honestly(
    case: tuple[NetworkSnapshot, ProposalData],
) -> None:
    snapshot, proposal = case
    index = build_index(snapshot)

    team = suggest_consortium(index, proposal)

    picked = [m.centre_id for m in team.members]
    assert len(set(picked)) == len(picked)
    assert not {proposal.owner, *proposal.current_partners, *proposal.declined} & set(picked)
    most = max(proposal.partners_max, proposal.min_countries - 1, proposal.partners_min)
    assert len(picked) <= max(0, most - len(proposal.current_partners))
    assert set(team.covered) | set(team.uncovered) == set(proposal.seeks)
    assert team.meets_countries == (len(team.countries) >= proposal.min_countries)
    assert team.meets_countries or team.notes
