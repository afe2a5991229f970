from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import centres
from accr_graph.repositories.centres import CompetencyEntry, PartnerEntry
from schema.loaders import ListLoader, SessionLoader


class CentreByIdLoader(SessionLoader[int, m.Centre | None]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, m.Centre | None]:
        return await centres.by_ids(session, keys)


class CentreBySlugLoader(SessionLoader[str, m.Centre | None]):
    async def fetch(self, session: AsyncSession, keys: list[str]) -> Mapping[str, m.Centre | None]:
        return await centres.by_slugs(session, keys)


class ThemesByCentreIdLoader(ListLoader[int, m.Theme]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.Theme]]:
        return await centres.themes_of(session, keys)


class CompetenciesByCentreIdLoader(ListLoader[int, CompetencyEntry]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[CompetencyEntry]]:
        return await centres.competencies_of(session, keys)


class PartnersByCentreIdLoader(ListLoader[int, PartnerEntry]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[PartnerEntry]]:
        return await centres.partners_of(session, keys)
