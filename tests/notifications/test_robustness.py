"""Worker processes: killed mid-batch, the next one finishes the work (no inbox duplicates);
two workers on PostgreSQL deliver 2,000 events with none delivered twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accr_graph.db import models as m
from accr_graph.services.uow import Actor, unit_of_work
from tests.conftest import Database

CLI = str(Path(sys.executable).with_name("accr-graph"))


class Receiver:
    """A real HTTP receiver counting deliveries by webhook-id; optionally slow."""

    def __init__(self, delay: float = 0.0) -> None:
        self.ids: Counter[str] = Counter()
        self.first = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["content-length"]))
                receiver.ids[self.headers["webhook-id"]] += 1
                receiver.first.set()
                time.sleep(delay)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # every concurrent delivery is accepted, none refused

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def setup(db: Database, url: str, events: int) -> list[int]:
    """An admin's webhook for every event, and ``events`` events about one centre."""
    async with db.sessionmaker.begin() as session:
        admin = await session.scalar(select(m.User).where(m.User.role == m.UserRole.ADMIN))
        member = await session.scalar(select(m.User).where(m.User.centre_id.is_not(None)))
        session.add(m.Webhook(owner_id=admin.id, url=url, events=["*"], secret="whsec_" + "A" * 32))
    async with unit_of_work(db.sessionmaker, Actor.system(), "test") as uow:
        uow.without_audit()
        for n in range(events):
            uow.emit(
                "fair.registration_opened",
                None,
                centre_ids=[member.centre_id],
                payload={"fair": f"F{n}"},
            )
    async with db.sessionmaker() as session:
        users = (
            await session.scalars(select(m.User.id).where(m.User.centre_id == member.centre_id))
        ).all()
    return list(users)


def env(db: Database, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "ACCR_DATABASE_URL": db.url,
        "ACCR_SECRET_KEY": "test-secret-key",
        "ACCR_WEBHOOK_ALLOW_PRIVATE": "true",
        "ACCR_LOG_LEVEL": "WARNING",
        "ACCR_SMTP_URL": "",
        **extra,
    }


async def worker(db: Database, *args: str, **extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(CLI, "worker", *args, env=env(db, **extra))


async def inbox_duplicates(db: Database) -> int:
    async with db.sessionmaker() as session:
        query = (
            select(func.count())
            .select_from(m.Notification)
            .group_by(m.Notification.event_id, m.Notification.user_id)
            .having(func.count() > 1)
        )
        return len((await session.execute(query)).all())


async def counts(db: Database) -> tuple[int, Counter[str]]:
    async with db.sessionmaker() as session:
        inbox = await session.scalar(select(func.count()).select_from(m.Notification))
        statuses = Counter(
            s.value for s in (await session.scalars(select(m.Delivery.status))).all()
        )
    return int(inbox or 0), statuses


async def test_a_worker_killed_mid_batch_leaves_the_rest_to_the_next(sample_db: Database):
    # given 40 events and a slow receiver
    receiver = Receiver(delay=0.5)
    try:
        users = await setup(sample_db, receiver.url, 40)
        # when a worker is killed (SIGKILL) while it sends its first batch
        first = await worker(
            sample_db, ACCR_DELIVERY_LEASE_SECONDS="1", ACCR_WORKER_BATCH_SIZE="40"
        )
        assert await asyncio.to_thread(receiver.first.wait, 60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        # and the next one runs after the lease
        await asyncio.sleep(1.2)
        second = await worker(sample_db, "--once")
        assert await second.wait() == 0
        # then every event was delivered (the batch in flight at the kill sent again, with the
        # same webhook-id for receivers to recognise), and no inbox shows one twice
        inbox, statuses = await counts(sample_db)
        assert statuses == Counter({"delivered": 40})
        assert len(receiver.ids) == 40
        assert inbox == 40 * len(users) and await inbox_duplicates(sample_db) == 0
    finally:
        receiver.close()


async def test_two_workers_deliver_2000_events_none_twice(sample_db: Database):
    if sample_db.backend != "postgresql":
        pytest.skip("several worker processes share PostgreSQL; SQLite runs one by design")
    receiver = Receiver()
    try:
        users = await setup(sample_db, receiver.url, 2000)
        # when two worker processes drain the outbox at the same time
        both = [await worker(sample_db, "--once", ACCR_WORKER_BATCH_SIZE="100") for _ in range(2)]
        assert [await p.wait() for p in both] == [0, 0]
        # then each event reached the receiver exactly once and each inbox once
        inbox, statuses = await counts(sample_db)
        assert statuses == Counter({"delivered": 2000})
        assert len(receiver.ids) == 2000 and set(receiver.ids.values()) == {1}
        assert inbox == 2000 * len(users) and await inbox_duplicates(sample_db) == 0
    finally:
        receiver.close()
