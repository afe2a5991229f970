"""Events become inbox rows for the right people, once, in their language; never drafts."""

from __future__ import annotations

from sqlalchemy import func, select, update

from accr_graph.db import models as m
from accr_graph.notifications.render import sentence
from tests.conftest import Database
from tests.notifications.helpers import emit, interest_case, new_worker, worker_settings


async def inbox_of(db: Database, user_id: int) -> list[m.Notification]:
    async with db.sessionmaker() as session:
        query = select(m.Notification).where(m.Notification.user_id == user_id)
        return list((await session.scalars(query.order_by(m.Notification.id))).all())


async def test_interest_reaches_the_owner_centre_but_not_the_actor(sample_db: Database, settings):
    # given an interest expressed by a member of the interested centre
    case = await interest_case(sample_db.sessionmaker)
    actor = case.interested_users[0]
    await emit(
        sample_db.sessionmaker,
        "interest.expressed",
        case.interest,
        [case.proposal.owner_id],
        actor=actor,
    )
    # when the worker runs
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings))
    assert await worker.drain() == 1
    # then every member of the owner centre has it, the actor does not
    for owner in case.owner_users:
        [note] = await inbox_of(sample_db, owner.id)
        assert note.kind == "interest.expressed" and note.read_at is None
        fr = sentence(note.kind, note.payload, "fr")
        en = sentence(note.kind, note.payload, "en")
        assert "a exprimé son intérêt" in fr and "expressed interest" in en
        assert note.payload["proposal"] == case.proposal.title
    assert await inbox_of(sample_db, actor.id) == []
    await worker.close()


async def test_dispatching_again_shows_nothing_twice(sample_db: Database, settings):
    # given a dispatched event
    case = await interest_case(sample_db.sessionmaker)
    await emit(
        sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
    )
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings))
    await worker.drain()
    # when a worker crashed after writing but before its mark was seen (mark cleared), and runs
    async with sample_db.sessionmaker.begin() as session:
        await session.execute(update(m.OutboxEvent).values(dispatched_at=None))
    assert await worker.drain() == 1
    # then each owner still has exactly one notification
    async with sample_db.sessionmaker() as session:
        total = await session.scalar(select(func.count()).select_from(m.Notification))
    assert total == len(case.owner_users)
    await worker.close()


async def test_no_one_hears_of_another_centres_draft(sample_db: Database, settings):
    # given a draft proposal and an event naming another centre too
    async with sample_db.sessionmaker() as session:
        draft = await session.scalar(
            select(m.Proposal).where(m.Proposal.status == m.ProposalStatus.DRAFT).limit(1)
        )
        other = await session.scalar(
            select(m.User).where(m.User.centre_id.is_not(None), m.User.centre_id != draft.owner_id)
        )
        staff = (
            await session.scalars(select(m.User).where(m.User.role != m.UserRole.MEMBER))
        ).all()
    await emit(sample_db.sessionmaker, "proposal.matched", draft, [draft.owner_id, other.centre_id])
    # when dispatched
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings))
    await worker.drain()
    # then the other centre's member (and staff) got nothing
    assert await inbox_of(sample_db, other.id) == []
    for person in staff:
        assert await inbox_of(sample_db, person.id) == []
    await worker.close()


async def test_a_rolled_back_change_sends_nothing(sample_db: Database, settings):
    # given a use case that emits and then fails
    from accr_graph.services.errors import Invalid, ServiceFailure, fail
    from accr_graph.services.uow import Actor, unit_of_work

    case = await interest_case(sample_db.sessionmaker)
    try:
        async with unit_of_work(sample_db.sessionmaker, Actor.system(), "test") as uow:
            uow.emit("interest.expressed", case.interest, centre_ids=[case.proposal.owner_id])
            raise fail(Invalid("x", "no"))
    except ServiceFailure:
        pass
    # when the worker runs, then there is nothing to deliver
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings))
    assert await worker.drain() == 0
    await worker.close()
