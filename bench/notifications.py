"""Notification delivery throughput, and what recording an event adds to a write.

On a fresh PostgreSQL database (created on 127.0.0.1:5432 and dropped at the end; the sample
network loaded):

1. **Inbox**: N events (default 10,000; ``fair.registration_opened`` about the centres that have
   accounts, so each reaches one or two inboxes) delivered by 1, then 2 ``accr-graph worker
   --once`` processes; events/s = N / wall time from the workers' start to their exit.
2. **SMTP**: the same with e-mail on, to a local aiosmtpd server running in this process
   (every event also becomes one e-mail delivery per recipient; a recipient's e-mails of one
   batch leave as one message).
3. **Write latency**: p50 / p90 of the ``expressInterest`` mutation over GraphQL (in-process
   ASGI app, a member's token), with the outbox (the unit of work records the event) and
   without it (``UnitOfWork.emit`` made a no-op), alternating request by request in the same
   run; the target is "with" ≤ 1.10 × "without".

Usage (from the repository root)::

    .venv/bin/python bench/notifications.py                # 10,000 events
    .venv/bin/python bench/notifications.py --events 2000  # quicker
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiosmtpd.controller import Controller
from sqlalchemy import delete, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accr_graph import migrate  # noqa: E402
from accr_graph.db import models as m  # noqa: E402
from accr_graph.db.session import create_engine, create_sessionmaker  # noqa: E402
from accr_graph.importers.sample import load_sample  # noqa: E402
from accr_graph.services import uow as uow_module  # noqa: E402
from accr_graph.services.uow import Actor, unit_of_work  # noqa: E402
from accr_graph.settings import Settings  # noqa: E402

CLI = str(Path(sys.executable).with_name("accr-graph"))
SECRET = "bench-secret-key"
EXPRESS = (
    "mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { __typename } }"
)


@asynccontextmanager
async def postgres() -> AsyncIterator[str]:
    for user in ("postgres", "root"):
        try:
            admin = await asyncpg.connect(host="127.0.0.1", user=user, database="test")
            break
        except (OSError, asyncpg.PostgresError):
            continue
    else:
        raise SystemExit("PostgreSQL on 127.0.0.1:5432 is needed (database `test`, trust auth)")
    name = f"accr_bench_notify_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://{user}@127.0.0.1:5432/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


class Counter:
    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        return "250 OK"


async def emit_events(db: Any, count: int) -> None:
    async with db() as session:
        centres = sorted(
            set(
                (
                    await session.scalars(
                        select(m.User.centre_id).where(m.User.centre_id.is_not(None))
                    )
                ).all()
            )
        )
    for start in range(0, count, 1000):
        async with unit_of_work(db, Actor.system(), "bench") as uow:
            uow.without_audit()
            for n in range(start, min(count, start + 1000)):
                centre = centres[n % len(centres)]
                uow.emit(
                    "fair.registration_opened", None, centre_ids=[centre], payload={"fair": f"F{n}"}
                )


async def reset(db: Any) -> None:
    async with db.begin() as session:
        await session.execute(delete(m.Notification))
        await session.execute(delete(m.Delivery))
        await session.execute(delete(m.OutboxEvent))


async def run_workers(url: str, workers: int, smtp_url: str) -> float:
    env = {
        **os.environ,
        "ACCR_DATABASE_URL": url,
        "ACCR_SECRET_KEY": SECRET,
        "ACCR_SMTP_URL": smtp_url,
        "ACCR_LOG_LEVEL": "WARNING",
        "ACCR_WORKER_BATCH_SIZE": "500",
    }
    start = time.perf_counter()
    procs = [
        await asyncio.create_subprocess_exec(
            CLI, "worker", "--once", env=env, stdout=asyncio.subprocess.DEVNULL
        )
        for _ in range(workers)
    ]
    codes = [await p.wait() for p in procs]
    assert codes == [0] * workers, codes
    return time.perf_counter() - start


async def delivered(db: Any) -> tuple[int, int]:
    async with db() as session:
        inbox = await session.scalar(select(func.count()).select_from(m.Notification))
        mails = await session.scalar(
            select(func.count())
            .select_from(m.Delivery)
            .where(m.Delivery.status == m.DeliveryStatus.DELIVERED)
        )
    return int(inbox or 0), int(mails or 0)


async def throughput(url: str, db: Any, events: int, smtp: Counter, smtp_url: str) -> None:
    print(f"## Delivery throughput, {events:,} events, PostgreSQL\n")
    print(
        "| channel | workers | seconds | events/s | inbox rows "
        "| e-mail deliveries | SMTP messages |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for channel, mail_url in (("inbox", ""), ("inbox + SMTP", smtp_url)):
        for workers in (1, 2):
            await reset(db)
            await emit_events(db, events)
            before = smtp.messages
            seconds = await run_workers(url, workers, mail_url)
            inbox, mails = await delivered(db)
            print(
                f"| {channel} | {workers} | {seconds:.1f} | {events / seconds:,.0f} "
                f"| {inbox:,} | {mails:,} | {smtp.messages - before:,} |"
            )
    print()


async def latency(url: str, db: Any, rounds: int) -> None:
    from accr_graph.app import create_app
    from tests.conftest import issue_token

    async with db() as session:
        user = await session.scalar(select(m.User).where(m.User.email.like("marie.dubois%")))
        proposals = (
            await session.scalars(
                select(m.Proposal.id).where(
                    m.Proposal.status == m.ProposalStatus.OPEN,
                    m.Proposal.owner_id != user.centre_id,
                )
            )
        ).all()
    settings = Settings(
        database_url=url,
        environment="test",
        secret_key=SECRET,
        matching_warm_up=False,
        response_cache=False,
        deliver_in_process=False,
        log_level="WARNING",
        cost_budget_per_minute=0,
    )
    token = await issue_token(type("D", (), {"sessionmaker": db})(), user.email)  # type: ignore[arg-type]
    app = create_app(settings)
    real_emit = uow_module.UnitOfWork.emit
    timings: dict[str, list[float]] = {"with outbox": [], "without outbox": []}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://bench",
            headers={"Authorization": f"Bearer {token}"},
        ) as http:
            for n in range(rounds):
                for variant in (
                    ("with outbox", "without outbox")
                    if n % 2
                    else ("without outbox", "with outbox")
                ):
                    uow_module.UnitOfWork.emit = (
                        real_emit if variant == "with outbox" else (lambda *a, **k: None)
                    )  # type: ignore[method-assign]
                    pid = proposals[(n % len(proposals))]
                    gid = __import__("accr_graph.ids", fromlist=["x"]).to_global_id("Proposal", pid)
                    async with db.begin() as session:
                        await session.execute(
                            delete(m.Interest).where(
                                m.Interest.proposal_id == pid,
                                m.Interest.centre_id == user.centre_id,
                            )
                        )
                    start = time.perf_counter()
                    answer = await http.post(
                        "/graphql",
                        json={"query": EXPRESS, "variables": {"input": {"proposalId": gid}}},
                    )
                    timings[variant].append(time.perf_counter() - start)
                    assert (
                        answer.json()["data"]["expressInterest"]["__typename"] == "InterestSuccess"
                    ), answer.text
    uow_module.UnitOfWork.emit = real_emit  # type: ignore[method-assign]
    async with db() as session:
        events = await session.scalar(
            select(func.count())
            .select_from(m.OutboxEvent)
            .where(m.OutboxEvent.kind == "interest.expressed")
        )
    print(f"## expressInterest latency, {rounds} requests per variant, alternating\n")
    print("| variant | p50 ms | p90 ms |")
    print("|---|---:|---:|")
    for variant, values in timings.items():
        ordered = sorted(values)
        p50, p90 = statistics.median(ordered), ordered[int(len(ordered) * 0.9)]
        print(f"| {variant} | {p50 * 1000:.2f} | {p90 * 1000:.2f} |")
    ratio = statistics.median(timings["with outbox"]) / statistics.median(timings["without outbox"])
    verdict = "OK" if ratio <= 1.10 else "FAIL"
    print(f"\nratio with/without (p50): {ratio:.3f} (target <= 1.10: {verdict})")
    print(f"interest.expressed events recorded by the 'with' runs: {events}\n")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200, help="expressInterest calls per variant")
    args = parser.parse_args()
    smtp = Counter()
    port = 20000 + os.getpid() % 20000
    controller = Controller(smtp, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        async with postgres() as url:
            engine = create_engine(Settings(database_url=url), url)
            await migrate.upgrade_engine(engine)
            db = create_sessionmaker(engine)
            async with db.begin() as session:
                await load_sample(session)
            await throughput(url, db, args.events, smtp, f"smtp://127.0.0.1:{port}")
            await latency(url, db, args.rounds)
            await engine.dispose()
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
