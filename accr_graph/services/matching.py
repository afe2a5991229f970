"""Serving the matching engine: a per-process cache of the built index, rebuilt when the network
version in the database moves (it moves with writes to what the engine reads), so several web
workers stay consistent without sharing memory.

Building is CPU work (≈ seconds at keep-eu size), so it runs in a worker thread, once, behind a
lock; analytics (clusters, metrics, missing links) are cached per data version and year range,
and with ``warm`` the whole-network ones are computed in the background after each rebuild.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import matching
from accr_graph.db.models import MatchingModel
from accr_graph.i18n import pick
from accr_graph.reason_text import Words, words
from accr_graph.repositories import data_version, matching_models
from accr_graph.repositories.snapshot import Labels, catalogue_labels, network_snapshot
from accr_graph.services.errors import Invalid, Refused, fail
from accr_graph.services.matching_shared import is_shared, refit_once, shared_analytic
from accr_graph.services.uow import Actor, Database, unit_of_work
from accr_graph.viewer import Viewer
from matching import MatchingIndex, NetworkSnapshot, ProposalData, ScoringWeights
from matching.fit import FittedModel, Progress, fit_weights

log = logging.getLogger("accr_graph.matching")
MISSING_LINKS_KEPT = 50  # the most any request may ask for
# The weights are fitted again once the network version moved this much since the last fit
# (every write to partnerships, centres' profiles or proposals moves it by one).
REFIT_AFTER_CHANGES = 50
PROPOSAL_MATCHES_MAX = 50


@dataclass
class _Built:
    version: int
    snapshot: NetworkSnapshot
    index: MatchingIndex
    proposals: dict[int, ProposalData]
    labels: Labels = field(default_factory=dict)
    analytics: dict[tuple[Any, ...], asyncio.Future[Any]] = field(default_factory=dict)
    readers: dict[str, Words] = field(default_factory=dict)

    def words(self, lang: str | None) -> Words:
        """Writing reasons in ``lang``, theme and competency names in that language too."""
        key = lang or ""
        if key not in self.readers:
            reader = words(lang)
            names = {k: pick(texts, reader.lang) for k, texts in self.labels.items()}
            self.readers[key] = words(reader.lang, names)
        return self.readers[key]


class MatchingQueries:
    """The questions asked of the matching engine, answered from the current built network."""

    async def _current(self) -> _Built:
        raise NotImplementedError

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

    async def for_centre(
        self, centre_id: int, first: int, include_past_partners: bool = True
    ) -> list[matching.Suggestion]:
        built = await self._current()
        if centre_id not in built.index.row_of:
            return []
        return matching.suggest_for_centre(
            built.index, centre_id, first, exclude_past_partners=not include_past_partners
        )

    async def proposal_matches(self, centre_id: int, first: int) -> list[matching.ProposalMatch]:
        """Open proposals of other centres ranked for this centre (no visibility check: see
        the module function ``proposal_matches``)."""
        built = await self._current()
        if centre_id not in built.index.row_of:
            return []
        open_ones = [p for p in built.proposals.values() if p.status == "open"]
        return await asyncio.to_thread(
            matching.proposal_matches, built.index, centre_id, open_ones, first
        )

    async def words(self, lang: str | None) -> Words:
        return (await self._current()).words(lang)

    def _analytic(self, built: _Built, key: tuple[Any, ...], compute: Any) -> asyncio.Future[Any]:
        """The analytic's result for this network version (see ``MatchingService``). Callers
        await it through ``asyncio.shield``: a request that goes away must not cancel the
        others' result."""
        raise NotImplementedError

    async def clusters(self, year_from: int | None, year_to: int | None) -> matching.ClusterResult:
        built = await self._current()
        return await self._clusters(built, year_from, year_to)

    async def _clusters(
        self, built: _Built, year_from: int | None, year_to: int | None
    ) -> matching.ClusterResult:
        compute = partial(matching.detect_clusters, built.index, year_from, year_to)
        return await asyncio.shield(
            self._analytic(built, ("clusters", year_from, year_to), compute)
        )

    async def metrics(self, year_from: int | None, year_to: int | None) -> matching.NetworkMetrics:
        built = await self._current()
        return await self._metrics(built, year_from, year_to)

    async def _metrics(
        self, built: _Built, year_from: int | None, year_to: int | None
    ) -> matching.NetworkMetrics:
        clusters = await self._clusters(built, year_from, year_to)  # shared, not computed twice
        compute = partial(
            matching.network_metrics, built.index, year_from, year_to, clusters=clusters
        )
        return await asyncio.shield(self._analytic(built, ("metrics", year_from, year_to), compute))

    async def missing_links(self, first: int) -> list[matching.MissingLink]:
        built = await self._current()
        return (await self._missing_links(built))[:first]

    async def _missing_links(self, built: _Built) -> list[matching.MissingLink]:
        compute = partial(matching.missing_links, built.index, MISSING_LINKS_KEPT)
        return await asyncio.shield(self._analytic(built, ("missing_links",), compute))


class MatchingService(MatchingQueries):
    """The per-process cache: one built network per network version."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        warm: bool = False,
        refit: bool = False,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._built: _Built | None = None
        self._lock = asyncio.Lock()
        self._background: set[asyncio.Future[None]] = set()
        self.warm = warm
        self.refit = refit
        self.builds = 0
        self.refits = 0  # models this process fitted
        self.computed: Counter[str] = Counter()  # analytics this process computed, by kind

    async def _current(self) -> _Built:
        async with self._sessionmaker() as session:
            version = await data_version.current_network(session)
        built = self._built
        if built is not None and built.version == version:
            return built
        async with self._lock:
            if self._built is None or self._built.version != version:
                self._built = await self._build()
                if self.warm:
                    self.warm_up()
            return self._built

    async def _build(self) -> _Built:
        # Read version and snapshot in one transaction so they describe the same data.
        async with self._sessionmaker() as session, session.begin():
            version = await data_version.current_network(session)
            snapshot = await network_snapshot(session)
            labels = await catalogue_labels(session)
            model = await matching_models.latest(session)
        weights = engine_weights(model)
        index = await asyncio.to_thread(matching.build_index, snapshot, weights)
        self.builds += 1
        built = _Built(version, snapshot, index, {p.id: p for p in snapshot.proposals}, labels)
        if self.refit and needs_refit(model, version):
            self._refit_later()
        return built

    # --- off the request path -------------------------------------------------------------------

    def _analytic(self, built: _Built, key: tuple[Any, ...], compute: Any) -> asyncio.Future[Any]:
        """Started once per process and network version and shared by every caller asking for
        it meanwhile; on PostgreSQL also once across workers (``matching_shared``)."""
        task = built.analytics.get(key)
        if task is None:
            task = built.analytics[key] = asyncio.ensure_future(
                self._obtain(built.version, key, compute)
            )
        return task

    async def _obtain(self, version: int, key: tuple[Any, ...], compute: Any) -> Any:
        def counted() -> None:
            self.computed[str(key[0])] += 1

        if is_shared(self._sessionmaker):
            name = ":".join(map(str, key))
            return await shared_analytic(self._sessionmaker, version, name, compute, counted)
        result = await asyncio.to_thread(compute)  # CPU work off the event loop
        counted()
        return result

    def warm_up(self) -> None:
        """Build the index and the whole-network analytics in the background, so the first
        staff request after a start or a change does not wait for them."""
        task = asyncio.ensure_future(self._warm())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _warm(self) -> None:
        try:
            built = await self._current()
            await self._metrics(built, None, None)
            await self._missing_links(built)
        except Exception:  # a warm-up failure must not kill the worker; requests will retry
            log.exception("matching warm-up failed")

    def _refit_later(self) -> None:
        """Fit the weights again in the background; storing the model moves the network
        version, so every worker rebuilds its index with the new weights."""
        if any(getattr(t, "refit", False) for t in self._background):
            return
        task = asyncio.ensure_future(self._refit())
        task.refit = True  # type: ignore[attr-defined]
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _refit(self) -> None:
        try:
            fitted = await refit_once(
                self._sessionmaker,
                lambda: fit_matching_model(self._sessionmaker, Actor.system(), only_if_stale=True),
            )
            if fitted is not None:
                self.refits += 1
        except Exception:  # a failed refit keeps the current weights; the next build retries
            log.exception("matching refit failed")

    def for_request(self) -> RequestMatching:
        return RequestMatching(self)

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)


class RequestMatching(MatchingQueries):
    """The service as one request sees it: the network version is read once, however many
    fields of the request ask for suggestions."""

    def __init__(self, service: MatchingService) -> None:
        self._service = service
        self._built: asyncio.Future[_Built] | None = None

    async def _current(self) -> _Built:
        if self._built is None:
            self._built = asyncio.ensure_future(self._service._current())
        return await self._built

    def _analytic(self, built: _Built, key: tuple[Any, ...], compute: Any) -> asyncio.Future[Any]:
        return self._service._analytic(built, key, compute)


async def proposal_matches(
    db: Database,
    viewer: Viewer,
    centre_id: int,
    first: int = 10,
    *,
    engine: MatchingQueries | None = None,
) -> list[matching.ProposalMatch]:
    """Open proposals of other centres that fit a centre, best first, with reasons (what the
    centre brings that each proposal seeks...). Only the centre's members and staff may ask:
    the answer says what the centre is looking for. For the web app's "For my centre" tab and
    the weekly digest; GraphQL's ``Centre.proposalMatches`` calls it too. Pass the app's
    ``engine`` (``app.state.matching``, or the request's) to use its cached index; without one
    the network is read and indexed for this call (fine for a weekly job, not for a page)."""
    if not viewer.acts_for(centre_id):
        raise fail(Refused("Only members of this centre or ACCR staff may see its matches."))
    if not 1 <= first <= PROPOSAL_MATCHES_MAX:
        raise fail(Invalid("first", f"must be between 1 and {PROPOSAL_MATCHES_MAX}"))
    if engine is None:
        engine = MatchingService(db)
    return await engine.proposal_matches(centre_id, first)


def engine_weights(model: MatchingModel | None) -> ScoringWeights:
    """The priors, with the fitted factor weights when a model was fitted."""
    return ScoringWeights().with_factors(model.weights) if model else ScoringWeights()


def needs_refit(model: MatchingModel | None, network_version: int) -> bool:
    if model is None:
        return True
    return network_version - model.network_version >= REFIT_AFTER_CHANGES


async def fit_matching_model(
    db: Database,
    actor: Actor,
    *,
    progress: Progress | None = None,
    only_if_stale: bool = False,
) -> MatchingModel | None:
    """Fit the factor weights on the network's own history and store them (see matching.fit).
    With ``only_if_stale``, nothing happens when a recent enough model exists (another worker
    may have fitted meanwhile). Returns the stored model, or None when nothing was fitted."""
    async with db() as session, session.begin():
        version = await data_version.current_network(session)
        if only_if_stale and not needs_refit(await matching_models.latest(session), version):
            return None
        snapshot = await network_snapshot(session)
    fitted = await asyncio.to_thread(fit_weights, snapshot, None, progress=progress)
    async with unit_of_work(db, actor, "fitMatchingModel") as uow:
        row = _model_row(fitted, version)
        uow.session.add(row)
        uow.changed(row, ["weights"])
        uow.network_changed()  # every worker rebuilds its index with the new weights
    return row


def _model_row(fitted: FittedModel, version: int) -> MatchingModel:
    return MatchingModel(
        network_version=version,
        training_cases=fitted.training_cases,
        training_pairs=fitted.training_pairs,
        validation_cases=fitted.validation_cases,
        validation_recall_at_10=fitted.validation_recall_at_10,
        prior_recall_at_10=fitted.prior_recall_at_10,
        weights=dict(fitted.weights),
    )


async def current_model(db: Database, viewer: Viewer) -> MatchingModel | None:
    """The fitted model the engine uses (staff only), None before the first fit."""
    if not viewer.is_staff:
        raise fail(Refused("Only ACCR staff may see the matching model."))
    async with db() as session:
        return await matching_models.latest(session)
