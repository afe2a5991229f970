"""Row counts that bound the length of plain (unpaged) lists, for the query-cost estimate."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m

_COUNTED = {
    "themes": m.Theme,
    "competencies": m.Competency,
    "centres": m.Centre,
    "proposals": m.Proposal,
    "partnerships": m.Partnership,
    "fairs": m.Fair,
    "meeting_requests": m.FairMeetingRequest,
    "meetings": m.FairMeeting,
    "resources": m.Resource,
    "meeting_registrations": m.MeetingRegistration,
    "webhooks": m.Webhook,
}


async def table_sizes(session: AsyncSession) -> dict[str, int]:
    """Every count in one round trip, plus the pairs of centres that share a partnership."""
    counts = [
        select(func.count()).select_from(model).scalar_subquery() for model in _COUNTED.values()
    ]
    per_project = (
        select(func.count().label("n"))
        .select_from(m.PartnershipMember)
        .group_by(m.PartnershipMember.partnership_id)
        .subquery()
    )
    pairs = select(func.coalesce(func.sum(per_project.c.n * (per_project.c.n - 1) / 2), 0))
    row = (await session.execute(select(*counts, pairs.scalar_subquery()))).one()
    sizes = dict(zip(_COUNTED, (int(v) for v in row[:-1]), strict=True))
    sizes["partner_pairs"] = int(row[-1])
    return sizes


async def outbox_backlog(session: AsyncSession) -> int:
    """Outbox events not dispatched yet (notifications and webhooks waiting)."""
    pending = select(func.count()).select_from(m.OutboxEvent)
    return int(await session.scalar(pending.where(m.OutboxEvent.dispatched_at.is_(None))) or 0)
