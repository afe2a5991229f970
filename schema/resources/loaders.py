from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import resources
from schema.loaders import ListLoader, SessionLoader


class ResourceByIdLoader(SessionLoader[int, m.Resource | None]):
    """Applies the caller's visibility (staff also see deleted resources)."""

    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.Resource | None]:
        return await resources.by_ids(session, keys, self.context.viewer)


class ThemesByResourceIdLoader(ListLoader[int, m.Theme]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.Theme]]:
        return await resources.themes_of(session, keys)


class CentreIdsByResourceIdLoader(ListLoader[int, int]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[int]]:
        return await resources.centre_ids_of(session, keys)


class ResourcesByMeetingIdLoader(ListLoader[int, m.Resource]):
    """A meeting's minutes and presentations, as the caller may see them."""

    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.Resource]]:
        return await resources.of_meetings(session, keys, self.context.viewer)
