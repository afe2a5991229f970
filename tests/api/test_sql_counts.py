"""The nested centre list runs a constant number of SQL statements, whatever the page size."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from accr_graph.db import models as m
from tests.conftest import STAFF_EMAIL, Database, Settings, app_client, issue_token

NESTED_CENTRES = """
query ($n: Int!) {
  centres(first: $n) {
    totalCount
    edges { node {
      slug name country { code name }
      offers { level competency { slug name } }
      seeks { level competency { slug name } }
      themes { slug name }
      proposals { totalCount nodes { title } }
      partners { totalCount nodes { jointProjects lastYear centre { slug name } } }
    } }
  }
}
"""


async def _add_centres(db: Database, count: int) -> None:
    async with db.sessionmaker.begin() as session:
        session.add_all(
            m.Centre(
                slug=f"extra-{i}", name=f"Extra {i}", country="FR", languages=[], description={}
            )
            for i in range(count)
        )


SUGGESTIONS = """
query ($n: Int!) {
  centres(first: $n) { edges { node { slug suggestedPartners(first: 3) { score centre { slug } } } } }
}
"""


async def _statements(client: httpx.AsyncClient, first: int, query: str = NESTED_CENTRES) -> int:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    engine = client.app.state.engine  # type: ignore[attr-defined]
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        response = await client.post("/graphql", json={"query": query, "variables": {"n": first}})
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    body = response.json()
    assert "errors" not in body, body
    assert len(body["data"]["centres"]["edges"]) == first
    return len(seen)


async def test_nested_centre_list_statement_count_is_constant(
    sample_db: Database, settings: Settings
) -> None:
    await _add_centres(sample_db, 60)  # 104 centres: room for a page of 100
    # The cost budget settles with the database once a second, not per request: leave it out.
    async with app_client(settings.model_copy(update={"cost_budget_per_minute": 0})) as client:
        await _statements(client, 10)  # the cost estimate reads table sizes once per data version
        ten = await _statements(client, 10)
        hundred = await _statements(client, 100)
    assert ten == hundred
    # count + page, then one batch each: themes, competencies, proposals, partners, partner centres
    assert hundred <= 8, hundred


async def test_suggestions_for_a_list_read_the_network_version_once(
    sample_db: Database, settings: Settings
) -> None:
    token = await issue_token(sample_db, STAFF_EMAIL)
    async with app_client(
        settings.model_copy(update={"cost_budget_per_minute": 0}), token
    ) as client:
        await _statements(client, 5, SUGGESTIONS)  # builds the index once
        five = await _statements(client, 5, SUGGESTIONS)
        twenty = await _statements(client, 20, SUGGESTIONS)
    assert five == twenty
