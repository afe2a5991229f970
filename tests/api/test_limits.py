"""API limits (cost, budget), CORS, and production error masking."""

from __future__ import annotations

import logging

import httpx
import pytest

from accr_graph.repositories import catalogue
from tests.conftest import Database, Settings, app_client

GRAPHQL_JSON = "application/graphql-response+json"
BIG = "{ centres(first: 100) { nodes { partners(first: 100) { nodes { centre { slug name themes { slug } } } } } } }"
SMALL = "{ themes(first: 10) { nodes { slug } } }"  # cost 1 + 10 * (1 + 1) = 21


async def test_query_cost_above_the_maximum_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": BIG}, headers={"accept": GRAPHQL_JSON})
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert "max_query_cost" in message and "above the limit of 100000" in message


async def test_cost_counts_variables_and_fragments(client: httpx.AsyncClient) -> None:
    query = "query ($n: Int) { centres(first: $n) { nodes { ...P } } } fragment P on Centre { partners(first: 100) { nodes { centre { slug name themes { slug } } } } }"
    response = await client.post(
        "/graphql", json={"query": query, "variables": {"n": 100}}, headers={"accept": GRAPHQL_JSON}
    )
    assert (
        response.status_code == 400 and "max_query_cost" in response.json()["errors"][0]["message"]
    )


async def test_cost_budget_answers_429_with_retry_after(
    sample_db: Database, settings: Settings
) -> None:
    tight = settings.model_copy(update={"cost_budget_per_minute": 50})
    async with app_client(tight) as http:
        first = await http.post("/graphql", json={"query": SMALL})
        second = await http.post("/graphql", json={"query": SMALL})
        third = await http.post("/graphql", json={"query": SMALL})
    assert first.status_code == 200 and second.status_code == 200
    assert third.status_code == 429
    retry = int(third.headers["retry-after"])
    assert 1 <= retry <= 60
    assert "cost_budget_per_minute" in third.json()["errors"][0]["message"]


async def test_budget_is_per_token(sample_db: Database, settings: Settings) -> None:
    from tests.conftest import STAFF_EMAIL, issue_token

    tight = settings.model_copy(update={"cost_budget_per_minute": 30})
    token = await issue_token(sample_db, STAFF_EMAIL)
    async with app_client(tight) as anonymous, app_client(tight, token) as tool:
        assert (await anonymous.post("/graphql", json={"query": SMALL})).status_code == 200
        assert (await anonymous.post("/graphql", json={"query": SMALL})).status_code == 429
        assert (await tool.post("/graphql", json={"query": SMALL})).status_code == 200


async def test_no_cors_headers_by_default(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/graphql",
        headers={"origin": "https://evil.example.org", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers


async def test_cors_for_configured_origins(sample_db: Database, settings: Settings) -> None:
    open_to = settings.model_copy(update={"cors_origins": ["https://accr.example.org"]})
    async with app_client(open_to) as http:
        allowed = await http.options(
            "/graphql",
            headers={"origin": "https://accr.example.org", "access-control-request-method": "POST"},
        )
        other = await http.options(
            "/graphql",
            headers={"origin": "https://evil.example.org", "access-control-request-method": "POST"},
        )
    assert allowed.headers["access-control-allow-origin"] == "https://accr.example.org"
    assert other.headers.get("access-control-allow-origin") != "https://evil.example.org"


async def test_unexpected_errors_are_masked_with_a_request_id(
    sample_db: Database,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalogue, "themes", broken)
    production = settings.model_copy(update={"environment": "production"})
    with caplog.at_level(logging.ERROR, logger="accr_graph.graphql"):
        async with app_client(production) as http:
            response = await http.post("/graphql", json={"query": SMALL})
    message = response.json()["errors"][0]["message"]
    assert "secret internals" not in message and "Internal server error (request id" in message
    request_id = message.split("request id ")[1].rstrip(").")
    assert any(request_id in r.getMessage() and r.exc_info for r in caplog.records)


async def test_fragments_that_double_at_each_level_are_measured_once(
    client: httpx.AsyncClient,
) -> None:
    # 2^30 expansions if each spread were walked again: this request would never come back.
    levels = 30
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    query = (
        f"query {{ ...F0 }} {fragments} fragment F{levels} on Query {{ themes {{ totalCount }} }}"
    )
    response = await client.post(
        "/graphql", json={"query": query}, headers={"accept": GRAPHQL_JSON}
    )
    assert response.status_code == 400
    assert "max_query_cost" in response.json()["errors"][0]["message"]
