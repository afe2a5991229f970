"""`/export/observatory.csv|.xlsx`: the observatory's figures for staff, as a spreadsheet.

Query string: ``yearFrom``, ``yearTo`` (years), ``groupBy`` (none, country, label_status,
theme), ``keys`` (comma-separated indicator keys), ``lang`` (fr, en). Staff see every figure
(no disclosure threshold); a bad parameter is a 400 with the reason, never a 500.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from accr_graph.services import observatory as service
from accr_graph.services.errors import Invalid, ServiceFailure
from accr_graph.services.observatory_export import MEDIA_TYPES, ExportFormat, render
from accr_graph.translations import DEFAULT_LANGUAGE, available_languages
from accr_graph.web.auth import resolve_viewer
from accr_graph.web.graphql_request import RequestError


def _year(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name) or ""
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise RequestError(400, f"`{name}` must be a year (four digits).")
    return int(raw)


def _query(request: Request) -> service.Query:
    params = request.query_params
    group = (params.get("groupBy") or "none").lower()
    if group not in {g.value for g in service.GroupBy}:
        raise RequestError(400, f"Unknown `groupBy`: {group} (none, country, label_status, theme).")
    keys = tuple(k.strip() for k in (params.get("keys") or "").split(",") if k.strip())
    return service.Query(
        keys, _year(request, "yearFrom"), _year(request, "yearTo"), service.GroupBy(group)
    )


async def _refusal(request: Request) -> Response | None:
    state = request.app.state
    try:
        viewer = await resolve_viewer(request, state.sessionmaker, state.cookies)
    except RequestError as error:
        return PlainTextResponse(error.message, error.status, error.headers)
    if viewer.is_anonymous:
        target = quote(f"{request.url.path}?{request.url.query}", safe="")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    if not (viewer.is_staff and viewer.can("read")):
        return PlainTextResponse("Only ACCR staff may export the observatory.", status_code=403)
    return None


async def export_observatory(request: Request) -> Response:
    refusal = await _refusal(request)
    if refusal is not None:
        return refusal
    try:
        fmt = ExportFormat(request.path_params["format"])
        query = _query(request)
        db = request.app.state.sessionmaker
        items = await service.compute(db, query, privileged=True)
    except ValueError:
        return PlainTextResponse("Formats: csv, xlsx.", status_code=404)
    except RequestError as error:
        return PlainTextResponse(error.message, status_code=error.status)
    except ServiceFailure as failure:
        problem = failure.failure
        where = f"`{problem.field}` " if isinstance(problem, Invalid) else ""
        return PlainTextResponse(where + getattr(problem, "message", ""), status_code=400)
    lang = request.query_params.get("lang") or DEFAULT_LANGUAGE
    lang = lang if lang in available_languages() else DEFAULT_LANGUAGE
    questions = await service.latest_questions(db)
    body = await asyncio.to_thread(render, items, fmt, lang, questions)
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="observatory.{fmt.value}"',
            "Cache-Control": "no-store",
        },
    )
