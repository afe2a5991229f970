from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import catalogue
from schema.loaders import SessionLoader


class ThemeByIdLoader(SessionLoader[int, m.Theme | None]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, m.Theme | None]:
        return await catalogue.themes_by_ids(session, keys)


class CompetencyByIdLoader(SessionLoader[int, m.Competency | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.Competency | None]:
        return await catalogue.competencies_by_ids(session, keys)
