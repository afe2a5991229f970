"""Serving the matching engine: a per-process cache of the built index, rebuilt when the data
version in the database moves (so several web workers stay consistent without sharing memory).

Building is CPU work (≈ seconds at keep-eu size), so it runs in a worker thread, once, behind a
lock; analytics (clusters, metrics) are cached per data version and year range.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import matching
from accr_graph.repositories import data_version
from accr_graph.repositories.snapshot import network_snapshot
from matching import MatchingIndex, NetworkSnapshot, ProposalData


@dataclass
class _Built:
    version: int
    snapshot: NetworkSnapshot
    index: MatchingIndex
    proposals: dict[int, ProposalData]
    analytics: dict[tuple[Any, ...], Any] = field(default_factory=dict)


class MatchingService:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._built: _Built | None = None
        self._lock = asyncio.Lock()
        self.builds = 0

    async def _current(self) -> _Built:
        async with self._sessionmaker() as session:
            version = await data_version.current(session)
        built = self._built
        if built is not None and built.version == version:
            return built
        async with self._lock:
            if self._built is None or self._built.version != version:
                self._built = await self._build()
            return self._built

    async def _build(self) -> _Built:
        # Read version and snapshot in one transaction so they describe the same data.
        async with self._sessionmaker() as session, session.begin():
            version = await data_version.current(session)
            snapshot = await network_snapshot(session)
        index = await asyncio.to_thread(matching.build_index, snapshot)
        self.builds += 1
        return _Built(version, snapshot, index, {p.id: p for p in snapshot.proposals})

    async def index(self) -> MatchingIndex:
        return (await self._current()).index

    async def for_proposal(
        self, proposal_id: int, first: int, explain: bool
    ) -> list[matching.Suggestion]:
        built = await self._current()
        proposal = built.proposals.get(proposal_id)
        if proposal is None:
            return []
        return matching.suggest_for_proposal(built.index, proposal, first, explain)

    async def consortium(
        self, proposal_id: int, size: int | None, min_countries: int | None
    ) -> matching.Consortium | None:
        built = await self._current()
        proposal = built.proposals.get(proposal_id)
        if proposal is None:
            return None
        return matching.suggest_consortium(built.index, proposal, size, min_countries)

    async def for_centre(self, centre_id: int, first: int) -> list[matching.Suggestion]:
        built = await self._current()
        if centre_id not in built.index.row_of:
            return []
        return matching.suggest_for_centre(built.index, centre_id, first)

    async def _analytic(self, key: tuple[Any, ...], compute: Any) -> Any:
        built = await self._current()
        if key not in built.analytics:
            built.analytics[key] = await asyncio.to_thread(compute, built.index)
        return built.analytics[key]

    async def clusters(self, year_from: int | None, year_to: int | None) -> matching.ClusterResult:
        return await self._analytic(  # type: ignore[no-any-return]
            ("clusters", year_from, year_to),
            lambda index: matching.detect_clusters(index, year_from, year_to),
        )

    async def metrics(self, year_from: int | None, year_to: int | None) -> matching.NetworkMetrics:
        return await self._analytic(  # type: ignore[no-any-return]
            ("metrics", year_from, year_to),
            lambda index: matching.network_metrics(index, year_from, year_to),
        )

    async def missing_links(self, first: int) -> list[matching.MissingLink]:
        links: list[matching.MissingLink] = await self._analytic(
            ("missing_links",), lambda index: matching.missing_links(index, 50)
        )
        return links[:first]
