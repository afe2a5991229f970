"""`/map/base.json`: the map's first paint (staff), gzip-compressed and revalidated by ETag.

The document is built once per network version (``accr_graph.services.map_base``); a browser
that has it gets ``304 Not Modified``; one that accepts gzip gets the stored compressed bytes
as they are (no compression per request).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from accr_graph.services.map_base import map_base
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
