"""The questionnaire of a survey campaign: typed questions in sections, and answer checks.

A campaign stores its questionnaire as one JSON document (``SurveyCampaign.sections``):
``[{"key", "title": {lang: text}, "questions": [{"key", "kind", "label", "help", "unit",
"min", "max", "required", "choices": [{"key", "label"}]}]}]``. This module turns it into typed
objects, checks a questionnaire staff send, and checks answers against it. Answer problems carry
a code and parameters besides an English message, so pages can show them in the reader's
language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from accr_graph.countries import is_language
from accr_graph.services.errors import Invalid, fail

KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
# Choice keys may start with a digit (the starter's budget bands: "250k_1m", "1m_3m").
CHOICE_KEY = re.compile(r"^[a-z0-9][a-z0-9_]{0,59}$")
MAX_LABEL = 300
MAX_HELP = 2000
MAX_SHORT_TEXT = 500
MAX_QUESTIONS = 200
MAX_CHOICES = 60
MAX_SECTIONS = 30  # also bounds the query cost of sections x questions (web/cost.py)
NUMBER_LIMIT = 1e15  # beyond any count or budget a centre reports; keeps floats exact enough

Texts = dict[str, str]
# An answer as stored: int | float | str | bool | list[str]; None is "no answer".
Answer = int | float | str | bool | list[str]


class QuestionKind(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    SHORT_TEXT = "short_text"

    @property
    def numeric(self) -> bool:
        return self in (QuestionKind.INTEGER, QuestionKind.DECIMAL)


@dataclass(frozen=True, slots=True)
class Choice:
    key: str
    label: Texts


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    kind: QuestionKind
    label: Texts
    help: Texts = field(default_factory=dict)
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()

    def choice_keys(self) -> list[str]:
        return [c.key for c in self.choices]


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: Texts
    questions: tuple[Question, ...]


# --- reading and writing the JSON document ------------------------------------------------------


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def question_from_json(data: Mapping[str, Any]) -> Question:
    return Question(
        key=data["key"],
        kind=QuestionKind(data["kind"]),
        label=dict(data.get("label") or {}),
        help=dict(data.get("help") or {}),
        unit=data.get("unit"),
        min=_number(data.get("min")),
        max=_number(data.get("max")),
        required=bool(data.get("required", False)),
        choices=tuple(
            Choice(c["key"], dict(c.get("label") or {})) for c in data.get("choices", [])
        ),
    )


def sections_from_json(data: Sequence[Mapping[str, Any]]) -> list[Section]:
    return [
        Section(
            s["key"], dict(s.get("title") or {}), tuple(map(question_from_json, s["questions"]))
        )
        for s in data
    ]


def question_to_json(q: Question) -> dict[str, Any]:
    return {
        "key": q.key,
        "kind": q.kind.value,
        "label": q.label,
        "help": q.help,
        "unit": q.unit,
        "min": q.min,
        "max": q.max,
        "required": q.required,
        "choices": [{"key": c.key, "label": c.label} for c in q.choices],
    }


def sections_to_json(sections: Sequence[Section]) -> list[dict[str, Any]]:
    return [
        {"key": s.key, "title": s.title, "questions": [question_to_json(q) for q in s.questions]}
        for s in sections
    ]


def questions_of(sections: Sequence[Section]) -> list[Question]:
    return [q for s in sections for q in s.questions]


# --- checking a questionnaire sent by staff ------------------------------------------------------


def _invalid(where: str, message: str) -> Exception:
    return fail(Invalid(where, message))


def _key(value: str, where: str, pattern: re.Pattern[str] = KEY) -> str:
    if not pattern.match(value):
        raise _invalid(where, f"'{value}' is not a key: lower-case letters, digits and _ (<= 60)")
    return value


def _texts(texts: Mapping[str, str], where: str, limit: int, required: bool) -> Texts:
    result: Texts = {}
    for lang, text in texts.items():
        if not is_language(lang):
            raise _invalid(f"{where}.lang", f"'{lang}' is not an ISO 639-1 language code")
        cleaned = text.strip()
        if len(cleaned) > limit:
            raise _invalid(where, f"is {len(cleaned)} characters long; the maximum is {limit}")
        if cleaned:
            result[lang] = cleaned
    if required and not result:
        raise _invalid(where, "needs a text in at least one language")
    return result


def _check_bounds(q: Question, where: str) -> None:
    for name, bound in (("min", q.min), ("max", q.max)):
        if bound is not None and (not math.isfinite(bound) or abs(bound) > NUMBER_LIMIT):
            raise _invalid(f"{where}.{name}", f"must be a number within ±{NUMBER_LIMIT:.0e}")
    if (q.min is not None or q.max is not None) and not q.kind.numeric:
        raise _invalid(f"{where}.min", "bounds are for integer and decimal questions only")
    if q.min is not None and q.max is not None and q.max < q.min:
        raise _invalid(f"{where}.max", f"must not be below min ({q.min:g})")


def _check_choices(q: Question, where: str) -> tuple[Choice, ...]:
    is_choice = q.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
    if is_choice and not 2 <= len(q.choices) <= MAX_CHOICES:
        raise _invalid(f"{where}.choices", f"a choice question needs 2 to {MAX_CHOICES} choices")
    if not is_choice and q.choices:
        raise _invalid(f"{where}.choices", "only choice questions have choices")
    keys = [_key(c.key, f"{where}.choices.key", CHOICE_KEY) for c in q.choices]
    if len(set(keys)) != len(keys):
        raise _invalid(f"{where}.choices", "choice keys must be different")
    return tuple(
        Choice(c.key, _texts(c.label, f"{where}.choices.label", MAX_LABEL, True)) for c in q.choices
    )


def check_question(q: Question, where: str) -> Question:
    _key(q.key, f"{where}.key")
    _check_bounds(q, where)
    unit = (q.unit or "").strip() or None
    if unit is not None and len(unit) > 40:
        raise _invalid(f"{where}.unit", "is longer than 40 characters")
    return Question(
        key=q.key,
        kind=q.kind,
        label=_texts(q.label, f"{where}.label", MAX_LABEL, True),
        help=_texts(q.help, f"{where}.help", MAX_HELP, False),
        unit=unit,
        min=q.min,
        max=q.max,
        required=q.required,
        choices=_check_choices(q, where),
    )


def check_sections(sections: Sequence[Section]) -> list[Section]:
    """The questionnaire, cleaned; keys unique across sections; raises Invalid otherwise."""
    if not sections or not any(s.questions for s in sections):
        raise _invalid("sections", "a questionnaire needs at least one question")
    if len(questions_of(sections)) > MAX_QUESTIONS:
        raise _invalid("sections", f"at most {MAX_QUESTIONS} questions")
    if len(sections) > MAX_SECTIONS:
        raise _invalid("sections", f"at most {MAX_SECTIONS} sections")
    seen: set[str] = set()
    checked: list[Section] = []
    for i, s in enumerate(sections):
        where = f"sections.{i}"
        title = _texts(s.title, f"{where}.title", MAX_LABEL, True)
        questions = tuple(
            check_question(q, f"{where}.questions.{j}") for j, q in enumerate(s.questions)
        )
        for q in questions:
            if q.key in seen:
                raise _invalid(f"{where}.questions", f"the key '{q.key}' is used twice")
            seen.add(q.key)
        checked.append(Section(_key(s.key, f"{where}.key"), title, questions))
    return checked


# --- checking answers ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Why one answer is refused: ``code`` and ``params`` for translated messages."""

    key: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def field(self) -> str:
        return f"answers.{self.key}"

    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)


MESSAGES = {  # English message templates; also gettext ids (domain `observatory`)
    "required": "is required before submitting",
    "unknown_question": "is not a question of this campaign",
    "not_a_number": "must be a number",
    "not_whole": "must be a whole number (got {value})",
    "below_min": "must be at least {min} (got {value})",
    "above_max": "must be at most {max} (got {value})",
    "not_text": "must be a text",
    "too_long": "is {length} characters long; the maximum is {limit}",
    "not_yes_no": "must be yes or no",
    "one_choice": "takes exactly one of: {choices}",
    "unknown_choice": "'{value}' is not one of: {choices}",
}


class _Problem(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _as_number(q: Question, raw: object) -> int | float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise _Problem("not_a_number")
    if abs(raw) > NUMBER_LIMIT:
        raise _Problem(
            "above_max" if raw > 0 else "below_min", value=_fmt(raw), max="1e15", min="-1e15"
        )
    if q.kind is QuestionKind.INTEGER:
        if raw != int(raw):
            raise _Problem("not_whole", value=_fmt(raw))
        raw = int(raw)
    if q.min is not None and raw < q.min:
        raise _Problem("below_min", min=_fmt(q.min), value=_fmt(raw))
    if q.max is not None and raw > q.max:
        raise _Problem("above_max", max=_fmt(q.max), value=_fmt(raw))
    return raw if q.kind is QuestionKind.INTEGER else float(raw)


def _as_choices(q: Question, raw: object) -> str | list[str]:
    values = raw if isinstance(raw, list) else [raw]
    keys = q.choice_keys()
    for value in values:
        if not isinstance(value, str) or value not in keys:
            raise _Problem("unknown_choice", value=value, choices=", ".join(keys))
    if q.kind is QuestionKind.SINGLE_CHOICE:
        if len(values) != 1:
            raise _Problem("one_choice", choices=", ".join(keys))
        return str(values[0])
    return [k for k in keys if k in values]  # questionnaire order, no duplicates


def _as_text(raw: object) -> str | None:
    if not isinstance(raw, str):
        raise _Problem("not_text")
    cleaned = raw.strip()
    if len(cleaned) > MAX_SHORT_TEXT:
        raise _Problem("too_long", length=len(cleaned), limit=MAX_SHORT_TEXT)
    return cleaned or None


def clean_answer(q: Question, raw: object) -> Answer | None:
    """The stored form of one answer (None: unanswered); raises _Problem when refused."""
    if raw is None or raw == [] or raw == "":
        return None
    if q.kind.numeric:
        return _as_number(q, raw)
    if q.kind is QuestionKind.YES_NO:
        if not isinstance(raw, bool):
            raise _Problem("not_yes_no")
        return raw
    if q.kind is QuestionKind.SHORT_TEXT:
        return _as_text(raw)
    return _as_choices(q, raw)


def check_answers(
    questions: Sequence[Question], answers: Mapping[str, object], complete: bool
) -> tuple[dict[str, Answer], list[AnswerProblem]]:
    """Every answer cleaned, and every problem found (all of them, for a form to show at once).

    ``complete``: the response is being submitted, so required questions must be answered."""
    by_key = {q.key: q for q in questions}
    cleaned: dict[str, Answer] = {}
    problems = [AnswerProblem(k, "unknown_question") for k in answers if k not in by_key]
    for q in questions:
        try:
            value = clean_answer(q, answers.get(q.key))
        except _Problem as problem:
            problems.append(AnswerProblem(q.key, problem.code, problem.params))
            continue
        if value is not None:
            cleaned[q.key] = value
        elif complete and q.required:
            problems.append(AnswerProblem(q.key, "required"))
    return cleaned, problems


def raise_first(problems: Sequence[AnswerProblem]) -> None:
    """The API reports the first problem as a ValidationError naming its field."""
    if problems:
        first = problems[0]
        others = "; ".join(f"{p.field} {p.message()}" for p in problems[1:])
        more = f"; also {others}" if others else ""
        raise fail(Invalid(first.field, first.message() + more))
