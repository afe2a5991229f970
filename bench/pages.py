"""Server time of the member pages, next to the GraphQL query that returns the same data.

Each page is requested in-process through the ASGI app (httpx's ASGI transport: no sockets, so
the time is the server's: routing, service calls, SQL, template rendering), as a signed-in
member, with the response cache off. Right after each page, in the same round, the equivalent
GraphQL query is timed the same way, so the ratio compares like with like on this machine now.

Two databases (temporary SQLite files): the sample network (44 centres), then the sample plus
keep.eu (``../shared/data/keep-eu``, ~6,900 centres; skipped with a note when missing).

Targets (issue 11): p50 <= 30 ms for ``/proposals`` and ``/centres/{slug}``, <= 60 ms for the
directory with filters. Figures are printed; nothing is asserted (not a timed test).

Usage (from the repository root)::

    .venv/bin/python bench/pages.py            # 60 requests per page and database
    .venv/bin/python bench/pages.py --quick    # 15 requests
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# Beside the repository (CI), or beside the folder of worktrees.
KEEP_EU = next(
    (p / "shared" / "data" / "keep-eu" for p in REPO.parents if (p / "shared" / "data").is_dir()),
    REPO.parent / "shared" / "data" / "keep-eu",
)
MEMBER = ("marie.dubois@abbaye-de-saint-aurel.example.org", "demo-member-2026")
SLUG = "abbaye-de-saint-aurel"


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    target_ms: float | None
    query: str
    variables: dict[str, object]


CASES = [
    Case(
        "/proposals",
        "/proposals",
        30,
        "query { proposals(first: 20) { totalCount edges { node { id title summary status"
        " fundingProgramme owner { name slug country { code name } } themes { name } } } } }",
        {},
    ),
    Case(
        "/centres/{slug}",
        f"/centres/{SLUG}",
        30,
        "query ($s: String!) { centre(slug: $s) { name city country { name } labelStatus"
        " description contactEmail website themes { name } offers { competency { name } level }"
        " seeks { competency { name } level } partners(first: 50) { edges { node {"
        " jointProjects lastYear centre { name slug } } } } partnerships(first: 50) { edges {"
        " node { title startYear endYear programme members { centre { name slug } } } } }"
        " proposals(first: 20) { edges { node { id title status } } } } }",
        {"s": SLUG},
    ),
    Case(
        "/centres?filters",
        "/centres?country=FR&theme=music&q=a",
        60,
        'query { centres(first: 20, filter: {country: ["FR"], theme: ["music"],'
        ' search: "a"}) { totalCount edges { node { name slug city country { name }'
        " labelStatus themes { name } offers { competency { name } } } } } }",
        {},
    ),
    Case("/", "/", None, "query { centres { totalCount } proposals(first: 5) { totalCount } }", {}),
]


def _cli(url: str, *args: str) -> None:
    env = {**os.environ, "ACCR_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "accr_graph.cli", *args],
        env=env,
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build(folder: Path, keep_eu: bool) -> str:
    url = f"sqlite+aiosqlite:///{folder / ('keep.db' if keep_eu else 'sample.db')}"
    _cli(url, "db", "upgrade")
    _cli(url, "load-sample")
    if keep_eu:
        _cli(url, "import", "keep-eu", "--dir", str(KEEP_EU))
    return url


async def _timed(call: Callable[[], Awaitable[httpx.Response]]) -> float:
    start = time.perf_counter()
    response = await call()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200 or b'"errors"' in response.content[:200]:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text[:300]}")
    return elapsed


async def _sign_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    form = {"csrf": token.group(1), "next": "/", "email": MEMBER[0], "password": MEMBER[1]}
    assert (await client.post("/login", data=form)).status_code == 303


async def measure(url: str, rounds: int) -> dict[str, tuple[list[float], list[float]]]:
    from accr_graph.app import create_app
    from accr_graph.settings import Settings

    settings = Settings(
        database_url=url,
        environment="test",
        secret_key="bench",
        response_cache=False,
        matching_warm_up=False,
        cost_budget_per_minute=0,
        max_query_cost=10**9,  # the page reads as much; the limit would refuse the GraphQL twin
        log_level="WARNING",
    )
    app = create_app(settings)
    results: dict[str, tuple[list[float], list[float]]] = {c.name: ([], []) for c in CASES}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await _sign_in(client)
            for case in CASES * 3:  # warm-up: templates compiled, caches filled
                await client.get(case.path)
            for _ in range(rounds):
                for case in CASES:
                    page, api = results[case.name]
                    page.append(await _timed(lambda c=case: client.get(c.path)))
                    body = {"query": case.query, "variables": case.variables}
                    api.append(await _timed(lambda b=body: client.post("/graphql", json=b)))
    return results


def report(title: str, results: dict[str, tuple[list[float], list[float]]]) -> None:
    print(f"\n{title}")
    heads = ("p50 ms", "p90 ms", "target")
    print(f"{'page':<18} " + " ".join(f"{h:>8}" for h in heads) + f" {'GraphQL p50':>12} page/GQL")
    for case in CASES:
        page, api = results[case.name]
        p50, p90 = statistics.median(page), statistics.quantiles(page, n=10)[-1]
        api50 = statistics.median(api)
        target = f"{case.target_ms:.0f}" if case.target_ms else "-"
        verdict = "" if case.target_ms is None else (" ok" if p50 <= case.target_ms else " OVER")
        print(
            f"{case.name:<18} {p50:>8.1f} {p90:>8.1f} {target:>8} {api50:>12.1f} "
            f"{p50 / api50:>9.2f}{verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="15 requests per page")
    args = parser.parse_args()
    rounds = 15 if args.quick else 60
    with tempfile.TemporaryDirectory(prefix="accr-bench-pages-") as tmp:
        folder = Path(tmp)
        report("sample network (44 centres)", asyncio.run(measure(build(folder, False), rounds)))
        if (KEEP_EU / "projects.csv").exists():
            url = build(folder, True)
            report("sample + keep.eu (~6,900 centres)", asyncio.run(measure(url, rounds)))
        else:
            print(f"\n{KEEP_EU}: missing, keep.eu run skipped")


if __name__ == "__main__":
    main()
