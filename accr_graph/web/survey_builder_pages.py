"""/surveys/{id}/edit (staff): a campaign's title and dates, and while it is a draft its
questionnaire, built question by question — add, change, move, remove questions and sections.

Plain forms, one per question, no JavaScript needed. Every form carries the campaign's version:
an edit made on a page that someone else changed in the meantime is refused and the page comes
back as it is now, with the edit still typed in, to apply again. Each edit is one service call
(``survey_editing`` edits through ``surveys.change_questionnaire``). Choices are typed one per
line, ``French | English``; existing ones start with their key so answers stay attached to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.db import models as m
from accr_graph.services import survey_editing as se
from accr_graph.services import survey_questions as sq
from accr_graph.services import surveys
from accr_graph.services.errors import Conflict, Invalid, ServiceFailure
from accr_graph.web import params
from accr_graph.web.form_errors import translate
from accr_graph.web.messages import N_
from accr_graph.web.survey_pages import parse_number
from accr_graph.web.templating import (
    error_page,
    gettext,
    page_actor,
    page_lang,
    path_object,
    read_form,
    render,
    require_staff,
)

QUESTION_OPS = ("add_question", "change_question")
OPS: tuple[str, ...] = (*QUESTION_OPS, "remove_question", "move_up", "move_down")
OPS += ("add_section", "rename_section", "remove_section", "details")
KIND_NAMES = {
    sq.QuestionKind.INTEGER: N_("Whole number"),
    sq.QuestionKind.DECIMAL: N_("Decimal number"),
    sq.QuestionKind.SINGLE_CHOICE: N_("One choice in a list"),
    sq.QuestionKind.MULTIPLE_CHOICE: N_("Several choices in a list"),
    sq.QuestionKind.YES_NO: N_("Yes or no"),
    sq.QuestionKind.SHORT_TEXT: N_("Short text"),
}
# The service's field (last part of its dotted path) -> the form's field.
FIELDS = {"key": "key", "label": "label_fr", "help": "help_fr", "unit": "unit", "min": "min"}
FIELDS |= {"max": "max", "choices": "choices", "title": "title_fr", "questions": "key"}
FIELDS |= {"opensOn": "opens_on", "closesOn": "closes_on"}
TEXT_LIMIT = 2_000
CHOICES_LIMIT = 20_000


@dataclass
class Attempt:
    """What one posted form asked for, and what is wrong with it (shown beside its fields)."""

    op: str
    target: str  # the form it came from: a question's or section's key, "" for the new ones
    values: dict[str, str]
    version: int | None = None  # the campaign's version the page was showing
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def form_id(self) -> str:
        return f"{self.op}:{self.target}"


# --- reading the forms ---------------------------------------------------------------------------


def _texts(values: dict[str, str], name: str) -> dict[str, str]:
    return {lang: values[f"{name}_{lang}"] for lang in ("fr", "en") if values.get(f"{name}_{lang}")}


def _bound(attempt: Attempt, name: str, lang: str) -> float | None:
    raw = attempt.values.get(name, "")
    if not raw:
        return None
    number = parse_number(raw)
    if isinstance(number, int | float):
        return float(number)
    attempt.errors[name] = gettext(lang, "Enter a number, like 12 or 6,5.")
    return None


def _choices(attempt: Attempt, lang: str) -> tuple[sq.Choice, ...]:
    """Lines ``key | French | English`` (existing) or ``French | English`` (new; key made)."""
    found: list[sq.Choice] = []
    for line in attempt.values.get("choices", "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        key, texts = ("", parts) if len(parts) < 3 else (parts[0], parts[1:3])
        label = {code: text for code, text in zip(("fr", "en"), texts, strict=False) if text}
        if len(parts) == 1:  # one label, in the language of the page it was typed on
            label = {lang: parts[0]}
        taken = [c.key for c in found]
        found.append(sq.Choice(key or se.key_from(label, taken, "choice"), label))
    return tuple(found)


def _question(attempt: Attempt, lang: str) -> sq.Question | None:
    values = attempt.values
    kind = params.one_of(values.get("kind"), [k.value for k in sq.QuestionKind])
    if kind is None:
        attempt.errors["kind"] = gettext(lang, "Choose the kind of answer.")
    label = _texts(values, "label")
    if not label:
        attempt.errors["label_fr"] = gettext(lang, "Write the question in French or in English.")
    low, high = _bound(attempt, "min", lang), _bound(attempt, "max", lang)
    choices = _choices(attempt, lang)
    is_choice = kind in (sq.QuestionKind.SINGLE_CHOICE, sq.QuestionKind.MULTIPLE_CHOICE)
    if is_choice and len(choices) < 2:
        attempt.errors["choices"] = gettext(lang, "Give at least two choices, one per line.")
    if attempt.errors or kind is None:
        return None
    numeric = sq.QuestionKind(kind).numeric
    return sq.Question(
        key=attempt.target if attempt.op == "change_question" else values.get("key", ""),
        kind=sq.QuestionKind(kind),
        label=label,
        help=_texts(values, "help"),
        unit=values.get("unit") if numeric else None,
        min=low if numeric else None,
        max=high if numeric else None,
        required=values.get("required") == "on",
        choices=choices if is_choice else (),
    )


def _read(form: FormData) -> Attempt:
    op = params.one_of(form.get("op"), OPS) or ""
    values = {
        name: params.text(value, CHOICES_LIMIT if name == "choices" else TEXT_LIMIT).strip()
        for name, value in form.multi_items()
        if name not in ("csrf", "op", "target", "version") and isinstance(value, str)
    }
    return Attempt(op, params.text(form.get("target"), 80), values, params.pk(form.get("version")))


def _edit(attempt: Attempt, lang: str) -> se.Edit | None:
    """The questionnaire edit the form asks for (None when the form itself is wrong)."""
    target, values = attempt.target, attempt.values
    if attempt.op in QUESTION_OPS:
        question = _question(attempt, lang)
        if question is None:
            return None
        if attempt.op == "add_question":
            return se.add_question(target, question)
        return se.change_question(question)
    if attempt.op in ("add_section", "rename_section"):
        title = _texts(values, "title")
        if not title:
            attempt.errors["title_fr"] = gettext(lang, "Give the section a title.")
            return None
        if attempt.op == "add_section":
            return se.add_section(values.get("key", ""), title)
        return se.rename_section(target, title)
    moves = {"move_up": -1, "move_down": 1}
    if attempt.op in moves:
        return se.move_question(target, moves[attempt.op])
    if attempt.op == "remove_question":
        return se.remove_question(target)
    return se.remove_section(target)


def _details(attempt: Attempt, lang: str) -> surveys.CampaignChanges | None:
    values, dates = attempt.values, {}
    for name in ("opens_on", "closes_on"):
        try:
            dates[name] = date.fromisoformat(values.get(name, ""))
        except ValueError:
            attempt.errors[name] = gettext(lang, "Enter a date as YYYY-MM-DD.")
    title = _texts(values, "title")
    if not title:
        attempt.errors["title_fr"] = gettext(lang, "Give the campaign a title.")
    if attempt.errors:
        return None
    return surveys.CampaignChanges(
        title=sorted(title.items()), opens_on=dates["opens_on"], closes_on=dates["closes_on"]
    )


# --- the page ------------------------------------------------------------------------------------


async def _campaign(request: Request) -> m.SurveyCampaign:
    viewer = await require_staff(request)
    db = request.app.state.sessionmaker
    return await path_object(request, "campaign_id", lambda pk: surveys.campaign(db, viewer, pk))


async def _page(
    request: Request, campaign: m.SurveyCampaign, attempt: Attempt | None = None, status: int = 200
) -> Response:
    def state_of(op: str, target: str, values: dict[str, str]) -> tuple[dict[str, str], Any]:
        """(values, errors) of one form: what was typed and refused, else what is stored."""
        if attempt is not None and (attempt.op, attempt.target) == (op, target):
            return attempt.values, attempt.errors
        return values, {}

    context = {
        "campaign": campaign,
        "state_of": state_of,
        "sections": surveys.sections(campaign),
        "draft": campaign.status is m.SurveyStatus.DRAFT,
        "closed": campaign.status is m.SurveyStatus.CLOSED,
        "kinds": [(kind.value, name) for kind, name in KIND_NAMES.items()],
        "failed": attempt,
        "done": params.one_of(request.query_params.get("done"), OPS),
        "form_of": question_form_values,
    }
    return await render(request, "survey_edit.html", context, status)


def _failure(attempt: Attempt, failure: ServiceFailure, lang: str) -> None:
    problem = failure.failure
    if isinstance(problem, Conflict):
        attempt.errors["form"] = gettext(
            lang,
            "Someone changed this campaign while you were editing it. It is shown as it is now, "
            "with your change still typed in: check it and send it again.",
        )
        return
    message = translate(lang, getattr(problem, "message", ""))
    if isinstance(problem, Invalid):
        name = FIELDS.get(problem.field.split(".")[-1], "form")
        attempt.errors[name if name in attempt.values else "form"] = message
    else:
        attempt.errors["form"] = message


async def _apply(request: Request, campaign: m.SurveyCampaign, attempt: Attempt) -> None:
    lang = await page_lang(request)
    viewer = await require_staff(request)
    db, actor = request.app.state.sessionmaker, page_actor(request, viewer)
    version = attempt.version
    try:
        if attempt.op == "details":
            changes = _details(attempt, lang)
            if changes is not None:
                await surveys.update_campaign(db, actor, campaign.id, version, changes)
        else:
            edit = _edit(attempt, lang)
            if edit is not None:
                await surveys.change_questionnaire(db, actor, campaign.id, version, edit)
    except ServiceFailure as failure:
        _failure(attempt, failure, lang)


def _anchor(attempt: Attempt) -> str:
    """Where the page scrolls back to after an edit: the question or section edited."""
    if attempt.op in ("change_question", "move_up", "move_down"):
        return f"#q-{attempt.target}"
    return f"#s-{attempt.target}" if attempt.op in ("add_question", "rename_section") else ""


async def survey_edit_page(request: Request) -> Response:
    campaign = await _campaign(request)
    if request.method == "GET":
        return await _page(request, campaign)
    attempt = _read(await read_form(request))
    if not attempt.op:
        return await error_page(request, 400)
    await _apply(request, campaign, attempt)
    if attempt.errors:
        return await _page(request, await _campaign(request), attempt, 400)
    where = f"/surveys/{campaign.id}/edit?done={attempt.op}{_anchor(attempt)}"
    return RedirectResponse(where, status_code=303)


def question_form_values(question: sq.Question) -> dict[str, Any]:
    """A stored question as its edit form shows it."""
    lines = [
        " | ".join((c.key, c.label.get("fr", ""), c.label.get("en", ""))) for c in question.choices
    ]
    return {
        "kind": question.kind.value,
        "label_fr": question.label.get("fr", ""),
        "label_en": question.label.get("en", ""),
        "help_fr": question.help.get("fr", ""),
        "help_en": question.help.get("en", ""),
        "unit": question.unit or "",
        "required": "on" if question.required else "",
        "choices": "\n".join(lines),
        "min": _plain(question.min),
        "max": _plain(question.max),
    }


def _plain(bound: float | None) -> str:
    """A bound as staff type it: 5000000, not 5e+06; 2.5 stays 2.5."""
    if bound is None:
        return ""
    return str(int(bound)) if bound.is_integer() else repr(bound)
