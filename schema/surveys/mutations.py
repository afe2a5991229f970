"""Survey mutations: adapters over ``accr_graph.services.surveys`` (one unit of work each)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import strawberry

from accr_graph.db import models as m
from accr_graph.services import survey_questions as sq
from accr_graph.services import surveys as service
from accr_graph.services.errors import Invalid, ServiceFailure, fail
from accr_graph.services.surveys import CampaignChanges
from accr_graph.services.uow import Actor
from schema.context import Info
from schema.errors import to_graphql_error
from schema.mutations import TranslationInput, payload, pk, required_pk, texts
from schema.surveys.types import SurveyCampaign, SurveyResponse

T = TypeVar("T")
S = TypeVar("S")


@strawberry.input(description="One choice of a choice question.")
class SurveyChoiceInput:
    key: str = strawberry.field(description="Stable key (lower-case letters, digits, _).")
    label: list[TranslationInput] = strawberry.field(description="Text, one per language.")


@strawberry.input(description="A question; its key stays the same across years.")
class SurveyQuestionInput:
    key: str = strawberry.field(description="Stable key (lower-case letters, digits, _).")
    kind: sq.QuestionKind = strawberry.field(description="What kind of answer it takes.")
    label: list[TranslationInput] = strawberry.field(description="The question, per language.")
    help: list[TranslationInput] | None = strawberry.field(
        default=None, description="Help text, per language."
    )
    unit: str | None = strawberry.field(default=None, description="Unit of a number.")
    min: float | None = strawberry.field(default=None, description="Smallest number accepted.")
    max: float | None = strawberry.field(default=None, description="Largest number accepted.")
    required: bool = strawberry.field(default=False, description="Needed to submit.")
    choices: list[SurveyChoiceInput] | None = strawberry.field(
        default=None, description="Choices (choice questions only)."
    )

    def to_data(self) -> sq.Question:
        return sq.Question(
            key=self.key,
            kind=sq.QuestionKind(self.kind),
            label=dict(texts(self.label) or []),
            help=dict(texts(self.help) or []),
            unit=self.unit,
            min=self.min,
            max=self.max,
            required=self.required,
            choices=tuple(sq.Choice(c.key, dict(texts(c.label) or [])) for c in self.choices or []),
        )


@strawberry.input(description="A section of the questionnaire.")
class SurveySectionInput:
    key: str = strawberry.field(description="Stable key (lower-case letters, digits, _).")
    title: list[TranslationInput] = strawberry.field(description="Title, per language.")
    questions: list[SurveyQuestionInput] = strawberry.field(description="Questions, in order.")

    def to_data(self) -> sq.Section:
        return sq.Section(
            self.key, dict(texts(self.title) or []), tuple(q.to_data() for q in self.questions)
        )


def _sections(items: list[SurveySectionInput] | None) -> list[sq.Section] | None:
    return None if items is None else [s.to_data() for s in items]


@strawberry.input(
    description="A new campaign (a draft). Without sections, last year's "
    "questionnaire is copied (or the starter questionnaire for a first campaign)."
)
class CreateSurveyCampaignInput:
    year: int = strawberry.field(
        description="The year the statistics are about (one campaign per year)."
    )
    opens_on: date = strawberry.field(description="Planned opening date.")
    closes_on: date = strawberry.field(description="Closing date (not before the opening).")
    title: list[TranslationInput] | None = strawberry.field(
        default=None, description="Title per language; default 'Yearly statistics <year>'."
    )
    sections: list[SurveySectionInput] | None = strawberry.field(
        default=None, description="The questionnaire; default: copied (see above)."
    )


@strawberry.input(description="Changes to a campaign; omitted fields stay as they are.")
class UpdateSurveyCampaignInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the campaign.")
    expected_version: int | None = strawberry.field(
        default=None, description="The version you read; a different one gives Conflict."
    )
    opens_on: date | None = strawberry.field(default=None, description="Planned opening date.")
    closes_on: date | None = strawberry.field(default=None, description="Closing date.")
    title: list[TranslationInput] | None = strawberry.field(default=None, description="Title.")
    sections: list[SurveySectionInput] | None = strawberry.field(
        default=None, description="The whole questionnaire (drafts only)."
    )


@strawberry.input(description="Which campaign.")
class SurveyCampaignIdInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the campaign.")


@strawberry.input(
    description="One answer: set the field that fits the question's kind; "
    "all null clears the answer."
)
class SurveyAnswerInput:
    key: str = strawberry.field(description="The question's key.")
    number: float | None = strawberry.field(default=None, description="Integer/decimal answer.")
    text: str | None = strawberry.field(default=None, description="Short text, or a choice key.")
    choices: list[str] | None = strawberry.field(default=None, description="Choice keys.")
    flag: bool | None = strawberry.field(default=None, description="Yes/no answer.")

    def value(self) -> object:
        given = [v for v in (self.number, self.text, self.choices, self.flag) if v is not None]
        if len(given) > 1:
            raise fail(
                Invalid(f"answers.{self.key}", "set only one of number, text, choices, flag")
            )
        return given[0] if given else None


@strawberry.input(description="A centre's answers to a campaign (merged into its draft).")
class SurveyResponseInput:
    campaign_id: strawberry.ID = strawberry.field(description="Global ID of the campaign.")
    centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="The answering centre; defaults to your own centre."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="The response version you read; a different one gives Conflict."
    )
    answers: list[SurveyAnswerInput] = strawberry.field(
        default_factory=list, description="Answers to set; questions not listed keep theirs."
    )

    def answer_map(self) -> dict[str, object]:
        keys = [a.key for a in self.answers]
        if len(set(keys)) != len(keys):
            raise fail(Invalid("answers", "a question is answered twice"))
        return {a.key: a.value() for a in self.answers}


@strawberry.input(description="Which response.")
class SurveyResponseIdInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the response.")


@strawberry.type(description="The campaign as saved.")
class SurveyCampaignSuccess:
    campaign: SurveyCampaign = strawberry.field(description="The campaign after the change.")


@strawberry.type(description="Reminders left for the notifications worker.")
class SurveyReminderSuccess:
    campaign: SurveyCampaign = strawberry.field(description="The campaign.")
    reminded: int = strawberry.field(
        description="Centres reminded (those that have not submitted)."
    )


@strawberry.type(description="The response as saved.")
class SurveyResponseSuccess:
    response: SurveyResponse = strawberry.field(description="The response after the change.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    SurveyCampaignPayload = SurveyCampaignSuccess | MutationError
    SurveyReminderPayload = SurveyReminderSuccess | MutationError
    SurveyResponsePayload = SurveyResponseSuccess | MutationError
else:
    SurveyCampaignPayload = payload(
        "SurveyCampaignPayload", SurveyCampaignSuccess, "A campaign, or why not."
    )
    SurveyReminderPayload = payload(
        "SurveyReminderPayload", SurveyReminderSuccess, "Reminders sent, or why not."
    )
    SurveyResponsePayload = payload(
        "SurveyResponsePayload", SurveyResponseSuccess, "A response, or why not."
    )


async def _call(
    info: Info, work: Callable[[Actor], Awaitable[T]], success: Callable[[T], S]
) -> S | MutationError:
    """Decode, call one service function (its own unit of work), render; failures are data."""
    actor = Actor(info.context.viewer, info.context.address or None)
    try:
        result = await work(actor)
    except ServiceFailure as failure:
        return to_graphql_error(failure.failure)
    return success(result)


def _campaign(row: m.SurveyCampaign) -> SurveyCampaignSuccess:
    return SurveyCampaignSuccess(campaign=SurveyCampaign.from_model(row))


def _response(row: m.SurveyResponse) -> SurveyResponseSuccess:
    return SurveyResponseSuccess(response=SurveyResponse.from_model(row))


def _campaign_id(data: SurveyCampaignIdInput | UpdateSurveyCampaignInput) -> int:
    return required_pk(data.id, "SurveyCampaign", "id")


@strawberry.type
class SurveyMutation:
    @strawberry.mutation(description="Start a year's survey campaign, as a draft (staff).")
    async def create_survey_campaign(
        self, info: Info, input: CreateSurveyCampaignInput
    ) -> SurveyCampaignPayload:
        changes = CampaignChanges(
            texts(input.title), input.opens_on, input.closes_on, _sections(input.sections)
        )
        db = info.context.sessionmaker
        return await _call(
            info, lambda a: service.create_campaign(db, a, input.year, changes), _campaign
        )

    @strawberry.mutation(description="Edit a campaign; questions only while it is a draft (staff).")
    async def update_survey_campaign(
        self, info: Info, input: UpdateSurveyCampaignInput
    ) -> SurveyCampaignPayload:
        async def work(actor: Actor) -> m.SurveyCampaign:
            changes = CampaignChanges(
                texts(input.title), input.opens_on, input.closes_on, _sections(input.sections)
            )
            return await service.update_campaign(
                info.context.sessionmaker,
                actor,
                _campaign_id(input),
                input.expected_version,
                changes,
            )

        return await _call(info, work, _campaign)

    @strawberry.mutation(description="Open a draft campaign to the centres; they are told (staff).")
    async def open_survey_campaign(
        self, info: Info, input: SurveyCampaignIdInput
    ) -> SurveyCampaignPayload:
        db = info.context.sessionmaker
        return await _call(
            info, lambda a: service.open_campaign(db, a, _campaign_id(input)), _campaign
        )

    @strawberry.mutation(description="Close an open campaign: answers are frozen (staff).")
    async def close_survey_campaign(
        self, info: Info, input: SurveyCampaignIdInput
    ) -> SurveyCampaignPayload:
        db = info.context.sessionmaker
        return await _call(
            info, lambda a: service.close_campaign(db, a, _campaign_id(input)), _campaign
        )

    @strawberry.mutation(description="Remind the centres that have not submitted (staff).")
    async def remind_survey_campaign(
        self, info: Info, input: SurveyCampaignIdInput
    ) -> SurveyReminderPayload:
        db = info.context.sessionmaker

        def success(result: tuple[m.SurveyCampaign, int]) -> SurveyReminderSuccess:
            return SurveyReminderSuccess(
                campaign=SurveyCampaign.from_model(result[0]), reminded=result[1]
            )

        return await _call(info, lambda a: service.remind(db, a, _campaign_id(input)), success)

    @strawberry.mutation(description="Save answers as a draft (types and bounds are checked).")
    async def save_survey_response(
        self, info: Info, input: SurveyResponseInput
    ) -> SurveyResponsePayload:
        return await _answer(info, input, service.save_response)

    @strawberry.mutation(description="Save answers and submit (required questions answered).")
    async def submit_survey_response(
        self, info: Info, input: SurveyResponseInput
    ) -> SurveyResponsePayload:
        return await _answer(info, input, service.submit_response)

    @strawberry.mutation(description="Send a submitted response back to draft (staff).")
    async def reopen_survey_response(
        self, info: Info, input: SurveyResponseIdInput
    ) -> SurveyResponsePayload:
        async def work(actor: Actor) -> m.SurveyResponse:
            ident = required_pk(input.id, "SurveyResponse", "id")
            return await service.reopen_response(info.context.sessionmaker, actor, ident)

        return await _call(info, work, _response)


async def _answer(
    info: Info, data: SurveyResponseInput, action: Callable[..., Awaitable[m.SurveyResponse]]
) -> SurveyResponsePayload:
    async def work(actor: Actor) -> m.SurveyResponse:
        campaign = required_pk(data.campaign_id, "SurveyCampaign", "campaignId")
        centre = pk(data.centre_id, "Centre", "centreId")
        return await action(
            info.context.sessionmaker,
            actor,
            campaign,
            centre,
            data.answer_map(),
            data.expected_version,
        )

    return await _call(info, work, _response)
