"""Single edits of a draft questionnaire, for the staff page that builds it question by question.

Each function returns an *edit*: a pure function from the stored sections to the new ones, which
``surveys.change_questionnaire`` applies inside one unit of work (version checked, the whole
questionnaire checked again by ``survey_questions.check_sections``, audited). Keys of existing
questions and sections never change here: answers and year-on-year series are keyed by them. New
ones get a key from their label when staff leave it empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from accr_graph.services import survey_questions as sq
from accr_graph.services.errors import Invalid, fail
from accr_graph.text import slugify

Edit = Callable[[list[sq.Section]], list[sq.Section]]
_KEY_LENGTH = 40


def key_from(texts: dict[str, str], taken: Iterable[str], fallback: str) -> str:
    """A key for a new question, section or choice: its English (else any) label as lower-case
    words joined by _, made unique among ``taken``."""
    label = texts.get("en") or next(iter(texts.values()), "") or fallback
    # slugify keeps letters NFKD cannot split ("œ", "ł"): keys are ASCII only.
    base = re.sub(r"[^a-z0-9_]", "", slugify(label, _KEY_LENGTH).replace("-", "_"))
    if not re.match(r"[a-z]", base):
        base = f"{fallback}_{base}".rstrip("_")
    used, key, n = set(taken), base, 2
    while key in used:
        key, n = f"{base}_{n}", n + 1
    return key


def all_keys(sections: list[sq.Section]) -> set[str]:
    return {q.key for q in sq.questions_of(sections)}


def _section_index(sections: list[sq.Section], key: str) -> int:
    for i, section in enumerate(sections):
        if section.key == key:
            return i
    raise fail(Invalid("section", "No such section: the questionnaire changed, reload it."))


def _question_place(sections: list[sq.Section], key: str) -> tuple[int, int]:
    for i, section in enumerate(sections):
        for j, question in enumerate(section.questions):
            if question.key == key:
                return i, j
    raise fail(Invalid("key", "No such question: the questionnaire changed, reload it."))


def _with_questions(section: sq.Section, questions: list[sq.Question]) -> sq.Section:
    return replace(section, questions=tuple(questions))


def add_question(section_key: str, question: sq.Question) -> Edit:
    """``question`` at the end of the section; an empty key is made from its label."""

    def edit(sections: list[sq.Section]) -> list[sq.Section]:
        i = _section_index(sections, section_key)
        taken = all_keys(sections)
        key = question.key or key_from(question.label, taken, "question")
        if key in taken:
            raise fail(Invalid("key", f"the key '{key}' is used twice"))
        added = replace(question, key=key)
        sections[i] = _with_questions(sections[i], [*sections[i].questions, added])
        return sections

    return edit


def change_question(question: sq.Question) -> Edit:
    """The question with ``question.key`` replaced by ``question`` (same key, same place)."""

    def edit(sections: list[sq.Section]) -> list[sq.Section]:
        i, j = _question_place(sections, question.key)
        questions = list(sections[i].questions)
        questions[j] = question
        sections[i] = _with_questions(sections[i], questions)
        return sections

    return edit


def remove_question(key: str) -> Edit:
    def edit(sections: list[sq.Section]) -> list[sq.Section]:
        i, j = _question_place(sections, key)
        questions = list(sections[i].questions)
        del questions[j]
        sections[i] = _with_questions(sections[i], questions)
        return sections

    return edit


def move_question(key: str, step: int) -> Edit:
    """One place up (step -1) or down (+1); past the first or last question of its section it
    goes to the end of the previous section or the start of the next one."""

    def edit(sections: list[sq.Section]) -> list[sq.Section]:
        i, j = _question_place(sections, key)
        questions = list(sections[i].questions)
        moving = questions[j]
        target = j + step
        if 0 <= target < len(questions):
            questions[j], questions[target] = questions[target], moving
            sections[i] = _with_questions(sections[i], questions)
            return sections
        k = i + step
        if not 0 <= k < len(sections):
            return sections  # already first or last of the questionnaire
        del questions[j]
        sections[i] = _with_questions(sections[i], questions)
        others = list(sections[k].questions)
        placed = [*others, moving] if step < 0 else [moving, *others]
        sections[k] = _with_questions(sections[k], placed)
        return sections

    return edit


def add_section(key: str, title: dict[str, str]) -> Edit:
    """A new, empty section at the end (it takes questions once added to it)."""

    def edit(sections: list[sq.Section]) -> list[sq.Section]:
        taken = {s.key for s in sections}
        chosen = key or key_from(title, taken, "section")
        if chosen in taken:
            raise fail(Invalid("key", f"the key '{chosen}' is used twice"))
        return [*sections, sq.Section(chosen, title, ())]

    return edit


def rename_section(key: str, title: dict[str, str]) -> Edit:
    def edit(sections: list[sq.Section]) -> list[sq.Section]:
        i = _section_index(sections, key)
        sections[i] = replace(sections[i], title=title)
        return sections

    return edit


def remove_section(key: str) -> Edit:
    """Only an empty section goes: its questions are moved or removed first, one decision each."""

    def edit(sections: list[sq.Section]) -> list[sq.Section]:
        i = _section_index(sections, key)
        if sections[i].questions:
            raise fail(Invalid("section", "move or remove its questions first"))
        del sections[i]
        return sections

    return edit
