"""The unit of work: audit entry, version bumps and outbox events commit with the change or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from accr_graph.db import models as m
from accr_graph.repositories import data_version
from accr_graph.services.errors import Conflict, Invalid, ServiceFailure, fail
from accr_graph.services.uow import Actor, unit_of_work
from accr_graph.viewer import Viewer
from tests.conftest import Database

STAFF = Actor(Viewer(user_id=None, role=m.UserRole.STAFF), address="203.0.113.7")


async def _counts(db: Database) -> tuple[int, int, int, int]:
    async with db.sessionmaker() as session:
        audits = await session.scalar(select(func.count()).select_from(m.AuditEntry))
        events = await session.scalar(select(func.count()).select_from(m.OutboxEvent))
        version = await data_version.current(session)
        network = await data_version.current_network(session)
    return int(audits or 0), int(events or 0), version, network


async def _first_centre(db: Database) -> m.Centre:
    async with db.sessionmaker() as session:
        centre = await session.scalar(select(m.Centre).order_by(m.Centre.id).limit(1))
    assert centre is not None
    return centre


async def test_a_write_records_audit_versions_and_events_once(sample_db: Database) -> None:
    # given the sample network
    before = await _counts(sample_db)
    centre = await _first_centre(sample_db)
    # when a use case changes a centre and emits an event
    async with unit_of_work(sample_db.sessionmaker, STAFF, "renameCentre") as uow:
        row = await uow.session.get(m.Centre, centre.id)
        assert row is not None
        row.city = "Ailleurs"
        uow.changed(row, ["city"])
        uow.network_changed()
        uow.emit("centre.updated", row, centre_ids=[row.id, row.id], payload={"field": "city"})
    # then one audit entry, one bump of each version, one event with the new data version
    audits, events, version, network = await _counts(sample_db)
    assert (audits, events, version, network) == (
        before[0] + 1,
        before[1] + 1,
        before[2] + 1,
        before[3] + 1,
    )
    async with sample_db.sessionmaker() as session:
        entry = await session.scalar(select(m.AuditEntry).order_by(m.AuditEntry.id.desc()))
        event = await session.scalar(select(m.OutboxEvent))
    assert entry is not None and event is not None
    assert (entry.action, entry.object_type, entry.object_id) == (
        "renameCentre",
        "Centre",
        centre.id,
    )
    assert (entry.changed_fields, entry.address) == (["city"], "203.0.113.7")
    assert (event.kind, event.object_type, event.object_id) == (
        "centre.updated",
        "Centre",
        centre.id,
    )
    assert event.centre_ids == [centre.id] and event.data_version == version


async def test_a_failed_write_leaves_nothing_behind(sample_db: Database) -> None:
    # given the sample network
    before = await _counts(sample_db)
    centre = await _first_centre(sample_db)
    # when the use case fails after writing and emitting
    with pytest.raises(ServiceFailure) as raised:
        async with unit_of_work(sample_db.sessionmaker, STAFF, "renameCentre") as uow:
            row = await uow.session.get(m.Centre, centre.id)
            assert row is not None
            row.city = "Nulle part"
            uow.emit("centre.updated", row, centre_ids=[row.id])
            raise fail(Invalid("city", "refused"))
    # then the failure comes out typed and nothing was written, audit and events included
    assert raised.value.failure == Invalid("city", "refused")
    assert await _counts(sample_db) == before
    assert (await _first_centre(sample_db)).city == centre.city


async def test_network_version_moves_only_when_told(sample_db: Database) -> None:
    before = await _counts(sample_db)
    async with unit_of_work(sample_db.sessionmaker, Actor.system(), "touch") as uow:
        uow.without_audit()
    audits, _events, version, network = await _counts(sample_db)
    assert (audits, version, network) == (before[0], before[2] + 1, before[3])


async def test_a_stale_versioned_row_is_a_conflict_with_the_current_version(
    sample_db: Database,
) -> None:
    # given a proposal read by two writers
    async with sample_db.sessionmaker() as session:
        proposal = await session.scalar(select(m.Proposal).order_by(m.Proposal.id).limit(1))
    assert proposal is not None
    if sample_db.backend == "sqlite":
        await _sqlite_writers_take_turns(sample_db, proposal.id)
        return
    with pytest.raises(ServiceFailure) as raised:
        async with unit_of_work(sample_db.sessionmaker, STAFF, "updateProposal") as uow:
            row = await uow.session.get(m.Proposal, proposal.id)
            assert row is not None
            uow.guard(row)
            # when another writer commits first
            async with sample_db.sessionmaker.begin() as other:
                theirs = await other.get(m.Proposal, proposal.id)
                assert theirs is not None
                theirs.timeframe = "theirs"
            row.timeframe = "ours"
    # then the slower writer gets a Conflict carrying the version now stored
    failure = raised.value.failure
    assert isinstance(failure, Conflict)
    async with sample_db.sessionmaker() as session:
        stored = await session.get(m.Proposal, proposal.id)
    assert stored is not None and stored.timeframe == "theirs"
    assert failure.current_version == stored.version


async def _sqlite_writers_take_turns(db: Database, proposal_id: int) -> None:
    """On SQLite a unit of work holds the write lock from its start (BEGIN IMMEDIATE), so no
    other writer can commit between its reads and its writes: the other one waits (here, a
    short busy timeout makes it give up), and the unit of work's write lands as read."""
    async with unit_of_work(db.sessionmaker, STAFF, "updateProposal") as uow:
        row = await uow.session.get(m.Proposal, proposal_id)
        assert row is not None
        uow.guard(row)
        async with db.sessionmaker() as other:
            await other.execute(text("PRAGMA busy_timeout = 50"))
            theirs = await other.get(m.Proposal, proposal_id)
            assert theirs is not None
            theirs.timeframe = "theirs"
            with pytest.raises(OperationalError, match="locked"):
                await other.commit()
        row.timeframe = "ours"
    async with db.sessionmaker() as session:
        stored = await session.get(m.Proposal, proposal_id)
    assert stored is not None and stored.timeframe == "ours"
