"""/inbox shows the reader's notifications (their language, unread marked, mark all as read),
the header counts the unread ones, and /account sets the e-mail frequency of each kind."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.services import notifications
from accr_graph.settings import Settings
from accr_graph.viewer import Viewer
from tests.conftest import Database
from tests.notifications.helpers import emit, interest_case, new_worker, worker_settings
from tests.web.helpers import MEMBER, OTHER_MEMBER, csrf_of, sign_in, submit

BADGE = re.compile(r'class="badge">(\d+)')


async def user(db: Database, email: str) -> m.User:
    async with db.sessionmaker() as session:
        found = await session.scalar(select(m.User).where(m.User.email == email))
    assert found is not None and found.centre_id is not None
    return found


def viewer_of(who: m.User) -> Viewer:
    return Viewer(user_id=who.id, role=who.role, centre_id=who.centre_id)


async def notify_member(db: Database, settings: Settings) -> m.User:
    """An interest event for MEMBER's centre, made by another centre's member, dispatched."""
    member, other = await user(db, MEMBER[0]), await user(db, OTHER_MEMBER[0])
    case = await interest_case(db.sessionmaker)
    await emit(db.sessionmaker, "interest.expressed", case.interest, [member.centre_id], other)
    worker = new_worker(db.sessionmaker, worker_settings(settings))
    assert await worker.drain() == 1
    await worker.close()
    return member


async def in_language(client: httpx.AsyncClient, lang: str) -> httpx.Response:
    saved = await submit(client, "/account/language", {"language": lang}, "/account")
    assert saved.status_code == 303
    return await client.get("/inbox")


async def test_a_notification_shows_in_the_readers_language_and_counts(
    client: httpx.AsyncClient, sample_db: Database, settings: Settings
) -> None:
    member = await notify_member(sample_db, settings)
    unread = await notifications.unread_count(sample_db.sessionmaker, viewer_of(member))
    assert unread >= 1
    await sign_in(client, MEMBER)
    french = await in_language(client, "fr")
    assert french.status_code == 200 and "a exprimé son intérêt" in french.text
    assert "Tout marquer comme lu" in french.text and 'class="unread"' in french.text
    badge = BADGE.search(french.text)
    assert badge and int(badge.group(1)) == unread
    english = await in_language(client, "en")
    assert "expressed interest in your proposal" in english.text
    assert "Interests in your proposals" in english.text  # the sections awaiting an answer stay


async def test_mark_all_as_read_empties_the_count(
    client: httpx.AsyncClient, sample_db: Database, settings: Settings
) -> None:
    member = await notify_member(sample_db, settings)
    await sign_in(client, MEMBER)
    page = await client.get("/inbox")
    forged = await client.post("/inbox/read", data={"csrf": "forged"})
    assert forged.status_code == 400
    done = await client.post("/inbox/read", data={"csrf": csrf_of(page.text)})
    assert done.status_code == 303 and done.headers["location"] == "/inbox?done=read"
    assert await notifications.unread_count(sample_db.sessionmaker, viewer_of(member)) == 0
    after = await client.get("/inbox")
    assert BADGE.search(after.text) is None and 'class="unread"' not in after.text
    assert "/inbox/read" not in after.text  # nothing left to mark
    past_the_end = await client.get("/inbox?page=999")
    assert past_the_end.status_code == 200 and 'class="unread"' not in past_the_end.text
    assert "a exprimé son intérêt" in past_the_end.text or "expressed interest" in past_the_end.text


async def test_email_preferences_are_stored_and_bad_values_re_shown(
    client: httpx.AsyncClient, sample_db: Database
) -> None:
    member = await user(sample_db, MEMBER[0])
    await sign_in(client, MEMBER)
    await in_language(client, "fr")
    page = await client.get("/account")
    assert "Notifications par e-mail" in page.text and 'name="pref_interest_expressed"' in page.text
    saved = await submit(
        client, "/account/notifications", {"pref_interest_expressed": "daily"}, "/account"
    )
    assert saved.status_code == 303
    chosen = await notifications.preferences(sample_db.sessionmaker, viewer_of(member))
    assert {p.kind: p.frequency for p in chosen}["interest.expressed"] is m.Frequency.DAILY
    bad = await submit(
        client,
        "/account/notifications",
        {"pref_interest_expressed": "hourly", "pref_survey_opened": "off"},
        "/account",
    )
    assert bad.status_code == 400 and "choisissez l’une des fréquences proposées" in bad.text
    assert re.search(
        r'name="pref_survey_opened"(?:(?!</select>).)*<option value="off" selected>', bad.text, re.S
    )
    chosen = await notifications.preferences(sample_db.sessionmaker, viewer_of(member))
    assert {p.kind: p.frequency for p in chosen}["survey.opened"] is not m.Frequency.OFF
