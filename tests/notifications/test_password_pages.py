"""/password/forgot → e-mail (real SMTP) → /password/reset: the whole flow in the page shell,
in French by default; user mistakes are re-displayed, never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import Database, app_client
from tests.notifications.helpers import SmtpServer, new_worker, worker_settings
from tests.web.helpers import MEMBER, csrf_of, sign_in, submit


@pytest.fixture
async def smtp():
    server = SmtpServer()
    await server.start()
    yield server
    await server.stop()


def plain(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


async def test_forgot_then_reset_then_sign_in(sample_db: Database, settings, smtp):
    mail_on = worker_settings(settings, smtp_url=smtp.url)
    async with app_client(mail_on) as http:
        # given the member asks for a link (the page says the same for any address)
        page = await http.get("/password/forgot")
        assert page.status_code == 200 and "Mot de passe oublié" in page.text
        sent = await submit(http, "/password/forgot", {"email": MEMBER[0]})
        assert sent.status_code == 200 and "est en route" in sent.text
        worker = new_worker(sample_db.sessionmaker, mail_on)
        await worker.drain()
        await worker.close()
        [mail] = smtp.mailbox.messages
        link = next(w for w in plain(mail).split() if "/password/reset?token=" in w)
        path = link.removeprefix(settings.public_url)
        # when they choose a too short password, then a new one
        form = await http.get(path)
        assert form.status_code == 200
        short = await http.post(path, data={"csrf": csrf_of(form.text), "password": "short"})
        assert short.status_code == 400 and "au moins 10 caractères" in short.text
        done = await http.post(
            path, data={"csrf": csrf_of(form.text), "password": "new-pass-2026!"}
        )
        assert done.status_code == 200 and "Votre mot de passe est modifié" in done.text
        # then the link is spent, and the new password signs in
        again = await http.get(path)
        assert again.status_code == 400 and "plus valide" in again.text
        await sign_in(http, (MEMBER[0], "new-pass-2026!"))


async def test_without_smtp_the_page_says_so(sample_db: Database, settings):
    async with app_client(settings) as http:
        page = await http.get("/password/forgot", headers={"accept-language": "en"})
    assert "E-mail is not set up" in page.text


async def test_a_forged_link_is_a_clear_400(sample_db: Database, settings):
    async with app_client(settings) as http:
        page = await http.get("/password/reset?token=forged")
        posted = await http.post("/password/reset?token=forged", data={"password": "x" * 12})
    assert page.status_code == 400 and posted.status_code == 400
