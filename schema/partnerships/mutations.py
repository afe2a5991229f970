from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from accr_graph.db import models as m
from accr_graph.services import partnerships as service
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.partnerships import MemberLine, NewPartnership
from schema.context import Info
from schema.errors import to_graphql_error
from schema.mutations import payload, required_pk
from schema.partnerships.types import Partnership


@strawberry.input(description="A member centre and its role.")
class PartnershipMemberInput:
    centre_id: strawberry.ID = strawberry.field(description="Global ID of the member centre.")
    role: m.PartnershipRole = strawberry.field(
        default=m.PartnershipRole.PARTNER, description="Lead, partner or associate."
    )


@strawberry.input(description="A joint project that took place.")
class RecordPartnershipInput:
    title: str = strawberry.field(description="Project title.")
    programme: str | None = strawberry.field(default=None, description="Funding programme.")
    start_year: int = strawberry.field(description="Year the project started (1950 to 2100).")
    end_year: int | None = strawberry.field(
        default=None,
        description="Year the project ended (not before `startYear`); null when ongoing.",
    )
    lead_id: strawberry.ID = strawberry.field(description="The lead centre (also a member).")
    members: list[PartnershipMemberInput] = strawberry.field(
        description="Member centres with their roles."
    )
    themes: list[str] | None = strawberry.field(default=None, description="Theme slugs.")

    def data(self) -> NewPartnership:
        return NewPartnership(
            title=self.title,
            programme=self.programme,
            start_year=self.start_year,
            end_year=self.end_year,
            lead_id=required_pk(self.lead_id, "Centre", "leadId"),
            members=[
                MemberLine(
                    required_pk(x.centre_id, "Centre", "members.centreId"),
                    m.PartnershipRole(x.role),
                )
                for x in self.members
            ],
            themes=self.themes or [],
        )


@strawberry.type(description="The partnership as saved.")
class PartnershipSuccess:
    partnership: Partnership = strawberry.field(description="The partnership as recorded.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    PartnershipPayload = PartnershipSuccess | MutationError
else:
    PartnershipPayload = payload(
        "PartnershipPayload", PartnershipSuccess, "A partnership, or why not."
    )


@strawberry.type
class PartnershipMutation:
    @strawberry.mutation(description="Record a joint project (an edge of the cooperation network).")
    async def record_partnership(
        self, info: Info, input: RecordPartnershipInput
    ) -> PartnershipPayload:
        context = info.context
        try:
            row = await service.record_partnership(context.db, context.actor, input.data())
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return PartnershipSuccess(partnership=Partnership.from_model(row))
