"""Shared set-up for the meetings programme tests: actors from the sample users, a meeting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.services import meetings
from accr_graph.services.meetings import MeetingSpec
from accr_graph.services.uow import Actor
from accr_graph.viewer import Viewer
from tests.conftest import STAFF_EMAIL, Database

MARIE = "marie.dubois@abbaye-de-saint-aurel.example.org"
GIULIA = "giulia.bassi@castello-di-valmora.example.org"


async def actor_for(db: Database, email: str) -> Actor:
    async with db.sessionmaker() as session:
        user = await session.scalar(select(m.User).where(m.User.email == email))
    assert user is not None
    return Actor(Viewer(user_id=user.id, role=user.role, centre_id=user.centre_id))


async def staff(db: Database) -> Actor:
    return await actor_for(db, STAFF_EMAIL)


async def centre_ids(db: Database, count: int | None = None) -> list[int]:
    async with db.sessionmaker() as session:
        ids = list(await session.scalars(select(m.Centre.id).order_by(m.Centre.id)))
    return ids[:count] if count else ids


async def centre_pk(db: Database, slug: str) -> int:
    async with db.sessionmaker() as session:
        found = await session.scalar(select(m.Centre.id).where(m.Centre.slug == slug))
    assert found is not None
    return int(found)


def upcoming(days: int = 30) -> datetime:
    """A naive local time some days ahead, at 10:00 (never in a DST gap)."""
    day = datetime.now(UTC) + timedelta(days=days)
    return day.replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None)


async def open_meeting(db: Database, capacity: int | None = 3, **extra: object) -> m.Meeting:
    """A published technical meeting a month ahead."""
    actor = await staff(db)
    start = upcoming()
    spec = MeetingSpec(
        kind=m.ProgrammeKind.TECHNICAL,
        title=[("fr", "Réunion technique"), ("en", "Technical meeting")],
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        timezone="Europe/Paris",
        capacity=capacity,
        **extra,  # type: ignore[arg-type]
    )
    created = await meetings.create_meeting(db.sessionmaker, actor, spec)
    return await meetings.publish_meeting(db.sessionmaker, actor, created.id)
