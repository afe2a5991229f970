"""Check-then-write under real concurrency: several units of work at once, each in its own
session (asyncio.gather), on PostgreSQL (row locks) and SQLite (one writer at a time)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import pytest
from sqlalchemy import func, select

from accr_graph.db import models as m
from accr_graph.services import fair_editions, fair_requests, proposals
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.fair_editions import RegistrationSpec
from accr_graph.services.proposals import ProposalChanges
from tests.conftest import Database
from tests.services.helpers import MEMBERS, actor, centre_pk, fair_with

pytestmark = pytest.mark.asyncio(loop_scope="session")
AUREL, VALMORA, LINDENAU = "abbaye-de-saint-aurel", "castello-di-valmora", "kloster-lindenau"


async def _outcomes(calls: list[Awaitable[object]]) -> list[str]:
    """'ok' or the typed failure's class name: nothing else (no 500) may come out."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, ServiceFailure):
            raise result
    return [type(r.failure).__name__ if isinstance(r, ServiceFailure) else "ok" for r in results]


async def _requests(db: Database, fair_id: int) -> list[m.FairMeetingRequest]:
    async with db.sessionmaker() as session:
        query = select(m.FairMeetingRequest).where(m.FairMeetingRequest.fair_id == fair_id)
        return list(await session.scalars(query))


async def test_identical_meeting_requests_at_once_make_one_request(sample_db: Database) -> None:
    # given two registered centres
    fair_id = await fair_with(sample_db, [AUREL, VALMORA])
    asker, target = await actor(sample_db, MEMBERS[AUREL]), await centre_pk(sample_db, VALMORA)
    # when four identical requests arrive at once
    outcomes = await _outcomes(
        [
            fair_requests.request_meeting(
                sample_db.sessionmaker, asker, fair_id, None, target, None, 3, None
            )
            for _ in range(4)
        ]
    )
    # then one request exists; the others were told why (a typed error), not a 500
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "Invalid", "Conflict"}
    assert len(await _requests(sample_db, fair_id)) == 1


async def test_crossing_requests_end_as_one_accepted_request(sample_db: Database) -> None:
    # given two registered centres
    fair_id = await fair_with(sample_db, [AUREL, VALMORA])
    aurel, valmora = (
        await actor(sample_db, MEMBERS[AUREL]),
        await actor(sample_db, MEMBERS[VALMORA]),
    )
    # when each asks the other at the same moment
    outcomes = await _outcomes(
        [
            fair_requests.request_meeting(
                sample_db.sessionmaker,
                aurel,
                fair_id,
                None,
                await centre_pk(sample_db, VALMORA),
                None,
                3,
                None,
            ),
            fair_requests.request_meeting(
                sample_db.sessionmaker,
                valmora,
                fair_id,
                None,
                await centre_pk(sample_db, AUREL),
                None,
                3,
                None,
            ),
        ]
    )
    # then there is one request between them, accepted (the second accepted the first)
    assert outcomes == ["ok", "ok"]
    [request] = await _requests(sample_db, fair_id)
    assert request.status is m.MeetingRequestStatus.ACCEPTED


async def test_identical_interests_at_once_make_one_interest(sample_db: Database) -> None:
    # given an open proposal of another centre
    staff = await actor(sample_db)
    owner = await centre_pk(sample_db, VALMORA)
    draft = await proposals.create_proposal(
        sample_db.sessionmaker, staff, owner, ProposalChanges(title=[("en", "Residencies")])
    )
    await proposals.publish_proposal(sample_db.sessionmaker, staff, draft.id, None)
    member = await actor(sample_db, MEMBERS[AUREL])
    # when the same interest is expressed three times at once
    outcomes = await _outcomes(
        [
            proposals.express_interest(sample_db.sessionmaker, member, draft.id, None, None)
            for _ in range(3)
        ]
    )
    # then one interest, and typed errors for the others
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "Invalid", "Conflict"}
    async with sample_db.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(m.Interest).where(m.Interest.proposal_id == draft.id)
        )
    assert count == 1


async def test_first_registrations_at_once_make_one_registration(sample_db: Database) -> None:
    # given an open fair where Lindenau is not registered yet
    fair_id = await fair_with(sample_db, [])
    member = await actor(sample_db, MEMBERS[LINDENAU])
    spec = RegistrationSpec(("A. Person",))
    # when it registers three times at once
    outcomes = await _outcomes(
        [
            fair_editions.register_for_fair(sample_db.sessionmaker, member, fair_id, None, spec)
            for _ in range(3)
        ]
    )
    # then one registration (the later calls update it, or are told to retry)
    assert "ok" in outcomes and set(outcomes) <= {"ok", "Invalid", "Conflict"}
    async with sample_db.sessionmaker() as session:
        query = select(func.count()).select_from(m.FairRegistration)
        assert await session.scalar(query.where(m.FairRegistration.fair_id == fair_id)) == 1


async def test_identical_consortium_tables_at_once_make_one_table(sample_db: Database) -> None:
    # given Lindenau's open proposal, with Aurel and Valmora interested, all three registered
    staff = await actor(sample_db)
    lindenau = await centre_pk(sample_db, LINDENAU)
    draft = await proposals.create_proposal(
        sample_db.sessionmaker, staff, lindenau, ProposalChanges(title=[("en", "Gardens")])
    )
    await proposals.publish_proposal(sample_db.sessionmaker, staff, draft.id, None)
    members = [await centre_pk(sample_db, slug) for slug in (AUREL, VALMORA)]
    for centre in members:
        await proposals.express_interest(sample_db.sessionmaker, staff, draft.id, centre, None)
    fair_id = await fair_with(sample_db, [LINDENAU, AUREL, VALMORA])
    owner = await actor(sample_db, MEMBERS[LINDENAU])
    # when the owner asks for the same table twice at once
    outcomes = await _outcomes(
        [
            fair_requests.request_consortium_table(
                sample_db.sessionmaker, owner, fair_id, draft.id, members, 3, None
            )
            for _ in range(2)
        ]
    )
    # then one table
    assert outcomes.count("ok") == 1 and set(outcomes) <= {"ok", "Invalid", "Conflict"}
    assert len(await _requests(sample_db, fair_id)) == 1
