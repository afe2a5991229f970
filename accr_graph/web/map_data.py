"""`/map/base.json`: the map's first paint (staff), gzip-compressed and revalidated by ETag.

The document is built once per network version (``accr_graph.services.map_base``); a browser
that has it gets ``304 Not Modified``; one that accepts gzip gets the stored compressed bytes
as they are (no compression per request).
"""

from __future__ import annotations

import asyncio
import gzip
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from accr_graph import ids
from accr_graph.services import network_filter
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.map_base import map_base
from accr_graph.services.network_map import MapGraph, network_graph
from accr_graph.web.auth import resolve_viewer
from accr_graph.web.graphql_request import RequestError


async def _refusal(request: Request) -> Response | None:
    state = request.app.state
    try:
        viewer = await resolve_viewer(request, state.sessionmaker, state.cookies)
    except RequestError as error:
        return PlainTextResponse(error.message, error.status, error.headers)
    if viewer.is_anonymous:
        return RedirectResponse("/login?next=%2Fmap", status_code=303)
    if not (viewer.is_staff and viewer.can("read")):
        return PlainTextResponse("Only ACCR staff may see the map.", status_code=403)
    return None


async def map_base_json(request: Request) -> Response:
    refusal = await _refusal(request)
    if refusal is not None:
        return refusal
    base = await map_base(request.app.state.sessionmaker)
    headers = {"ETag": base.etag, "Cache-Control": "private, no-cache", "Vary": "Accept-Encoding"}
    if base.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(base.gzipped, media_type="application/json", headers=headers)
    return Response(base.plain(), media_type="application/json", headers=headers)


async def map_graph_json(request: Request) -> Response:
    """`/map/graph.json?yearFrom=…`: the map's analytics for a filter (clusters, metrics, links),
    the same service and filter words as GraphQL's `network.graph` and `/export/network.*`.

    The map asks here rather than through GraphQL: on keep.eu (6,900 centres, 33,600 links) the
    query's bounded cost (~172,000) is above the API's per-query limit, and the page is a
    first-party staff view of one service call, not an arbitrary query."""
    refusal = await _refusal(request)
    if refusal is not None:
        return refusal
    state = request.app.state
    try:
        flt = network_filter.parse(request.query_params)
        graph = await network_graph(state.sessionmaker, state.matching, flt)
    except ServiceFailure as failure:
        return PlainTextResponse(getattr(failure.failure, "message", ""), status_code=400)
    headers = {"Cache-Control": "private, no-store", "Vary": "Accept-Encoding"}
    zipped = "gzip" in request.headers.get("accept-encoding", "").lower()
    if zipped:
        headers["Content-Encoding"] = "gzip"
    # ~40,000 objects on keep.eu: encoded (and compressed) off the event loop.
    body = await asyncio.to_thread(_encoded, graph, zipped)
    return Response(body, media_type="application/json", headers=headers)


def _encoded(graph: MapGraph, zipped: bool) -> bytes:
    body = json.dumps(_document(graph), separators=(",", ":")).encode()
    return gzip.compress(body, 6) if zipped else body


def _document(graph: MapGraph) -> dict[str, Any]:
    """The shape of GraphQL's `network.graph` (global IDs), so the page reads either."""
    centre = {n.centre.id: ids.to_global_id("Centre", n.centre.id) for n in graph.nodes}
    return {
        "nodes": [
            {
                "id": centre[n.centre.id],
                "clusterId": n.cluster_id,
                "weightedDegree": n.weighted_degree,
                "pagerank": n.pagerank,
                "betweenness": n.betweenness,
            }
            for n in graph.nodes
        ],
        "edges": [
            {
                "source": centre[e.source],  # links join shown centres only
                "target": centre[e.target],
                "jointProjects": e.joint_projects,
                "lastYear": e.last_year,
            }
            for e in graph.edges
        ],
    }
