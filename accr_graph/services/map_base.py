"""The map's first paint: every centre with its server-side position, and every cooperating pair.

One compact JSON document (arrays, not objects), gzip-compressed once and cached per network
version, so the browser draws the network from a single small download with no layout work of
its own; the analytics (clusters, PageRank, betweenness) arrive afterwards through GraphQL and
recolour and resize the nodes. Layout and compression run in a worker thread, once per version,
shared by the requests waiting meanwhile.

Document: ``{"version", "nodes": [[id, slug, name, country, labelStatus, x, y, lon, lat,
degree]], "edges": [[i, j, jointProjects, firstYear, lastYear]]}`` (``i``, ``j`` index nodes;
``id`` is the global ID the API uses).
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import weakref
from dataclasses import dataclass
from typing import Any

import orjson

from accr_graph import ids
from accr_graph.repositories import data_version, indicators
from accr_graph.repositories import network as repo
from accr_graph.repositories.network import CentreFilter
from accr_graph.services.uow import Database
from matching.layout import map_layout

log = logging.getLogger("accr_graph.map")


@dataclass(frozen=True, slots=True)
class MapBase:
    version: int
    gzipped: bytes
    etag: str

    def plain(self) -> bytes:
        return gzip.decompress(self.gzipped)


@dataclass
class _Entry:
    version: int
    result: asyncio.Future[MapBase]


_CACHE: weakref.WeakKeyDictionary[Any, _Entry] = weakref.WeakKeyDictionary()


async def map_base(db: Database) -> MapBase:
    """The current document, computed at most once per network version and process."""
    async with db() as session:
        version = await data_version.current_network(session)
    entry = _CACHE.get(db)
    if entry is None or entry.version != version:
        entry = _Entry(version, asyncio.ensure_future(_build(db)))
        _CACHE[db] = entry
    return await asyncio.shield(entry.result)


def warm_up(db: Database) -> asyncio.Future[None]:
    """Start building in the background (at start-up), so the first map does not wait."""
    return asyncio.ensure_future(_warm(db))


async def _warm(db: Database) -> None:
    try:
        await map_base(db)
    except Exception:  # a failed warm-up must not kill the worker; the first request retries
        log.exception("map warm-up failed")


async def _build(db: Database) -> MapBase:
    # Version and rows in one transaction, so they describe the same data.
    async with db() as session, session.begin():
        version = await data_version.current_network(session)
        centres = await repo.map_centres(session, CentreFilter())
        pairs = await repo.pair_edges(session, None, None)
        first_years = await indicators.pair_first_years(session)
    return await asyncio.to_thread(_document, version, centres, pairs, first_years)


def _document(
    version: int,
    centres: list[repo.MapCentre],
    pairs: list[repo.PairEdge],
    first_years: dict[tuple[int, int], int],
) -> MapBase:
    weights = [(p.a, p.b, float(p.joint_projects)) for p in pairs]
    positions = map_layout([c.id for c in centres], weights)
    row = {c.id: i for i, c in enumerate(centres)}
    degree = [0] * len(centres)
    for p in pairs:
        degree[row[p.a]] += 1
        degree[row[p.b]] += 1
    nodes = [
        [
            ids.to_global_id("Centre", c.id),
            c.slug,
            c.name,
            c.country,
            c.label_status.upper(),
            round(positions[c.id][0], 3),
            round(positions[c.id][1], 3),
            c.longitude,
            c.latitude,
            degree[i],
        ]
        for i, c in enumerate(centres)
    ]
    edges = [
        [row[p.a], row[p.b], p.joint_projects, first_years.get((p.a, p.b)), p.last_year]
        for p in pairs
        if p.a in row and p.b in row
    ]
    body = orjson.dumps({"version": version, "nodes": nodes, "edges": edges})
    return MapBase(version, gzip.compress(body, 6), f'W/"map-{version}"')
