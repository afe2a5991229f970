"""A PostgreSQL of our own (initdb / pg_ctl on a free port) stopped, frozen and restarted under
a running app: every request path answers a JSON 503 with Retry-After within seconds, liveness
stays 200, and the app recovers without a restart. Never the shared server on 5432."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from accr_graph import migrate
from accr_graph.db.session import create_engine, create_sessionmaker
from accr_graph.importers.sample import load_sample
from accr_graph.settings import Settings
from tests.conftest import IN_CI, STAFF_EMAIL, app_client

QUERY = {"query": "{ centres(first: 3) { nodes { slug } } }"}
LOGIN = {
    "query": 'mutation { login(input: {email: "staff@accr.example.org", password: "x"}) { __typename } }'
}
ANSWER_WITHIN = 8.0  # request_timeout (4 s) plus room for a loaded machine


class Cluster:
    def __init__(self, root: Path, port: int) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not bins:
            message = "the PostgreSQL server package (pg_ctl, initdb) is not installed"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        self.bin = Path(bins[-1]).parent
        self.data, self.port = root / "data", port
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args: str) -> None:
        subprocess.run([*self.user, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if self.user:
            shutil.chown(self.data.parent, "postgres")
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self.run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.data / "server.log"),
            "start",
        )

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def pids(self) -> list[int]:
        head = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(head)], capture_output=True, text=True)
        return [head, *(int(p) for p in children.stdout.split())]

    def signal_all(self, sig: signal.Signals) -> None:
        for pid in self.pids():
            os.kill(pid, sig)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # Not under pytest's tmp folder: the postgres user cannot enter root's private folders.
    root = Path(tempfile.mkdtemp(prefix="accr-own-pg-"))
    root.chmod(0o755)
    own = Cluster(root / "pg", _free_port())
    own.init()
    own.start()
    try:
        yield own
    finally:
        with contextlib.suppress(OSError, ValueError):
            own.signal_all(signal.SIGCONT)
        subprocess.run(
            [*own.user, str(own.bin / "pg_ctl"), "-D", str(own.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest_asyncio.fixture(loop_scope="session")
async def settings(cluster: Cluster) -> AsyncIterator[Settings]:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{cluster.port}/postgres"
    engine = create_engine(Settings(database_url=url), url)
    await migrate.upgrade_engine(engine)
    async with create_sessionmaker(engine).begin() as session:
        await load_sample(session)
    await engine.dispose()
    yield Settings(
        database_url=url,
        environment="production",
        secret_key="outage-test",
        cookie_secure=False,
        response_cache=False,
        matching_warm_up=False,
        login_delay_seconds=0.01,
        database_connect_timeout=1.0,
        database_pool_timeout=1.0,
        database_statement_timeout=2.0,
        request_timeout=4.0,
    )


async def _timed(call: object) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await call  # type: ignore[misc]
    return response, time.monotonic() - started


def _assert_503(response: httpx.Response, seconds: float) -> None:
    assert response.status_code == 503, response.text
    assert seconds < ANSWER_WITHIN
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    for leak in ("Errno", "refused", "asyncpg", "127.0.0.1", "Traceback"):
        assert leak not in response.text


async def _all_paths_unavailable(http: httpx.AsyncClient, token_http: httpx.AsyncClient) -> None:
    calls = {
        "query": http.post("/graphql", json=QUERY),
        "login": http.post("/graphql", json=LOGIN),
        "viewer lookup": token_http.post("/graphql", json=QUERY),
        "export": token_http.get("/export/network.csv"),
    }
    for name, call in calls.items():
        response, seconds = await _timed(call)
        try:
            _assert_503(response, seconds)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None


async def _recovered(http: httpx.AsyncClient) -> None:
    deadline = time.monotonic() + 20
    while True:
        response = await http.post("/graphql", json=QUERY)
        if response.status_code == 200 or time.monotonic() > deadline:
            break
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    assert (await http.get("/readyz")).status_code == 200


async def _token(settings: Settings) -> str:
    from tests.conftest import Database, issue_token

    engine = create_engine(settings)
    try:
        db = Database("postgresql", settings.database_url, engine, create_sessionmaker(engine), [])
        return await issue_token(db, STAFF_EMAIL)
    finally:
        await engine.dispose()


async def test_stop_freeze_and_restart_under_a_running_app(
    cluster: Cluster, settings: Settings
) -> None:
    token = await _token(settings)
    async with app_client(settings) as http, app_client(settings, token) as token_http:
        assert (await http.post("/graphql", json=QUERY)).status_code == 200
        assert (await token_http.post("/graphql", json=QUERY)).status_code == 200

        cluster.stop()
        await _all_paths_unavailable(http, token_http)
        assert (await http.get("/healthz")).status_code == 200
        assert (await http.get("/readyz")).status_code == 503

        cluster.start()
        await _recovered(http)
        await _recovered(token_http)

        cluster.signal_all(signal.SIGSTOP)
        try:
            healthz, seconds = await _timed(http.get("/healthz"))
            assert healthz.status_code == 200 and seconds < 1
            await _all_paths_unavailable(http, token_http)
        finally:
            cluster.signal_all(signal.SIGCONT)
        await _recovered(http)
        await _recovered(token_http)
