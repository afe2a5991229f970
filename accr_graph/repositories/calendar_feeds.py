"""Private calendar feeds: hashed secrets per user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import CalendarFeed, User


async def revoke_all(session: AsyncSession, user_id: int, now: datetime) -> int:
    result = await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def user_of(session: AsyncSession, secret_hash: str) -> User | None:
    query = (
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.secret_hash == secret_hash, CalendarFeed.revoked_at.is_(None))
    )
    return (await session.scalars(query)).one_or_none()


async def active_of(session: AsyncSession, user_id: int) -> CalendarFeed | None:
    query = select(CalendarFeed).where(
        CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None)
    )
    return (await session.scalars(query)).first()
