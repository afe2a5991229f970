"""Every write through a service: one audit entry, one version bump, its outbox events, or
nothing at all when it fails."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.services import fair_requests, fair_schedule, proposals
from accr_graph.services.errors import Conflict, Missing, Refused, ServiceFailure
from accr_graph.services.proposals import ProposalChanges
from accr_graph.services.uow import Actor
from tests.conftest import Database
from tests.services.helpers import MEMBERS, actor, centre_pk, events, fair_with, rows, version

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _open_proposal(db: Database, owner_slug: str) -> m.Proposal:
    staff = await actor(db)
    owner = await centre_pk(db, owner_slug)
    changes = ProposalChanges(title=[("en", "Shared residencies")], themes=[])
    created = await proposals.create_proposal(db.sessionmaker, staff, owner, changes)
    return await proposals.publish_proposal(db.sessionmaker, staff, created.id, None)


async def test_a_write_records_one_audit_entry_one_bump_and_its_event(sample_db: Database) -> None:
    # given an open proposal of one centre, and a member of another
    proposal = await _open_proposal(sample_db, "castello-di-valmora")
    member = await actor(sample_db, MEMBERS["abbaye-de-saint-aurel"])
    audit_before, version_before = await rows(sample_db, m.AuditEntry), await version(sample_db)
    # when the member expresses interest
    interest = await proposals.express_interest(
        sample_db.sessionmaker, member, proposal.id, None, "Count us in"
    )
    # then one audit entry (who, from where, what), one version step, one event for the owner
    assert await rows(sample_db, m.AuditEntry) == audit_before + 1
    assert await version(sample_db) == version_before + 1
    async with sample_db.sessionmaker() as session:
        entry = await session.scalar(select(m.AuditEntry).order_by(m.AuditEntry.id.desc()))
    assert entry is not None
    assert (entry.action, entry.object_type, entry.object_id) == (
        "expressInterest",
        "Interest",
        interest.id,
    )
    assert entry.user_id == member.viewer.user_id and entry.address == "192.0.2.7"
    assert entry.changed_fields == ["proposalId", "message"]
    [event] = await events(sample_db, "interest.expressed")
    assert event.centre_ids == [proposal.owner_id]
    assert event.object_id == interest.id and event.data_version == version_before + 1
    assert event.payload == {"proposal_id": proposal.id, "centre_id": interest.centre_id}


async def test_answers_to_an_interest_tell_the_interested_centre(sample_db: Database) -> None:
    proposal = await _open_proposal(sample_db, "castello-di-valmora")
    member = await actor(sample_db, MEMBERS["abbaye-de-saint-aurel"])
    owner = await actor(sample_db, MEMBERS["castello-di-valmora"])
    interest = await proposals.express_interest(
        sample_db.sessionmaker, member, proposal.id, None, None
    )

    await proposals.respond_to_interest(sample_db.sessionmaker, owner, interest.id, False)

    [event] = await events(sample_db, "interest.declined")
    assert event.centre_ids == [member.viewer.centre_id]


async def test_a_failed_write_leaves_nothing_behind(sample_db: Database) -> None:
    # given a member who may not edit another centre's proposal
    proposal = await _open_proposal(sample_db, "castello-di-valmora")
    member = await actor(sample_db, MEMBERS["abbaye-de-saint-aurel"])
    counts = [await rows(sample_db, t) for t in (m.AuditEntry, m.OutboxEvent)]
    before = await version(sample_db)
    # when it tries, then it is refused and nothing was written (no audit, version, event)
    with pytest.raises(ServiceFailure) as refused:
        await proposals.update_proposal(
            sample_db.sessionmaker, member, proposal.id, proposal.version, ProposalChanges()
        )
    assert isinstance(refused.value.failure, Refused)
    assert [await rows(sample_db, t) for t in (m.AuditEntry, m.OutboxEvent)] == counts
    assert await version(sample_db) == before


async def test_a_stale_version_is_a_conflict_with_the_current_one(sample_db: Database) -> None:
    proposal = await _open_proposal(sample_db, "castello-di-valmora")
    staff = await actor(sample_db)

    with pytest.raises(ServiceFailure) as stale:
        await proposals.update_proposal(
            sample_db.sessionmaker, staff, proposal.id, 1, ProposalChanges(timeframe="2028")
        )

    failure = stale.value.failure
    assert isinstance(failure, Conflict) and failure.current_version == proposal.version


async def test_another_centres_draft_is_missing_like_an_unknown_id(sample_db: Database) -> None:
    # given a draft of one centre
    staff = await actor(sample_db)
    owner = await centre_pk(sample_db, "castello-di-valmora")
    changes = ProposalChanges(title=[("en", "Draft")])
    draft = await proposals.create_proposal(sample_db.sessionmaker, staff, owner, changes)
    member = await actor(sample_db, MEMBERS["abbaye-de-saint-aurel"])
    # when another centre's member publishes it, and an unknown proposal
    answers = []
    for ident in (draft.id, 999_999):
        with pytest.raises(ServiceFailure) as missing:
            await proposals.publish_proposal(sample_db.sessionmaker, member, ident, None)
        answers.append(type(missing.value.failure))
    # then both answers are the same: no such proposal
    assert answers == [Missing, Missing]


async def test_fair_events_name_the_centres_to_tell(sample_db: Database) -> None:
    # given a fair (registration opened for every centre) with two centres registered
    aurel, valmora = "abbaye-de-saint-aurel", "castello-di-valmora"
    fair_id = await fair_with(sample_db, [aurel, valmora])
    [opened] = await events(sample_db, "fair.registration.opened")
    assert len(opened.centre_ids) == await rows(sample_db, m.Centre)
    # when Aurel asks Valmora, Valmora accepts, and staff schedule and publish
    asker, target = await actor(sample_db, MEMBERS[aurel]), await actor(sample_db, MEMBERS[valmora])
    request = await fair_requests.request_meeting(
        sample_db.sessionmaker, asker, fair_id, None, target.viewer.centre_id or 0, None, 3, None
    )
    await fair_requests.respond_to_meeting_request(sample_db.sessionmaker, target, request.id, True)
    staff = await actor(sample_db)
    await fair_schedule.schedule_fair(sample_db.sessionmaker, staff, fair_id)
    await fair_schedule.publish_schedule(sample_db.sessionmaker, staff, fair_id)
    # then each event names the centres concerned
    pair = sorted([asker.viewer.centre_id or 0, target.viewer.centre_id or 0])
    [received] = await events(sample_db, "fair.meeting_request.received")
    [accepted] = await events(sample_db, "fair.meeting_request.accepted")
    [published] = await events(sample_db, "fair.schedule.published")
    assert received.centre_ids == [target.viewer.centre_id]
    assert accepted.centre_ids == [asker.viewer.centre_id]
    assert published.centre_ids == pair
    assert received.payload["request_id"] == request.id


async def test_a_system_actor_is_audited_without_a_user(sample_db: Database) -> None:
    from accr_graph.services import auth

    await auth.set_password(
        sample_db.sessionmaker, Actor.system(), MEMBERS["kloster-lindenau"], "a-long-password"
    )

    async with sample_db.sessionmaker() as session:
        entry = await session.scalar(select(m.AuditEntry).order_by(m.AuditEntry.id.desc()))
    assert entry is not None and (entry.action, entry.user_id) == ("setPassword", None)
