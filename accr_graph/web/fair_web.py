"""/fairs and /fairs/{id}: the Project Fair for members (registration, meeting requests,
suggested meetings, the agenda in the fair's local time, .ics and a private calendar link) and
its administration for staff (registration open/close, scheduler run, publication, print)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.services import (
    fair_editions,
    fair_requests,
    fair_schedule,
    fair_views,
    meeting_calendar,
)
from accr_graph.services.errors import Invalid, ServiceFailure
from accr_graph.services.fair_editions import RegistrationSpec
from accr_graph.web import params
from accr_graph.web.form_errors import errors_of
from accr_graph.web.page_errors import status_of
from accr_graph.web.templating import (
    error_page,
    page_actor,
    page_viewer,
    path_object,
    read_form,
    render,
    require_signed_in,
)

DONE = {
    "registered",
    "requested",
    "answered",
    "open",
    "closed",
    "scheduled",
    "published",
    "table",
    "table-cancelled",
}
# The consortium table form's fields, apart from the other forms of the page.
TABLE_NAMES = {
    "proposalId": "table_proposal",
    "centreIds": "table_members",
    "priority": "table_priority",
    "message": "table_message",
    "meetingId": "form",
}
STAFF_ACTIONS = {"open", "close", "schedule", "publish"}


def _db(request: Request) -> Any:
    return request.app.state.sessionmaker


async def fairs_page(request: Request) -> Response:
    return await render(request, "fairs.html", {"fairs": await fair_views.editions(_db(request))})


async def _view(request: Request) -> fair_views.FairView:
    viewer = await page_viewer(request)
    engine = request.app.state.matching.for_request()
    return await path_object(
        request, "fair_id", lambda pk: fair_views.edition(_db(request), engine, viewer, pk)
    )


async def fair_page(request: Request) -> Response:
    return await _page(request, await _view(request))


async def _page(
    request: Request,
    view: fair_views.FairView,
    errors: dict[str, str] | None = None,
    status: int = 200,
    feed_url: str | None = None,
    table_values: dict[str, Any] | None = None,
) -> Response:
    context = {
        "f": view,
        "errors": errors or {},
        "table_values": table_values or {"priority": "3", "members": [], "proposal": ""},
        "done": params.one_of(request.query_params.get("done"), DONE),
        "feed_url": feed_url,
    }
    return await render(request, "fair.html", context, status)


async def fair_action(request: Request) -> Response:
    """POST /fairs/{id}/{action}."""
    viewer = await require_signed_in(request)
    view = await _view(request)
    form = await read_form(request)
    action = request.path_params["action"]
    try:
        if action == "calendar":
            _, secret = await meeting_calendar.create_feed(
                _db(request), page_actor(request, viewer)
            )
            url = f"{request.base_url}calendar/{secret}.ics"
            return await _page(request, view, feed_url=url)
        done = await _act(request, view, form, action)
    except ServiceFailure as failure:
        status = status_of(failure.failure)
        if action == "table":
            errors = await errors_of(request, failure, TABLE_NAMES)
            errors.setdefault("form", next(iter(errors.values())))
            kept = _table_values(form)
            return await _page(request, await _view(request), errors, status, table_values=kept)
        found = await errors_of(request, failure)
        message = {"form": next(iter(found.values()))}
        return await _page(request, await _view(request), message, status)
    if done is None:
        return await error_page(request, 404)
    return RedirectResponse(f"/fairs/{view.fair.id}?done={done}#{_anchor(done)}", status_code=303)


def _anchor(done: str) -> str:
    if done in {"table", "table-cancelled"}:
        return "tables"
    return "admin" if done in {"open", "closed", "scheduled", "published"} else "participation"


def _table_values(form: FormData) -> dict[str, Any]:
    return {
        "proposal": params.text(form.get("proposal"), 20),
        "members": [params.text(v, 20) for v in form.getlist("members")][:20],
        "priority": params.text(form.get("priority"), 2),
        "message": params.text(form.get("message"), 2000),
    }


async def _table(request: Request, fair_id: int, form: FormData) -> str:
    """A consortium table about one of the centre's proposals, with interested centres."""
    actor = page_actor(request, await page_viewer(request))
    proposal = params.pk(form.get("proposal"))
    if proposal is None:
        raise ServiceFailure(Invalid("proposalId", "choose a proposal"))
    members = [params.pk(v) for v in form.getlist("members")][:20]
    chosen = [c for c in members if c is not None]
    priority = params.digits(form.get("priority"), 1, 5) or 3
    message = params.text(form.get("message"), 2000) or None
    await fair_requests.request_consortium_table(
        _db(request), actor, fair_id, proposal, chosen, priority, message
    )
    return "table"


async def _cancel_table(request: Request, form: FormData) -> str:
    actor = page_actor(request, await page_viewer(request))
    meeting = params.pk(form.get("meeting"))
    if meeting is None:
        raise ServiceFailure(Invalid("meetingId", "choose a meeting"))
    await fair_schedule.cancel_meeting(_db(request), actor, meeting)
    return "table-cancelled"


async def _act(
    request: Request, view: fair_views.FairView, form: FormData, action: str
) -> str | None:
    actor = page_actor(request, await page_viewer(request))
    db, fair_id = _db(request), view.fair.id
    if action == "register":
        await fair_editions.register_for_fair(db, actor, fair_id, None, _registration(form))
        return "registered"
    if action == "request":
        target = params.pk(form.get("centre"))
        if target is None:
            raise ServiceFailure(Invalid("centre", "choose a centre"))
        priority = params.digits(form.get("priority"), 1, 5) or 3
        message = params.text(form.get("message"), 2000) or None
        await fair_requests.request_meeting(
            db, actor, fair_id, None, target, None, priority, message
        )
        return "requested"
    if action == "respond":
        request_id = params.pk(form.get("request"))
        answer = form.get("answer")
        if request_id is None or answer not in ("accept", "decline"):
            raise ServiceFailure(Invalid("answer", "choose accept or decline"))
        await fair_requests.respond_to_meeting_request(db, actor, request_id, answer == "accept")
        return "answered"
    if action == "table":
        return await _table(request, fair_id, form)
    if action == "cancel-table":
        return await _cancel_table(request, form)
    if action in STAFF_ACTIONS:
        return await _staff_act(request, fair_id, action)
    return None


async def _staff_act(request: Request, fair_id: int, action: str) -> str:
    actor = page_actor(request, await page_viewer(request))
    db = _db(request)
    if action in ("open", "close"):
        await fair_editions.set_registration_open(db, actor, fair_id, action == "open")
        return "open" if action == "open" else "closed"
    if action == "schedule":
        await fair_schedule.schedule_fair(db, actor, fair_id)
        return "scheduled"
    await fair_schedule.publish_schedule(db, actor, fair_id)
    return "published"


def _registration(form: FormData) -> RegistrationSpec:
    raw = params.text(form.get("representatives"), 2000).replace("\n", ",")
    names = tuple(n.strip() for n in raw.split(",") if n.strip())
    if not names:
        raise ServiceFailure(Invalid("representatives", "give at least one name"))
    max_meetings = params.digits(form.get("max_meetings"), 1, 500)
    return RegistrationSpec(
        representatives=names[:10],
        max_meetings=max_meetings,
        unavailable_slot_ids=_ids(form, "unavailable"),
        proposal_ids=_ids(form, "proposals"),
    )


def _ids(form: FormData, name: str) -> tuple[int, ...]:
    """Checked boxes' ids (the service refuses ids that are not the fair's or the centre's)."""
    found = (params.pk(value) for value in form.getlist(name)[:200])
    return tuple(dict.fromkeys(i for i in found if i is not None))
