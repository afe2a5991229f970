"""/surveys/{id}: a centre fills in the year's statistics (fr/en), saves a draft or submits.

The form works without JavaScript. Every answer problem is shown beside its field at once, in
the reader's language (problem codes from ``survey_questions``, messages in the ``observatory``
gettext domain), with what the reader typed kept. Writes are one service call each.
"""

from __future__ import annotations

import math
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.db import models as m
from accr_graph.services import survey_questions as sq
from accr_graph.services import surveys
from accr_graph.services.errors import ServiceFailure
from accr_graph.web import params
from accr_graph.web.templating import (
    PageExit,
    error_page,
    gettext,
    page_actor,
    page_lang,
    path_object,
    read_form,
    render,
    require_signed_in,
)

MAX_NUMBER_TEXT = 40


def parse_number(text: str) -> object:
    """'12 500', '6,5' (French) or '6.5' as a number; anything else stays text (refused later)."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if len(cleaned) > MAX_NUMBER_TEXT:
        return text[:MAX_NUMBER_TEXT]
    try:
        value = float(cleaned)
    except ValueError:
        return text
    if not math.isfinite(value):
        return text
    return int(value) if value.is_integer() else value


def _answer(q: sq.Question, form: FormData) -> object:
    name = f"q_{q.key}"
    if q.kind is sq.QuestionKind.MULTIPLE_CHOICE:
        return [str(v) for v in form.getlist(name)][:100]
    raw = params.text(form.get(name), 600).strip()
    if not raw:
        return None
    if q.kind.numeric:
        return parse_number(raw)
    if q.kind is sq.QuestionKind.YES_NO:
        return {"yes": True, "no": False}.get(raw, raw)
    return raw


def answers_from(questions: list[sq.Question], form: FormData) -> dict[str, object]:
    return {q.key: _answer(q, form) for q in questions}


def _shown(value: Any) -> Any:
    """A stored answer as the form shows it (numbers without a useless '.0')."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def problem_messages(problems: list[sq.AnswerProblem], lang: str) -> dict[str, str]:
    return {p.key: gettext(lang, sq.MESSAGES[p.code]).format(**p.params) for p in problems}


async def _campaign_and_centre(request: Request) -> tuple[m.SurveyCampaign, int]:
    viewer = await require_signed_in(request)
    db = request.app.state.sessionmaker
    campaign = await path_object(
        request, "campaign_id", lambda pk: surveys.campaign(db, viewer, pk)
    )
    if viewer.centre_id is None and viewer.is_staff:  # a form is a centre's; staff read answers
        raise PageExit(RedirectResponse(f"/surveys/{campaign.id}/answers", status_code=303))
    if viewer.centre_id is None:
        raise PageExit(await error_page(request, 403))
    return campaign, viewer.centre_id


async def _page(
    request: Request,
    campaign: m.SurveyCampaign,
    centre_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    db, viewer = request.app.state.sessionmaker, await require_signed_in(request)
    response = await surveys.response_of(db, viewer, campaign.id, centre_id)
    saved = {k: _shown(v) for k, v in (response.answers if response else {}).items()}
    before = await surveys.previous_answers(db, viewer, campaign, centre_id)
    context = {
        "campaign": campaign,
        "sections": surveys.sections(campaign),
        "values": values if values is not None else saved,
        "last_year": {k: _shown(v) for k, v in before.items()},
        "errors": errors or {},
        "response": response,
        "editable": campaign.status is m.SurveyStatus.OPEN
        and (response is None or response.status is m.ResponseStatus.DRAFT),
    }
    return await render(request, "survey.html", context, status)


async def survey_page(request: Request) -> Response:
    campaign, centre_id = await _campaign_and_centre(request)
    if request.method == "GET":
        return await _page(request, campaign, centre_id)
    form = await read_form(request)
    questions = surveys.questions(campaign)
    answers = answers_from(questions, form)
    submit = form.get("action") == "submit"
    action = surveys.submit_response if submit else surveys.save_response
    db, viewer = request.app.state.sessionmaker, await require_signed_in(request)
    try:
        await action(db, page_actor(request, viewer), campaign.id, centre_id, answers)
    except ServiceFailure as failure:
        lang = await page_lang(request)
        problems = sq.check_answers(questions, answers, submit)[1]
        errors = problem_messages(problems, lang) or {
            "form": gettext(lang, getattr(failure.failure, "message", ""))
        }
        return await _page(request, campaign, centre_id, answers, errors, 400)
    done = "submitted" if submit else "saved"
    return RedirectResponse(f"/surveys/{campaign.id}?done={done}", status_code=303)
