"""E-mail through a real SMTP server (aiosmtpd on loopback): recipients, language, headers,
links; a server down for a while loses nothing and doubles nothing; one-click unsubscribe."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from tests.conftest import Database, app_client
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


async def set_language(db: Database, user_id: int, lang: str) -> None:
    async with db.sessionmaker.begin() as session:
        await session.execute(update(m.User).where(m.User.id == user_id).values(language=lang))


def body(message, subtype: str) -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode()
    raise AssertionError(f"no text/{subtype} part")


async def test_each_owner_gets_one_mail_in_their_language(sample_db: Database, settings, smtp):
    # given the owners of a proposal, one reading English, and an interest in it
    case = await interest_case(sample_db.sessionmaker)
    owner = case.owner_users[0]
    await set_language(sample_db, owner.id, "en")
    await emit(
        sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
    )
    # when the worker runs with e-mail on
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings, smtp_url=smtp.url))
    await worker.drain()
    await worker.close()
    # then the owner got one multipart mail in English, with the unsubscribe headers
    mine = [msg for msg in smtp.mailbox.messages if msg["To"] == owner.email]
    assert len(mine) == 1
    [mail] = mine
    assert mail["Content-Language"] == "en"
    assert "expressed interest" in mail["Subject"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(settings.public_url + "/notifications/unsubscribe?token=")
    assert "expressed interest" in body(mail, "plain") and unsubscribe in body(mail, "plain")
    assert f'href="{unsubscribe}"' in body(mail, "html").replace("&amp;", "&")
    assert len(smtp.mailbox.messages) == len(case.owner_users)


async def test_french_is_the_default_language(sample_db: Database, settings, smtp):
    case = await interest_case(sample_db.sessionmaker)
    await emit(
        sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
    )
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings, smtp_url=smtp.url))
    await worker.drain()
    await worker.close()
    mail = smtp.mailbox.messages[0]
    assert mail["Content-Language"] == "fr"
    assert "a exprimé son intérêt" in body(mail, "plain")


async def test_smtp_down_for_a_while_loses_nothing_and_doubles_nothing(
    sample_db: Database, settings, smtp
):
    # given the SMTP server is down when three events are delivered
    case = await interest_case(sample_db.sessionmaker)
    await smtp.stop()
    for _ in range(3):
        await emit(
            sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
        )
    slow = worker_settings(settings, smtp_url=smtp.url, retry_base_seconds=60, retry_cap_seconds=60)
    worker = new_worker(sample_db.sessionmaker, slow)
    await worker.drain()
    async with sample_db.sessionmaker() as session:
        rows = (await session.scalars(select(m.Delivery))).all()
    assert rows and all(r.status is m.DeliveryStatus.PENDING and r.last_error for r in rows)
    assert all(r.attempts == 1 and r.next_attempt_at > utcnow() for r in rows)
    # when it comes back and the retries are due
    await smtp.start()
    async with sample_db.sessionmaker.begin() as session:
        await session.execute(
            update(m.Delivery).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
    await worker.drain()
    await worker.drain()
    await worker.close()
    # then each owner got the three events exactly once (one message per recipient per batch)
    async with sample_db.sessionmaker() as session:
        rows = (await session.scalars(select(m.Delivery))).all()
    assert len(rows) == 3 * len(case.owner_users)
    assert all(r.status is m.DeliveryStatus.DELIVERED and r.attempts == 2 for r in rows)
    for owner in case.owner_users:
        mine = [msg for msg in smtp.mailbox.messages if msg["To"] == owner.email]
        assert len(mine) == 1 and body(mine[0], "plain").count("/inbox") == 3


async def test_one_click_unsubscribe_turns_the_kind_off(sample_db: Database, settings, smtp):
    # given a mail with its unsubscribe link
    case = await interest_case(sample_db.sessionmaker)
    await emit(
        sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
    )
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings, smtp_url=smtp.url))
    await worker.drain()
    mail = smtp.mailbox.messages[0]
    url = urlsplit(mail["List-Unsubscribe"].strip("<>"))
    token = parse_qs(url.query)["token"][0]
    # when the mail client posts the one-click request (RFC 8058)
    async with app_client(settings.model_copy(update={"secret_key": SECRET})) as http:
        answer = await http.post(f"{url.path}?{url.query}", data={"List-Unsubscribe": "One-Click"})
        forged = await http.post(f"{url.path}?token={token[:-2]}xx")
    assert answer.status_code == 200 and forged.status_code == 400
    # then that user's preference is off, and the next event sends them no mail
    user = next(u for u in case.owner_users if u.email == mail["To"])
    async with sample_db.sessionmaker() as session:
        pref = await session.get(m.NotificationPreference, (user.id, "interest.expressed"))
    assert pref is not None and pref.frequency is m.Frequency.OFF
    before = len(smtp.mailbox.messages)
    await emit(
        sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
    )
    await worker.drain()
    await worker.close()
    assert [m_["To"] for m_ in smtp.mailbox.messages[before:]].count(user.email) == 0
