"""Delivery: due e-mails and webhook POSTs, sent at least once, retried with capped exponential
backoff and jitter, then marked failed with the last error.

A batch is claimed in a short transaction that pushes the rows' next attempt a lease ahead
(so a worker killed while sending leaves them to another after the lease), sent outside any
transaction, and the outcomes recorded in a second short transaction. E-mails of one recipient
in one batch (digests, and bursts) leave as one message.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.notifications import mailer, render, webhooks
from accr_graph.notifications.kinds import kind_of
from accr_graph.notifications.subjects import Subject, subjects
from accr_graph.repositories import notifications as repo
from accr_graph.repositories.notifications import Recipient
from accr_graph.services import notifications as service
from accr_graph.services.uow import Database
from accr_graph.settings import Settings


def backoff(attempts: int, base: float, cap: float) -> float:
    """Seconds before the next try: base·2^(n-1), capped, with "full jitter" in [½, 1]× so that
    deliveries failing together do not retry in lockstep."""
    delay: float = min(cap, base * 2.0 ** max(0, attempts - 1))
    return delay * random.uniform(0.5, 1.0)


@dataclass
class _Job:
    deliveries: list[m.Delivery]
    ok: bool = False
    status: int | None = None
    error: str | None = None


@dataclass
class _MailJob(_Job):
    message: object = None


@dataclass
class _HookJob(_Job):
    webhook: m.Webhook | None = None
    message_id: str = ""
    body: bytes = b""


@dataclass
class _Batch:
    mails: list[_MailJob] = field(default_factory=list)
    hooks: list[_HookJob] = field(default_factory=list)

    def jobs(self) -> list[_Job]:
        return [*self.mails, *self.hooks]


class Deliverer:
    def __init__(self, db: Database, settings: Settings, secret: str) -> None:
        self.db = db
        self.settings = settings
        self.secret = secret  # signs unsubscribe and password-reset links
        self.smtp = mailer.SmtpServer.parse(settings.smtp_url) if settings.smtp_url else None
        self.http = httpx.AsyncClient(
            timeout=settings.webhook_timeout_seconds, follow_redirects=False
        )

    async def close(self) -> None:
        await self.http.aclose()

    async def run_batch(self) -> int:
        """Claim, send and record one batch; the number of deliveries handled."""
        now = utcnow()
        lease = timedelta(seconds=self.settings.delivery_lease_seconds)
        async with self.db.begin() as session:
            claimed = await repo.claim_deliveries(
                session, now, self.settings.worker_batch_size, lease
            )
            if not claimed:
                return 0
            batch = await self._prepare(session, list(claimed))
        await asyncio.gather(*(self._send(job) for job in batch.jobs()))
        await self._record(batch)
        return len(claimed)

    # -- preparing -----------------------------------------------------------------------------

    async def _prepare(self, session: AsyncSession, claimed: list[m.Delivery]) -> _Batch:
        events = await repo.events_by_ids(session, {d.event_id for d in claimed})
        about = await subjects(session, list(events.values()))
        people = {
            u.id: u for u in await repo.users(session, {d.user_id for d in claimed if d.user_id})
        }
        hooks = await repo.webhooks_by_ids(session, {d.webhook_id for d in claimed if d.webhook_id})
        batch = _Batch()
        by_user: dict[int, list[m.Delivery]] = defaultdict(list)
        for delivery in claimed:
            if delivery.channel is m.Channel.EMAIL:
                by_user[delivery.user_id or 0].append(delivery)
            else:
                batch.hooks.append(self._hook_job(delivery, events, about, hooks))
        for user_id, rows in by_user.items():
            batch.mails.append(self._mail_job(people.get(user_id), rows, events, about))
        return batch

    def _hook_job(
        self,
        delivery: m.Delivery,
        events: dict[int, m.OutboxEvent],
        about: dict[int, Subject],
        hooks: dict[int, m.Webhook],
    ) -> _HookJob:
        event = events[delivery.event_id]
        hook = hooks.get(delivery.webhook_id or 0)
        body = webhook_body(event, about[event.id])
        message_id = f"msg_{event.id}_{delivery.webhook_id}"
        return _HookJob([delivery], webhook=hook, message_id=message_id, body=body)

    def _mail_job(
        self,
        person: Recipient | None,
        rows: list[m.Delivery],
        events: dict[int, m.OutboxEvent],
        about: dict[int, Subject],
    ) -> _MailJob:
        if person is None:
            return _MailJob(rows, error="the recipient no longer exists or is inactive")
        lang = render.language(person.language)
        items = [self._item(events[d.event_id], about[d.event_id], lang) for d in rows]
        first = events[rows[0].event_id]
        urls = self._urls(person.id, first.kind)
        digest = len(rows) > 1
        mail = render.email(lang, person.email, items, urls, digest)
        forced = kind_of(first.kind).forced and not digest
        envelope = mailer.Envelope(
            to=person.email,
            message_id=f"<delivery-{rows[0].idempotency_key.replace(':', '-')}@accr-graph>",
            language=lang,
            unsubscribe_url=None if forced else urls["unsubscribe"],
        )
        return _MailJob(rows, message=mailer.build(self.settings.mail_from, envelope, mail))

    def _item(self, event: m.OutboxEvent, subject: Subject, lang: str) -> render.Item:
        text = render.sentence(event.kind, subject.names, lang)
        if event.kind == "account.password_reset":
            reset_id = int(event.payload.get("reset_id", 0))
            return render.Item(text, service.reset_link(self.settings, self.secret, reset_id))
        return render.Item(
            text, render.link(self.settings.public_url, event.object_type, event.object_id)
        )

    def _urls(self, user_id: int, kind: str) -> dict[str, str]:
        base = self.settings.public_url.rstrip("/")
        token = render.unsubscribe_token(self.secret, user_id, kind)
        return {
            "unsubscribe": f"{base}/notifications/unsubscribe?token={token}",
            "preferences": f"{base}/account",
        }

    # -- sending and recording -----------------------------------------------------------------

    async def _send(self, job: _Job) -> None:
        if job.error:
            return
        if isinstance(job, _MailJob):
            await self._send_mail(job)
        elif isinstance(job, _HookJob):
            await self._send_hook(job)

    async def _send_mail(self, job: _MailJob) -> None:
        if self.smtp is None:
            job.error = "e-mail is off (no ACCR_SMTP_URL)"
            return
        try:
            await mailer.send(self.smtp, job.message, self.settings.smtp_timeout_seconds)  # type: ignore[arg-type]
            job.ok = True
        except Exception as error:  # any SMTP or network failure is retried, never fatal
            job.error = f"{type(error).__name__}: {error}"[:500]

    async def _send_hook(self, job: _HookJob) -> None:
        hook = job.webhook
        if hook is None or not hook.is_active:
            job.error = "the webhook was deleted or disabled"
            return
        try:
            await webhooks.check_url(hook.url, self.settings.webhook_allow_private)
        except webhooks.UnsafeUrl as error:
            job.error = f"refused: {error}"
            return
        timestamp = int(utcnow().timestamp())
        outcome = await webhooks.post(
            self.http, hook.url, hook.secret, job.message_id, timestamp, job.body
        )
        job.ok, job.status, job.error = outcome.ok, outcome.status, outcome.error

    async def _record(self, batch: _Batch) -> None:
        now = utcnow()
        failing: set[int] = set()
        ok = [d.id for job in batch.jobs() if job.ok for d in job.deliveries]
        codes = {d.id: job.status for job in batch.jobs() for d in job.deliveries}
        failed = [job for job in batch.jobs() if not job.ok]
        async with self.db.begin() as session:
            await repo.mark_delivered(session, ok, now, codes)
            if failed:
                rows = await repo.deliveries_by_ids(
                    session, [d.id for job in failed for d in job.deliveries]
                )
                current = {row.id: row for row in rows}
                for job in failed:
                    for delivery in job.deliveries:
                        self._outcome(current[delivery.id], job, now)
            for job in batch.hooks:
                if job.webhook is not None:
                    failing |= await service.webhook_outcome(
                        session, job.webhook.id, job.ok, now, self.settings
                    )
        for webhook_id in sorted(failing):
            await service.disable_webhook(self.db, webhook_id)

    def _outcome(self, row: m.Delivery, job: _Job, now: datetime) -> None:
        """A failed try: retry later with backoff, or give up after the last attempt."""
        row.response_code = job.status
        row.last_error = job.error
        gone = isinstance(job, _HookJob) and (job.webhook is None or not job.webhook.is_active)
        if gone:
            row.status = m.DeliveryStatus.SKIPPED
        elif row.attempts >= self.settings.retry_max_attempts:
            row.status = m.DeliveryStatus.FAILED
        else:
            delay = backoff(
                row.attempts, self.settings.retry_base_seconds, self.settings.retry_cap_seconds
            )
            row.next_attempt_at = now + timedelta(seconds=delay)


def webhook_body(event: m.OutboxEvent, subject: Subject) -> bytes:
    """The Standard Webhooks payload: type, timestamp, data (public fields only)."""
    data: dict[str, object] = {"id": subject.global_id, **subject.fields}
    body = {"type": event.kind, "timestamp": event.at.isoformat(), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


__all__ = ["Deliverer", "backoff", "webhook_body"]
