"""Load test: 2 uvicorn workers on a PostgreSQL of its own, a mixed read/write workload from an
async client on loopback; then the same with PostgreSQL restarted in the middle.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 16]

Phase 1 prints throughput, p50/p99 latency and every status seen (only 200 and intended 429s
are expected). Phase 2 restarts PostgreSQL halfway: every request must be answered (200 or a
JSON 503), none may hang past the timeout, and every acknowledged write (a draft proposal whose
creation answered success) must be in the database afterwards. It never touches the shared
PostgreSQL on 5432: it runs initdb / pg_ctl on a free port in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.test_database_outage import Cluster, _free_port  # noqa: E402

READS = [
    "{ centres(first: 20) { nodes { slug name country { code } themes { slug } } } }",
    "{ proposals(first: 10) { nodes { id title status } } }",
    "{ themes(first: 30) { nodes { slug name } } }",
    '{ centre(slug: "abbaye-de-saint-aurel") { name '
    "partners(first: 10) { nodes { centre { slug } } } } }",
]
CREATE = """mutation ($i: CreateProposalInput!) { createProposal(input: $i) {
  __typename ... on ProposalSuccess { proposal { id } } } }"""
HANG = 15.0  # seconds: an answer slower than this counts as hanging


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    acknowledged: list[str] = field(default_factory=list)
    hanging: int = 0


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "accr_graph.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "accr_graph.app:create_app",
            "--factory",
            "--port",
            str(port),
            "--workers",
            "2",
            "--no-proxy-headers",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(tempfile.gettempdir()) / "accr-load-server.log", "w"),
    )


async def _wait_up(base: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(900):  # start-up can take a minute on a loaded machine
            try:
                if (await http.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the app did not become ready")


async def _one(http: httpx.AsyncClient, tally: Tally, owner: str, n: int) -> None:
    write = n % 5 == 0  # one request in five writes
    title = f"load {os.getpid()} {n}"
    body = (
        {
            "query": CREATE,
            "variables": {"i": {"ownerId": owner, "title": [{"lang": "en", "text": title}]}},
        }
        if write
        else {"query": random.choice(READS)}
    )
    started = time.perf_counter()
    try:
        response = await http.post("/graphql", json=body, timeout=HANG)
    except httpx.TimeoutException:
        tally.hanging += 1
        tally.statuses["hang"] += 1
        return
    except httpx.HTTPError as error:
        tally.statuses[type(error).__name__] += 1
        return
    tally.latencies.append(time.perf_counter() - started)
    status = str(response.status_code)
    if response.status_code == 503 and response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        status = "503 json"
    elif response.status_code == 200 and response.json().get("errors"):
        codes = {e.get("extensions", {}).get("code") for e in response.json()["errors"]}
        status = f"200 with errors {sorted(map(str, codes))}"
    tally.statuses[status] += 1
    if write and response.status_code == 200:
        payload = (response.json().get("data") or {}).get("createProposal") or {}
        if payload.get("__typename") == "ProposalSuccess":
            tally.acknowledged.append(title)


async def _client(
    base: str, token: str, owner: str, until: float, tally: Tally, ids: list[int]
) -> None:
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers) as http:
        while time.monotonic() < until:
            ids[0] += 1
            await _one(http, tally, owner, ids[0])


async def _phase(
    base: str, token: str, owner: str, seconds: float, clients: int, during: object = None
) -> tuple[Tally, float]:
    tally, ids = Tally(), [0]
    started = time.monotonic()
    until = started + seconds
    tasks = [_client(base, token, owner, until, tally, ids) for _ in range(clients)]
    if during is not None:
        tasks.append(during)  # type: ignore[arg-type]
    await asyncio.gather(*tasks)
    return tally, time.monotonic() - started


def _report(name: str, tally: Tally, elapsed: float) -> None:
    lat = sorted(tally.latencies)
    p50 = statistics.median(lat) * 1000 if lat else 0.0
    p99 = lat[int(len(lat) * 0.99) - 1] * 1000 if lat else 0.0
    total = sum(tally.statuses.values())
    print(
        f"{name}: {total} requests in {elapsed:.0f} s = {total / elapsed:.0f} req/s, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms; statuses {dict(tally.statuses)}; "
        f"acknowledged writes {len(tally.acknowledged)}"
    )


async def _restart_midway(cluster: Cluster, seconds: float) -> None:
    await asyncio.sleep(seconds / 2)
    await asyncio.to_thread(cluster.stop)
    await asyncio.sleep(3)
    await asyncio.to_thread(cluster.start)
    print("  (PostgreSQL stopped and restarted, 3 s down)")


async def _lost(url: str, titles: list[str]) -> int:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT title FROM proposals")
    finally:
        await conn.close()
    saved = {str(r["title"]) for r in rows}
    return sum(1 for t in titles if not any(t in s for s in saved))


async def main(seconds: float, clients: int) -> None:
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="accr-load-")) / "pg", _free_port())
    Path(cluster.data).parent.parent.chmod(0o755)
    cluster.init()
    cluster.start()
    url = f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres"
    env = {
        **os.environ,
        "ACCR_DATABASE_URL": url,
        "ACCR_ENVIRONMENT": "production",
        "ACCR_SECRET_KEY": "load",
        "ACCR_COST_BUDGET_PER_MINUTE": "0",
        "ACCR_MATCHING_WARM_UP": "false",
        "ACCR_LOG_LEVEL": "warning",
        "ACCR_SECRET_KEY_FILE": str(cluster.data.parent / "key"),
    }
    _cli(env, "db", "upgrade")
    _cli(env, "load-sample")
    token = (
        _cli(env, "tokens", "create", "--user", "staff@accr.example.org", "--scopes", "read,write")
        .strip()
        .splitlines()[-1]
    )
    port = _free_port()
    server = _serve(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_up(base)
        async with httpx.AsyncClient(base_url=base) as http:
            found = await http.post(
                "/graphql", json={"query": '{ centre(slug: "abbaye-de-saint-aurel") { id } }'}
            )
            owner = found.json()["data"]["centre"]["id"]
        steady, elapsed = await _phase(base, token, owner, seconds, clients)
        _report("steady", steady, elapsed)
        restart, elapsed = await _phase(
            base, token, owner, seconds, clients, _restart_midway(cluster, seconds)
        )
        _report("restart", restart, elapsed)
        lost = await _lost(url, steady.acknowledged + restart.acknowledged)
        hanging = steady.hanging + restart.hanging
        print(f"acknowledged writes lost: {lost}; hanging requests: {hanging}")
    finally:
        server.terminate()
        server.wait(timeout=20)
        subprocess.run(  # noqa: ASYNC221
            [
                *cluster.user,
                str(cluster.bin / "pg_ctl"),
                "-D",
                str(cluster.data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="per phase (at most 600)")
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(min(args.seconds, 600.0), args.clients))
