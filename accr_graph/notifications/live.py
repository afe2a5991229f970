"""New inbox notifications, delivered to this web worker's subscribers (``notificationAdded``).

The same machinery as the fair schedule's (``FairScheduleEvents``): the counter is the user's
latest notification id; the dispatching transaction sends ``NOTIFY accr_notifications
'<user>:<latest id>'`` on PostgreSQL, and SQLite subscribers poll it about once a second.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.repositories import notifications as repo
from accr_graph.services.fair_events import FairScheduleEvents


class InboxEvents(FairScheduleEvents):
    channel = repo.NOTIFICATIONS_CHANNEL

    async def _read(self, session: AsyncSession, keys: list[int]) -> dict[int, int]:
        latest = await repo.latest_notification_ids(session, keys)
        return {key: latest.get(key, 0) for key in keys}
