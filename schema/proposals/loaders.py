from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import proposals
from accr_graph.repositories.proposals import ProposalCompetencyEntry
from schema.loaders import ListLoader, SessionLoader


class ProposalByIdLoader(SessionLoader[int, m.Proposal | None]):
    """Applies the caller's visibility: a draft of another centre loads as None."""

    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.Proposal | None]:
        return await proposals.by_ids(session, keys, self.context.viewer)


class ProposalsByOwnerIdLoader(ListLoader[int, m.Proposal]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.Proposal]]:
        return await proposals.by_owner_ids(session, keys, self.context.viewer)


class ThemesByProposalIdLoader(ListLoader[int, m.Theme]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.Theme]]:
        return await proposals.themes_of(session, keys)


class CompetenciesByProposalIdLoader(ListLoader[int, ProposalCompetencyEntry]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, list[ProposalCompetencyEntry]]:
        return await proposals.competencies_of(session, keys)


class InterestsByProposalIdLoader(ListLoader[int, m.Interest]):
    async def fetch(self, session: AsyncSession, keys: list[int]) -> Mapping[int, list[m.Interest]]:
        return await proposals.interests_of(session, keys, self.context.viewer)


class InterestByIdLoader(SessionLoader[int, m.Interest | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[int]
    ) -> Mapping[int, m.Interest | None]:
        return await proposals.interests_by_ids(session, keys, self.context.viewer)
