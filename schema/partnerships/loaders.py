from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import partnerships
from schema.loaders import ListLoader, SessionLoader


class PartnershipByIdLoader(SessionLoader[int, m.Partnership | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.Partnership | None]:
        return await partnerships.by_ids(session, keys)


class PartnershipsByCentreIdLoader(ListLoader[int, m.Partnership]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.Partnership]]:
        return await partnerships.by_centre_ids(session, keys)


class MembersByPartnershipIdLoader(ListLoader[int, m.PartnershipMember]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.PartnershipMember]]:
        return await partnerships.members_of(session, keys)


class ThemesByPartnershipIdLoader(ListLoader[int, m.Theme]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.Theme]]:
        return await partnerships.themes_of(session, keys)
