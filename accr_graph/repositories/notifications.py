"""SQL of the notifications: claiming work across workers, inboxes, deliveries, preferences.

Claims use ``FOR UPDATE SKIP LOCKED`` (DESIGN.md §14): on PostgreSQL several workers take
disjoint batches; SQLite ignores the clause and runs one worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ARRAY, Text, and_, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories.common import Window, page, upsert

NOTIFICATIONS_CHANNEL = "accr_notifications"


@dataclass(frozen=True, slots=True)
class Recipient:
    id: int
    email: str
    role: m.UserRole
    centre_id: int | None
    language: str | None


_RECIPIENT_COLUMNS = (m.User.id, m.User.email, m.User.role, m.User.centre_id, m.User.language)


async def _recipients(session: AsyncSession, *where: Any) -> list[Recipient]:
    query = select(*_RECIPIENT_COLUMNS).where(m.User.is_active.is_(True), *where)
    return [Recipient(*row) for row in await session.execute(query.order_by(m.User.id))]


async def members_of(session: AsyncSession, centre_ids: Iterable[int]) -> list[Recipient]:
    ids = sorted(set(centre_ids))
    return await _recipients(session, m.User.centre_id.in_(ids)) if ids else []


async def staff(session: AsyncSession) -> list[Recipient]:
    return await _recipients(session, m.User.role.in_([m.UserRole.STAFF, m.UserRole.ADMIN]))


async def users(session: AsyncSession, user_ids: Iterable[int]) -> list[Recipient]:
    ids = sorted(set(user_ids))
    return await _recipients(session, m.User.id.in_(ids)) if ids else []


# --- dispatch -----------------------------------------------------------------------------------


async def claim_events(session: AsyncSession, limit: int) -> Sequence[m.OutboxEvent]:
    """The oldest undispatched events, locked for this transaction (skipped by other workers)."""
    query = (
        select(m.OutboxEvent)
        .where(m.OutboxEvent.dispatched_at.is_(None))
        .order_by(m.OutboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).all()


async def mark_dispatched(session: AsyncSession, event_ids: Sequence[int]) -> None:
    await session.execute(
        update(m.OutboxEvent).where(m.OutboxEvent.id.in_(event_ids)).values(dispatched_at=utcnow())
    )


async def preferences(
    session: AsyncSession, user_ids: Iterable[int]
) -> dict[tuple[int, str], m.Frequency]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    query = select(m.NotificationPreference).where(m.NotificationPreference.user_id.in_(ids))
    return {(p.user_id, p.kind): p.frequency for p in await session.scalars(query)}


async def active_webhooks(session: AsyncSession) -> Sequence[m.Webhook]:
    query = select(m.Webhook).where(m.Webhook.is_active.is_(True)).order_by(m.Webhook.id)
    return (await session.scalars(query)).all()


async def add_notifications(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert inbox rows; one already there for (event, user) is kept (a re-dispatch)."""
    if rows:
        await session.execute(upsert(session, m.Notification).on_conflict_do_nothing(), rows)


async def add_deliveries(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert deliveries; one already there with the same idempotency key is kept."""
    if rows:
        await session.execute(upsert(session, m.Delivery).on_conflict_do_nothing(), rows)


async def notify_users(session: AsyncSession, user_ids: Iterable[int]) -> None:
    """PostgreSQL: tell every web worker's inbox subscribers each user's latest notification id
    (sent at commit, dropped on rollback). SQLite subscribers poll instead."""
    if session.get_bind().dialect.name != "postgresql" or not user_ids:
        return
    latest = await latest_notification_ids(session, sorted(set(user_ids)))
    payloads = [f"{user}:{newest}" for user, newest in sorted(latest.items())]
    each = func.unnest(literal(payloads, ARRAY(Text))).column_valued("value")
    await session.execute(select(func.pg_notify(NOTIFICATIONS_CHANNEL, each)))


# --- delivery -----------------------------------------------------------------------------------


async def claim_deliveries(
    session: AsyncSession, now: datetime, limit: int, lease: timedelta
) -> Sequence[m.Delivery]:
    """Due pending deliveries, pushed ``lease`` into the future so that a worker killed while
    sending them leaves them to the next one (at least once). One locking SELECT, one UPDATE."""
    due = (
        select(m.Delivery.id)
        .where(m.Delivery.status == m.DeliveryStatus.PENDING, m.Delivery.next_attempt_at <= now)
        .order_by(m.Delivery.next_attempt_at, m.Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list((await session.scalars(due)).all())
    if not ids:
        return []
    claim = (
        update(m.Delivery)
        .where(m.Delivery.id.in_(ids))
        .values(next_attempt_at=now + lease, attempts=m.Delivery.attempts + 1)
        .returning(m.Delivery)
        .execution_options(synchronize_session=False)
    )
    rows = (await session.scalars(claim)).all()
    return sorted(rows, key=lambda row: row.id)


async def mark_delivered(
    session: AsyncSession, ids: Sequence[int], now: datetime, codes: dict[int, int | None]
) -> None:
    """Successes in one statement per response code (most batches: one)."""
    by_code: dict[int | None, list[int]] = {}
    for delivery_id in ids:
        by_code.setdefault(codes.get(delivery_id), []).append(delivery_id)
    for code, chosen in by_code.items():
        await session.execute(
            update(m.Delivery)
            .where(m.Delivery.id.in_(chosen))
            .values(
                status=m.DeliveryStatus.DELIVERED,
                delivered_at=now,
                last_error=None,
                response_code=code,
            )
            .execution_options(synchronize_session=False)
        )


async def events_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, m.OutboxEvent]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.id.in_(wanted)))
    return {row.id: row for row in rows}


async def webhooks_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, m.Webhook]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.scalars(select(m.Webhook).where(m.Webhook.id.in_(wanted)))
    return {row.id: row for row in rows}


async def deliveries_by_ids(session: AsyncSession, ids: Iterable[int]) -> list[m.Delivery]:
    query = select(m.Delivery).where(m.Delivery.id.in_(sorted(set(ids)))).with_for_update()
    return list((await session.scalars(query)).all())


async def failed_deliveries(session: AsyncSession, window: Window) -> Sequence[m.Delivery]:
    query = select(m.Delivery).where(m.Delivery.status == m.DeliveryStatus.FAILED)
    return await page(session, query.order_by(m.Delivery.id.desc()), window)


async def deliveries_of_webhook(
    session: AsyncSession, webhook_id: int, window: Window
) -> Sequence[m.Delivery]:
    query = select(m.Delivery).where(m.Delivery.webhook_id == webhook_id)
    return await page(session, query.order_by(m.Delivery.id.desc()), window)


async def count_deliveries(session: AsyncSession, *where: Any) -> int:
    query = select(func.count()).select_from(m.Delivery).where(*where)
    return int(await session.scalar(query) or 0)


# --- inbox --------------------------------------------------------------------------------------


def _inbox(user_id: int, unread_only: bool) -> Any:
    clauses = [m.Notification.user_id == user_id]
    if unread_only:
        clauses.append(m.Notification.read_at.is_(None))
    return and_(*clauses)


def _count_inbox(user_id: int, unread_only: bool) -> Any:
    return select(func.count()).select_from(m.Notification).where(_inbox(user_id, unread_only))


async def count_inbox(session: AsyncSession, user_id: int, unread_only: bool) -> int:
    return int(await session.scalar(_count_inbox(user_id, unread_only)) or 0)


def unread_count_column(user_id: int) -> Any:
    """The unread count as a column, for a statement that reads the user anyway (page header)."""
    return _count_inbox(user_id, True).scalar_subquery()


async def inbox_page(
    session: AsyncSession, user_id: int, unread_only: bool, window: Window
) -> Sequence[m.Notification]:
    query = select(m.Notification).where(_inbox(user_id, unread_only))
    return await page(session, query.order_by(m.Notification.id.desc()), window)


async def mark_read(session: AsyncSession, user_id: int, ids: Sequence[int] | None) -> int:
    """Mark the user's notifications read (all of them when ``ids`` is None); the count changed."""
    query = update(m.Notification).where(
        m.Notification.user_id == user_id, m.Notification.read_at.is_(None)
    )
    if ids is not None:
        query = query.where(m.Notification.id.in_(ids))
    result = await session.execute(query.values(read_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def latest_notification_ids(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, int]:
    query = (
        select(m.Notification.user_id, func.max(m.Notification.id))
        .where(m.Notification.user_id.in_(user_ids))
        .group_by(m.Notification.user_id)
    )
    return {user: int(latest) for user, latest in await session.execute(query)}


async def notifications_after(
    session: AsyncSession, user_id: int, after_id: int
) -> Sequence[m.Notification]:
    query = select(m.Notification).where(
        m.Notification.user_id == user_id, m.Notification.id > after_id
    )
    return (await session.scalars(query.order_by(m.Notification.id))).all()


__all__ = ["NOTIFICATIONS_CHANNEL", "Recipient"]
