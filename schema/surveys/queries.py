"""Survey queries: the campaigns you may see, one campaign by ID."""

from __future__ import annotations

import strawberry

from accr_graph.services import surveys as service
from schema.context import Info
from schema.relay import Connection, paging, slice_connection
from schema.surveys.loaders import SurveyCampaignByIdLoader
from schema.surveys.types import SurveyCampaign
from schema.validation import decode_id


@strawberry.type
class SurveyQuery:
    @strawberry.field(
        description="Yearly statistics campaigns, newest first (drafts for staff only)."
    )
    async def survey_campaigns(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[SurveyCampaign]:
        page = paging(info.context.settings, first, after)
        rows = await service.campaigns(info.context.sessionmaker, info.context.viewer)
        return slice_connection(rows, page, SurveyCampaign.from_model)

    @strawberry.field(description="One campaign by ID, or null when missing or not visible.")
    async def survey_campaign(self, info: Info, id: strawberry.ID) -> SurveyCampaign | None:
        row = await info.context.loaders.get(SurveyCampaignByIdLoader).load(
            decode_id(id, "SurveyCampaign")
        )
        return SurveyCampaign.from_model(row) if row else None
