"""E-mail preferences and digests, the password-reset link, and endpoints disabled after a day
of failures (their owner told)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.notifications.dispatch import next_digest
from accr_graph.security.passwords import verify_password
from accr_graph.services import notifications as service
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.uow import Actor
from accr_graph.viewer import Viewer
from tests.conftest import Database
from tests.notifications.helpers import (
    SECRET,
    SmtpServer,
    emit,
    interest_case,
    new_worker,
    worker_settings,
)


@pytest.fixture
async def smtp():
    server = SmtpServer()
    await server.start()
    yield server
    await server.stop()


def actor_of(user: m.User) -> Actor:
    return Actor(Viewer(user_id=user.id, role=user.role, centre_id=user.centre_id))


def test_digest_times():
    monday = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    assert next_digest(monday, m.Frequency.DAILY) == monday.replace(hour=7)
    assert next_digest(monday.replace(hour=8), m.Frequency.DAILY) == datetime(
        2026, 12, 1, 7, tzinfo=UTC
    )
    assert next_digest(monday.replace(hour=8), m.Frequency.WEEKLY) == datetime(
        2026, 12, 7, 7, tzinfo=UTC
    )


async def test_daily_digest_waits_and_leaves_as_one_mail(sample_db: Database, settings, smtp):
    # given an owner who wants a daily digest of interests
    case = await interest_case(sample_db.sessionmaker)
    owner = case.owner_users[0]
    await service.set_preferences(
        sample_db.sessionmaker, actor_of(owner), [("interest.expressed", m.Frequency.DAILY)]
    )
    for _ in range(2):
        await emit(
            sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
        )
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings, smtp_url=smtp.url))
    await worker.drain()
    # then nothing is sent to them yet (others, immediately, got theirs)
    assert all(msg["To"] != owner.email for msg in smtp.mailbox.messages)
    # when the digest time comes
    async with sample_db.sessionmaker.begin() as session:
        await session.execute(
            update(m.Delivery)
            .where(m.Delivery.user_id == owner.id)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
    await worker.drain()
    await worker.close()
    # then one digest mail lists both
    [digest] = [msg for msg in smtp.mailbox.messages if msg["To"] == owner.email]
    assert "2" in digest["Subject"]


async def test_unknown_kind_is_a_typed_error(sample_db: Database):
    case = await interest_case(sample_db.sessionmaker)
    with pytest.raises(ServiceFailure) as caught:
        await service.set_preferences(
            sample_db.sessionmaker, actor_of(case.owner_users[0]), [("nope", m.Frequency.OFF)]
        )
    assert caught.value.failure.field == "preferences[0].kind"  # type: ignore[union-attr]


async def test_password_reset_link_is_single_use(sample_db: Database, settings, smtp):
    # given a reset requested for an account (and one for an unknown address: no error, no mail)
    email = "marie.dubois@abbaye-de-saint-aurel.example.org"
    await service.request_password_reset(sample_db.sessionmaker, settings, email.upper())
    await service.request_password_reset(sample_db.sessionmaker, settings, "nobody@example.org")
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings, smtp_url=smtp.url))
    await worker.drain()
    await worker.close()
    # then one mail arrived, without List-Unsubscribe, with the link
    [mail] = smtp.mailbox.messages
    assert mail["To"] == email and mail["List-Unsubscribe"] is None
    text = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    link = next(word for word in body.split() if "/password/reset?token=" in word)
    token = parse_qs(urlsplit(link).query)["token"][0]
    # when it is used, then the password changed, and the link is spent
    await service.reset_password(sample_db.sessionmaker, SECRET, token, "a-brand-new-password")
    async with sample_db.sessionmaker() as session:
        user = await session.scalar(select(m.User).where(m.User.email == email))
    assert verify_password(user.password_hash, "a-brand-new-password")
    with pytest.raises(ServiceFailure):
        await service.reset_password(sample_db.sessionmaker, SECRET, token, "another-password-1")
    with pytest.raises(ServiceFailure):
        await service.reset_password(sample_db.sessionmaker, SECRET, token + "x", "whatever-12345")


async def test_expired_reset_link_is_refused(sample_db: Database, settings, smtp):
    email = "marie.dubois@abbaye-de-saint-aurel.example.org"
    await service.request_password_reset(sample_db.sessionmaker, settings, email)
    async with sample_db.sessionmaker.begin() as session:
        reset = await session.scalar(select(m.PasswordReset))
        reset.expires_at = utcnow() - timedelta(minutes=1)
    link = service.reset_link(settings, SECRET, reset.id)
    token = parse_qs(urlsplit(link).query)["token"][0]
    with pytest.raises(ServiceFailure):
        await service.reset_password(sample_db.sessionmaker, SECRET, token, "a-brand-new-password")


async def test_an_endpoint_failing_for_a_day_is_disabled_and_its_owner_told(
    sample_db: Database, settings
):
    # given an admin's webhook pointing nowhere, failing since yesterday
    async with sample_db.sessionmaker() as session:
        admin = await session.scalar(select(m.User).where(m.User.role == m.UserRole.ADMIN))
    allowed = worker_settings(settings, webhook_allow_private=True, webhook_timeout_seconds=1)
    hook = await service.create_webhook(
        sample_db.sessionmaker,
        actor_of(admin),
        allowed,
        service.WebhookChanges(url="http://127.0.0.1:9/gone", events=["*"]),
    )
    async with sample_db.sessionmaker.begin() as session:
        await session.execute(
            update(m.Webhook).values(failing_since=utcnow() - timedelta(hours=25))
        )
    case = await interest_case(sample_db.sessionmaker)
    await emit(
        sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
    )
    # when its delivery fails once more
    worker = new_worker(sample_db.sessionmaker, allowed)
    await worker.drain()
    await worker.close()
    # then it is disabled, its pending deliveries skipped, and the admin has a notification
    async with sample_db.sessionmaker() as session:
        row = await session.get(m.Webhook, hook.id)
        notes = (
            await session.scalars(select(m.Notification).where(m.Notification.user_id == admin.id))
        ).all()
        deliveries = (await session.scalars(select(m.Delivery))).all()
    assert not row.is_active and row.disabled_at is not None
    assert [n.kind for n in notes] == ["webhook.disabled"]
    assert all(d.status is not m.DeliveryStatus.PENDING for d in deliveries)
