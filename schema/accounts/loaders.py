from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import auth
from schema.loaders import SessionLoader


class UserByIdLoader(SessionLoader[int, m.User | None]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, m.User | None]:
        return await auth.users_by_ids(session, keys)
