"""Whole-network analytics and refits run once per network version, however many workers
share the PostgreSQL database (issues 13 and 16); SQLite keeps one computation per process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from accr_graph.db.session import create_engine, create_sessionmaker
from accr_graph.services.matching import MatchingService
from accr_graph.services.uow import Actor, unit_of_work
from tests.conftest import Database, Settings


@pytest.fixture
async def other_worker(sample_db: Database) -> AsyncIterator[MatchingService]:
    """A second "worker": its own engine and connection pool on the same database."""
    engine = create_engine(Settings(database_url=sample_db.url), sample_db.url)
    service = MatchingService(create_sessionmaker(engine))
    yield service
    await service.close()
    await engine.dispose()


async def analytics(service: MatchingService) -> tuple[object, ...]:
    return (
        await service.clusters(None, None),
        await service.metrics(None, None),
        await service.missing_links(10),
        await service.clusters(2015, None),
    )


async def move_network(db: Database) -> None:
    async with unit_of_work(db.sessionmaker, Actor.system(), "test") as uow:
        uow.network_changed()


async def test_two_workers_compute_each_analytic_once(
    sample_db: Database, other_worker: MatchingService
) -> None:
    worker = MatchingService(sample_db.sessionmaker)

    first, second = await asyncio.gather(analytics(worker), analytics(other_worker))

    assert first == second
    total = worker.computed + other_worker.computed
    if sample_db.backend == "postgresql":
        assert total == {"clusters": 2, "metrics": 1, "missing_links": 1}  # 2 year ranges
    else:  # one process per SQLite database: each computes its own
        assert total == {"clusters": 4, "metrics": 2, "missing_links": 2}

    # A later request of either worker reads what was computed; a new version is computed anew.
    await move_network(sample_db)
    again = await asyncio.gather(analytics(worker), analytics(other_worker))
    assert again[0] == again[1]
    total = worker.computed + other_worker.computed
    expected_clusters = 4 if sample_db.backend == "postgresql" else 8
    assert total["clusters"] == expected_clusters


async def test_a_late_worker_reads_the_stored_result(
    sample_db: Database, other_worker: MatchingService
) -> None:
    if sample_db.backend != "postgresql":
        pytest.skip("stored analytics are for workers sharing PostgreSQL")
    worker = MatchingService(sample_db.sessionmaker)
    computed = await worker.metrics(None, None)

    read = await other_worker.metrics(None, None)

    assert read == computed
    assert other_worker.computed == {} and worker.computed == {"clusters": 1, "metrics": 1}


async def test_two_workers_refit_once(sample_db: Database, other_worker: MatchingService) -> None:
    worker = MatchingService(sample_db.sessionmaker, refit=True)
    other_worker.refit = True

    await asyncio.gather(worker.for_centre(1, 5), other_worker.for_centre(1, 5))
    await asyncio.gather(*worker._background, *other_worker._background)

    if sample_db.backend == "postgresql":
        assert worker.refits + other_worker.refits == 1
    else:  # one process: the second fit finds a fresh model, or both ran before either stored
        assert 1 <= worker.refits + other_worker.refits <= 2


def test_stored_results_cannot_carry_code() -> None:
    """A forged row must not run code in the worker that reads it (it is recomputed instead)."""
    import os
    import pickle

    import pytest

    from accr_graph.services import matching_shared
    from matching import MissingLink

    class Forged:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("echo forged",))

    with pytest.raises(pickle.UnpicklingError, match="not part of a matching result"):
        matching_shared.loads(pickle.dumps(Forged()))
    import numpy as np

    genuine = {"links": [MissingLink(1, 2, 0.5, ())], "ids": frozenset({1}), "x": np.float64(2)}
    assert matching_shared.loads(pickle.dumps(genuine)) == genuine
    assert matching_shared.loads(pickle.dumps(np.arange(3))).tolist() == [0, 1, 2]
