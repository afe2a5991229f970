"""Edge inputs found in review: each is a clear error, never a 500."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest

from accr_graph.settings import Settings
from accr_graph.web.auth import signing_key
from tests.api.helpers import centre_id, gql
from tests.conftest import Database, app_client, issue_token

GRAPHQL_JSON = "application/graphql-response+json"
PROFILE = "mutation ($i: UpdateCentreProfileInput!) { updateCentreProfile(input: $i) { __typename ... on ValidationError { field message } } }"


def _id(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize("key", ["99999999999999999999", "3000000000", "0"])
async def test_global_ids_beyond_any_key_are_unknown(client: httpx.AsyncClient, key: str) -> None:
    data = await gql(
        client,
        "query ($n: ID!) { node(id: $n) { id } }",
        n=_id(f"Centre:{key}"),
    )
    assert data == {"node": None}
    response = await client.post(
        "/graphql", json={"query": f'{{ proposal(id: "{_id(f"Proposal:{key}")}") {{ id }} }}'}
    )
    assert "not a valid Proposal ID" in response.json()["errors"][0]["message"]


async def test_nul_characters_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "query ($s: String!) { centres(filter: {search: $s}) { totalCount } }",
            "variables": {"s": "a\u0000b"},
        },
    )
    assert response.status_code == 400 and "NUL" in response.json()["errors"][0]["message"]


async def test_website_must_be_http(staff_client: httpx.AsyncClient) -> None:
    ident = await centre_id(staff_client, "kloster-lindenau")
    bad = await gql(staff_client, PROFILE, i={"centreId": ident, "website": "javascript:alert(1)"})
    assert bad["updateCentreProfile"] == {
        "__typename": "ValidationError",
        "field": "website",
        "message": "must be an http:// or https:// address",
    }
    good = await gql(
        staff_client, PROFILE, i={"centreId": ident, "website": "https://example.org/"}
    )
    assert good["updateCentreProfile"]["__typename"] == "CentreSuccess"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{ centres(filter: {theme: ["nope"]}) { totalCount } }', "unknown theme slug(s) nope"),
        (
            '{ centres(filter: {offers: ["nope"]}) { totalCount } }',
            "unknown competency slug(s) nope",
        ),
        (
            '{ proposals(filter: {seeks: ["nope"]}) { totalCount } }',
            "unknown competency slug(s) nope",
        ),
        (
            '{ partnerships(filter: {theme: ["nope"]}) { totalCount } }',
            "unknown theme slug(s) nope",
        ),
    ],
)
async def test_unknown_slugs_in_filters_are_errors(
    client: httpx.AsyncClient, query: str, message: str
) -> None:
    response = await client.post("/graphql", json={"query": query})
    assert message in response.json()["errors"][0]["message"]


async def test_a_long_login_email_is_just_a_failed_login(client: httpx.AsyncClient) -> None:
    email = "x" * 450 + "@example.org"
    data = await gql(
        client,
        'mutation ($e: String!) { login(input: {email: $e, password: "whatever-pass"}) { __typename } }',
        e=email,
    )
    assert data["login"]["__typename"] == "AuthenticationFailed"


async def test_out_of_range_numbers_in_page_urls(staff_client: httpx.AsyncClient) -> None:
    export = await staff_client.get("/export/network.json", params={"yearFrom": "9" * 30})
    assert export.status_code == 400 and "out of range" in export.text
    agenda = await staff_client.get(f"/fairs/{'9' * 30}/agenda/kloster-lindenau.ics")
    assert agenda.status_code == 404


async def test_workers_share_a_local_signing_key(tmp_path: Path) -> None:
    settings = Settings(
        secret_key="", secret_key_file=str(tmp_path / "key"), environment="development"
    )
    first, second = signing_key(settings), signing_key(settings)
    assert first == second and len(first) >= 32
    with pytest.raises(RuntimeError, match="ACCR_SECRET_KEY must be set in production"):
        signing_key(settings.model_copy(update={"environment": "production"}))


async def test_another_centres_draft_does_not_exist_for_interest(
    sample_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    # given a draft of Kloster Lindenau
    created = await gql(
        staff_client,
        "mutation ($i: CreateProposalInput!) { createProposal(input: $i) { ... on ProposalSuccess { proposal { id } } } }",
        i={
            "ownerId": await centre_id(staff_client, "kloster-lindenau"),
            "title": [{"lang": "en", "text": "Secret"}],
        },
    )
    draft = created["createProposal"]["proposal"]["id"]
    # when a member of another centre expresses interest in it: no such proposal
    token = await issue_token(sample_db, "giulia.bassi@castello-di-valmora.example.org")
    async with app_client(settings, token) as member:
        answer = await gql(
            member,
            "mutation ($p: ID!) { expressInterest(input: {proposalId: $p}) { __typename } }",
            p=draft,
        )
    assert answer["expressInterest"]["__typename"] == "NotFound"


async def test_token_expiry_without_or_with_another_time_zone(client: httpx.AsyncClient) -> None:
    await gql(
        client,
        'mutation { login(input: {email: "staff@accr.example.org", password: "demo-staff-2026"}) { __typename } }',
    )
    create = 'mutation ($e: DateTime!) { createApiToken(input: {name: "t", scopes: ["read"], expiresAt: $e}) { __typename ... on ApiTokenCreated { token { expiresAt } } ... on ValidationError { field } } }'
    naive = await gql(client, create, e="2030-01-01T00:00:00")
    assert naive["createApiToken"]["token"]["expiresAt"].startswith("2030-01-01T00:00:00")
    shifted = await gql(client, create, e="2030-01-01T00:00:00+05:00")
    assert shifted["createApiToken"]["token"]["expiresAt"].startswith("2029-12-31T19:00:00")
    past = await gql(client, create, e="2001-01-01T00:00:00Z")
    assert past["createApiToken"] == {"__typename": "ValidationError", "field": "expiresAt"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Europe"}, "timezone"),
        ({"timezone": "x" * 300}, "timezone"),
        ("far", "days[0].date"),
    ],
)
async def test_fair_inputs_that_used_to_crash(
    staff_client: httpx.AsyncClient, change: object, field: str
) -> None:
    from tests.fair.helpers import CREATE_FAIR, fair_input

    spec = fair_input(await centre_id(staff_client, "kloster-lindenau"))
    if change == "far":
        spec["days"][0] |= {
            "date": "9999-12-31",
            "start": "23:00:00",
            "slotMinutes": 240,
            "slots": 40,
        }
    else:
        spec |= change  # type: ignore[arg-type]
    answer = await gql(staff_client, CREATE_FAIR, input=spec)
    assert answer["createFair"]["__typename"] == "ValidationError"
    assert answer["createFair"]["field"] == field


async def test_node_finds_accounts_with_the_same_visibility(
    sample_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    me = await gql(staff_client, "{ me { id } apiTokens { nodes { id } } }")
    user_id, token_id = me["me"]["id"], me["apiTokens"]["nodes"][0]["id"]
    query = "query ($u: ID!, $t: ID!) { u: node(id: $u) { id } t: node(id: $t) { id } }"
    assert await gql(staff_client, query, u=user_id, t=token_id) == {
        "u": {"id": user_id},
        "t": {"id": token_id},
    }
    member = await issue_token(sample_db, "lea.schneider@kloster-lindenau.example.org")
    async with app_client(settings, member) as other:
        assert await gql(other, query, u=user_id, t=token_id) == {"u": None, "t": None}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            '{ network { graph(filter: {country: "ZZ"}) { nodes { clusterId } } } }',
            "unknown country code ZZ",
        ),
        (
            '{ network { graph(filter: {theme: "nope"}) { nodes { clusterId } } } }',
            "unknown theme slug(s) nope",
        ),
        (
            "{ network { graph(filter: {cluster: -1}) { nodes { clusterId } } } }",
            "`cluster` must not be negative",
        ),
        (
            "{ network { metrics { brokers(first: -3) { slug } } } }",
            "`first` must be between 1 and 100",
        ),
        (
            "{ proposals(first: 1) { nodes { suggestedConsortium(size: 0) { countries } } } }",
            "`size` must be between 1 and 50",
        ),
        (
            "{ proposals(first: 1) { nodes { suggestedConsortium(minCountries: 99999) { countries } } } }",
            "`minCountries` must be between 1 and 50",
        ),
    ],
)
async def test_network_arguments_are_checked(
    staff_client: httpx.AsyncClient, query: str, message: str
) -> None:
    response = await staff_client.post("/graphql", json={"query": query})
    assert message in response.json()["errors"][0]["message"]
