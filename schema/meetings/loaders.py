from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import meetings
from schema.loaders import ListLoader, SessionLoader


class ProgrammeMeetingByIdLoader(SessionLoader[int, m.Meeting | None]):
    """Applies the caller's visibility: a draft loads as None except for staff."""

    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, m.Meeting | None]:
        return await meetings.by_ids(session, keys, self.context.viewer)


class ThemesByMeetingIdLoader(ListLoader[int, m.Theme]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.Theme]]:
        return await meetings.themes_of(session, keys)


class AgendaByMeetingIdLoader(ListLoader[int, m.AgendaItem]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.AgendaItem]]:
        return await meetings.agenda_of(session, keys)


class RegistrationsByMeetingIdLoader(ListLoader[int, m.MeetingRegistration]):
    """Every registration; resolvers keep what the caller may see (services decide)."""

    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.MeetingRegistration]]:
        return await meetings.registrations_of(session, keys)
