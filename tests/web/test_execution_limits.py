"""The execution backstops: a field meter and a clock, each answered with one clear error."""

from __future__ import annotations

import time

import pytest
from graphql import GraphQLError

from accr_graph.web.execution import Meter
from tests.conftest import Database, Settings, app_client

BIG = "{ centres(first: 100) { nodes { slug name themes { slug name } country { code name } } } }"


def test_the_meter_stops_at_its_field_count() -> None:
    meter = Meter(max_fields=3, deadline=time.monotonic() + 60, seconds=60)
    for _ in range(3):
        meter.count()
    with pytest.raises(GraphQLError, match="max_query_cost"):
        meter.count()
    assert meter.tripped is not None


async def test_a_slow_execution_is_stopped_with_a_timeout_error(
    sample_db: Database, settings: Settings
) -> None:
    hurried = settings.model_copy(update={"max_execution_seconds": 0.000001})
    async with app_client(hurried) as http:
        response = await http.post("/graphql", json={"query": BIG})
        health = await http.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["TIMEOUT"]
    assert "max_execution_seconds" in body["errors"][0]["message"]
    assert health.status_code == 200
