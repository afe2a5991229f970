"""Reads behind the proposal pages, with the API's visibility rules: another centre's draft does
not exist for the reader; interests are seen by the owner (all) and by each interested centre
(its own); suggested partners and consortia are for the owner and staff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import matching
from accr_graph.db import models as m
from accr_graph.repositories import centres, proposals
from accr_graph.repositories.proposals import ProposalCompetencyEntry, ProposalFilter, ProposalOrder
from accr_graph.services.directory import Paged, ProposalCard, clamp_page, proposal_cards
from accr_graph.services.matching import MatchingQueries, proposal_matches
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer

OPEN = (m.ProposalStatus.OPEN, m.ProposalStatus.IN_DISCUSSION)
SUGGESTIONS = 8


@dataclass(frozen=True, slots=True)
class ProposalResults:
    cards: list[ProposalCard]
    paged: Paged


@dataclass(frozen=True, slots=True)
class InterestLine:
    interest: m.Interest
    centre: m.Centre


@dataclass(frozen=True, slots=True)
class SuggestedPartner:
    centre: m.Centre
    score: float
    reasons: tuple[matching.Reason, ...]


@dataclass(frozen=True, slots=True)
class ConsortiumView:
    members: list[SuggestedPartner]
    result: matching.Consortium
    competency_names: dict[str, dict[str, str]]


@dataclass
class ProposalView:
    proposal: m.Proposal
    owner: m.Centre
    themes: list[m.Theme]
    seeks: list[ProposalCompetencyEntry]
    offers: list[ProposalCompetencyEntry]
    is_owner: bool
    interests: list[InterestLine] = field(default_factory=list)
    my_interest: m.Interest | None = None
    can_express: bool = False
    suggestions: list[SuggestedPartner] = field(default_factory=list)


async def search(
    db: Database, viewer: Viewer, flt: ProposalFilter, page_number: int
) -> ProposalResults:
    async with db() as session:
        paged = clamp_page(page_number, await proposals.count_proposals(session, flt, viewer))
        rows = await proposals.list_proposals(session, flt, ProposalOrder(), viewer, paged.window)
        cards = await proposal_cards(session, rows)
    return ProposalResults(cards, paged)


async def funding_programmes(db: Database, viewer: Viewer) -> list[str]:
    """What the programme filter offers: the programmes of the proposals the reader sees."""
    async with db() as session:
        return await proposals.funding_programmes(session, viewer)


async def view(
    db: Database, engine: MatchingQueries | None, viewer: Viewer, proposal_id: int
) -> ProposalView | None:
    """One proposal as this reader may see it; None when it does not exist for them."""
    async with db() as session:
        proposal = (await proposals.by_ids(session, [proposal_id], viewer)).get(proposal_id)
        if proposal is None:
            return None
        owner = (await centres.by_ids(session, [proposal.owner_id]))[proposal.owner_id]
        themes = (await proposals.themes_of(session, [proposal_id])).get(proposal_id, [])
        entries = (await proposals.competencies_of(session, [proposal_id])).get(proposal_id, [])
        interests = (await proposals.interests_of(session, [proposal_id])).get(proposal_id, [])
        found = await centres.by_ids(session, [i.centre_id for i in interests])
    result = ProposalView(
        proposal=proposal,
        owner=owner,
        themes=themes,
        seeks=[e for e in entries if e.kind is m.CompetencyKind.SEEKS],
        offers=[e for e in entries if e.kind is m.CompetencyKind.OFFERS],
        is_owner=not viewer.is_anonymous and viewer.acts_for(proposal.owner_id),
    )
    _interests(result, viewer, [InterestLine(i, found[i.centre_id]) for i in interests])
    if result.is_owner and engine is not None and proposal.status in OPEN:
        result.suggestions = await suggestions(db, engine, proposal_id)
    return result


def _interests(result: ProposalView, viewer: Viewer, lines: list[InterestLine]) -> None:
    mine = [line.interest for line in lines if line.centre.id == viewer.centre_id]
    result.my_interest = mine[0] if mine else None
    result.interests = lines if result.is_owner else []
    result.can_express = (
        viewer.centre_id is not None
        and viewer.can("write")
        and not result.is_owner
        and result.my_interest is None
        and result.proposal.status in OPEN
    )


async def _partners(
    db: Database, picks: Sequence[tuple[int, float, tuple[matching.Reason, ...]]]
) -> list[SuggestedPartner]:
    async with db() as session:
        found = await centres.by_ids(session, [cid for cid, _, _ in picks])
    return [SuggestedPartner(found[cid], s, r) for cid, s, r in picks if cid in found]


async def suggestions(
    db: Database, engine: MatchingQueries, proposal_id: int
) -> list[SuggestedPartner]:
    found = await engine.for_proposal(proposal_id, SUGGESTIONS, True)
    return await _partners(db, [(s.centre_id, s.score, s.reasons) for s in found])


async def consortium(
    db: Database,
    engine: MatchingQueries,
    viewer: Viewer,
    proposal_id: int,
    size: int | None,
    min_countries: int | None,
) -> ConsortiumView | None:
    """A suggested team for the owner (or staff); None for anyone else or without an answer."""
    async with db() as session:
        proposal = (await proposals.by_ids(session, [proposal_id], viewer)).get(proposal_id)
        entries = (await proposals.competencies_of(session, [proposal_id])).get(proposal_id, [])
    if proposal is None or viewer.is_anonymous or not viewer.acts_for(proposal.owner_id):
        return None
    result = await engine.consortium(proposal_id, size, min_countries)
    if result is None:
        return None
    picks = [(p.centre_id, p.gain, p.reasons) for p in result.members]
    names = {e.competency.slug: e.competency.name for e in entries}
    return ConsortiumView(await _partners(db, picks), result, names)


@dataclass(frozen=True, slots=True)
class Match:
    card: ProposalCard
    score: float
    reasons: tuple[matching.Reason, ...]


async def for_my_centre(
    db: Database, engine: MatchingQueries, viewer: Viewer, first: int = 20
) -> list[Match]:
    """Open proposals of other centres ranked for the reader's centre, with the reasons."""
    if viewer.centre_id is None:
        return []
    found = await proposal_matches(db, viewer, viewer.centre_id, first, engine=engine)
    async with db() as session:
        rows = await proposals.by_ids(session, [f.proposal_id for f in found], viewer)
        cards = {c.proposal.id: c for c in await proposal_cards(session, list(rows.values()))}
    return [
        Match(cards[f.proposal_id], f.score, f.reasons) for f in found if f.proposal_id in cards
    ]
