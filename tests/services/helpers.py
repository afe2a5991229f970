"""Calling services directly, as any adapter does: actors for sample users, a small fair."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from accr_graph.db import models as m
from accr_graph.db.base import Base
from accr_graph.repositories import data_version
from accr_graph.services import fair_editions
from accr_graph.services.auth import viewer_of
from accr_graph.services.fair_editions import DaySpec, FairSpec, RegistrationSpec, TableSpec
from accr_graph.services.uow import Actor
from tests.conftest import STAFF_EMAIL, Database

MEMBERS = {
    "abbaye-de-saint-aurel": "marie.dubois@abbaye-de-saint-aurel.example.org",
    "castello-di-valmora": "giulia.bassi@castello-di-valmora.example.org",
    "kloster-lindenau": "lea.schneider@kloster-lindenau.example.org",
}


async def actor(db: Database, email: str = STAFF_EMAIL) -> Actor:
    async with db.sessionmaker() as session:
        user = await session.scalar(select(m.User).where(m.User.email == email))
    assert user is not None, email
    return Actor(viewer_of(user), "192.0.2.7")


async def centre_pk(db: Database, slug: str) -> int:
    async with db.sessionmaker() as session:
        found = await session.scalar(select(m.Centre.id).where(m.Centre.slug == slug))
    assert found is not None, slug
    return int(found)


async def rows(db: Database, model: type[Base]) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def version(db: Database) -> int:
    async with db.sessionmaker() as session:
        return await data_version.current(session)


async def events(db: Database, kind: str) -> list[m.OutboxEvent]:
    async with db.sessionmaker() as session:
        query = select(m.OutboxEvent).where(m.OutboxEvent.kind == kind).order_by(m.OutboxEvent.id)
        return list(await session.scalars(query))


async def fair_with(db: Database, slugs: list[str]) -> int:
    """A one-day fair (staff) with these centres registered; its id."""
    staff = await actor(db)
    spec = FairSpec(
        name="Fair",
        year=2027,
        host_centre_id=None,
        days=(DaySpec(date(2027, 5, 18), time(9), 30, 6),),
        tables=(TableSpec("T1"), TableSpec("T2"), TableSpec("Big", 6)),
    )
    fair = await fair_editions.create_fair(db.sessionmaker, staff, spec)
    for slug in slugs:
        centre = await centre_pk(db, slug)
        await fair_editions.register_for_fair(
            db.sessionmaker, staff, fair.id, centre, RegistrationSpec(("A. Person",))
        )
    return fair.id
