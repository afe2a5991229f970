"""The yearly statistics survey in the API: campaigns, their questionnaire, responses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from accr_graph.db import models as m
from accr_graph.services import survey_questions as sq
from accr_graph.services import surveys as service
from schema.centres.types import Centre, centre_by_id
from schema.context import Info
from schema.i18n import LangArg, Translation, localise, translations
from schema.relay import Connection, Node, paging, slice_connection, to_global_id
from schema.surveys.loaders import SurveyCampaignByIdLoader
from schema.validation import decode_id

SurveyStatus = strawberry.enum(m.SurveyStatus, description="Where a campaign stands.")
SurveyResponseStatus = strawberry.enum(
    m.ResponseStatus, name="SurveyResponseStatus", description="Draft until submitted."
)
QuestionKind = strawberry.enum(sq.QuestionKind, description="What kind of answer a question takes.")


@strawberry.type(description="One choice of a single- or multiple-choice question.")
class SurveyChoice:
    key: str = strawberry.field(description="Stable key, the stored answer.")
    _label: strawberry.Private[dict[str, str]]

    @strawberry.field(description="The choice's text in one language.")
    def label(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._label, info, lang)


@strawberry.type(description="A question of a campaign's questionnaire.")
class SurveyQuestion:
    key: str = strawberry.field(
        description="Stable key: the same question keeps it across years, so series line up."
    )
    section: str = strawberry.field(description="Key of the section the question is in.")
    kind: sq.QuestionKind = strawberry.field(description="What kind of answer it takes.")
    unit: str | None = strawberry.field(description="Unit of a number (e.g. FTE, %); or null.")
    min: float | None = strawberry.field(description="Smallest number accepted; null: no bound.")
    max: float | None = strawberry.field(description="Largest number accepted; null: no bound.")
    required: bool = strawberry.field(
        description="True when a response cannot be submitted without it."
    )
    choices: list[SurveyChoice] = strawberry.field(description="Choices (choice questions only).")
    _question: strawberry.Private[sq.Question]

    @classmethod
    def build(cls, q: sq.Question, section: str) -> SurveyQuestion:
        choices = [SurveyChoice(key=c.key, _label=c.label) for c in q.choices]
        return cls(
            key=q.key,
            section=section,
            kind=q.kind,
            unit=q.unit,
            min=q.min,
            max=q.max,
            required=q.required,
            choices=choices,
            _question=q,
        )

    @strawberry.field(description="The question in one language.")
    def label(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._question.label, info, lang)

    @strawberry.field(description="The question in every language given.")
    def label_translations(self) -> list[Translation]:
        return translations(self._question.label)

    @strawberry.field(description="Help text in one language; empty when none.")
    def help(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._question.help, info, lang) if self._question.help else ""


@strawberry.type(description="A group of questions with a title.")
class SurveySection:
    key: str = strawberry.field(description="Stable key of the section.")
    questions: list[SurveyQuestion] = strawberry.field(description="The questions, in order.")
    _title: strawberry.Private[dict[str, str]]

    @strawberry.field(description="The section's title in one language.")
    def title(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._title, info, lang)


def sections_of(row: m.SurveyCampaign) -> list[SurveySection]:
    return [
        SurveySection(
            key=s.key,
            questions=[SurveyQuestion.build(q, s.key) for q in s.questions],
            _title=s.title,
        )
        for s in service.sections(row)
    ]


@strawberry.type(description="An answer's value; the field that fits the question's kind is set.")
class SurveyValue:
    number: float | None = strawberry.field(description="Integer and decimal questions.")
    text: str | None = strawberry.field(description="Short-text and single-choice questions.")
    choices: list[str] | None = strawberry.field(description="Choice keys (choice questions).")
    flag: bool | None = strawberry.field(description="Yes/no questions.")

    @classmethod
    def of(cls, value: Any) -> SurveyValue | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return cls(number=None, text=None, choices=None, flag=value)
        if isinstance(value, int | float):
            return cls(number=float(value), text=None, choices=None, flag=None)
        if isinstance(value, list):
            return cls(number=None, text=None, choices=[str(v) for v in value], flag=None)
        return cls(number=None, text=str(value), choices=[str(value)], flag=None)


@strawberry.type(description="One question's answer, with the centre's answer of the year before.")
class SurveyAnswer:
    key: str = strawberry.field(description="The question's key.")
    value: SurveyValue | None = strawberry.field(description="The answer; null when unanswered.")
    last_year: SurveyValue | None = strawberry.field(
        description="The centre's submitted answer in the previous campaign; null when none."
    )


@strawberry.type(description="A centre's answers to one campaign (visible to it and to staff).")
class SurveyResponse(Node):
    status: m.ResponseStatus = strawberry.field(description="Draft until submitted.")
    version: int = strawberry.field(description="Grows with every save; for expectedVersion.")
    submitted_at: datetime | None = strawberry.field(description="When it was submitted, or null.")
    updated_at: datetime = strawberry.field(description="Last save (ISO 8601, UTC).")
    _row: strawberry.Private[m.SurveyResponse]

    @classmethod
    def from_model(cls, row: m.SurveyResponse) -> SurveyResponse:
        return cls(
            id=to_global_id("SurveyResponse", row.id),
            status=row.status,
            version=row.version,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(description="The centre that answers.")
    def centre(self, info: Info) -> Centre:
        return centre_by_id(info, self._row.centre_id)

    @strawberry.field(description="The campaign answered.")
    async def campaign(self, info: Info) -> SurveyCampaign | None:
        row = await info.context.loaders.get(SurveyCampaignByIdLoader).load(self._row.campaign_id)
        return SurveyCampaign.from_model(row) if row else None

    @strawberry.field(description="One entry per question, in questionnaire order.")
    async def answers(self, info: Info) -> list[SurveyAnswer]:
        loader = info.context.loaders.get(SurveyCampaignByIdLoader)
        campaign = await loader.load(self._row.campaign_id)
        if campaign is None:
            return []
        db, viewer = info.context.sessionmaker, info.context.viewer
        before = await service.previous_answers(db, viewer, campaign, self._row.centre_id)
        saved = self._row.answers or {}
        return [
            SurveyAnswer(
                key=q.key,
                value=SurveyValue.of(saved.get(q.key)),
                last_year=SurveyValue.of(before.get(q.key)),
            )
            for q in service.questions(campaign)
        ]


@strawberry.type(description="Who has answered a campaign.")
class SurveyCompletion:
    expected: int = strawberry.field(description="Member centres asked to answer.")
    submitted: int = strawberry.field(description="Of them, those who submitted.")
    drafts: int = strawberry.field(description="Of them, those with a saved draft only.")
    rate: float = strawberry.field(description="submitted / expected, between 0 and 1.")
    missing: list[Centre] = strawberry.field(
        description="Centres that have not submitted, by name (staff only; empty for others)."
    )


@strawberry.type(description="A yearly statistics survey: its questionnaire and its answers.")
class SurveyCampaign(Node):
    year: int = strawberry.field(description="The year the statistics are about.")
    opens_on: date = strawberry.field(description="Planned opening date.")
    closes_on: date = strawberry.field(description="Closing date (deadline for centres).")
    status: m.SurveyStatus = strawberry.field(description="Draft, open or closed.")
    version: int = strawberry.field(description="Grows with every change; for expectedVersion.")
    _row: strawberry.Private[m.SurveyCampaign]

    @classmethod
    def from_model(cls, row: m.SurveyCampaign) -> SurveyCampaign:
        return cls(
            id=to_global_id("SurveyCampaign", row.id),
            year=row.year,
            opens_on=row.opens_on,
            closes_on=row.closes_on,
            status=row.status,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="The campaign's title in one language.")
    def title(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.title, info, lang)

    @strawberry.field(description="The questionnaire: sections of questions, in order.")
    def sections(self) -> list[SurveySection]:
        return sections_of(self._row)

    @strawberry.field(description="Every question, in order (the sections flattened).")
    def questions(self) -> list[SurveyQuestion]:
        return [q for s in sections_of(self._row) for q in s.questions]

    @strawberry.field(
        description="Responses you may see: every centre's for staff, your centre's for members."
    )
    async def responses(
        self,
        info: Info,
        status: m.ResponseStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SurveyResponse]:
        page = paging(info.context.settings, first, after)
        db, viewer = info.context.sessionmaker, info.context.viewer
        rows = await service.responses(db, viewer, self._row.id, status)
        return slice_connection(rows, page, SurveyResponse.from_model)

    @strawberry.field(description="Completion counts; the centres missing are listed for staff.")
    async def completion(self, info: Info) -> SurveyCompletion:
        found = await service.completion(
            info.context.sessionmaker, info.context.viewer, self._row.id
        )
        return SurveyCompletion(
            expected=found.expected,
            submitted=found.submitted,
            drafts=found.drafts,
            rate=found.rate,
            missing=[Centre.from_model(c) for c in found.missing],
        )

    @strawberry.field(
        description="A centre's response (default: your own centre's); null when none or hidden."
    )
    async def response(
        self, info: Info, centre_id: strawberry.ID | None = None
    ) -> SurveyResponse | None:
        viewer = info.context.viewer
        centre = decode_id(centre_id, "Centre", "centreId") if centre_id else viewer.centre_id
        if centre is None:
            return None
        found = await service.response_of(info.context.sessionmaker, viewer, self._row.id, centre)
        return SurveyResponse.from_model(found) if found else None
