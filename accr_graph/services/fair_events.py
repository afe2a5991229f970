"""Changes of a fair's published schedule, delivered to this worker's subscribers.

The source of truth is ``fairs.schedule_version`` in the database, bumped in the transaction that
changes the published schedule, so every web worker sees the same versions:

- PostgreSQL: the writing transaction also sends ``NOTIFY accr_fair_schedule '<fair>:<version>'``;
  each worker keeps one dedicated asyncpg connection LISTENing and fans notifications out. A slow
  poll of the versions (every ``pg_poll_seconds``) catches anything missed while that connection
  was being re-opened.
- SQLite (one machine): each worker polls the versions of the fairs it has subscribers for,
  about once a second.

Subscribers get the current version first, then every higher version, never the same one twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from accr_graph.repositories import fair as repo

log = logging.getLogger("accr_graph.fair_events")


@dataclass(eq=False)
class _Subscriber:
    fair_id: int
    last: int = -1
    queue: asyncio.Queue[int] = field(default_factory=asyncio.Queue)

    def offer(self, version: int) -> None:
        if version > self.last:
            self.last = version
            self.queue.put_nowait(version)


class FairScheduleEvents:
    """Versions per key (here: a fair's schedule version), watched across workers.

    Subclasses watch other counters with the same machinery (the inbox's latest notification
    per user) by setting ``channel`` and overriding ``_read``."""

    channel = repo.SCHEDULE_CHANNEL

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        database_url: str,
        poll_seconds: float = 1.0,
        pg_poll_seconds: float = 15.0,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._url = database_url
        self._postgres = database_url.startswith("postgresql")
        self._interval = pg_poll_seconds if self._postgres else poll_seconds
        self._subscribers: dict[int, set[_Subscriber]] = defaultdict(set)
        self._listener: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def watch(self, fair_id: int) -> AsyncIterator[int]:
        """The fair's schedule version now, then each time it changes."""
        subscriber = _Subscriber(fair_id)
        self._subscribers[fair_id].add(subscriber)
        try:
            await self._start()
            current = (await self._versions([fair_id])).get(fair_id, 0)
            subscriber.offer(current)
            while True:
                yield await subscriber.queue.get()
        finally:
            self._subscribers[fair_id].discard(subscriber)
            if not self._subscribers[fair_id]:
                del self._subscribers[fair_id]

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._close_listener()

    # -- internals ---------------------------------------------------------------------------

    async def _start(self) -> None:
        async with self._lock:
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._poll_forever(), name="fair-schedule-poll")
            if self._postgres and (self._listener is None or self._listener.is_closed()):
                await self._listen()

    async def _listen(self) -> None:
        dsn = make_url(self._url).set(drivername="postgresql")
        try:
            conn = await asyncpg.connect(dsn.render_as_string(hide_password=False))
            await conn.add_listener(self.channel, self._on_notify)
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("cannot LISTEN for fair schedule changes (polling instead): %s", error)
            return
        self._listener = conn

    async def _close_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            await self._listener.close()
        self._listener = None

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        fair, _, version = payload.partition(":")
        if fair.isdigit() and version.isdigit():
            self._dispatch({int(fair): int(version)})

    def _dispatch(self, versions: dict[int, int]) -> None:
        for fair_id, version in versions.items():
            for subscriber in list(self._subscribers.get(fair_id, ())):
                subscriber.offer(version)

    async def _versions(self, fair_ids: list[int]) -> dict[int, int]:
        async with self._sessionmaker() as session:
            return await self._read(session, fair_ids)

    async def _read(self, session: AsyncSession, keys: list[int]) -> dict[int, int]:
        return await repo.schedule_versions(session, keys)

    async def _poll_forever(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            watched = list(self._subscribers)
            if not watched:
                continue
            try:
                self._dispatch(await self._versions(watched))
                if self._postgres and (self._listener is None or self._listener.is_closed()):
                    async with self._lock:
                        await self._listen()
            except Exception:  # a database blip must not end the poller
                log.exception("polling fair schedule versions failed")
