"""The audit log: written in the same transaction as the change it records; never edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import AuditEntry
from accr_graph.repositories.common import Window, count, page


@dataclass(frozen=True, slots=True)
class AuditFilter:
    user_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def record(session: AsyncSession, entry: AuditEntry) -> None:
    session.add(entry)
    await session.flush()


def _filtered(flt: AuditFilter) -> Select[Any]:
    query = select(AuditEntry)
    if flt.user_id is not None:
        query = query.where(AuditEntry.user_id == flt.user_id)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.object_type:
        query = query.where(AuditEntry.object_type == flt.object_type)
    if flt.since is not None:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until is not None:
        query = query.where(AuditEntry.at < flt.until)
    return query


async def count_entries(session: AsyncSession, flt: AuditFilter) -> int:
    return await count(session, _filtered(flt))


async def list_entries(
    session: AsyncSession, flt: AuditFilter, window: Window
) -> Sequence[AuditEntry]:
    query = _filtered(flt).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return await page(session, query, window)


async def entry_by_id(session: AsyncSession, entry_id: int) -> AuditEntry | None:
    return await session.get(AuditEntry, entry_id)
