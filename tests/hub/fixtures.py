"""The sample network without the hub sample (its meetings and resources), for tests that count
meetings, registrations, resources or search hits of their own."""

from __future__ import annotations

import pytest_asyncio
from sqlalchemy import delete

from accr_graph.db import models as m
from tests.conftest import Database


@pytest_asyncio.fixture(loop_scope="session")
async def network_db(sample_db: Database) -> Database:
    async with sample_db.sessionmaker.begin() as session:
        await session.execute(
            delete(m.SearchDocument).where(m.SearchDocument.kind.in_(("meeting", "resource")))
        )
        await session.execute(delete(m.Resource))
        await session.execute(delete(m.Meeting))
    return sample_db
