"""The delivery loop: dispatch new outbox events, then send due deliveries; sleep when idle.

``accr-graph worker`` runs it as its own process (any number of them on PostgreSQL); on SQLite
the web app runs it as an asyncio task in its lifespan (``ACCR_DELIVER_IN_PROCESS``), so
``scripts/serve`` still runs everything with one command. Stopping it at any point loses
nothing: undispatched events and unsent deliveries stay in the database for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from accr_graph.notifications.delivery import Deliverer
from accr_graph.notifications.dispatch import Dispatcher
from accr_graph.services.uow import Database
from accr_graph.settings import Settings

log = logging.getLogger("accr_graph.notifications")


class Worker:
    def __init__(self, db: Database, settings: Settings, secret: str) -> None:
        self.settings = settings
        self.dispatcher = Dispatcher(db, bool(settings.smtp_url), settings.worker_batch_size)
        self.deliverer = Deliverer(db, settings, secret)
        self.wake = asyncio.Event()
        self.db = db
        self.last_scan = float("-inf")  # monotonic time of the last proposal-match scan

    async def run_once(self) -> int:
        """One round: every pending event dispatched, one batch of deliveries sent."""
        done = 0
        while dispatched := await self.dispatcher.run_batch():
            done += dispatched
        return done + await self.deliverer.run_batch()

    async def drain(self, rounds: int = 1000) -> int:
        """Work until nothing is due (tests, benchmarks, one-shot runs); the work done."""
        total = 0
        for _ in range(rounds):
            done = await self.run_once()
            if not done:
                break
            total += done
        return total

    async def scan_matches(self) -> int:
        """Announce new open proposals fitting centres (proposal.matched); the count."""
        from accr_graph.services.matching import MatchingService
        from accr_graph.services.proposal_alerts import announce_proposal_matches

        engine = MatchingService(self.db)
        try:
            return await announce_proposal_matches(self.db, engine, self.settings.match_min_score)
        finally:
            await engine.close()

    async def _maybe_scan(self) -> None:
        hours = self.settings.match_scan_hours
        now = asyncio.get_running_loop().time()
        if hours > 0 and now - self.last_scan >= hours * 3600:
            self.last_scan = now
            found = await self.scan_matches()
            log.info("proposal matches announced: %d", found)

    async def run_forever(self) -> None:
        while True:
            try:
                await self._maybe_scan()
                done = await self.run_once()
            except Exception:  # a database or network blip must not end the worker
                log.exception("notification round failed; retrying")
                done = 0
            if not done:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), self.settings.worker_idle_seconds)
                self.wake.clear()

    async def close(self) -> None:
        await self.deliverer.close()


async def main(settings: Settings, once: bool = False) -> int:
    """``accr-graph worker``: its own engine; stops cleanly on Ctrl-C or SIGTERM."""
    from accr_graph.db.session import create_engine, create_sessionmaker
    from accr_graph.web.auth import signing_key

    engine = create_engine(settings)
    worker = Worker(create_sessionmaker(engine), settings, signing_key(settings))
    log.info("notification worker started (e-mail %s)", "on" if settings.smtp_url else "off")
    try:
        if once:
            return await worker.drain()
        await worker.run_forever()
        return 0
    finally:
        await worker.close()
        await engine.dispose()


async def scan_once(settings: Settings) -> int:
    """``accr-graph notify-matches``: one proposal-match scan with its own engine."""
    from accr_graph.db.session import create_engine, create_sessionmaker
    from accr_graph.web.auth import signing_key

    engine = create_engine(settings)
    worker = Worker(create_sessionmaker(engine), settings, signing_key(settings))
    try:
        return await worker.scan_matches()
    finally:
        await worker.close()
        await engine.dispose()


class InProcess:
    """The worker as a task of the web app (SQLite default, or ACCR_DELIVER_IN_PROCESS=true)."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.task = asyncio.create_task(worker.run_forever(), name="notification-worker")

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.worker.close()
