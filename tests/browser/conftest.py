"""Browser tests: a real uvicorn server on 127.0.0.1 (a free port) over a temporary SQLite
database with the sample network, driven by Playwright with Debian's Chromium (/usr/bin/chromium;
never `playwright install`). Without Chromium or Playwright the tests skip locally and fail in CI.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import IN_CI

CHROMIUM = os.environ.get("ACCR_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
STAFF = ("staff@accr.example.org", "demo-staff-2026")
MEMBER = ("marie.dubois@abbaye-de-saint-aurel.example.org", "demo-member-2026")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}; CI requires the browser tests to run")
    pytest.skip(f"!!! SKIPPING BROWSER TESTS: {reason} !!!")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "accr_graph.cli", *args], env=env, check=True, cwd=ROOT)


# Package scope: Playwright's sync API runs an event loop in this thread while it is open, which
# would break the synchronous CLI tests (asyncio.run) that run after these.
@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """http://127.0.0.1:<port> serving the sample network from a fresh SQLite file."""
    db = tmp_path_factory.mktemp("browser") / "accr.db"
    env = {
        **os.environ,
        "ACCR_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "ACCR_SECRET_KEY": "browser-test-secret",
        "ACCR_ENVIRONMENT": "test",
        "ACCR_LOGIN_DELAY_SECONDS": "0.01",
        "ACCR_LOG_LEVEL": "warning",
    }
    _cli(env, "db", "upgrade")
    _cli(env, "load-sample")
    port = _free_port()
    log = (tmp_path_factory.getbasetemp() / "uvicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "accr_graph.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90  # a loaded CI machine starts slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the test server exited at start-up")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the test server did not answer /healthz within 90 s")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server, 1400×900, reading English."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1400, "height": 900}, locale="en-US"
    )
    context.set_default_timeout(30_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    yield tab
    context.close()


def log_in(page: Any, who: tuple[str, str], next_path: str) -> None:
    page.goto(f"/login?next={quote(next_path, safe='')}")
    page.fill("input[name=email]", who[0])
    page.fill("input[name=password]", who[1])
    page.click("main button[type=submit]")


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path
