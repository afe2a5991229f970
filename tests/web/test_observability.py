"""Request ids, JSON log lines and the Prometheus endpoint."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from accr_graph.logs import JsonFormatter
from tests.conftest import STAFF_EMAIL, Database, Settings, app_client, issue_token

QUERY = {"query": "query Themes { themes(first: 2) { nodes { slug } } }"}


async def test_request_id_is_kept_or_made_and_returned(client: httpx.AsyncClient) -> None:
    given = await client.post("/graphql", json=QUERY, headers={"x-request-id": "abc-123"})
    made = await client.post("/graphql", json=QUERY)
    forged = await client.post("/graphql", json=QUERY, headers={"x-request-id": "bad id\n"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 16
    assert forged.headers["x-request-id"] != "bad id\n"


async def test_masked_errors_name_the_request_id(
    sample_db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accr_graph.repositories import catalogue

    async def broken(*_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalogue, "themes", broken)
    production = settings.model_copy(update={"environment": "production"})
    async with app_client(production) as http:
        response = await http.post("/graphql", json=QUERY, headers={"x-request-id": "trace-42"})
    error = response.json()["errors"][0]
    assert "trace-42" in error["message"] and error["extensions"]["requestId"] == "trace-42"


async def test_one_json_line_per_request_without_secrets(
    sample_db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    token = await issue_token(sample_db, STAFF_EMAIL)
    with caplog.at_level(logging.INFO, logger="accr_graph.request"):
        async with app_client(settings, token) as http:
            await http.post("/graphql", json=QUERY, headers={"x-request-id": "line-1"})
    records = [r for r in caplog.records if r.name == "accr_graph.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "line-1" and line["status"] == 200
    assert line["operation"] == "Themes" and line["cost"] > 0 and line["user_id"] is not None
    assert line["duration_ms"] >= 0
    assert token not in json.dumps(line) and "themes(first" not in json.dumps(line)


async def test_metrics_need_the_token(sample_db: Database, settings: Settings) -> None:
    watched = settings.model_copy(update={"metrics_token": "scrape-me"})
    async with app_client(watched) as http:
        await http.post("/graphql", json=QUERY)
        anonymous = await http.get("/metrics")
        wrong = await http.get("/metrics", headers={"authorization": "Bearer nope"})
        scraped = await http.get("/metrics", headers={"authorization": "Bearer scrape-me"})
    assert anonymous.status_code == 404 and wrong.status_code == 404
    text = scraped.text
    assert scraped.status_code == 200
    for name in (
        'accr_http_request_duration_seconds_count{operation="Themes",route="/graphql",status="200"}',
        "accr_graphql_query_cost_count",
        "accr_db_pool_in_use",
        "accr_matching_index_builds_total",
        "accr_response_cache_hits_total",
        "accr_outbox_backlog",
    ):
        assert name in text, name


async def test_metrics_are_off_without_a_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/metrics")).status_code == 404
