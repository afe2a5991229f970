"""The inbox over GraphQL, and webhooks delivered to a real HTTP receiver on loopback that
verifies every request with the `standardwebhooks` package."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook as Verifier

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from tests.conftest import Database, app_client, issue_token
from tests.notifications.helpers import emit, interest_case, new_worker, worker_settings

INBOX = 'query { unreadNotificationCount me { notifications(first: 10) { totalCount edges { node { id kind text(lang: "en") read objectId } } } } }'
MARK = "mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { __typename ... on MarkNotificationsReadSuccess { marked unreadCount } ... on ValidationError { field } } }"
CREATE = "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { __typename ... on WebhookCreated { secret webhook { id } } ... on ValidationError { field message } ... on PermissionDenied { message } } }"
DELIVERIES = "query($id: ID!) { webhookDeliveries(webhookId: $id) { totalCount edges { node { status attempts responseCode } } } }"


async def gql(http, query: str, **variables):
    answer = await http.post("/graphql", json={"query": query, "variables": variables})
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


async def test_inbox_and_mark_read(sample_db: Database, settings):
    # given an owner with one dispatched notification
    case = await interest_case(sample_db.sessionmaker)
    owner = case.owner_users[0]
    await emit(
        sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
    )
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings))
    await worker.drain()
    await worker.close()
    token = await issue_token(sample_db, owner.email)
    async with app_client(settings, token) as http:
        # when the owner reads the inbox
        data = await gql(http, INBOX)
        assert data["unreadNotificationCount"] == 1
        [edge] = data["me"]["notifications"]["edges"]
        node = edge["node"]
        assert node["kind"] == "interest.expressed" and not node["read"]
        assert "expressed interest" in node["text"] and node["objectId"]
        # and marks it read (a bad ID is a typed error)
        bad = await gql(http, MARK, input={"ids": ["nope"]})
        assert bad["markNotificationsRead"]["__typename"] == "ValidationError"
        done = await gql(http, MARK, input={"ids": [node["id"]]})
        # then it is read
        assert done["markNotificationsRead"] == {
            "__typename": "MarkNotificationsReadSuccess",
            "marked": 1,
            "unreadCount": 0,
        }
    # and another member sees nothing of it
    other = case.interested_users[0]
    async with app_client(settings, await issue_token(sample_db, other.email)) as http:
        data = await gql(http, INBOX)
        assert data["me"]["notifications"]["totalCount"] == 0


class Receiver:
    """A real HTTP server on loopback: answers the queued statuses, then 200."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.requests.append((dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver([500])
    yield server
    server.close()


async def test_private_addresses_are_refused(sample_db: Database, settings):
    token = await issue_token(sample_db, "admin@accr.example.org")
    async with app_client(settings, token) as http:
        for url in (
            "http://127.0.0.1:9/x",
            "http://169.254.169.254/",
            "http://10.0.0.1/",
            "ftp://x",
        ):
            data = await gql(http, CREATE, input={"url": url, "events": ["*"]})
            assert data["createWebhook"]["__typename"] == "ValidationError", url
    member = await issue_token(sample_db, "marie.dubois@abbaye-de-saint-aurel.example.org")
    async with app_client(settings, member) as http:
        data = await gql(http, CREATE, input={"url": "https://example.org/", "events": ["*"]})
        assert data["createWebhook"]["__typename"] == "PermissionDenied"


async def test_500_then_200_gives_exactly_one_verified_success(
    sample_db: Database, settings, receiver
):
    # given an admin's webhook on a receiver that fails once
    allowed = settings.model_copy(update={"webhook_allow_private": True})
    token = await issue_token(sample_db, "admin@accr.example.org")
    async with app_client(allowed, token) as http:
        created = (
            await gql(http, CREATE, input={"url": receiver.url, "events": ["interest.expressed"]})
        )["createWebhook"]
    assert created["secret"].startswith("whsec_")
    case = await interest_case(sample_db.sessionmaker)
    await emit(
        sample_db.sessionmaker, "interest.expressed", case.interest, [case.proposal.owner_id]
    )
    # when the worker delivers, fails, and retries once the retry is due
    slow = worker_settings(allowed, retry_base_seconds=60, retry_cap_seconds=60)
    worker = new_worker(sample_db.sessionmaker, slow)
    await worker.drain()
    async with sample_db.sessionmaker.begin() as session:
        await session.execute(
            update(m.Delivery).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
    await worker.drain()
    await worker.drain()
    await worker.close()
    # then the receiver got two signed requests with the same id, the second a success
    assert len(receiver.requests) == 2
    verifier = Verifier(created["secret"])
    ids = set()
    for headers, body in receiver.requests:
        payload = verifier.verify(body, {k.lower(): v for k, v in headers.items()})
        assert payload["type"] == "interest.expressed"
        assert payload["data"]["proposal"]["title"] == case.proposal.title
        assert "contact_email" not in json.dumps(payload) and "contactEmail" not in json.dumps(
            payload
        )
        ids.add(headers["webhook-id"])
    assert len(ids) == 1
    async with sample_db.sessionmaker() as session:
        [row] = (await session.scalars(select(m.Delivery))).all()
    assert (
        row.status is m.DeliveryStatus.DELIVERED and row.attempts == 2 and row.response_code == 200
    )
    async with app_client(allowed, token) as http:
        data = await gql(http, DELIVERIES, id=created["webhook"]["id"])
    assert data["webhookDeliveries"]["edges"][0]["node"] == {
        "status": "DELIVERED",
        "attempts": 2,
        "responseCode": 200,
    }


EXPRESS = (
    "mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { __typename } }"
)


async def test_express_interest_end_to_end(sample_db: Database, settings):
    # given an open proposal of a centre with members, and a member of another centre
    case = await interest_case(sample_db.sessionmaker)
    async with sample_db.sessionmaker.begin() as session:
        await session.delete(await session.get(m.Interest, case.interest.id))
    actor = case.interested_users[0]
    from accr_graph.ids import to_global_id

    async with app_client(settings, await issue_token(sample_db, actor.email)) as http:
        # when they express interest through the API
        data = await gql(
            http, EXPRESS, input={"proposalId": to_global_id("Proposal", case.proposal.id)}
        )
        assert data["expressInterest"]["__typename"] == "InterestSuccess"
    worker = new_worker(sample_db.sessionmaker, worker_settings(settings))
    await worker.drain()
    await worker.close()
    # then the owner centre's members read it in their inbox, the actor does not
    async with app_client(
        settings, await issue_token(sample_db, case.owner_users[0].email)
    ) as http:
        data = await gql(http, INBOX)
    [edge] = data["me"]["notifications"]["edges"]
    assert edge["node"]["kind"] == "interest.expressed"
    assert "expressed interest in your proposal" in edge["node"]["text"]
