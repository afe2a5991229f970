"""Matching work done once per network version across web workers (issues 13 and 16).

Several workers share one PostgreSQL database; each keeps its own matching index (cheap to
build), but whole-network analytics (clusters, metrics, missing links: seconds of CPU at
10,000 centres) and the model refit must not run once per worker. On PostgreSQL:

- an analytic is read from ``matching_analytics`` (network version, key) when stored; otherwise
  the worker that gets ``pg_try_advisory_lock`` for (network version, key) computes and stores
  it, and the others poll for the stored row (taking over if the lock is freed without one,
  e.g. the holder died; computing themselves after ``WAIT_SECONDS``, never failing the request);
- a refit runs only in the worker that gets the refit lock; the others skip it (the refit stores
  a model and moves the network version, so every worker rebuilds with it).

The lock is a session-level advisory lock on a connection of its own, released explicitly (or
by PostgreSQL when that connection dies); no transaction stays open while the work runs. SQLite
is single-process: the in-process path (one computation per process and version) is enough.
"""

from __future__ import annotations

import asyncio
import io
import logging
import pickle
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from accr_graph.db.models import MatchingAnalytic

log = logging.getLogger("accr_graph.matching")
T = TypeVar("T")
LOCK_NAMESPACE = 0x41434352  # "ACCR": the high 32 bits of every lock key taken here
POLL_SECONDS = 0.2
WAIT_SECONDS = 300.0  # then compute here rather than wait for a stuck worker


# What a stored result may be made of: this application's result types (``matching``), plain
# containers and numpy scalars/arrays. Anyone able to write a row could otherwise make every
# worker run code of their choosing when it reads the row.
_SAFE_GLOBALS = (
    {("builtins", name) for name in ("set", "frozenset", "tuple", "list", "dict", "complex")}
    | {
        (module, name)
        for module in ("numpy.core.multiarray", "numpy._core.multiarray")
        for name in ("scalar", "_reconstruct")
    }
    | {("numpy", "dtype"), ("numpy", "ndarray"), ("collections", "OrderedDict")}
)


class _ResultUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (
            module == "matching"
            or module.startswith("matching.")
            or (module, name) in _SAFE_GLOBALS
        ):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a matching result")


def loads(payload: bytes) -> Any:
    """A stored result, refusing any type outside ``_SAFE_GLOBALS`` and ``matching``."""
    return _ResultUnpickler(io.BytesIO(payload)).load()


def engine_of(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    bind = sessionmaker.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        raise TypeError("the matching service needs a sessionmaker bound to an engine")
    return bind


def is_shared(sessionmaker: async_sessionmaker[AsyncSession]) -> bool:
    """Whether other processes may share this database (PostgreSQL)."""
    return engine_of(sessionmaker).dialect.name == "postgresql"


def lock_key(*parts: object) -> int:
    """A signed 64-bit advisory lock key for these parts, in this application's namespace."""
    return (LOCK_NAMESPACE << 32) | zlib.crc32(":".join(map(str, parts)).encode())


@asynccontextmanager
async def advisory_lock(engine: AsyncEngine, key: int) -> AsyncIterator[bool]:
    """Try the session-level advisory lock ``key``; yields whether this worker holds it."""
    async with engine.connect() as connection:
        held = bool(await connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}))
        await connection.commit()  # no transaction stays open while the work runs
        try:
            yield held
        finally:
            if held:
                try:
                    await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    await connection.commit()
                except Exception:  # never return a connection that may still hold the lock
                    await connection.invalidate()
                    raise


async def shared_analytic(
    sessionmaker: async_sessionmaker[AsyncSession],
    version: int,
    key: str,
    compute: Callable[[], T],
    computed: Callable[[], None],
) -> T:
    """The analytic ``key`` of network ``version``: stored, else computed here under the lock
    (``computed`` is called when this worker computes it), else waited for."""
    engine = engine_of(sessionmaker)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found: T | None = await _load(sessionmaker, version, key)
        if found is not None:
            return found
        async with advisory_lock(engine, lock_key("analytic", version, key)) as held:
            if held:
                found = await _load(sessionmaker, version, key)  # stored meanwhile?
                return (
                    found
                    if found is not None
                    else await _compute(sessionmaker, version, key, compute, computed)
                )
        if time.monotonic() > deadline:
            log.warning("matching analytic %s: waited %.0f s, computing here", key, WAIT_SECONDS)
            return await _compute(sessionmaker, version, key, compute, computed)
        await asyncio.sleep(POLL_SECONDS)


async def _compute(
    sessionmaker: async_sessionmaker[AsyncSession],
    version: int,
    key: str,
    compute: Callable[[], T],
    computed: Callable[[], None],
) -> T:
    start = time.perf_counter()
    result = await asyncio.to_thread(compute)
    computed()
    await _store(sessionmaker, version, key, result, time.perf_counter() - start)
    return result


async def _load(sessionmaker: async_sessionmaker[AsyncSession], version: int, key: str) -> Any:
    async with sessionmaker() as session:
        payload = await session.scalar(
            select(MatchingAnalytic.payload).where(
                MatchingAnalytic.network_version == version, MatchingAnalytic.key == key
            )
        )
    if payload is None:
        return None
    try:
        return loads(payload)
    except Exception:  # stored by other code (an upgrade, or forged): compute it again
        log.warning("matching analytic %s of version %s does not load; recomputing", key, version)
        return None


async def _store(
    sessionmaker: async_sessionmaker[AsyncSession],
    version: int,
    key: str,
    result: object,
    seconds: float,
) -> None:
    """Store the result, and forget older versions' (no worker serves them any longer)."""
    row = MatchingAnalytic(
        network_version=version, key=key, seconds=seconds, payload=pickle.dumps(result)
    )
    try:
        async with sessionmaker() as session, session.begin():
            await session.execute(
                delete(MatchingAnalytic).where(MatchingAnalytic.network_version < version)
            )
            session.add(row)
    except IntegrityError:  # a worker that gave up waiting stored the same result first
        log.info("matching analytic %s of version %s was already stored", key, version)


async def refit_once(
    sessionmaker: async_sessionmaker[AsyncSession], refit: Callable[[], Awaitable[T]]
) -> T | None:
    """Run ``refit`` unless another worker is refitting (then None): the refit checks again,
    under the lock, that the stored model is stale, so a late worker does nothing either."""
    if not is_shared(sessionmaker):
        return await refit()
    async with advisory_lock(engine_of(sessionmaker), lock_key("refit")) as held:
        return await refit() if held else None
