"""The per-minute query-cost budget, in the database so every web worker counts together."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import RateBudget
from accr_graph.repositories.common import upsert


async def spend(session: AsyncSession, key: str, cost: int, window: datetime) -> int:
    """Add ``cost`` to the key's spending in ``window`` (a new window starts at 0); the total."""
    values = upsert(session, RateBudget).values(key=key, window_start=window, spent=cost)
    excluded = values.excluded
    same_window = RateBudget.window_start == excluded.window_start
    statement = values.on_conflict_do_update(
        index_elements=[RateBudget.key],
        set_={
            "spent": case((same_window, RateBudget.spent + excluded.spent), else_=excluded.spent),
            "window_start": excluded.window_start,
        },
    ).returning(RateBudget.spent)
    return int((await session.execute(statement)).scalar_one())
