"""Identities: log-in (mutation and form), sessions, API tokens, visibility, audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlalchemy import select, text

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from tests.api.helpers import gql
from tests.conftest import STAFF_EMAIL, Database, Settings, app_client, issue_token

MEMBER = "lea.schneider@kloster-lindenau.example.org"
LOGIN = """
mutation ($e: String!, $p: String!) {
  login(input: {email: $e, password: $p}) {
    __typename
    ... on LoginSuccess { user { email role centre { slug } } }
    ... on AuthenticationFailed { message }
  }
}
"""
ME = "{ me { email role centre { slug } } }"
CREATE_TOKEN = """
mutation ($i: CreateApiTokenInput!) {
  createApiToken(input: $i) {
    __typename
    ... on ApiTokenCreated { secret token { id name scopes prefix } }
    ... on ValidationError { field message }
    ... on PermissionDenied { message }
  }
}
"""
REVOKE = "mutation ($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }"
DRAFTS = "{ proposals(first: 100, filter: {status: [DRAFT]}) { totalCount } }"
NESTED_DRAFTS = "{ centres(first: 100) { nodes { proposals(first: 100) { nodes { status } } } } }"
CONTACTS = '{ centre(slug: "kloster-lindenau") { contactEmail contactPhone } }'
AUDIT = "{ auditLog(first: 10) { totalCount nodes { action objectType changedFields user { email } } } }"


async def _login(client: httpx.AsyncClient, email: str, password: str) -> dict:
    data = await gql(client, LOGIN, e=email, p=password)
    return data["login"]


async def test_login_sets_a_hardened_session_cookie(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"e": MEMBER, "p": "demo-member-2026"}}
    )
    assert response.json()["data"]["login"]["user"]["centre"] == {"slug": "kloster-lindenau"}
    cookie = response.headers["set-cookie"]
    assert "accr_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    me = await gql(client, ME)
    assert me["me"]["email"] == MEMBER


async def test_wrong_password_and_unknown_account_get_the_same_message(
    client: httpx.AsyncClient,
) -> None:
    wrong = await _login(client, MEMBER, "nope-nope-nope")
    unknown = await _login(client, "nobody@example.org", "nope-nope-nope")
    assert (
        wrong
        == unknown
        == {"__typename": "AuthenticationFailed", "message": "Wrong e-mail or password."}
    )
    assert (await gql(client, ME))["me"] is None


async def test_repeated_failures_are_counted_per_account_and_address(
    client: httpx.AsyncClient, sample_db: Database
) -> None:
    for _ in range(3):
        await _login(client, MEMBER, "wrong-password-1")
    async with sample_db.sessionmaker() as session:
        rows = dict(
            (await session.execute(select(m.AuthThrottle.key, m.AuthThrottle.failures))).all()
        )
    assert rows[f"email:{MEMBER}"] == 3
    assert any(k.startswith("addr:") and v == 3 for k, v in rows.items())
    assert (await _login(client, MEMBER, "demo-member-2026"))["__typename"] == "LoginSuccess"
    async with sample_db.sessionmaker() as session:
        assert await session.get(m.AuthThrottle, f"email:{MEMBER}") is None  # reset on success


async def test_logout_ends_the_session(client: httpx.AsyncClient) -> None:
    await _login(client, MEMBER, "demo-member-2026")
    stolen = dict(client.cookies)
    await gql(client, "mutation { logout { ok } }")
    assert (await gql(client, ME))["me"] is None
    client.cookies.update(stolen)  # replaying the old cookie does not work either
    assert (await gql(client, ME))["me"] is None


async def test_login_form_with_csrf_token(client: httpx.AsyncClient) -> None:
    page = await client.get("/login?next=/map")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf and 'value="/map"' in page.text
    form = {
        "csrf": csrf.group(1),
        "next": "/map",
        "email": STAFF_EMAIL,
        "password": "demo-staff-2026",
    }
    response = await client.post("/login", data=form)
    assert response.status_code == 303 and response.headers["location"] == "/map"
    assert (await gql(client, ME))["me"]["role"] == "STAFF"


async def test_login_form_without_csrf_is_refused(client: httpx.AsyncClient) -> None:
    form = {"email": STAFF_EMAIL, "password": "demo-staff-2026"}
    response = await client.post("/login", data=form)
    assert response.status_code == 400
    assert (await gql(client, ME))["me"] is None


async def test_login_form_does_not_redirect_off_site(client: httpx.AsyncClient) -> None:
    page = await client.get("/login?next=//evil.example.org/x")
    assert "evil" not in page.text


async def test_cookie_cannot_drive_graphql_from_a_plain_form(client: httpx.AsyncClient) -> None:
    await _login(client, MEMBER, "demo-member-2026")
    body = "query=mutation { logout { ok } }"
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 415
    assert (await gql(client, ME))["me"] is not None


async def test_token_lifecycle(sample_db: Database, settings: Settings) -> None:
    async with app_client(settings) as browser:
        await _login(browser, MEMBER, "demo-member-2026")
        created = (await gql(browser, CREATE_TOKEN, i={"name": "site", "scopes": ["read"]}))[
            "createApiToken"
        ]
        secret = created["secret"]
        denied = await gql(browser, CREATE_TOKEN, i={"name": "x", "scopes": ["admin"]})
        assert denied["createApiToken"]["__typename"] == "PermissionDenied"
    async with sample_db.sessionmaker() as session:
        stored = (await session.scalars(select(m.ApiToken).where(m.ApiToken.name == "site"))).one()
        dump = " ".join(
            str(v) for v in (await session.execute(text("SELECT * FROM api_tokens"))).all()
        )
    assert secret not in dump and stored.secret_hash != secret and secret.startswith(stored.prefix)
    async with app_client(settings, secret) as tool:
        assert (await gql(tool, ME))["me"]["email"] == MEMBER
        own = (await gql(tool, '{ centre(slug: "kloster-lindenau") { id } }'))["centre"]["id"]
        write = await tool.post(
            "/graphql",
            json={
                "query": 'mutation ($c: ID!) { updateCentreProfile(input: {centreId: $c, city: "y"}) { __typename } }',
                "variables": {"c": own},
            },
        )
        # A read-only token acts as its user narrowed to `read`: the write is refused.
        assert write.json()["data"]["updateCentreProfile"]["__typename"] == "PermissionDenied"
        revoked = await gql(tool, REVOKE, id=created["token"]["id"])
        assert revoked["revokeApiToken"]["__typename"] == "ApiTokenSuccess"
        after = await tool.post("/graphql", json={"query": ME})
        assert after.status_code == 401 and "revoked" in after.json()["errors"][0]["message"]


async def test_read_scope_token_cannot_write(sample_db: Database, settings: Settings) -> None:
    token = await issue_token(sample_db, MEMBER, ("read",))
    async with app_client(settings, token) as tool:
        answer = await gql(
            tool,
            "mutation ($i: CreateProposalInput!) { createProposal(input: $i) { __typename ... on PermissionDenied { message } } }",
            i={"title": [{"lang": "en", "text": "x"}]},
        )
    assert answer["createProposal"]["message"] == "This API token lacks the 'write' scope."


async def test_token_without_read_scope_cannot_query(
    sample_db: Database, settings: Settings
) -> None:
    token = await issue_token(sample_db, MEMBER, ("write",))
    async with app_client(settings, token) as tool:
        response = await tool.post("/graphql", json={"query": "{ themes { totalCount } }"})
    assert response.status_code == 403 and "'read' scope" in response.json()["errors"][0]["message"]


async def test_expired_and_unknown_tokens_are_refused(
    sample_db: Database, settings: Settings
) -> None:
    token = await issue_token(sample_db, MEMBER)
    async with sample_db.sessionmaker.begin() as session:
        row = (await session.scalars(select(m.ApiToken))).first()
        assert row is not None
        row.expires_at = utcnow() - timedelta(minutes=1)
    for secret in (token, "accr_not-a-token"):
        async with app_client(settings, secret) as tool:
            response = await tool.post("/graphql", json={"query": ME})
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_token_use_is_recorded(sample_db: Database, settings: Settings) -> None:
    token = await issue_token(sample_db, MEMBER)
    async with app_client(settings, token) as tool:
        await gql(tool, ME)
    async with sample_db.sessionmaker() as session:
        used = await session.scalar(select(m.ApiToken.last_used_at))
    assert used is not None


async def test_drafts_and_contacts_do_not_leak_to_anonymous_callers(
    client: httpx.AsyncClient, staff_client: httpx.AsyncClient
) -> None:
    assert (await gql(client, DRAFTS))["proposals"]["totalCount"] == 0
    assert (await gql(staff_client, DRAFTS))["proposals"]["totalCount"] == 3
    nested = await gql(client, NESTED_DRAFTS)
    statuses = {p["status"] for c in nested["centres"]["nodes"] for p in c["proposals"]["nodes"]}
    assert "DRAFT" not in statuses and statuses
    assert (await gql(client, CONTACTS))["centre"] == {"contactEmail": None, "contactPhone": None}
    assert (await gql(staff_client, CONTACTS))["centre"]["contactEmail"]


async def test_member_sees_own_drafts_only(sample_db: Database, settings: Settings) -> None:
    token = await issue_token(sample_db, "ioana.muresan@cetatea-vulturilor.example.org")
    async with app_client(settings, token) as member:
        data = await gql(
            member,
            "{ proposals(first: 100, filter: {status: [DRAFT]}) { nodes { owner { slug } } } }",
        )
    assert {n["owner"]["slug"] for n in data["proposals"]["nodes"]} <= {"cetatea-vulturilor"}


async def test_audit_log_records_mutations_for_staff_only(
    client: httpx.AsyncClient, staff_client: httpx.AsyncClient
) -> None:
    ident = (await gql(staff_client, '{ centre(slug: "kloster-lindenau") { id } }'))["centre"]["id"]
    await gql(
        staff_client,
        "mutation ($i: UpdateCentreProfileInput!) { updateCentreProfile(input: $i) { __typename } }",
        i={"centreId": ident, "city": "Halle", "website": "https://example.org"},
    )
    entries = (await gql(staff_client, AUDIT))["auditLog"]
    assert entries["totalCount"] == 1
    assert entries["nodes"][0] == {
        "action": "updateCentreProfile",
        "objectType": "Centre",
        "changedFields": ["city", "website"],
        "user": {"email": STAFF_EMAIL},
    }
    anonymous = await client.post("/graphql", json={"query": AUDIT})
    assert "Only ACCR staff" in anonymous.json()["errors"][0]["message"]


async def test_audit_log_cannot_be_edited_through_the_api() -> None:
    from schema.schema import schema

    mutations = schema._schema.mutation_type
    assert mutations is not None
    assert not [name for name in mutations.fields if "audit" in name.lower()]


async def test_network_analytics_are_for_staff(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ network { clusters { modularity } } }"}
    )
    body = response.json()
    assert body["data"]["network"] is None and "Only ACCR staff" in body["errors"][0]["message"]
