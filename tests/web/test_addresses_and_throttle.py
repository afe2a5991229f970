"""Client addresses behind trusted proxies; the log-in throttle and the cost budget keys."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from accr_graph.db.base import utcnow
from accr_graph.db.models import AuditEntry
from accr_graph.repositories import auth as auth_repo
from accr_graph.settings import Settings
from accr_graph.web.addresses import client_address
from tests.conftest import STAFF_EMAIL, Database, app_client, issue_token

LOGIN = (
    "mutation ($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { __typename } }"
)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", ["1.2.3.4"], "", "203.0.113.9"),  # no trusted proxy: headers ignored
        ("203.0.113.9", ["1.2.3.4"], "10.0.0.0/8", "203.0.113.9"),  # peer not trusted
        ("10.0.0.2", ["1.2.3.4"], "10.0.0.0/8", "1.2.3.4"),
        ("10.0.0.2", ["6.6.6.6, 1.2.3.4"], "10.0.0.0/8", "1.2.3.4"),  # forged left part
        ("10.0.0.2", ["6.6.6.6", "1.2.3.4, 10.0.0.7"], "10.0.0.0/8", "1.2.3.4"),
        ("10.0.0.2", ["[2001:db8::1]:443"], "10.0.0.2", "2001:db8::1"),
        ("10.0.0.2", ["1.2.3.4:5555"], "10.0.0.2", "1.2.3.4"),
        ("10.0.0.2", [], "10.0.0.2", "10.0.0.2"),
        ("10.0.0.2", ["10.0.0.3"], "10.0.0.0/8", "10.0.0.3"),  # only proxies: the first hop
    ],
)
def test_right_most_untrusted_hop(
    peer: str, forwarded: list[str], trusted: str, expected: str
) -> None:
    assert client_address(peer, forwarded, trusted) == expected


def test_a_bad_trusted_proxy_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="ACCR_TRUSTED_PROXIES"):
        Settings(trusted_proxies="10.0.0.0/8, not-an-address")


async def _throttle_count(db: Database, key: str) -> int:
    async with db.sessionmaker() as session:
        return await auth_repo.failures(session, [key], utcnow() - timedelta(hours=1))


async def test_throttle_keys_on_the_address_looked_up(
    sample_db: Database, settings: Settings
) -> None:
    variants = [STAFF_EMAIL, f"  {STAFF_EMAIL}\t", STAFF_EMAIL.upper(), STAFF_EMAIL + " " * 400]
    async with app_client(settings) as http:
        for email in variants:
            await http.post("/graphql", json={"query": LOGIN, "variables": {"e": email, "p": "x"}})
    assert await _throttle_count(sample_db, f"email:{STAFF_EMAIL}") == len(variants)


async def test_parallel_attempts_count(sample_db: Database, settings: Settings) -> None:
    async with app_client(settings) as http:
        await asyncio.gather(
            *(
                http.post(
                    "/graphql", json={"query": LOGIN, "variables": {"e": STAFF_EMAIL, "p": "x"}}
                )
                for _ in range(6)
            )
        )
    assert await _throttle_count(sample_db, f"email:{STAFF_EMAIL}") == 6


async def test_forwarded_for_cannot_escape_the_address_throttle(
    sample_db: Database, settings: Settings
) -> None:
    async with app_client(settings) as http:
        for i in range(3):
            await http.post(
                "/graphql",
                json={"query": LOGIN, "variables": {"e": f"nobody{i}@example.org", "p": "x"}},
                headers={"x-forwarded-for": f"198.51.100.{i}"},
            )
    assert await _throttle_count(sample_db, "addr:127.0.0.1") == 3


async def test_audit_log_records_the_client_behind_a_trusted_proxy(
    sample_db: Database, settings: Settings
) -> None:
    token = await issue_token(sample_db, STAFF_EMAIL)
    behind = settings.model_copy(update={"trusted_proxies": "127.0.0.0/8"})
    query = 'mutation { createApiToken(input: {name: "t", scopes: ["read"]}) { __typename } }'
    async with app_client(behind, token) as http:
        await http.post(
            "/graphql", json={"query": query}, headers={"x-forwarded-for": "6.6.6.6, 192.0.2.44"}
        )
    async with sample_db.sessionmaker() as session:
        addresses = (await session.scalars(select(AuditEntry.address))).all()
    assert "192.0.2.44" in addresses


async def test_budget_is_per_user_across_tokens(sample_db: Database, settings: Settings) -> None:
    tight = settings.model_copy(update={"cost_budget_per_minute": 30})
    small = "{ themes(first: 10) { nodes { slug } } }"
    tokens = [await issue_token(sample_db, STAFF_EMAIL) for _ in range(3)]
    statuses = []
    for token in tokens:
        async with app_client(tight, token) as http:
            statuses.append((await http.post("/graphql", json={"query": small})).status_code)
    assert statuses[0] == 200 and 429 in statuses[1:]
