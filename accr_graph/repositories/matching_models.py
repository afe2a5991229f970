"""Fitted matching models (``matching_models``): the latest one is the engine's weights."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import MatchingModel


async def latest(session: AsyncSession) -> MatchingModel | None:
    found = await session.scalars(select(MatchingModel).order_by(MatchingModel.id.desc()).limit(1))
    return found.first()
