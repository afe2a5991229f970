"""The network's data version: bumped in the same transaction as every change."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.base import utcnow
from accr_graph.db.models import DataVersion


async def bump(session: AsyncSession) -> None:
    """Once per writing transaction (the mutation runner, an import, a CLI command)."""
    await session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(version=DataVersion.version + 1, updated_at=utcnow())
    )


async def network_changed(session: AsyncSession) -> None:
    """Called by writers of what the matching engine reads, besides the transaction's bump."""
    await session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(network_version=DataVersion.network_version + 1)
    )


async def current(session: AsyncSession) -> int:
    version = await session.scalar(select(DataVersion.version).where(DataVersion.id == 1))
    return int(version or 0)


async def current_network(session: AsyncSession) -> int:
    version = await session.scalar(select(DataVersion.network_version).where(DataVersion.id == 1))
    return int(version or 0)
