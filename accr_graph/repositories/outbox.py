"""The outbox: event rows added in the writer's transaction, read by delivery later."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import OutboxEvent


def add(session: AsyncSession, events: Sequence[OutboxEvent]) -> None:
    session.add_all(events)


async def after(session: AsyncSession, event_id: int, limit: int) -> Sequence[OutboxEvent]:
    """Events newer than ``event_id``, oldest first (delivery walks the log forward)."""
    query = select(OutboxEvent).where(OutboxEvent.id > event_id).order_by(OutboxEvent.id)
    return (await session.scalars(query.limit(limit))).all()
