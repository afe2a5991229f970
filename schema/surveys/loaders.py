"""Per-request loaders for survey campaigns and responses (with the viewer's row filters)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import surveys
from schema.loaders import SessionLoader


class SurveyCampaignByIdLoader(SessionLoader[int, m.SurveyCampaign | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.SurveyCampaign | None]:
        return await surveys.campaigns_by_ids(session, keys, self.context.viewer)


class SurveyResponseByIdLoader(SessionLoader[int, m.SurveyResponse | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.SurveyResponse | None]:
        return await surveys.responses_by_ids(session, keys, self.context.viewer)
