from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import fair
from schema.loaders import ListLoader, SessionLoader


class FairByIdLoader(SessionLoader[int, m.Fair | None]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, m.Fair | None]:
        return await fair.fairs_by_ids(session, keys)


class SlotsByFairIdLoader(ListLoader[int, m.FairSlot]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.FairSlot]]:
        return await fair.slots_of(session, keys)


class TablesByFairIdLoader(ListLoader[int, m.FairTable]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.FairTable]]:
        return await fair.tables_of(session, keys)


class FairSlotByIdLoader(SessionLoader[int, m.FairSlot | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.FairSlot | None]:
        return await fair.slots_by_ids(session, keys)


class FairTableByIdLoader(SessionLoader[int, m.FairTable | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.FairTable | None]:
        return await fair.tables_by_ids(session, keys)


class RegistrationsByFairIdLoader(ListLoader[int, m.FairRegistration]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.FairRegistration]]:
        return await fair.registrations_of(session, keys, self.context.viewer)


class RegisteredCentresByFairIdLoader(ListLoader[int, int]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[int]]:
        return await fair.registered_centres_of(session, keys)


class MeetingRequestsByFairIdLoader(ListLoader[int, m.FairMeetingRequest]):
    """Only the requests the caller may see."""

    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.FairMeetingRequest]]:
        return await fair.requests_of(session, keys, self.context.viewer)


class MeetingRequestByIdLoader(SessionLoader[int, m.FairMeetingRequest | None]):
    """Only a request the caller may see; others load as None."""

    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.FairMeetingRequest | None]:
        return await fair.requests_by_ids(session, keys, self.context.viewer)


class MembersByRequestIdLoader(ListLoader[int, int]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[int]]:
        return await fair.members_of(session, keys)


class MeetingsByFairIdLoader(ListLoader[int, m.FairMeeting]):
    """Placed, not cancelled meetings the caller may see (centres: published ones of theirs)."""

    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.FairMeeting]]:
        return await fair.placed_meetings(session, keys, self.context.viewer)


class MeetingByIdLoader(SessionLoader[int, m.FairMeeting | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.FairMeeting | None]:
        return await fair.meetings_by_ids(session, keys, self.context.viewer)


class UnscheduledByFairIdLoader(ListLoader[int, m.FairMeeting]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[m.FairMeeting]]:
        return await fair.unscheduled_of(session, keys, self.context.viewer)
