"""Pages of the meetings programme and the resource hub (issue 14): lists, details, register /
cancel a registration. The resource forms (add, edit, delete, restore) are in
`resource_forms.py`. Reads and writes go through the services."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accr_graph.db import models as m
from accr_graph.repositories.meetings import MeetingFilter
from accr_graph.repositories.search import DocFilter
from accr_graph.services import directory, hub_reads, meeting_registrations, resources, search
from accr_graph.services.errors import Invalid, ServiceFailure
from accr_graph.web import params
from accr_graph.web.templating import (
    error_page,
    gettext,
    page_actor,
    page_lang,
    page_viewer,
    read_form,
    render,
    require_signed_in,
)

KINDS = [k.value for k in m.ProgrammeKind]
RESOURCE_KINDS = [k.value for k in m.ResourceKind]


def _meeting_filter(request: Request) -> tuple[MeetingFilter, dict[str, str]]:
    q = request.query_params
    chosen = {
        "when": params.one_of(q.get("when"), {"upcoming", "past"}) or "upcoming",
        "kind": params.one_of(q.get("kind"), set(KINDS)) or "",
        "view": params.one_of(q.get("view"), {"list", "calendar"}) or "list",
    }
    now = datetime.now(UTC)
    upcoming = chosen["when"] == "upcoming"
    flt = MeetingFilter(
        kinds=(m.ProgrammeKind(chosen["kind"]),) if chosen["kind"] else (),
        starts_from=now if upcoming else None,
        starts_to=None if upcoming else now,
        descending=not upcoming,
    )
    return flt, chosen


async def meetings_page(request: Request) -> Response:
    viewer = await page_viewer(request)
    flt, chosen = _meeting_filter(request)
    page = params.page_number(request.query_params.get("page"))
    size = 200 if chosen["view"] == "calendar" else hub_reads.PAGE_SIZE
    listing = await hub_reads.meeting_list(request.app.state.sessionmaker, viewer, flt, page, size)
    months: dict[tuple[int, int], list[Any]] = {}
    for card in listing.cards if chosen["view"] == "calendar" else []:
        local = card.meeting.starts_at.astimezone(_zone(card.meeting.timezone))
        months.setdefault((local.year, local.month), []).append((local, card))
    calendars = [
        {"year": y, "month": mo, "weeks": hub_reads.month_grid(y, mo), "entries": items}
        for (y, mo), items in sorted(months.items(), reverse=chosen["when"] == "past")
    ]
    base = "/meetings?" + urlencode({k: v for k, v in chosen.items() if v})
    context = {
        "listing": listing,
        "chosen": chosen,
        "kinds": KINDS,
        "base": base,
        "calendars": calendars,
    }
    return await render(request, "hub/meetings.html", context)


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


async def _meeting_page(
    request: Request,
    meeting_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
    names: str = "",
) -> Response:
    viewer = await page_viewer(request)
    detail = await hub_reads.meeting_detail(request.app.state.sessionmaker, viewer, meeting_id)
    if detail is None:
        return await error_page(request, 404)
    done = params.one_of(
        request.query_params.get("done"),
        {"registered", "cancelled", "created", "saved", "published", "meeting-cancelled"},
    )
    context = {"d": detail, "errors": errors or {}, "names": names, "done": done}
    return await render(request, "hub/meeting.html", context, status)


async def meeting_page(request: Request) -> Response:
    meeting_id = params.pk(request.path_params["meeting_id"])
    if meeting_id is None:
        return await error_page(request, 404)
    return await _meeting_page(request, meeting_id)


async def meeting_registration(request: Request) -> Response:
    """POST: register (action=register, representatives one per line) or cancel."""
    meeting_id = params.pk(request.path_params["meeting_id"])
    if meeting_id is None:
        return await error_page(request, 404)
    viewer = await require_signed_in(request)
    form = await read_form(request)
    action = params.one_of(form.get("action"), {"register", "cancel"})
    names = params.text(form.get("representatives"), 2000)
    db, actor = request.app.state.sessionmaker, page_actor(request, viewer)
    try:
        if action == "register":
            people = [n.strip() for n in names.splitlines() if n.strip()]
            await meeting_registrations.register(db, actor, meeting_id, None, people)
        elif action == "cancel":
            await meeting_registrations.cancel_registration(db, actor, meeting_id, None)
        else:
            return await error_page(request, 400)
    except ServiceFailure as failure:
        return await _failed(request, meeting_id, failure, names)
    done = "registered" if action == "register" else "cancelled"
    return RedirectResponse(f"/meetings/{meeting_id}?done={done}", 303)


async def _failed(
    request: Request, meeting_id: int, failure: ServiceFailure, names: str
) -> Response:
    lang = await page_lang(request)
    if isinstance(failure.failure, Invalid):
        message = gettext(lang, "Give one to five names, one per line.")
        if failure.failure.field != "representatives":
            message = failure.failure.message
        return await _meeting_page(request, meeting_id, {"representatives": message}, 400, names)
    reason = getattr(failure.failure, "message", "")
    return await error_page(
        request, 403 if type(failure.failure).__name__ == "Refused" else 404, reason
    )


# --- resources ------------------------------------------------------------------------------


async def resources_page(request: Request) -> Response:
    viewer = await page_viewer(request)
    db = request.app.state.sessionmaker
    q = request.query_params
    cat = await directory.catalogue_of(db)
    chosen = {
        "q": params.text(q.get("q")),
        "kind": params.one_of(q.get("kind"), set(RESOURCE_KINDS)) or "",
        "theme": params.one_of(q.get("theme"), {t.slug for t in cat.themes}) or "",
        "language": params.one_of(q.get("language"), {"fr", "en", "de", "it", "es"}) or "",
        "year": str(params.digits(q.get("year"), 1900, 2100) or ""),
    }
    flt = DocFilter(
        kinds=("resource",),
        resource_kinds=(chosen["kind"],) if chosen["kind"] else (),
        themes=(chosen["theme"],) if chosen["theme"] else (),
        languages=(chosen["language"],) if chosen["language"] else (),
        years=(int(chosen["year"]),) if chosen["year"] else (),
    )
    page = params.page_number(q.get("page"))
    size = hub_reads.PAGE_SIZE
    query = chosen["q"] or None
    error = ""
    try:
        if query:
            found = await search.search(db, viewer, query, flt, (page - 1) * size, size)
        else:
            found = await search.browse(db, viewer, flt, (page - 1) * size, size)
        facets = await search.facets(db, viewer, query, flt)
    except ServiceFailure as failure:
        error = getattr(failure.failure, "message", "")
        found, facets = search.SearchResult(0, []), {}
    rows = await resources.visible_by_ids(db, viewer, [h.object_id for h in found.hits])
    results = [(rows[h.object_id], h.highlights) for h in found.hits if h.object_id in rows]
    base = "/resources?" + urlencode({k: v for k, v in chosen.items() if v})

    def facet_url(name: str, value: object) -> str:
        """The results with this facet value instead of the chosen one ("" drops the facet)."""
        asked = {**chosen, name: str(value)}
        return "/resources?" + urlencode({k: v for k, v in asked.items() if v})

    if "year" in facets:  # newest first, like the list
        facets["year"] = sorted(facets["year"], key=lambda item: str(item[0]), reverse=True)
    context = {
        "chosen": chosen,
        "results": results,
        "total": found.total,
        "pages": max(1, -(-found.total // size)),
        "page": page,
        "facets": facets,
        "facet_url": facet_url,
        "catalogue": cat,
        "kinds": RESOURCE_KINDS,
        "base": base,
        "error": error,
        "done": params.one_of(q.get("done"), {"deleted"}),
    }
    return await render(request, "hub/resources.html", context)


async def resource_page(request: Request) -> Response:
    viewer = await page_viewer(request)
    resource_id = params.pk(request.path_params["resource_id"])
    detail = None
    if resource_id is not None:
        detail = await hub_reads.resource_detail(
            request.app.state.sessionmaker, viewer, resource_id
        )
    if detail is None:
        return await error_page(request, 404)
    done = params.one_of(request.query_params.get("done"), {"created", "saved"})
    return await render(request, "hub/resource.html", {"d": detail, "done": done})


def routes() -> list[Route]:
    return [
        Route("/meetings", meetings_page),
        Route("/meetings/{meeting_id}", meeting_page),
        Route("/meetings/{meeting_id}/registration", meeting_registration, methods=["POST"]),
        Route("/resources", resources_page),
        Route("/resources/{resource_id}", resource_page),
    ]
