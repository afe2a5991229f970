"""notificationAdded over graphql-transport-ws: a notification dispatched by the app's worker
reaches the subscriber (PostgreSQL: LISTEN/NOTIFY; SQLite: the poll)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
from sqlalchemy import select
from starlette.testclient import TestClient

from accr_graph.app import create_app
from accr_graph.db import models as m
from accr_graph.settings import Settings
from tests.conftest import Database, issue_token
from tests.notifications.helpers import emit

MEMBER = "marie.dubois@abbaye-de-saint-aurel.example.org"
SUBSCRIBE = 'subscription { notificationAdded { kind text(lang: "en") read } }'


@pytest_asyncio.fixture(loop_scope="session")
async def member(sample_db: Database) -> AsyncIterator[tuple[str, int]]:
    async with sample_db.sessionmaker() as session:
        user = await session.scalar(select(m.User).where(m.User.email == MEMBER))
    assert user is not None and user.centre_id is not None
    yield await issue_token(sample_db, MEMBER), user.centre_id


def _start(ws: Any) -> None:
    ws.send_json({"type": "connection_init", "payload": {}})
    assert ws.receive_json()["type"] == "connection_ack"
    ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})


def test_subscriber_hears_a_new_notification(member: tuple[str, int], settings: Settings) -> None:
    token, centre_id = member
    live = settings.model_copy(
        update={"deliver_in_process": True, "worker_idle_seconds": 0.1, "match_scan_hours": 0}
    )
    app = create_app(live)
    with (
        TestClient(app) as http,
        http.websocket_connect(
            "/graphql",
            subprotocols=["graphql-transport-ws"],
            headers={"Authorization": f"Bearer {token}"},
        ) as ws,
    ):
        # given a subscribed member
        _start(ws)
        http.get("/healthz")  # let the subscription register before the event
        # when an event about the member's centre is committed (the app's worker dispatches it)
        payload = {"fair": "Fair 2027"}
        http.portal.call(
            emit,
            app.state.sessionmaker,
            "fair.registration.opened",
            None,
            [centre_id],
            None,
            payload,
        )
        # then the subscriber gets it, in the language asked for
        message = ws.receive_json()
        assert message["type"] == "next", message
        added = message["payload"]["data"]["notificationAdded"]
        assert added == {
            "kind": "fair.registration.opened",
            "text": "Registration for Fair 2027 is open.",
            "read": False,
        }
        ws.send_json({"id": "1", "type": "complete"})


def test_anonymous_subscribers_are_refused(member: tuple[str, int], settings: Settings) -> None:
    with (
        TestClient(create_app(settings)) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        _start(ws)
        message = ws.receive_json()
        assert message["type"] == "error" or message["payload"].get("errors"), message
