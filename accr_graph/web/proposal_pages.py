"""/proposals: search, "for my centre", a proposal's page (suggested partners, consortium
builder, interests), the form (new, edit with stale-edit recovery) and the life-cycle actions.
Reads go through services/proposal_views, writes through services/proposal_actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.db.models import ProposalStatus
from accr_graph.reason_text import note_text, reason_text
from accr_graph.repositories.proposals import ProposalFilter
from accr_graph.services import directory, proposal_actions, proposal_views
from accr_graph.services.errors import Conflict, Invalid, ServiceFailure
from accr_graph.services.proposal_views import ProposalView
from accr_graph.web import params
from accr_graph.web.centre_edit import field_errors
from accr_graph.web.page_errors import status_of
from accr_graph.web.proposal_form import FIELD_NAMES, ProposalForm
from accr_graph.web.templating import (
    PageExit,
    error_page,
    page_actor,
    page_lang,
    page_viewer,
    path_object,
    read_form,
    render,
    require_signed_in,
)

STATUSES = {s.value for s in ProposalStatus}
DONE = {"created", "saved", "published", "closed", "interest", "withdrawn", "answered", "partnered"}


def _db(request: Request) -> Any:
    return request.app.state.sessionmaker


def _engine(request: Request) -> Any:
    return request.app.state.matching.for_request()


# --- list ---------------------------------------------------------------------------------------


def _filter(
    request: Request, cat: directory.Catalogue, programmes: list[str]
) -> tuple[ProposalFilter, dict[str, str]]:
    q = request.query_params
    chosen = {
        "q": params.text(q.get("q")),
        "theme": params.one_of(q.get("theme"), {t.slug for t in cat.themes}) or "",
        "seeks": params.one_of(q.get("seeks"), {c.slug for c in cat.competencies}) or "",
        "country": params.one_of(q.get("country"), {c for c, _ in cat.countries}) or "",
        "status": params.one_of(q.get("status"), STATUSES) or "",
        "programme": params.one_of(q.get("programme"), set(programmes)) or "",
    }
    flt = ProposalFilter(
        statuses=(ProposalStatus(chosen["status"]),) if chosen["status"] else (),
        themes=(chosen["theme"],) if chosen["theme"] else (),
        seeks=(chosen["seeks"],) if chosen["seeks"] else (),
        owner_countries=(chosen["country"],) if chosen["country"] else (),
        search=chosen["q"] or None,
        programmes=(chosen["programme"],) if chosen["programme"] else (),
    )
    return flt, chosen


async def proposals_page(request: Request) -> Response:
    viewer = await page_viewer(request)
    cat = await directory.catalogue_of(_db(request))
    programmes = await proposal_views.funding_programmes(_db(request), viewer)
    flt, chosen = _filter(request, cat, programmes)
    tab = "mine" if request.query_params.get("tab") == "mine" else "all"
    page_number = params.page_number(request.query_params.get("page"))
    results = await proposal_views.search(_db(request), viewer, flt, page_number)
    matches = None
    if tab == "mine" and viewer.centre_id is not None:
        matches = await proposal_views.for_my_centre(_db(request), _engine(request), viewer)
    base = "/proposals?" + urlencode({k: v for k, v in chosen.items() if v})
    context = {
        "catalogue": cat,
        "programmes": programmes,
        "chosen": chosen,
        "results": results,
        "base": base.rstrip("?"),
        "tab": tab,
        "matches": matches,
        **(await _writers(request)),
    }
    return await render(request, "proposals.html", context)


async def _writers(request: Request) -> dict[str, Any]:
    """Reason and note texts in the reader's language (the engine answers with structures)."""
    w = await request.app.state.matching.words(await page_lang(request))
    return {"say": lambda r: reason_text(r, w), "note_text": lambda n: note_text(n, w)}


# --- one proposal -------------------------------------------------------------------------------


async def _shown(request: Request) -> ProposalView:
    viewer = await page_viewer(request)
    return await path_object(
        request,
        "proposal_id",
        lambda pk: proposal_views.view(_db(request), _engine(request), viewer, pk),
    )


async def proposal_page(request: Request) -> Response:
    return await _detail(request, await _shown(request))


async def _detail(
    request: Request, shown: ProposalView, errors: dict[str, str] | None = None, status: int = 200
) -> Response:
    viewer = await page_viewer(request)
    q = request.query_params
    size, countries = params.digits(q.get("size"), 1, 20), params.digits(q.get("countries"), 1, 20)
    team = None
    if shown.is_owner and "team" in q:
        team = await proposal_views.consortium(
            _db(request), _engine(request), viewer, shown.proposal.id, size, countries
        )
    context = {
        "v": shown,
        "errors": errors or {},
        "team": team,
        "team_asked": "team" in q,
        "size": size or "",
        "countries": countries or "",
        "done": params.one_of(q.get("done"), DONE),
        **(await _writers(request)),
    }
    return await render(request, "proposal.html", context, status)


# --- the form -----------------------------------------------------------------------------------


async def _form_page(
    request: Request,
    form: ProposalForm,
    shown: ProposalView | None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    stale: list[str] | None = None,
) -> Response:
    context = {
        "form": form,
        "v": shown,
        "errors": errors or {},
        "catalogue": await directory.catalogue_of(_db(request)),
        "stale": stale,
        "v_current": ProposalForm.of(shown).texts if shown is not None else {},
    }
    return await render(request, "proposal_form.html", context, status)


async def new_proposal_page(request: Request) -> Response:
    viewer = await require_signed_in(request)
    if viewer.centre_id is None and not viewer.is_staff:
        return await error_page(request, 403)
    if request.method == "GET":
        return await _form_page(request, ProposalForm.empty(), None)
    form = ProposalForm.parse(await read_form(request), ProposalForm.empty())
    if form.number_errors():
        return await _form_page(request, form, None, await _translated(request, form), 400)
    try:
        created = await proposal_actions.create(
            _db(request), page_actor(request, viewer), None, form.changes()
        )
    except ServiceFailure as failure:
        errors = await field_errors(request, failure, FIELD_NAMES)
        return await _form_page(request, form, None, errors, 400)
    return RedirectResponse(f"/proposals/{created.id}?done=created", status_code=303)


async def _translated(request: Request, form: ProposalForm) -> dict[str, str]:
    failures = [ServiceFailure(Invalid(k, v)) for k, v in form.number_errors().items()]
    errors: dict[str, str] = {}
    for failure in failures:
        errors.update(await field_errors(request, failure, FIELD_NAMES))
    return errors


async def _owned(request: Request) -> ProposalView:
    await require_signed_in(request)
    shown = await _shown(request)
    if not shown.is_owner:
        raise PageExit(await error_page(request, 403))
    return shown


async def edit_proposal_page(request: Request) -> Response:
    shown = await _owned(request)
    if request.method == "GET":
        return await _form_page(request, ProposalForm.of(shown), shown)
    form = ProposalForm.parse(await read_form(request), ProposalForm.of(shown))
    if form.number_errors():
        return await _form_page(request, form, shown, await _translated(request, form), 400)
    actor = page_actor(request, await page_viewer(request))
    try:
        await proposal_actions.update(
            _db(request), actor, shown.proposal.id, form.version, form.changes(shown.proposal)
        )
    except ServiceFailure as failure:
        if isinstance(failure.failure, Conflict):
            return await _stale(request, form, shown)
        errors = await field_errors(request, failure, FIELD_NAMES)
        return await _form_page(request, form, shown, errors, 400)
    return RedirectResponse(f"/proposals/{shown.proposal.id}?done=saved", status_code=303)


async def _stale(request: Request, form: ProposalForm, shown: ProposalView) -> Response:
    """Someone saved first: show which fields now differ, keep the user's input, and let them
    re-apply it on top of the current version (the form now carries that version)."""
    current = ProposalForm.of(shown)
    stale = form.differences(current)
    form.version = current.version
    return await _form_page(request, form, shown, {}, 409, stale)


# --- actions ------------------------------------------------------------------------------------


async def proposal_action(request: Request) -> Response:
    """POST /proposals/{id}/{action}: publish, close, partnered, interest, withdraw, respond."""
    action = request.path_params["action"]
    shown = await _shown(request)
    viewer = await require_signed_in(request)
    form = await read_form(request)
    actor, db, pid = page_actor(request, viewer), _db(request), shown.proposal.id
    version = params.digits(form.get("version"), 0, 2**31 - 1)
    try:
        if action in ("publish", "close"):
            target = ProposalStatus.OPEN if action == "publish" else ProposalStatus.CLOSED
            await proposal_actions.set_status(db, actor, pid, version, target)
            done = "published" if action == "publish" else "closed"
        elif action == "partnered":
            await proposal_actions.mark_partnered(db, actor, pid, version)
            done = "partnered"
        elif action == "interest":
            message = params.text(form.get("message"), 10_000) or None
            await proposal_actions.express_interest(db, actor, pid, message)
            done = "interest"
        elif action == "withdraw":
            await proposal_actions.withdraw_interest(db, actor, pid)
            done = "withdrawn"
        elif action == "respond":
            await _respond(request, form)
            done = "answered"
        else:
            return await error_page(request, 404)
    except ServiceFailure as failure:
        if isinstance(failure.failure, Conflict):
            errors = {"form": failure.failure.message}
        else:
            errors = await field_errors(request, failure, {"message": "message"})
        status = status_of(failure.failure)
        return await _detail(request, await _shown(request), _as_form(errors), status)
    return RedirectResponse(f"/proposals/{pid}?done={done}", status_code=303)


def _as_form(errors: dict[str, str]) -> dict[str, str]:
    """Action errors are shown at the top of the page, whatever field the service named."""
    return {"form": next(iter(errors.values()), "")}


async def _respond(request: Request, form: Any) -> None:
    interest_id = params.pk(form.get("interest"))
    answer = form.get("answer")
    if interest_id is None or answer not in ("accept", "decline"):
        raise ServiceFailure(Invalid("answer", "choose accept or decline"))
    message = params.text(form.get("message"), 10_000) or None
    actor = page_actor(request, await page_viewer(request))
    await proposal_actions.respond(_db(request), actor, interest_id, answer == "accept", message)
