"""fairScheduleUpdated over graphql-transport-ws: the current version first, then the update
after publishSchedule (PostgreSQL: LISTEN/NOTIFY; SQLite: the per-fair version poll)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from starlette.testclient import TestClient

from accr_graph.app import create_app
from accr_graph.settings import Settings
from tests.conftest import STAFF_EMAIL, Database, issue_token
from tests.fair.helpers import PUBLISH, SCHEDULE, SLUGS, accept, ask, create_fair, ok, register

SUBSCRIBE = (
    "subscription ($f: ID!) { fairScheduleUpdated(fairId: $f) {"
    " fairId scheduleVersion publishedAt } }"
)


@pytest_asyncio.fixture(loop_scope="session")
async def scheduled_fair(
    sample_db: Database, staff_client: httpx.AsyncClient
) -> AsyncIterator[tuple[str, str]]:
    """A scheduled, not yet published fair, and a staff token."""
    fair_id = (await create_fair(staff_client))["id"]
    for slug in SLUGS[:2]:
        await register(staff_client, fair_id, slug)
    await accept(staff_client, (await ask(staff_client, fair_id, SLUGS[0], SLUGS[1]))["id"])
    await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_id})
    yield fair_id, await issue_token(sample_db, STAFF_EMAIL)


def _next(ws: Any) -> dict[str, Any]:
    message: dict[str, Any] = ws.receive_json()
    assert message["type"] == "next", message
    update: dict[str, Any] = message["payload"]["data"]["fairScheduleUpdated"]
    return update


def test_subscriber_hears_publish(scheduled_fair: tuple[str, str], settings: Settings) -> None:
    fair_id, token = scheduled_fair
    with (
        TestClient(create_app(settings)) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        # given a subscriber that got the current version
        ws.send_json({"type": "connection_init", "payload": {}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"f": fair_id}},
            }
        )
        first = _next(ws)
        assert first == {"fairId": fair_id, "scheduleVersion": 0, "publishedAt": None}
        # when staff publish the schedule (through HTTP, another code path than the socket)
        response = http.post(
            "/graphql",
            json={"query": PUBLISH, "variables": {"input": {"fairId": fair_id}}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.json()["data"]["publishSchedule"]["__typename"] == "FairSuccess"
        # then the subscriber is told
        second = _next(ws)
        assert second["scheduleVersion"] == 1 and second["publishedAt"]
        ws.send_json({"id": "1", "type": "complete"})


def test_unknown_fair_is_an_error(scheduled_fair: tuple[str, str], settings: Settings) -> None:
    with (
        TestClient(create_app(settings)) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        query = {"query": SUBSCRIBE, "variables": {"f": "RmFpcjo5OTk5"}}  # Fair:9999
        ws.send_json({"id": "2", "type": "subscribe", "payload": query})
        message = ws.receive_json()
        assert message["type"] in ("error", "next"), message
        assert "No such fair" in str(message["payload"])


def test_queries_and_mutations_are_refused_over_websockets(settings: Settings) -> None:
    with (
        TestClient(create_app(settings)) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json(
            {"id": "3", "type": "subscribe", "payload": {"query": "{ themes { totalCount } }"}}
        )
        message = ws.receive_json()
        assert message["type"] == "error"
        assert "Only subscriptions are accepted over WebSockets" in str(message["payload"])


def test_websocket_from_another_site_is_refused(settings: Settings) -> None:
    from starlette.websockets import WebSocketDisconnect

    with TestClient(create_app(settings)) as http:
        try:
            with http.websocket_connect(
                "/graphql",
                subprotocols=["graphql-transport-ws"],
                headers={"origin": "https://evil.example.org"},
            ) as ws:
                ws.receive_json()
        except WebSocketDisconnect as closed:
            assert closed.code == 1008
        else:
            raise AssertionError("a cross-site WebSocket was accepted")


def test_websocket_from_this_site_is_accepted(settings: Settings) -> None:
    with (
        TestClient(create_app(settings)) as http,
        http.websocket_connect(
            "/graphql",
            subprotocols=["graphql-transport-ws"],
            headers={"origin": "http://testserver"},
        ) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
