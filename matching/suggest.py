"""Partner suggestions for a proposal or a centre (missing links: ``matching.missing_links``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from matching.index import MatchingIndex, row_items
from matching.reasons import QueryContext, Reason, explain
from matching.scoring import (
    QueryBatch,
    centre_query,
    proposal_query,
    proposals_query,
    score,
    top_rows,
)
from matching.snapshot import ProposalData

# Dense B x n score blocks stay under ~16 MB each when scoring many proposals.
PROPOSAL_BLOCK_CELLS = 2_000_000


@dataclass(frozen=True, slots=True)
class Suggestion:
    centre_id: int
    score: float  # 0..1
    reasons: tuple[Reason, ...]  # best first; weights add up to the score


@dataclass(frozen=True, slots=True)
class ProposalMatch:
    proposal_id: int
    score: float  # 0..1: the centre's suggestion score as a partner of this proposal
    reasons: tuple[Reason, ...]  # about "match": what the centre brings; add up to the score


def suggest_for_proposal(
    index: MatchingIndex, proposal: ProposalData, first: int = 10, explain: bool = True
) -> list[Suggestion]:
    """Best partners for a proposal; never its owner, its accepted partners or declined centres."""
    q = proposal_query(index, proposal)
    return _suggestions(index, q, proposal_context(index, proposal), first, explain)


def suggest_for_centre(
    index: MatchingIndex, centre_id: int, first: int = 10, *, exclude_past_partners: bool = False
) -> list[Suggestion]:
    """Best partners for a centre, judged on its own profile (wants, offers, themes, network)."""
    row = index.row_of[centre_id]
    q = centre_query(index, [row], exclude_past_partners)
    return _suggestions(index, q, centre_context(index, row), first, True)


def proposal_matches(
    index: MatchingIndex, centre_id: int, proposals: Sequence[ProposalData], first: int = 10
) -> list[ProposalMatch]:
    """Proposals of other centres ranked for a centre: how well it would fit each as a partner
    (its suggestion score for the proposal). Proposals it owns, already partners or declined are
    left out, as are proposals whose owner is not in the index. Ties by proposal id."""
    row = index.row_of[centre_id]
    eligible = [p for p in sorted(proposals, key=lambda p: p.id) if _open_to(index, p, centre_id)]
    scored: list[tuple[float, int, ProposalData]] = []
    block = max(1, PROPOSAL_BLOCK_CELLS // max(index.size, 1))
    for start in range(0, len(eligible), block):
        batch = eligible[start : start + block]
        scores = score(index, proposals_query(index, batch)).final[:, row]
        scored.extend((-float(v), p.id, p) for v, p in zip(scores, batch, strict=True))
    best = sorted(scored, key=lambda e: (e[0], e[1]))[: max(first, 0)]
    return [_match(index, p, row) for _, _, p in best]


def _open_to(index: MatchingIndex, proposal: ProposalData, centre_id: int) -> bool:
    taken = {proposal.owner, *proposal.current_partners, *proposal.declined}
    return proposal.owner in index.row_of and centre_id not in taken


def _match(index: MatchingIndex, proposal: ProposalData, row: int) -> ProposalMatch:
    q = proposal_query(index, proposal)
    scores = score(index, q)
    ctx = dataclasses.replace(proposal_context(index, proposal), reverse=True)
    return ProposalMatch(
        proposal_id=proposal.id,
        score=round(float(scores.final[0, row]), 6),
        reasons=explain(index, q, scores, ctx, row),
    )


def proposal_context(index: MatchingIndex, proposal: ProposalData) -> QueryContext:
    partners = [index.row_of[c] for c in proposal.current_partners if c in index.row_of]
    return QueryContext(
        for_proposal=True,
        seeks=proposal.seeks,
        offers=proposal.offers,
        programmes=(proposal.programme,) if proposal.programme else (),
        team_rows=(index.row_of[proposal.owner], *partners),
    )


def centre_context(index: MatchingIndex, row: int, batch_row: int = 0) -> QueryContext:
    cols, counts = row_items(index.programme_count, row)
    ranked = sorted(zip(counts, cols, strict=True), key=lambda p: (-p[0], p[1]))
    centre = index.centres[row]
    return QueryContext(
        for_proposal=False,
        seeks=centre.seeks,
        offers=centre.offers,
        programmes=tuple(index.programmes.slugs[c] for _, c in ranked),
        team_rows=(row,),
        batch_row=batch_row,
    )


def _suggestions(
    index: MatchingIndex, q: QueryBatch, ctx: QueryContext, first: int, with_reasons: bool
) -> list[Suggestion]:
    scores = score(index, q)
    return [
        Suggestion(
            centre_id=int(index.ids[r]),
            score=round(float(scores.final[0, r]), 6),
            reasons=explain(index, q, scores, ctx, int(r)) if with_reasons else (),
        )
        for r in top_rows(index, scores.final[0], first)
    ]
