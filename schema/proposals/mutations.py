from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from accr_graph.db import models as m
from accr_graph.services import proposals as service
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.proposals import ProposalChanges
from schema.context import Info
from schema.errors import to_graphql_error
from schema.mutations import TranslationInput, payload, pk, required_pk, texts
from schema.proposals.types import Interest, Proposal


@strawberry.input(description="A competency (by slug) and the level wanted or offered (1–3).")
class CompetencyLevelInput:
    competency: str = strawberry.field(description="Competency slug.")
    level: int = strawberry.field(default=2, description="1 basic, 2 confirmed, 3 expert.")


def _levels(items: list[CompetencyLevelInput] | None) -> list[tuple[str, int]] | None:
    # Pairs, not a dict: a competency given twice must reach the service's check.
    return None if items is None else [(i.competency, i.level) for i in items]


@strawberry.input(description="A new proposal; it starts as a draft.")
class CreateProposalInput:
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Owner centre; defaults to your own centre."
    )
    title: list[TranslationInput] = strawberry.field(description="Title, one text per language.")
    summary: list[TranslationInput] | None = strawberry.field(
        default=None, description="Summary of the idea, one text per language."
    )
    themes: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    seeks: list[CompetencyLevelInput] | None = strawberry.field(
        default=None, description="Competencies the project needs from partners."
    )
    offers: list[CompetencyLevelInput] | None = strawberry.field(
        default=None, description="Competencies the owner brings."
    )
    partners_min: int = strawberry.field(
        default=2,
        description="Minimum number of partners wanted, the owner not counted (at least 1).",
    )
    partners_max: int = strawberry.field(
        default=5, description="Maximum number of partners wanted (at least `partnersMin`)."
    )
    min_countries: int = strawberry.field(
        default=1, description="Minimum number of countries in the team (1 to 50)."
    )
    timeframe: str | None = strawberry.field(
        default=None, description="When the project would run, free text (at most 120 characters)."
    )
    funding_programme: str | None = strawberry.field(
        default=None, description="Funding programme aimed at (e.g. Creative Europe)."
    )


@strawberry.input(description="Changes to a proposal; omitted fields stay as they are.")
class UpdateProposalInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the proposal to edit.")
    expected_version: int = strawberry.field(
        description="The version you read; a different current version gives Conflict."
    )
    title: list[TranslationInput] | None = strawberry.field(
        default=None, description="Title, one text per language; replaces all languages."
    )
    summary: list[TranslationInput] | None = strawberry.field(
        default=None, description="Summary, one text per language; replaces all languages."
    )
    themes: list[str] | None = strawberry.field(
        default=None, description="Theme slugs; replaces the current list."
    )
    seeks: list[CompetencyLevelInput] | None = strawberry.field(
        default=None, description="Competencies needed from partners; replaces the current list."
    )
    offers: list[CompetencyLevelInput] | None = strawberry.field(
        default=None, description="Competencies the owner brings; replaces the current list."
    )
    partners_min: int | None = strawberry.field(
        default=None,
        description="Minimum number of partners wanted, the owner not counted (at least 1).",
    )
    partners_max: int | None = strawberry.field(
        default=None, description="Maximum number of partners wanted (at least `partnersMin`)."
    )
    min_countries: int | None = strawberry.field(
        default=None, description="Minimum number of countries in the team (1 to 50)."
    )
    timeframe: str | None = strawberry.field(
        default=None, description="When the project would run, free text (at most 120 characters)."
    )
    funding_programme: str | None = strawberry.field(
        default=None, description="Funding programme aimed at (e.g. Creative Europe)."
    )


def _changes(data: CreateProposalInput | UpdateProposalInput) -> ProposalChanges:
    """The service's view of either input (None: leave the field as it is)."""
    return ProposalChanges(
        title=texts(data.title),
        summary=texts(data.summary),
        themes=data.themes,
        seeks=_levels(data.seeks),
        offers=_levels(data.offers),
        partners_min=data.partners_min,
        partners_max=data.partners_max,
        min_countries=data.min_countries,
        timeframe=data.timeframe,
        funding_programme=data.funding_programme,
    )


@strawberry.input(description="Which proposal, and optionally the version you read.")
class ProposalStatusInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the proposal.")
    expected_version: int | None = strawberry.field(
        default=None,
        description="Version you read; a different current one gives Conflict. Null: no check.",
    )


@strawberry.input(description="A centre's interest in a proposal.")
class ExpressInterestInput:
    proposal_id: strawberry.ID = strawberry.field(description="Global ID of the proposal.")
    centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="Interested centre; defaults to your own centre."
    )
    message: str | None = strawberry.field(default=None, description="Note to the proposal owner.")


@strawberry.input(description="The proposal owner's answer to an interest.")
class RespondToInterestInput:
    interest_id: strawberry.ID = strawberry.field(description="Global ID of the interest.")
    accept: bool = strawberry.field(description="True to accept, false to decline.")


@strawberry.type(description="The proposal as saved.")
class ProposalSuccess:
    proposal: Proposal = strawberry.field(description="The proposal after the change.")


@strawberry.type(description="The interest as saved.")
class InterestSuccess:
    interest: Interest = strawberry.field(description="The interest after the change.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    ProposalPayload = ProposalSuccess | MutationError
    InterestPayload = InterestSuccess | MutationError
else:
    ProposalPayload = payload("ProposalPayload", ProposalSuccess, "A proposal, or why not.")
    InterestPayload = payload("InterestPayload", InterestSuccess, "An interest, or why not.")


def _proposal_success(row: m.Proposal) -> ProposalSuccess:
    return ProposalSuccess(proposal=Proposal.from_model(row))


def _interest_success(row: m.Interest) -> InterestSuccess:
    return InterestSuccess(interest=Interest.from_model(row))


@strawberry.type
class ProposalMutation:
    @strawberry.mutation(description="Post a new project idea (as a draft).")
    async def create_proposal(self, info: Info, input: CreateProposalInput) -> ProposalPayload:
        context = info.context
        try:
            owner = pk(input.owner_id, "Centre", "ownerId")
            row = await service.create_proposal(context.db, context.actor, owner, _changes(input))
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _proposal_success(row)

    @strawberry.mutation(description="Edit a proposal; a stale expectedVersion gives Conflict.")
    async def update_proposal(self, info: Info, input: UpdateProposalInput) -> ProposalPayload:
        context = info.context
        try:
            ident = required_pk(input.id, "Proposal", "id")
            row = await service.update_proposal(
                context.db, context.actor, ident, input.expected_version, _changes(input)
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _proposal_success(row)

    @strawberry.mutation(description="Open a draft to the network.")
    async def publish_proposal(self, info: Info, input: ProposalStatusInput) -> ProposalPayload:
        context = info.context
        try:
            ident = required_pk(input.id, "Proposal", "id")
            row = await service.publish_proposal(
                context.db, context.actor, ident, input.expected_version
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _proposal_success(row)

    @strawberry.mutation(description="Close a proposal (no more interests).")
    async def close_proposal(self, info: Info, input: ProposalStatusInput) -> ProposalPayload:
        context = info.context
        try:
            ident = required_pk(input.id, "Proposal", "id")
            row = await service.close_proposal(
                context.db, context.actor, ident, input.expected_version
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _proposal_success(row)

    @strawberry.mutation(description="Tell a proposal's owner that a centre would like to join.")
    async def express_interest(self, info: Info, input: ExpressInterestInput) -> InterestPayload:
        context = info.context
        try:
            proposal = required_pk(input.proposal_id, "Proposal", "proposalId")
            centre = pk(input.centre_id, "Centre", "centreId")
            row = await service.express_interest(
                context.db, context.actor, proposal, centre, input.message
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _interest_success(row)

    @strawberry.mutation(description="Accept or decline an interest in your proposal.")
    async def respond_to_interest(
        self, info: Info, input: RespondToInterestInput
    ) -> InterestPayload:
        context = info.context
        try:
            interest = required_pk(input.interest_id, "Interest", "interestId")
            row = await service.respond_to_interest(
                context.db, context.actor, interest, input.accept
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _interest_success(row)
