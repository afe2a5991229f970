"""Prometheus metrics at ``/metrics``: request latency per route and GraphQL operation, query
cost, 429s and 503s, response-cache hits, database connections in use, matching index builds,
outbox backlog.

``/metrics`` answers only with ``Authorization: Bearer $ACCR_METRICS_TOKEN`` (404 while the
setting is empty), so it can stay on the public port; scrape every worker, or set
``PROMETHEUS_MULTIPROC_DIR`` to have any worker answer for all (prometheus-client's
multiprocess mode).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

from accr_graph.repositories import sizes

LATENCY = Histogram(
    "accr_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["route", "operation", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
COST = Histogram(
    "accr_graphql_query_cost",
    "Estimated cost of the GraphQL operations admitted.",
    buckets=(10, 50, 100, 500, 1000, 5000, 10_000, 50_000),
)
REFUSED = Counter(
    "accr_http_refused_total", "Requests answered 429 (budget) or 503 (database).", ["status"]
)
OPERATION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_OPERATIONS = 200  # distinct operation names kept as labels; clients choose them
_operations: set[str] = set()


def operation_label(name: Any) -> str:
    """Client-chosen names, bounded: a flood of made-up names cannot grow memory."""
    if not isinstance(name, str) or not OPERATION.match(name):
        return "-"
    if name not in _operations and len(_operations) >= MAX_OPERATIONS:
        return "other"
    _operations.add(name)
    return name


def observe(route: str, fields: dict[str, Any], status: int, seconds: float) -> None:
    operation = operation_label(fields.get("operation"))
    LATENCY.labels(route, operation, str(status)).observe(seconds)
    if isinstance(fields.get("cost"), int) and status == 200:
        COST.observe(fields["cost"])
    if status in (429, 503):
        REFUSED.labels(str(status)).inc()


class AppCollector(Collector):
    """Values read from the running app at scrape time."""

    def __init__(self, state: Any, backlog: int | None) -> None:
        self.state = state
        self.backlog = backlog

    def collect(self) -> Iterator[Any]:
        if self.backlog is not None:
            outbox = GaugeMetricFamily("accr_outbox_backlog", "Outbox events not dispatched.")
            outbox.add_metric([], float(self.backlog))
            yield outbox
        pool = getattr(getattr(self.state, "engine", None), "pool", None)
        checked_out = getattr(pool, "checkedout", None)
        in_use = GaugeMetricFamily("accr_db_pool_in_use", "Database connections checked out.")
        in_use.add_metric([], float(checked_out()) if callable(checked_out) else 0.0)
        yield in_use
        matching = getattr(self.state, "matching", None)
        builds = CounterMetricFamily("accr_matching_index_builds", "Matching index builds.")
        builds.add_metric([], float(getattr(matching, "builds", 0)))
        yield builds
        yield from self._cache()

    def _cache(self) -> Iterator[Any]:
        cache = getattr(self.state, "response_cache", None)
        hits = CounterMetricFamily("accr_response_cache_hits", "Answers served from the cache.")
        misses = CounterMetricFamily("accr_response_cache_misses", "Answers computed.")
        hits.add_metric([], float(getattr(cache, "hits", 0)))
        misses.add_metric([], float(getattr(cache, "misses", 0)))
        yield hits
        yield misses
        size = GaugeMetricFamily("accr_response_cache_bytes", "Bytes of cached answers.")
        size.add_metric([], float(getattr(cache, "bytes", 0)))
        yield size


async def _backlog(state: Any) -> int | None:
    """None when the database does not answer quickly: the other metrics still come."""
    try:
        async with asyncio.timeout(1.0), state.sessionmaker() as session:
            return await sizes.outbox_backlog(session)
    except Exception:  # an outage must not break the scrape
        return None


def _registry(state: Any, backlog: int | None) -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        for collector in (LATENCY, COST, REFUSED):
            registry.register(collector)
    registry.register(AppCollector(state, backlog))
    return registry


async def metrics(request: Request) -> Response:
    token = request.app.state.settings.metrics_token
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not token or not secrets.compare_digest(given.encode(), token.encode()):
        return Response("Not Found", 404, media_type="text/plain")
    state = request.app.state
    body = generate_latest(_registry(state, await _backlog(state)))
    return Response(body, 200, media_type=CONTENT_TYPE_LATEST)


__all__ = ["REGISTRY", "metrics", "observe"]
