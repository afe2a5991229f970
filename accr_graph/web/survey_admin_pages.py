"""Staff pages of the yearly survey: /surveys (campaigns: create, open, close, remind; completion)
and /surveys/{id}/answers (who is missing, a table per question, reopen a submitted response).

Plain forms with a CSRF token, no JavaScript needed. Each action is one service call
(``services.surveys``); a refused action re-displays the page with the reason, never a 500.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.services import survey_admin, surveys
from accr_graph.services.errors import Invalid, ServiceFailure, fail
from accr_graph.web import params
from accr_graph.web.form_errors import translate
from accr_graph.web.templating import (
    PageExit,
    error_page,
    gettext,
    page_actor,
    page_lang,
    read_form,
    render,
    require_staff,
)

ACTIONS = ("open", "close", "remind", "reopen")
FIELDS = {"year": "year", "opensOn": "opens_on", "closesOn": "closes_on"}  # API -> form names


def new_campaign_defaults(
    summaries: list[survey_admin.CampaignSummary], today: date | None = None
) -> dict[str, str]:
    """The next campaign: the year after the latest one, else the latest year whose campaign
    (asked from 15 January to 31 March of the year after) has not closed yet."""
    latest = max((s.campaign.year for s in summaries), default=None)
    today = today or datetime.now(UTC).date()
    fresh = today.year - 1 if today <= date(today.year, 3, 31) else today.year
    year = latest + 1 if latest is not None else fresh
    return {
        "year": str(year),
        "opens_on": date(year + 1, 1, 15).isoformat(),
        "closes_on": date(year + 1, 3, 31).isoformat(),
    }


async def _list_page(
    request: Request,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    viewer = await require_staff(request)
    summaries = await survey_admin.campaign_summaries(request.app.state.sessionmaker, viewer)
    context = {
        "summaries": summaries,
        "values": values or new_campaign_defaults(summaries),
        "errors": errors or {},
    }
    return await render(request, "surveys.html", context, status)


def _date(raw: str, name: str, errors: dict[str, str], lang: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        errors[name] = gettext(lang, "Enter a date as YYYY-MM-DD.")
        return None


def _read_campaign(form: FormData, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    values = {name: params.text(form.get(name), 20) for name in ("year", "opens_on", "closes_on")}
    errors: dict[str, str] = {}
    if params.digits(values["year"], surveys.FIRST_YEAR, surveys.LAST_YEAR) is None:
        errors["year"] = gettext(lang, "Enter a year between 2000 and 2100.")
    for name in ("opens_on", "closes_on"):
        if not values[name]:
            errors[name] = gettext(lang, "Enter a date.")
    opens = _date(values["opens_on"], "opens_on", errors, lang)
    closes = _date(values["closes_on"], "closes_on", errors, lang)
    if opens and closes and closes < opens:
        errors["closes_on"] = gettext(lang, "The closing date must not be before the opening date.")
    return values, errors


def _failure_message(failure: ServiceFailure, lang: str) -> tuple[str, str]:
    """(form field, message in the reader's language) of a refused write."""
    problem = failure.failure
    field = FIELDS.get(problem.field, "form") if isinstance(problem, Invalid) else "form"
    return field, translate(lang, getattr(problem, "message", ""))


async def surveys_page(request: Request) -> Response:
    viewer = await require_staff(request)
    if request.method == "GET":
        return await _list_page(request)
    form = await read_form(request)
    lang = await page_lang(request)
    values, errors = _read_campaign(form, lang)
    if errors:
        return await _list_page(request, values, errors, 400)
    changes = surveys.CampaignChanges(
        opens_on=date.fromisoformat(values["opens_on"]),
        closes_on=date.fromisoformat(values["closes_on"]),
    )
    db = request.app.state.sessionmaker
    try:
        await surveys.create_campaign(db, page_actor(request, viewer), int(values["year"]), changes)
    except ServiceFailure as failure:
        field, message = _failure_message(failure, lang)
        return await _list_page(request, values, {field: message}, 400)
    return RedirectResponse(f"/surveys?done=created&year={int(values['year'])}", status_code=303)


async def _answers_page(
    request: Request, campaign_id: int, problem: str = "", status: int = 200
) -> Response:
    viewer = await require_staff(request)
    sheet = await survey_admin.answer_sheet(request.app.state.sessionmaker, viewer, campaign_id)
    if sheet is None:
        raise PageExit(await error_page(request, 404))
    context: dict[str, Any] = {"sheet": sheet, "problem": problem}
    return await render(request, "survey_answers.html", context, status)


async def survey_answers_page(request: Request) -> Response:
    ident = params.pk(request.path_params["campaign_id"])
    if ident is None:
        await require_staff(request)
        return await error_page(request, 404)
    return await _answers_page(request, ident)


async def _act(request: Request, action: str, campaign_id: int, form: FormData) -> str:
    """Run one action; the query string of the page to come back to."""
    viewer = await require_staff(request)
    db, actor = request.app.state.sessionmaker, page_actor(request, viewer)
    if action == "open":
        await surveys.open_campaign(db, actor, campaign_id)
    elif action == "close":
        await surveys.close_campaign(db, actor, campaign_id)
    elif action == "remind":
        _, count = await surveys.remind(db, actor, campaign_id)
        return f"done=reminded&count={count}"
    else:
        response_id = params.pk(form.get("response"))
        if response_id is None:
            raise fail(Invalid("response", "No such survey response."))
        await surveys.reopen_response(db, actor, response_id)
    return {"open": "done=opened", "close": "done=closed"}.get(action, "done=reopened")


async def survey_action(request: Request) -> Response:
    await require_staff(request)
    action = request.path_params["action"]
    ident = params.pk(request.path_params["campaign_id"])
    if action not in ACTIONS or ident is None:
        return await error_page(request, 404)
    form = await read_form(request)
    back = f"/surveys/{ident}/answers" if form.get("back") == "answers" else "/surveys"
    try:
        query = await _act(request, action, ident, form)
    except ServiceFailure as failure:
        message = _failure_message(failure, await page_lang(request))[1]
        if back == "/surveys":
            return await _list_page(request, errors={"form": message}, status=400)
        return await _answers_page(request, ident, message, 400)
    return RedirectResponse(f"{back}?{query}", status_code=303)
