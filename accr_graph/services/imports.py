"""Bulk loads: the sample network and keep.eu. One unit of work each, without per-row audit.

The loaders in ``accr_graph/importers`` write inside the transaction given to them; these use
cases own that transaction, so an import bumps the data and network versions once (or not at
all when it added nothing) and leaves nothing behind when it fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from accr_graph.importers import sample
from accr_graph.importers.fair_sample import load_fair_sample
from accr_graph.importers.hub_sample import load_hub_sample
from accr_graph.importers.keep_eu import KeepEuDataset
from accr_graph.importers.keep_eu_loader import KeepEuReport, Progress, load_keep_eu
from accr_graph.importers.sample import Json, SampleCounts
from accr_graph.services.errors import Refused, fail
from accr_graph.services.search_index import defer_indexing, reindex_all
from accr_graph.services.uow import Actor, Database, unit_of_work


class IfNotEmpty(Enum):
    """What loading the sample does to a database that already holds centres."""

    REFUSE = "refuse"
    SKIP = "skip"
    REPLACE = "replace"


@dataclass(frozen=True, slots=True)
class SampleLoaded:
    counts: SampleCounts | None  # None: skipped, the database already held data
    replaced: bool = False
    meetings: int = 0  # programme meetings and hub resources loaded with the network
    resources: int = 0
    fairs: int = 0  # the sample Project Fair edition (registration open)


async def load_sample_network(
    db: Database,
    actor: Actor,
    if_not_empty: IfNotEmpty = IfNotEmpty.REFUSE,
    data: Json | None = None,
) -> SampleLoaded:
    async with unit_of_work(db, actor, "loadSample") as uow:
        uow.without_audit()
        replaced = not await sample.database_is_empty(uow.session)
        if replaced and if_not_empty is IfNotEmpty.SKIP:
            uow.nothing_changed()
            return SampleLoaded(None)
        if replaced and if_not_empty is IfNotEmpty.REFUSE:
            raise fail(
                Refused(
                    "the database already holds centres; nothing loaded "
                    "(use --replace to delete everything and load the sample network)"
                )
            )
        if replaced:
            await sample.wipe(uow.session)
        defer_indexing(uow.session)
        counts = await sample.load_sample(uow.session, data)
        # The hub sample names the network's centres and themes: only with the bundled network.
        meetings, resources = (0, 0) if data is not None else await load_hub_sample(uow.session)
        fairs = 0 if data is not None else await load_fair_sample(uow.session)
        await uow.session.flush()
        await reindex_all(uow.session)
        uow.network_changed()
    return SampleLoaded(counts, replaced, meetings, resources, fairs)


async def reindex_search(db: Database, actor: Actor) -> int:
    """Rebuild the full-text index from the rows (after a restore, or a change of rules)."""
    async with unit_of_work(db, actor, "reindexSearch") as uow:
        uow.without_audit()
        return await reindex_all(uow.session)


async def import_keep_eu(
    db: Database, actor: Actor, dataset: KeepEuDataset, progress: Progress = lambda _: None
) -> KeepEuReport:
    """Idempotent: a second run of the same data set adds nothing and moves no version."""
    async with unit_of_work(db, actor, "importKeepEu") as uow:
        uow.without_audit()
        report = await load_keep_eu(uow.session, dataset, progress)
        if report.themes_added or report.centres_added or report.partnerships_added:
            uow.network_changed()
        else:
            uow.nothing_changed()
    return report
