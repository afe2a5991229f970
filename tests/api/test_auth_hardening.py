"""Cases found in review: the response cache never crosses users or scopes, tokens cannot mint
tokens, revocation needs the right scope, logout works from the browser, password reset ends
sessions, and log-in failures hold no database connection while they wait."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.services import auth
from accr_graph.services.uow import Actor
from tests.api.helpers import gql
from tests.conftest import STAFF_EMAIL, Database, Settings, app_client, issue_token

ADMIN = "admin@accr.example.org"
ME = "{ me { email } apiTokens(all: true) { totalCount } }"
AUDIT = "{ auditLog { totalCount } }"
CREATE = """mutation ($i: CreateApiTokenInput!) { createApiToken(input: $i) {
  __typename ... on ApiTokenCreated { token { id } } ... on PermissionDenied { message } } }"""
REVOKE = "mutation ($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }"


async def test_cached_answers_never_cross_users_or_scopes(
    sample_db: Database, settings: Settings
) -> None:
    cached = settings.model_copy(update={"response_cache": True})
    staff = await issue_token(sample_db, STAFF_EMAIL)
    admin = await issue_token(sample_db, ADMIN)
    read_only = await issue_token(sample_db, STAFF_EMAIL, ("read",))
    async with app_client(cached) as http:
        as_staff = await http.post(
            "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {staff}"}
        )
        as_admin = await http.post(
            "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {admin}"}
        )
        assert as_staff.json()["data"]["me"]["email"] == STAFF_EMAIL
        assert as_admin.json()["data"]["me"]["email"] == ADMIN
        full = await http.post(
            "/graphql", json={"query": AUDIT}, headers={"Authorization": f"Bearer {staff}"}
        )
        assert "errors" not in full.json()
        narrow = await http.post(
            "/graphql", json={"query": AUDIT}, headers={"Authorization": f"Bearer {read_only}"}
        )
        assert narrow.json()["data"] is None or narrow.json()["data"]["auditLog"] is None
        assert "admin" in narrow.json()["errors"][0]["message"]


async def test_new_tokens_show_up_at_once_despite_the_cache(
    sample_db: Database, settings: Settings
) -> None:
    cached = settings.model_copy(update={"response_cache": True})
    async with app_client(cached) as browser:
        await gql(
            browser,
            'mutation { login(input: {email: "staff@accr.example.org", password: "demo-staff-2026"}) { __typename } }',
        )
        before = (await gql(browser, ME))["apiTokens"]["totalCount"]
        await gql(browser, CREATE, i={"name": "x", "scopes": ["read"]})
        assert (await gql(browser, ME))["apiTokens"]["totalCount"] == before + 1


async def test_a_token_cannot_mint_tokens_without_admin(
    sample_db: Database, settings: Settings
) -> None:
    for scopes in (("read",), ("read", "write")):
        token = await issue_token(sample_db, STAFF_EMAIL, scopes)
        async with app_client(settings, token) as tool:
            answer = await gql(tool, CREATE, i={"name": "child", "scopes": ["read"]})
        assert answer["createApiToken"]["__typename"] == "PermissionDenied"


async def test_revoking_someone_elses_token_needs_admin(
    sample_db: Database, settings: Settings
) -> None:
    await issue_token(sample_db, ADMIN)
    async with sample_db.sessionmaker() as session:
        victim = await session.scalar(select(m.ApiToken.id))
    from schema.relay import to_global_id

    victim_id = to_global_id("ApiToken", victim)
    for scopes, expected in (
        (("read", "write"), "PermissionDenied"),
        (("read", "write", "admin"), "ApiTokenSuccess"),
    ):
        token = await issue_token(sample_db, STAFF_EMAIL, scopes)
        async with app_client(settings, token) as tool:
            answer = await gql(tool, REVOKE, id=victim_id)
        assert answer["revokeApiToken"]["__typename"] == expected


async def test_logout_from_the_browser(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    form = {
        "csrf": csrf.group(1),
        "next": "/map",
        "email": STAFF_EMAIL,
        "password": "demo-staff-2026",
    }
    assert (await client.post("/login", data=form)).status_code == 303
    confirm = await client.get("/logout")
    token = re.search(r'name="csrf" value="([^"]+)"', confirm.text)
    assert token and confirm.status_code == 200
    done = await client.post("/logout", data={"csrf": token.group(1)})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert (await gql(client, "{ me { email } }"))["me"] is None
    assert (await client.get("/static/site.css")).status_code == 200


async def test_a_new_password_ends_existing_sessions(
    client: httpx.AsyncClient, sample_db: Database
) -> None:
    await gql(
        client,
        'mutation { login(input: {email: "staff@accr.example.org", password: "demo-staff-2026"}) { __typename } }',
    )
    assert (await gql(client, "{ me { email } }"))["me"]["email"] == STAFF_EMAIL
    await auth.set_password(
        sample_db.sessionmaker, Actor.system(), STAFF_EMAIL, "a-brand-new-password"
    )
    assert (await gql(client, "{ me { email } }"))["me"] is None


async def test_failed_log_ins_wait_without_a_database_connection(
    sample_db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    held: list[int] = []
    real_sleep = asyncio.sleep

    async def watched_sleep(delay: float) -> None:
        held.append(engine.pool.checkedout())  # connections in use while a log-in waits
        await real_sleep(0)

    monkeypatch.setattr(auth.asyncio, "sleep", watched_sleep)
    async with app_client(settings) as http:
        engine = http.app.state.engine  # type: ignore[attr-defined]
        wrong = 'mutation { login(input: {email: "staff@accr.example.org", password: "nope-nope-nope"}) { __typename } }'
        for _ in range(7):  # past login_max_failures: the slow-down delay comes into play too
            body = (await http.post("/graphql", json={"query": wrong})).json()
            assert body["data"]["login"]["__typename"] == "AuthenticationFailed"
    assert len(held) >= 8 and set(held) == {0}
