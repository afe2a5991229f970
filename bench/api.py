"""Throughput and latency of the GraphQL API next to a hand-written endpoint serving the same JSON.

Three representative operations, each served by uvicorn (real server processes on 127.0.0.1,
random free ports), loaded by an async httpx client running in this process (the servers run in
their own processes, one event loop each):

1. ``centres``  -- ``centres(first: 100)`` with country, themes, offers, seeks, proposals and
   the first five partners (and their centres) of every centre;
2. ``proposal`` -- one proposal with owner, themes, sought competencies and interests (with the
   interested centres);
3. ``search``   -- ``proposals(filter: {status: [OPEN], theme: [...]}, first: 20)``.

The GraphQL service runs twice, response cache off (``ACCR_RESPONSE_CACHE=false``) and on (the
default; the bench repeats one query, so every timed request is a cache hit). The hand-written
endpoint (``bench/_handwritten.py``) uses the same repository functions with the same batching
as the DataLoaders; before timing, the bench checks that it answers the same JSON as GraphQL and
that both send the same SQL statements.

The database is built in a temporary SQLite file: ``accr-graph db upgrade``, ``load-sample`` and
``import keep-eu --dir ../shared/data/keep-eu`` (when that folder exists: ~6,900 centres, so the
100-centre page is full). ``--database-url`` benchmarks another database (e.g. PostgreSQL); it is
upgraded and, when it holds no centres yet, loaded the same way (a database with data is used as
it is, never wiped).

Usage (from the repository root)::

    .venv/bin/python bench/api.py --quick          # ~35 s: 2 s per operation and server
    .venv/bin/python bench/api.py                  # full: ~3.5 min, 2 interleaved rounds
    .venv/bin/python bench/api.py --database-url postgresql+asyncpg://127.0.0.1/accr_bench
    .venv/bin/python bench/api.py --profile        # operation 1 in-process under pyinstrument
    .venv/bin/python bench/api.py --cost-budget    # keeps the cost budget (settled once a second)

The table gives, per operation and server: req/s, latency percentiles, the GraphQL/hand-written
throughput ratio, and the server process's CPU time per request (user + system, from /proc),
which is steadier than req/s when other work shares the machine. The query-cost budget is per
client address, so it is turned off for the bench (every request comes from 127.0.0.1).

Target: the nested list (``centres``) at >= 0.35 of the hand-written endpoint's throughput
with the response cache off (PASS/FAIL is printed from this run's ratio; the cache-on row gets
its own verdict for information).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make accr_graph, schema and bench importable
    sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import orjson  # noqa: E402

DEFAULT_KEEP_EU = REPO.parent / "shared" / "data" / "keep-eu"
TARGET_RATIO = 0.35
GRAPHQL_PATH = "/graphql"
JSON_HEADERS = {"content-type": "application/json", "accept": "application/json"}

CENTRES_QUERY = """
query BenchCentres($first: Int!) {
  centres(first: $first) {
    totalCount
    edges { node {
      id slug name country { code name } city
      themes { slug name }
      offers { level competency { slug name } }
      seeks { level competency { slug name } }
      proposals { totalCount nodes { id title status } }
      partners(first: 5) { totalCount nodes { jointProjects lastYear centre { slug name } } }
    } }
  }
}
"""

PROPOSAL_QUERY = """
query BenchProposal($id: ID!) {
  proposal(id: $id) {
    title summary status version
    owner { name }
    themes { name }
    seeks { level competency { slug name } }
    interests { nodes { status message centre { name country { code } } } }
  }
}
"""

SEARCH_QUERY = """
query BenchProposalSearch($themes: [String!], $first: Int!) {
  proposals(filter: {status: [OPEN], theme: $themes}, first: $first) {
    totalCount
    nodes { title owner { name } themes { slug } }
  }
}
"""


# --- operations and servers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    key: str
    description: str
    query: str
    variables: dict[str, Any]
    handwritten: str  # path and query string of the hand-written endpoint

    @property
    def graphql_body(self) -> bytes:
        return orjson.dumps({"query": self.query, "variables": self.variables})


@dataclass(frozen=True)
class ServerKind:
    key: str
    label: str
    app: str
    env: dict[str, str]

    @property
    def is_graphql(self) -> bool:
        return self.key.startswith("graphql")


SERVER_KINDS = (
    ServerKind("handwritten", "hand-written", "bench._handwritten:create_app", {}),
    ServerKind(
        "graphql-nocache",
        "GraphQL, cache off",
        "accr_graph.app:create_app",
        {"ACCR_RESPONSE_CACHE": "false"},
    ),
    ServerKind(
        "graphql-cache",
        "GraphQL, cache on",
        "accr_graph.app:create_app",
        {"ACCR_RESPONSE_CACHE": "true"},
    ),
)


def active_kinds(args: Any) -> tuple[ServerKind, ...]:
    return SERVER_KINDS


def request_of(op: Operation, kind: ServerKind) -> tuple[str, str, bytes | None]:
    """(method, path, body) of one request of ``op`` to a server of ``kind``."""
    if kind.is_graphql:
        return "POST", GRAPHQL_PATH, op.graphql_body
    return "GET", op.handwritten, None


# Settings every app the bench runs (servers and in-process) gets, besides the database URL.
# The per-minute query-cost budget is per client address, and every bench request comes from
# 127.0.0.1: left on, it would answer 429 after a few dozen requests. Off by default (the bench
# measures execution); --cost-budget keeps it on, with a limit never reached. The matching
# warm-up reads the whole network in the background at start-up: none of the three operations
# uses it, and it would both add to the SQL compared and load the CPU while timing.
SERVICE_ENV: dict[str, str] = {
    "ACCR_LOG_LEVEL": "WARNING",
    "ACCR_COST_BUDGET_PER_MINUTE": "0",
    "ACCR_MATCHING_WARM_UP": "false",
    "ACCR_DELIVER_IN_PROCESS": "false",  # no notification worker polling beside the requests
    "ACCR_SECRET_KEY": os.environ.get("ACCR_SECRET_KEY") or secrets.token_hex(32),
}
BUDGET_NEVER_REACHED = str(10**15)
# Statements the GraphQL endpoint sends besides the operation's own (admission control).
ENDPOINT_TABLES = ("rate_budget", "data_version")  # the endpoint's own reads, not resolvers'


def base_env(database_url: str) -> dict[str, str]:
    return (
        dict(os.environ)
        | SERVICE_ENV
        | {
            "ACCR_DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
    )


@dataclass
class Server:
    kind: ServerKind
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return math.nan
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(kind: ServerKind, database_url: str, workdir: Path) -> Server:
    port = free_port()
    log_path = workdir / f"{kind.key}.log"
    env = base_env(database_url) | kind.env
    command = [
        sys.executable, "-m", "uvicorn", kind.app, "--factory",
        "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", "--no-access-log", "--app-dir", str(REPO),
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    return Server(kind, process, port, log_path)


def wait_ready(servers: list[Server], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    pending = list(servers)
    with httpx.Client(timeout=2.0) as client:
        while pending:
            for server in list(pending):
                if server.process.poll() is not None:
                    raise SystemExit(
                        f"{server.kind.label} server exited early:\n{server.log_tail()}"
                    )
                try:
                    if client.get(server.url + "/healthz").status_code == 200:
                        pending.remove(server)
                except httpx.TransportError:
                    pass
            if pending and time.monotonic() > deadline:
                raise SystemExit(f"servers not ready after {timeout:.0f} s: {pending}")
            if pending:
                time.sleep(0.1)


# --- the database --------------------------------------------------------------------------------


def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "accr-graph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "accr_graph.cli"]


def run_cli(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    command = [*cli_command(), "--database-url", database_url, *args]
    print("  $", "accr-graph", *args, flush=True)
    done = subprocess.run(
        command, cwd=REPO, env=base_env(database_url), capture_output=True, text=True
    )
    if check and done.returncode != 0:
        raise SystemExit(f"`accr-graph {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")
    return done


def build_database(database_url: str, keep_eu: Path | None) -> None:
    started = time.perf_counter()
    run_cli(database_url, "db", "upgrade")
    loaded = run_cli(database_url, "load-sample", check=False)
    if loaded.returncode != 0:
        if "already holds centres" not in loaded.stderr:
            raise SystemExit(f"`accr-graph load-sample` failed:\n{loaded.stderr}")
        print("  the database already holds centres: benchmarking it as it is")
        return
    if keep_eu is None:
        print("  keep-eu import skipped")
    elif (keep_eu / "projects.csv").exists():
        run_cli(database_url, "import", "keep-eu", "--dir", str(keep_eu))
    else:
        print(f"  {keep_eu}: no keep-eu data; the centre page holds only the sample network")
    print(f"  database ready in {time.perf_counter() - started:.1f} s")


async def _pick_parameters(database_url: str) -> tuple[int, list[str], int]:
    """The most-discussed public proposal, the two commonest themes of open proposals."""
    from sqlalchemy import func, select

    from accr_graph.db import models as m
    from accr_graph.db.session import create_engine
    from accr_graph.settings import Settings

    engine = create_engine(Settings(), database_url)
    try:
        async with engine.connect() as conn:
            busiest = await conn.execute(
                select(m.Interest.proposal_id)
                .join(m.Proposal, m.Proposal.id == m.Interest.proposal_id)
                .where(m.Proposal.status != m.ProposalStatus.DRAFT)
                .group_by(m.Interest.proposal_id)
                .order_by(func.count().desc(), m.Interest.proposal_id)
                .limit(1)
            )
            proposal_id = busiest.scalar_one()
            common = await conn.execute(
                select(m.Theme.slug)
                .join(m.proposal_themes, m.proposal_themes.c.theme_id == m.Theme.id)
                .join(m.Proposal, m.Proposal.id == m.proposal_themes.c.proposal_id)
                .where(m.Proposal.status == m.ProposalStatus.OPEN)
                .group_by(m.Theme.slug)
                .order_by(func.count().desc(), m.Theme.slug)
                .limit(2)
            )
            themes = list(common.scalars())
            centres = await conn.scalar(select(func.count()).select_from(m.Centre))
    finally:
        await engine.dispose()
    return proposal_id, themes, int(centres or 0)


def operations(database_url: str, page_size: int) -> tuple[list[Operation], int]:
    from bench._handwritten import global_id

    proposal_id, themes, centre_count = asyncio.run(_pick_parameters(database_url))
    gid = global_id("Proposal", proposal_id)
    theme_args = "".join(f"&theme={t}" for t in themes)
    ops = [
        Operation(
            "centres",
            f"centres(first: {page_size}) nested",
            CENTRES_QUERY,
            {"first": page_size},
            f"/centres?first={page_size}",
        ),
        Operation(
            "proposal",
            f"proposal(id: {gid}) + interests",
            PROPOSAL_QUERY,
            {"id": gid},
            f"/proposal?id={gid}",
        ),
        Operation(
            "search",
            f"proposals(OPEN, theme: {'/'.join(themes)}, first: 20)",
            SEARCH_QUERY,
            {"themes": themes, "first": 20},
            f"/proposals?status=OPEN{theme_args}&first=20",
        ),
    ]
    return ops, centre_count


# --- checks before timing ------------------------------------------------------------------------


@contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def in_process_app(kind: str, database_url: str) -> Any:
    """A fresh app (GraphQL with the cache off, or the hand-written one) in this process."""
    from accr_graph.settings import Settings

    with environment(**SERVICE_ENV, ACCR_DATABASE_URL=database_url, ACCR_RESPONSE_CACHE="false"):
        settings = Settings()
    if kind == "graphql":
        from accr_graph.app import create_app

        return create_app(settings)
    from bench._handwritten import create_app as create_handwritten

    return create_handwritten(settings)


def statement_signature(statement: str, params: Any) -> tuple[str, tuple[str, ...]]:
    values = params if isinstance(params, (list, tuple)) else sorted((params or {}).items())
    return " ".join(statement.split()), tuple(sorted(repr(v) for v in values))


async def _capture_sql(kind: str, database_url: str, ops: list[Operation]) -> dict[str, Any]:
    from sqlalchemy import event

    app = in_process_app(kind, database_url)
    server_kind = SERVER_KINDS[1] if kind == "graphql" else SERVER_KINDS[0]
    captured: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        statements: list[tuple[str, tuple[str, ...]]] = []

        def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
            statements.append(statement_signature(statement, params))

        engine = app.state.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for op in ops:
                method, path, body = request_of(op, server_kind)
                await client.request(method, path, content=body, headers=JSON_HEADERS)  # warm
                statements.clear()
                response = await client.request(method, path, content=body, headers=JSON_HEADERS)
                captured[op.key] = (list(statements), response.content)
        event.remove(engine, "before_cursor_execute", record)
    return captured


def check_same_sql(database_url: str, ops: list[Operation]) -> None:
    graphql = asyncio.run(_capture_sql("graphql", database_url, ops))
    handwritten = asyncio.run(_capture_sql("handwritten", database_url, ops))
    failed = False
    for op in ops:
        gql_all, hand_sql = graphql[op.key][0], handwritten[op.key][0]
        endpoint = [st for st in gql_all if any(t in st[0] for t in ENDPOINT_TABLES)]
        gql_sql = [st for st in gql_all if st not in endpoint]
        same = Counter(gql_sql) == Counter(hand_sql)
        extra = f" (+{len(endpoint)} admission statement(s))" if endpoint else ""
        print(
            f"  {op.key:9} SQL: GraphQL {len(gql_sql)} statements{extra}, hand-written "
            f"{len(hand_sql)} -> {'same statements and parameters' if same else 'DIFFERENT'}"
        )
        if not same:
            failed = True
            for text, _ in sorted(set(gql_sql) ^ set(hand_sql)):
                owner = "GraphQL" if any(s[0] == text for s in gql_sql) else "hand-written"
                print(f"      only/different in {owner}: {text[:160]}")
    if failed:
        raise SystemExit("the two servers do not send the same SQL; fix bench/_handwritten.py")


def check_same_json(
    servers: dict[str, Server], ops: list[Operation], kinds: tuple[ServerKind, ...]
) -> dict[str, int]:
    """Every server answers each operation with the same JSON; returns the body sizes."""
    sizes: dict[str, int] = {}
    with httpx.Client(timeout=60.0) as client:
        for op in ops:
            bodies: dict[str, bytes] = {}
            for kind in kinds:
                method, path, body = request_of(op, kind)
                for attempt in range(2):  # the cache-on server: a miss, then a hit
                    response = client.request(
                        method, servers[kind.key].url + path, content=body, headers=JSON_HEADERS
                    )
                    if response.status_code != 200:
                        raise SystemExit(f"{kind.label} {op.key}: HTTP {response.status_code}")
                    bodies[f"{kind.key}#{attempt}"] = response.content
            parsed = {k: orjson.loads(v) for k, v in bodies.items()}
            reference = parsed["graphql-nocache#0"]
            if "errors" in reference or reference.get("data") is None:
                raise SystemExit(f"GraphQL {op.key} answered errors: {reference}")
            different = [k for k, v in parsed.items() if v != reference]
            if different:
                print(f"  {op.key}: GraphQL says {str(reference)[:400]}")
                for key in different:
                    print(f"  {op.key}: {key} says {str(parsed[key])[:400]}")
                raise SystemExit(f"{op.key}: different JSON from {', '.join(different)}")
            byte_equal = len(set(bodies.values())) == 1
            sizes[op.key] = len(bodies["graphql-nocache#0"])
            print(
                f"  {op.key:9} JSON: identical from all servers ({sizes[op.key]:,} bytes, "
                f"{'byte-for-byte' if byte_equal else 'same data, different bytes'}); "
                f"{describe(op.key, reference)}"
            )
    return sizes


def describe(key: str, payload: dict[str, Any]) -> str:
    data = payload["data"]
    if key == "centres":
        nodes = [e["node"] for e in data["centres"]["edges"]]
        partners = sum(len(n["partners"]["nodes"]) for n in nodes)
        themes = sum(len(n["themes"]) for n in nodes)
        comps = sum(len(n["offers"]) + len(n["seeks"]) for n in nodes)
        props = sum(len(n["proposals"]["nodes"]) for n in nodes)
        return (
            f"{len(nodes)} centres of {data['centres']['totalCount']}: {partners} partners, "
            f"{themes} themes, {comps} competencies, {props} proposals"
        )
    if key == "proposal":
        proposal = data["proposal"]
        return f"{len(proposal['interests']['nodes'])} interests, {len(proposal['themes'])} themes"
    return f"{len(data['proposals']['nodes'])} of {data['proposals']['totalCount']} proposals"


# --- load generation -----------------------------------------------------------------------------


@dataclass
class Sample:
    completed: int = 0
    seconds: float = 0.0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    def add(self, other: Sample) -> None:
        self.completed += other.completed
        self.seconds += other.seconds
        self.errors += other.errors
        self.latencies.extend(other.latencies)
        self.server_cpu += other.server_cpu
        self.client_cpu += other.client_cpu

    @property
    def rps(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000

    @property
    def server_ms_per_request(self) -> float:
        return self.server_cpu / self.completed * 1000 if self.completed else math.nan


async def load(
    server: Server,
    op: Operation,
    concurrency: int,
    warmup: float,
    duration: float,
    expected_size: int,
) -> Sample:
    """``concurrency`` keep-alive connections in a closed loop, timed after a warm-up.

    The timed window opens once the warm-up time has passed and every connection has finished
    a request (steady state), and closes at the first completion after ``duration`` seconds that
    brings the count to ``2 * concurrency`` (slow operations get a longer window rather than a
    handful of samples; at most ``5 * duration``). Throughput is completions / window length.
    """
    method, path, body = request_of(op, server.kind)
    url = server.url + path
    sample = Sample()
    minimum, cap = 2 * concurrency, 5 * duration
    window: dict[str, float] = {}
    done = asyncio.Event()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=120.0) as client:
        begin = time.perf_counter()
        finished_total = 0

        def open_window(now: float) -> None:
            window.update(start=now, cpu=server.cpu_seconds(), own=time.process_time())

        def close_window(now: float) -> None:
            sample.seconds = now - window["start"]
            sample.server_cpu = server.cpu_seconds() - window["cpu"]
            sample.client_cpu = time.process_time() - window["own"]
            done.set()

        async def worker() -> None:
            nonlocal finished_total
            while not done.is_set():
                started = time.perf_counter()
                response = await client.request(method, url, content=body, headers=JSON_HEADERS)
                finished = time.perf_counter()
                finished_total += 1
                if done.is_set():
                    break
                if "start" not in window:
                    if finished - begin >= warmup and finished_total >= concurrency:
                        open_window(finished)
                    continue
                if response.status_code != 200 or len(response.content) != expected_size:
                    sample.errors += 1
                sample.completed += 1
                sample.latencies.append(finished - started)
                elapsed = finished - window["start"]
                if (elapsed >= duration and sample.completed >= minimum) or elapsed >= cap:
                    close_window(finished)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sample


def run_loads(
    servers: dict[str, Server], ops: list[Operation], sizes: dict[str, int], args: Any
) -> dict[tuple[str, str], Sample]:
    results: dict[tuple[str, str], Sample] = defaultdict(Sample)
    kinds = active_kinds(args)
    runner = asyncio.Runner(loop_factory=_loop_factory())
    try:
        for round_no in range(1, args.rounds + 1):
            for op in ops:
                for kind in kinds:
                    sample = runner.run(
                        load(
                            servers[kind.key],
                            op,
                            args.concurrency,
                            args.warmup,
                            args.duration,
                            sizes[op.key],
                        )
                    )
                    results[(op.key, kind.key)].add(sample)
                    print(
                        f"  round {round_no}/{args.rounds} {op.key:9} {kind.label:20} "
                        f"{sample.rps:8.1f} req/s  p50 {sample.percentile(50):7.2f} ms  "
                        f"server CPU {sample.server_cpu / sample.seconds:4.0%}  "
                        f"client CPU {sample.client_cpu / sample.seconds:4.0%}  "
                        f"({sample.completed} in {sample.seconds:.1f} s)"
                        + (f"  ERRORS {sample.errors}" if sample.errors else ""),
                        flush=True,
                    )
    finally:
        runner.close()
    return results


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def machine_load() -> str:
    """CPU count and load average: on a shared machine other work skews req/s (less CPU/req)."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.2f} (1 min) {five:.2f} (5 min)"


# --- the report ----------------------------------------------------------------------------------


def print_table(
    results: dict[tuple[str, str], Sample], ops: list[Operation], kinds: tuple[ServerKind, ...]
) -> bool | None:
    header = (
        f"{'operation':<10} {'server':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'ratio':>7}  {'target':<6} {'srv CPU ms/req':>14} {'CPU ratio':>9}"
    )
    print()
    print(header)
    print("-" * len(header))
    verdict: bool | None = None
    for op in ops:
        hand = results[(op.key, "handwritten")]
        for kind in kinds:
            sample = results[(op.key, kind.key)]
            ratio = cpu_ratio = target = ""
            if kind.is_graphql and hand.rps:
                value = sample.rps / hand.rps
                ratio = f"{value:.2f}"
                cpu_ratio = f"{hand.server_ms_per_request / sample.server_ms_per_request:.2f}"
                if op.key == "centres":
                    passed = value >= TARGET_RATIO
                    target = "PASS" if passed else "FAIL"
                    if kind.key == "graphql-nocache":
                        verdict = passed
            errors = f"  ({sample.errors} bad responses)" if sample.errors else ""
            print(
                f"{op.key:<10} {kind.label:<20} {sample.rps:8.1f} {sample.percentile(50):8.2f} "
                f"{sample.percentile(95):8.2f} {sample.percentile(99):8.2f} {ratio:>7}  "
                f"{target:<6} {sample.server_ms_per_request:14.2f} {cpu_ratio:>9}{errors}"
            )
    print()
    print(
        "ratio = GraphQL req/s / hand-written req/s (same operation, same run); CPU ratio = "
        "hand-written / GraphQL server CPU per request (1.0 = as cheap)."
    )
    return verdict


# --- --profile -----------------------------------------------------------------------------------


PACKAGES = (
    ("/graphql/", "graphql-core"),
    ("/strawberry/", "strawberry"),
    ("/sqlalchemy/", "SQLAlchemy"),
    ("/aiosqlite/", "aiosqlite"),
    ("/asyncpg/", "asyncpg"),
    ("/starlette/", "starlette"),
    ("/httpx/", "httpx (bench client)"),
    ("/httpcore/", "httpx (bench client)"),
    ("/asyncio/", "asyncio"),
    ("/pyinstrument/", "pyinstrument"),
    (f"{REPO}/accr_graph/", "accr_graph"),
    (f"{REPO}/schema/", "schema"),
    (f"{REPO}/bench/", "bench"),
)


APP_PACKAGES = frozenset({"accr_graph", "schema", "bench"})


def package_of(path: str | None) -> str:
    if not path or path == "<built-in>":
        return "builtins (C calls: epoll wait, isinstance...)"
    if path == "<string>":
        return "generated code (dataclass / SQLAlchemy __init__)"
    for marker, name in PACKAGES:
        if marker in path:
            return name
    if "site-packages" in path:
        return path.split("site-packages/")[1].split("/")[0]
    return "stdlib/other" if path.startswith(("/usr", sys.base_prefix)) else "other"


def _walk(frame: Any, ancestors: frozenset[tuple[str, str]], stats: dict[str, Any]) -> None:
    key = (frame.function or "?", frame.file_path_short or frame.file_path or "?")
    children_time = sum(child.time for child in frame.children)
    own = max(0.0, frame.time - children_time)
    target = frame
    if frame.is_synthetic and frame.parent is not None:  # "[self]"-style leaves
        target = frame.parent
        key = (target.function or "?", target.file_path_short or target.file_path or "?")
    stats["self"][key] += own
    stats["package"][package_of(target.file_path)] += own
    if key not in ancestors:  # count recursive functions once per stack
        stats["inclusive"][key] += frame.time
        if package_of(target.file_path) in APP_PACKAGES:
            stats["app"][key] += frame.time
    for child in frame.children:
        _walk(child, ancestors | {key}, stats)


def summarise_profile(root: Any, top: int) -> None:
    stats: dict[str, Any] = {
        "self": defaultdict(float),
        "package": defaultdict(float),
        "inclusive": defaultdict(float),
        "app": defaultdict(float),
    }
    _walk(root, frozenset(), stats)
    total = root.time or 1.0
    print("\nself time by package (where the CPU goes):")
    for name, seconds in sorted(stats["package"].items(), key=lambda kv: -kv[1]):
        if seconds / total >= 0.005:
            print(f"  {seconds / total:6.1%}  {name}")
    print(f"\ntop {top} functions by self time:")
    for (function, where), seconds in sorted(stats["self"].items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {seconds / total:6.1%}  {function:<40} {where}")
    print(f"\ntop {top} functions by inclusive time (recursion counted once):")
    ranked = sorted(stats["inclusive"].items(), key=lambda kv: -kv[1])
    above_all = 0.97 * total  # the event loop and the frames above everything
    for (function, where), seconds in [kv for kv in ranked if kv[1] < above_all][:top]:
        print(f"  {seconds / total:6.1%}  {function:<40} {where}")
    print("\napplication code (accr_graph, schema, bench) by inclusive time:")
    for (function, where), seconds in sorted(stats["app"].items(), key=lambda kv: -kv[1])[:top]:
        if seconds < above_all:
            print(f"  {seconds / total:6.1%}  {function:<40} {where}")


GC_MODES = {"on": "on", "freeze": "on after gc.freeze()", "off": "off"}


@contextmanager
def gc_meter() -> Iterator[dict[str, list[Any]]]:
    """Count garbage collections and their time, per generation, while the block runs."""
    totals: dict[str, list[Any]] = {"count": [0, 0, 0], "seconds": [0.0, 0.0, 0.0]}
    began = [0.0]

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            totals["count"][info["generation"]] += 1
            totals["seconds"][info["generation"]] += time.perf_counter() - began[0]

    gc.callbacks.append(callback)
    try:
        yield totals
    finally:
        gc.callbacks.remove(callback)


async def _profile(database_url: str, op: Operation, args: Any) -> None:
    from pyinstrument import Profiler

    kind = "handwritten" if args.profile_target == "handwritten" else "graphql"
    server_kind = SERVER_KINDS[0] if kind == "handwritten" else SERVER_KINDS[1]
    app = in_process_app(kind, database_url)
    method, path, body = request_of(op, server_kind)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for _ in range(3):
                warm = await client.request(method, path, content=body, headers=JSON_HEADERS)
                assert warm.status_code == 200 and b'"errors"' not in warm.content, warm.text
            gc.collect()
            if args.profile_gc == "freeze":
                gc.freeze()
            elif args.profile_gc == "off":
                gc.disable()
            profiler = Profiler(interval=0.0005, async_mode="disabled")
            with gc_meter() as collections:
                started, cpu = time.perf_counter(), time.process_time()
                profiler.start()
                for _ in range(args.profile_requests):
                    response = await client.request(
                        method, path, content=body, headers=JSON_HEADERS
                    )
                    assert response.status_code == 200
                profiler.stop()
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            gc.unfreeze()
            gc.enable()
    n = args.profile_requests
    print(
        f"\n{n} x {op.key} ({kind}, cache off, in-process through httpx.ASGITransport"
        f", garbage collector {GC_MODES[args.profile_gc]}): {elapsed / n * 1000:.1f} ms wall, "
        f"{cpu / n * 1000:.1f} ms CPU per request (under the profiler; client included)"
    )
    counts, seconds = collections["count"], collections["seconds"]
    print(
        f"garbage collector: {sum(seconds) / elapsed:.0%} of the time: "
        + ", ".join(
            f"gen{g} {counts[g] / n:.1f}x = {seconds[g] / n * 1000:.1f} ms" for g in range(3)
        )
        + " per request (time spent in a collection is charged to whatever Python code "
        "allocated when it started, so it inflates allocation-heavy lines below)"
    )
    session = profiler.last_session
    assert session is not None
    summarise_profile(session.root_frame(), args.profile_top)
    text = profiler.output_text(
        unicode=True,
        color=False,
        show_all=args.profile_show_all,
        processor_options={"filter_threshold": args.profile_threshold},
    )
    lines = text.splitlines()
    shown = f"first {args.profile_lines} of " if len(lines) > args.profile_lines else ""
    print(f"\ncall tree (pyinstrument, {shown}{len(lines)} lines):")
    print("\n".join(lines[: args.profile_lines]))


# --- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="GraphQL vs hand-written endpoint: req/s and latency percentiles.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="short runs (~35 s in all)")
    parser.add_argument(
        "--duration", type=float, help="timed seconds per operation and server (quick 2, full 8)"
    )
    parser.add_argument(
        "--warmup", type=float, help="untimed seconds before each timed window (quick 0.5, full 2)"
    )
    parser.add_argument(
        "--rounds", type=int, help="interleaved rounds, results pooled (quick 1, full 2)"
    )
    parser.add_argument("--concurrency", "-c", type=int, default=8, help="client connections")
    parser.add_argument("--page-size", type=int, default=100, help="centres(first:) of op 1")
    parser.add_argument(
        "--database-url", help="benchmark this database (loaded only if it has no centres)"
    )
    parser.add_argument("--db", type=Path, help="SQLite file to build (or reuse if it has data)")
    parser.add_argument(
        "--keep-eu", type=Path, default=DEFAULT_KEEP_EU, help="keep.eu data folder to import"
    )
    parser.add_argument("--no-keep-eu", action="store_true", help="sample network only")
    parser.add_argument("--keep-db", action="store_true", help="keep the temporary database")
    parser.add_argument(
        "--cost-budget",
        action="store_true",
        help="keep the query-cost budget on (with a limit never reached)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile op 1 in-process instead of load testing"
    )
    parser.add_argument("--profile-requests", type=int, default=40, help="requests profiled")
    parser.add_argument("--profile-target", choices=("graphql", "handwritten"), default="graphql")
    parser.add_argument("--profile-top", type=int, default=25, help="functions listed")
    parser.add_argument("--profile-lines", type=int, default=70, help="call-tree lines shown")
    parser.add_argument(
        "--profile-gc",
        choices=("on", "freeze", "off"),
        default="on",
        help="--profile: garbage collector as the server runs it, gc.freeze() after warm-up "
        "(no full collections of the startup heap), or off (clean attribution of CPU)",
    )
    parser.add_argument(
        "--profile-show-all", action="store_true", help="call tree: show library frames too"
    )
    parser.add_argument(
        "--profile-threshold", type=float, default=0.01, help="call tree: hide frames below"
    )
    args = parser.parse_args(argv)
    quick = {"duration": 2.0, "warmup": 0.5, "rounds": 1}
    full = {"duration": 8.0, "warmup": 2.0, "rounds": 2}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.cost_budget:
        SERVICE_ENV["ACCR_COST_BUDGET_PER_MINUTE"] = BUDGET_NEVER_REACHED
    workdir = Path(tempfile.mkdtemp(prefix="accr-bench-"))
    servers: dict[str, Server] = {}
    try:
        if args.database_url:
            database_url = args.database_url
        else:
            db_file = (args.db or workdir / "bench.db").resolve()
            database_url = f"sqlite+aiosqlite:///{db_file}"
        print(f"machine: {machine_load()}")
        print(f"database: {database_url}")
        build_database(database_url, None if args.no_keep_eu else args.keep_eu)
        ops, centre_count = operations(database_url, args.page_size)
        print(f"  {centre_count:,} centres")
        if args.profile:
            asyncio.run(_profile(database_url, ops[0], args))
            return 0
        print("checking that both sides send the same SQL (in-process, one request each) ...")
        check_same_sql(database_url, ops)
        kinds = active_kinds(args)
        print(f"starting {len(kinds)} uvicorn servers ...")
        for kind in kinds:
            servers[kind.key] = start_server(kind, database_url, workdir)
        wait_ready(list(servers.values()))
        for server in servers.values():
            print(f"  {server.kind.label:20} {server.url} (pid {server.process.pid})")
        print("checking that every server answers the same JSON ...")
        sizes = check_same_json(servers, ops, kinds)
        print(
            f"load: {args.concurrency} connections, {args.warmup:g} s warm-up + "
            f"{args.duration:g} s timed (at least {2 * args.concurrency} requests) per "
            f"operation and server, {args.rounds} round(s)"
        )
        results = run_loads(servers, ops, sizes, args)
        verdict = print_table(results, ops, kinds)
        print(f"machine after the runs: {machine_load()}")
        if verdict is not None:
            ratio = results[("centres", "graphql-nocache")].rps / max(
                results[("centres", "handwritten")].rps, 1e-9
            )
            print(
                f"target: nested list (cache off) at >= {TARGET_RATIO:.2f} of hand-written "
                f"throughput: {'PASS' if verdict else 'FAIL'} (ratio {ratio:.2f})"
            )
        return 0
    finally:
        for server in servers.values():
            server.stop()
        if args.keep_db:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
