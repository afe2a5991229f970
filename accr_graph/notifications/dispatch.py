"""Dispatch: outbox events become inbox rows and pending deliveries, once.

One transaction per batch: claim undispatched events (``FOR UPDATE SKIP LOCKED``), write every
inbox row and delivery, mark the events dispatched, commit. A worker killed in the middle rolls
all of it back and the next one dispatches the same events; the unique keys
(``notifications(event_id, user_id)``, ``notification_deliveries.idempotency_key``) make a
second dispatch impossible to show twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.notifications import recipients as rcpt
from accr_graph.notifications.kinds import canonical, kind_of
from accr_graph.notifications.subjects import Subject, subjects
from accr_graph.repositories import notifications as repo
from accr_graph.repositories.notifications import Recipient
from accr_graph.services.uow import Database

DIGEST_HOUR_UTC = 7  # digests leave at 07:00 UTC (morning in Europe)


def next_digest(now: datetime, frequency: m.Frequency) -> datetime:
    """Daily: the next 07:00 UTC; weekly: the next Monday 07:00 UTC."""
    start = now.replace(hour=DIGEST_HOUR_UTC, minute=0, second=0, microsecond=0)
    if start <= now:
        start += timedelta(days=1)
    if frequency is m.Frequency.WEEKLY:
        start += timedelta(days=(7 - start.weekday()) % 7)
    return start


class Dispatcher:
    def __init__(self, db: Database, email: bool, batch_size: int = 200) -> None:
        self.db = db
        self.email = email  # e-mail is off without an SMTP server
        self.batch_size = batch_size

    async def run_batch(self) -> int:
        """Dispatch one batch; the number of events dispatched (0: nothing to do)."""
        async with self.db.begin() as session:
            events = await repo.claim_events(session, self.batch_size)
            if not events:
                return 0
            await self._dispatch(session, list(events))
            await repo.mark_dispatched(session, [e.id for e in events])
        return len(events)

    async def _dispatch(self, session: AsyncSession, events: list[m.OutboxEvent]) -> None:
        about = await subjects(session, events)
        found = await rcpt.directory(session, events)
        reached = {e.id: rcpt.recipients(e, about[e.id], found) for e in events}
        prefs = await repo.preferences(session, {p.id for ps in reached.values() for p in ps})
        hooks = await repo.active_webhooks(session)
        now = utcnow()
        inbox: list[dict[str, Any]] = []
        deliveries: list[dict[str, Any]] = []
        for event in events:
            people = reached[event.id]
            inbox += _inbox_rows(event, about[event.id], people, now)
            if self.email:
                deliveries += _email_rows(event, people, prefs, now)
            deliveries += _webhook_rows(event, about[event.id], hooks, now)
        await repo.add_notifications(session, inbox)
        await repo.add_deliveries(session, deliveries)
        await repo.notify_users(session, {row["user_id"] for row in inbox})


def _inbox_rows(
    event: m.OutboxEvent, subject: Subject, people: list[Recipient], now: datetime
) -> list[dict[str, Any]]:
    if not kind_of(event.kind).inbox:
        return []
    payload = {**subject.names, "global_id": subject.global_id}
    return [
        {
            "user_id": person.id,
            "event_id": event.id,
            "kind": event.kind,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "payload": payload,
            "created_at": now,
        }
        for person in people
    ]


def _frequency(
    event: m.OutboxEvent, person: Recipient, prefs: dict[tuple[int, str], m.Frequency]
) -> m.Frequency:
    kind = kind_of(event.kind)
    if kind.forced:
        return m.Frequency.IMMEDIATELY
    return prefs.get((person.id, kind.name), kind.default)


def _email_rows(
    event: m.OutboxEvent,
    people: list[Recipient],
    prefs: dict[tuple[int, str], m.Frequency],
    now: datetime,
) -> list[dict[str, Any]]:
    rows = []
    for person in people:
        frequency = _frequency(event, person, prefs)
        if frequency is m.Frequency.OFF or not person.email:
            continue
        digest = None if frequency is m.Frequency.IMMEDIATELY else frequency
        due = now if digest is None else next_digest(now, digest)
        rows.append(_delivery(event, m.Channel.EMAIL, f"user:{person.id}", due, now, digest))
        rows[-1]["user_id"] = person.id
    return rows


def _webhook_rows(
    event: m.OutboxEvent, subject: Subject, hooks: Any, now: datetime
) -> list[dict[str, Any]]:
    if kind_of(event.kind).private or subject.draft_owner is not None:
        return []  # secrets and drafts never leave the platform
    rows = []
    for hook in hooks:
        if "*" in hook.events or canonical(event.kind) in hook.events:
            rows.append(_delivery(event, m.Channel.WEBHOOK, f"webhook:{hook.id}", now, now))
            rows[-1]["webhook_id"] = hook.id
    return rows


def _delivery(
    event: m.OutboxEvent,
    channel: m.Channel,
    target: str,
    due: datetime,
    now: datetime,
    digest: m.Frequency | None = None,
) -> dict[str, Any]:
    return {
        "idempotency_key": f"{event.id}:{channel.value}:{target}",
        "event_id": event.id,
        "channel": channel,
        "user_id": None,
        "webhook_id": None,
        "status": m.DeliveryStatus.PENDING,
        "digest": digest,
        "attempts": 0,
        "next_attempt_at": due,
        "created_at": now,
    }
