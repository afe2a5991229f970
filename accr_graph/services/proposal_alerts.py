"""New open proposals that fit a centre well: one ``proposal.matched`` event per (proposal,
centre), never twice. Members see it in their inbox at once; by e-mail it waits for the weekly
digest unless they chose otherwise (see accr_graph.notifications.kinds).

The worker runs it once a day (``ACCR_MATCH_SCAN_HOURS``); ``accr-graph notify-matches`` runs it
by hand. Several workers may run it at once: on PostgreSQL a transaction-level advisory lock makes
them take turns, and each one re-reads what was already announced under that lock.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.services.matching import MatchingQueries
from accr_graph.services.uow import Actor, Database, unit_of_work

KIND = "proposal.matched"
LOCK_KEY = 0x4ACC12  # pg_advisory_xact_lock key of this job


async def _centres_with_members(db: Database) -> list[int]:
    async with db() as session:
        query = select(m.User.centre_id).where(
            m.User.is_active.is_(True), m.User.centre_id.is_not(None)
        )
        return sorted({c for c in (await session.scalars(query)).all() if c is not None})


async def _announced(session: AsyncSession) -> set[tuple[int, int]]:
    rows = await session.execute(
        select(m.OutboxEvent.object_id, m.OutboxEvent.centre_ids).where(m.OutboxEvent.kind == KIND)
    )
    return {(int(pid), int(c)) for pid, centres in rows if pid for c in centres}


async def _lock(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))


async def _fits(
    engine: MatchingQueries, centres: Sequence[int], min_score: float, per_centre: int
) -> list[tuple[int, int, float]]:
    found = []
    for centre in centres:
        for match in await engine.proposal_matches(centre, per_centre):
            if match.score >= min_score:
                found.append((match.proposal_id, centre, match.score))
    return found


async def announce_proposal_matches(
    db: Database, engine: MatchingQueries, min_score: float, per_centre: int = 5
) -> int:
    """Emit an event for each good (open proposal, centre) pair not announced before; the count."""
    found = await _fits(engine, await _centres_with_members(db), min_score, per_centre)
    async with unit_of_work(db, Actor.system(), "announceProposalMatches") as uow:
        uow.without_audit()
        await _lock(uow.session)
        done = await _announced(uow.session)
        fresh = [(pid, c, score) for pid, c, score in found if (pid, c) not in done]
        for pid, centre, score in fresh:
            proposal = await uow.session.get(m.Proposal, pid)
            if proposal is None or proposal.status is not m.ProposalStatus.OPEN:
                continue
            uow.emit(KIND, proposal, centre_ids=[centre], payload={"score": round(score, 3)})
        if not fresh:
            uow.without_audit()
    return len(fresh)
