"""proposal.matched: new open proposals fitting a centre, announced once per (proposal, centre),
read in the inbox; e-mail waits for the weekly digest by default."""

from __future__ import annotations

from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.notifications.render import sentence
from accr_graph.services.matching import MatchingService
from accr_graph.services.proposal_alerts import announce_proposal_matches
from tests.conftest import Database
from tests.notifications.helpers import SmtpServer, new_worker, worker_settings


async def test_matches_are_announced_once_and_wait_for_the_weekly_digest(
    sample_db: Database, settings
):
    # given the sample network and a matching engine
    engine = MatchingService(sample_db.sessionmaker)
    try:
        # when the scan runs twice
        first = await announce_proposal_matches(sample_db.sessionmaker, engine, min_score=0.0)
        second = await announce_proposal_matches(sample_db.sessionmaker, engine, min_score=0.0)
    finally:
        await engine.close()
    # then each pair is announced once, about open proposals of other centres
    assert first > 0 and second == 0
    async with sample_db.sessionmaker() as session:
        events = (
            await session.scalars(
                select(m.OutboxEvent).where(m.OutboxEvent.kind == "proposal.matched")
            )
        ).all()
        proposals = {p.id: p for p in (await session.scalars(select(m.Proposal))).all()}
    assert len(events) == first
    for event in events:
        proposal = proposals[event.object_id]
        assert proposal.status is m.ProposalStatus.OPEN
        assert proposal.owner_id not in event.centre_ids
    # and, dispatched with e-mail on, the inbox has them now; the e-mails wait for Monday
    smtp = SmtpServer()
    await smtp.start()
    try:
        worker = new_worker(sample_db.sessionmaker, worker_settings(settings, smtp_url=smtp.url))
        await worker.drain()
        await worker.close()
    finally:
        await smtp.stop()
    assert smtp.mailbox.messages == []
    async with sample_db.sessionmaker() as session:
        notes = (await session.scalars(select(m.Notification))).all()
        digests = (await session.scalars(select(m.Delivery))).all()
    assert notes and all(
        "Une nouvelle proposition" in sentence(n.kind, n.payload, "fr") for n in notes
    )
    assert digests and all(d.digest is m.Frequency.WEEKLY for d in digests)
    assert all(d.next_attempt_at.weekday() == 0 for d in digests)
