"""/account (name, language, password, tokens), /inbox, and the CLI's `tokens list/revoke`."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from accr_graph import cli
from tests.api.helpers import gql
from tests.test_cli import db_file, migrated  # noqa: F401  (fixtures)
from tests.web.helpers import MEMBER, STAFF, sign_in, submit


async def test_account_needs_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/account")
    assert response.status_code == 303 and "/login?next=%2Faccount" in response.headers["location"]
    assert (await client.post("/account/name", data={"display_name": "x"})).status_code == 303


async def test_name_and_language(client: httpx.AsyncClient) -> None:
    await sign_in(client, MEMBER)
    assert (
        await submit(client, "/account/name", {"display_name": "Marie <D>"}, "/account")
    ).status_code == 303
    page = await client.get("/account")
    assert "Marie &lt;D&gt;" in page.text
    empty = await submit(client, "/account/name", {"display_name": "  "}, "/account")
    assert empty.status_code == 400 and "ne doit pas être vide" in empty.text
    assert (
        await submit(client, "/account/language", {"language": "en"}, "/account")
    ).status_code == 303
    english = await client.get("/account", headers={"accept-language": "fr"})
    assert '<html lang="en">' in english.text and "Your account" in english.text


async def test_password_change_keeps_this_browser_only(
    client: httpx.AsyncClient, settings: object
) -> None:
    await sign_in(client, MEMBER)
    wrong = await submit(
        client,
        "/account/password",
        {
            "current_password": "nope",
            "new_password": "a-new-password-1",
            "confirm_password": "a-new-password-1",
        },
        "/account",
    )
    assert wrong.status_code == 400 and 'aria-invalid="true"' in wrong.text
    differ = await submit(
        client,
        "/account/password",
        {
            "current_password": MEMBER[1],
            "new_password": "a-new-password-1",
            "confirm_password": "other-password",
        },
        "/account",
    )
    assert differ.status_code == 400
    done = await submit(
        client,
        "/account/password",
        {
            "current_password": MEMBER[1],
            "new_password": "a-new-password-1",
            "confirm_password": "a-new-password-1",
        },
        "/account",
    )
    assert done.status_code == 303
    assert (await client.get("/account")).status_code == 200  # still signed in here
    assert (await gql(client, "{ me { email } }"))["me"]["email"] == MEMBER[0]


async def test_tokens_shown_once_and_revoked(client: httpx.AsyncClient) -> None:
    await sign_in(client, MEMBER)
    created = await submit(
        client, "/account/token", {"token_name": "site web", "scopes": ["read"]}, "/account"
    )
    assert created.status_code == 200
    secret = re.search(r'<code class="secret">([^<]+)</code>', created.text)
    assert secret
    async with httpx.AsyncClient(transport=client._transport, base_url="http://testserver") as tool:  # type: ignore[attr-defined]
        me = await tool.post(
            "/graphql",
            json={"query": "{ me { email } }"},
            headers={"Authorization": f"Bearer {secret.group(1)}"},
        )
        assert me.json()["data"]["me"]["email"] == MEMBER[0]
    listing = await client.get("/account")
    assert secret.group(1) not in listing.text and "site web" in listing.text
    token_id = re.search(r'name="token" value="(\d+)"', listing.text)
    assert token_id
    too_much = await submit(
        client, "/account/token", {"token_name": "x", "scopes": ["admin"]}, "/account"
    )
    assert too_much.status_code == 400
    revoked = await submit(client, "/account/revoke", {"token": token_id.group(1)}, "/account")
    assert revoked.status_code == 303
    await sign_in(client, STAFF)
    other = await submit(client, "/account/revoke", {"token": "999999"}, "/account")
    assert other.status_code == 400


async def test_inbox_lists_pending_interests(client: httpx.AsyncClient) -> None:
    await sign_in(client, MEMBER)
    page = await client.get("/inbox", headers={"accept-language": "en"})
    assert page.status_code == 200 and "Interests in your proposals" in page.text
    # the header counts unread notifications (tests/web/test_inbox_notifications.py); none yet
    assert "No notification yet." in page.text and 'class="badge"' not in page.text


def test_cli_lists_and_revokes_tokens(
    migrated: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["load-sample"]) == 0
    assert cli.main(["tokens", "create", "--user", "staff@accr.example.org", "--name", "ci"]) == 0
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert cli.main(["tokens", "list", "--user", "staff@accr.example.org"]) == 0
    listing = capsys.readouterr().out
    assert "ci" in listing and "active" in listing and secret not in listing
    token_id = listing.splitlines()[1].split()[0]
    assert cli.main(["tokens", "revoke", token_id]) == 0
    assert cli.main(["tokens", "list"]) == 0 and "revoked" in capsys.readouterr().out
    assert cli.main(["tokens", "revoke", "999999"]) == 1
