"""Staff pages (/map, /dashboard) and the network downloads (/export/network.{format}).

Pages are in the shell (``templating.render``); their scripts read everything through the public
GraphQL API with the browser's session cookie. Anonymous browsers are sent to /login; signed-in
non-staff get 403.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from accr_graph.services import network_filter
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.network_export import FILE_NAMES, MEDIA_TYPES, ExportFormat, render
from accr_graph.services.network_map import network_graph
from accr_graph.viewer import Viewer
from accr_graph.web.auth import resolve_viewer
from accr_graph.web.graphql_request import RequestError
from accr_graph.web.templating import render as render_page
from accr_graph.web.templating import require_staff

PAGE_HEADERS = {
    # Scripts only from this site; the chart and graph libraries set inline styles.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


class Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


async def _staff(request: Request, scope: str | None = None) -> Viewer:
    """The staff viewer of the request, else raise the answer to give instead."""
    state = request.app.state
    try:
        viewer = await resolve_viewer(request, state.sessionmaker, state.cookies)
    except RequestError as error:
        raise Refused(PlainTextResponse(error.message, error.status, error.headers)) from error
    if viewer.is_anonymous:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise Refused(RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303))
    if not viewer.is_staff or (scope is not None and not viewer.can(scope)):
        raise Refused(PlainTextResponse("Only ACCR staff may see this.", status_code=403))
    return viewer


async def _page(request: Request, template: str) -> Response:
    await require_staff(request)
    return await render_page(request, template, {}, headers=PAGE_HEADERS)


async def map_page(request: Request) -> Response:
    return await _page(request, "map.html")


async def dashboard_page(request: Request) -> Response:
    return await _page(request, "dashboard.html")


async def export_network(request: Request) -> Response:
    try:
        await _staff(request, "read")
        fmt = ExportFormat(request.path_params["format"])
        state = request.app.state
        flt = network_filter.parse(request.query_params)
        graph = await network_graph(state.sessionmaker, state.matching, flt)
    except Refused as refused:
        return refused.response
    except ValueError:
        return PlainTextResponse("Formats: gexf, graphml, json, csv.", status_code=404)
    except RequestError as error:
        return PlainTextResponse(error.message, status_code=error.status)
    except ServiceFailure as failure:  # the filter's checks: the same words as in GraphQL
        return PlainTextResponse(getattr(failure.failure, "message", ""), status_code=400)
    body = await asyncio.to_thread(render, graph, fmt)
    disposition = f'attachment; filename="{FILE_NAMES[fmt]}"'
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )
