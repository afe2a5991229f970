"""Clients acting as two member centres (besides `staff_client` from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from accr_graph.settings import Settings
from tests.conftest import Database, app_client, issue_token
from tests.surveys.helpers import MEMBER_A, MEMBER_B


@pytest_asyncio.fixture(loop_scope="session")
async def member_a(sample_db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    token = await issue_token(sample_db, MEMBER_A, ("read", "write"))
    async with app_client(settings, token) as http:
        yield http


@pytest_asyncio.fixture(loop_scope="session")
async def member_b(sample_db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    token = await issue_token(sample_db, MEMBER_B, ("read", "write"))
    async with app_client(settings, token) as http:
        yield http
