"""Liveness never touches the database; readiness does, and says 503 when it is gone."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event

from accr_graph.settings import Settings
from tests.conftest import app_client

UNREACHABLE_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:1/nothing"


def missing_folder_sqlite(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'no-such-folder' / 'accr.db'}"


def unavailable_urls(tmp_path: Path) -> dict[str, str]:
    return {
        "unreachable-postgresql": UNREACHABLE_POSTGRES,
        "sqlite-in-a-missing-folder": missing_folder_sqlite(tmp_path),
    }


def offline(url: str) -> Settings:
    return Settings(database_url=url, environment="test", response_cache=False)


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"status", "reason"}
    assert body["status"] == "unavailable"
    assert body["reason"].startswith("database unavailable: ")
    assert "\n" not in body["reason"]
    assert int(response.headers["retry-after"]) > 0


@pytest.mark.parametrize("url_kind", ["unreachable-postgresql", "sqlite-in-a-missing-folder"])
async def test_liveness_answers_without_a_database(tmp_path: Path, url_kind: str) -> None:
    # given an app whose database cannot be reached
    settings = offline(unavailable_urls(tmp_path)[url_kind])
    async with app_client(settings) as client:
        # when liveness is asked
        started = time.perf_counter()
        response = await client.get("/healthz")
        elapsed = time.perf_counter() - started
        # then it is fine, at once, and no connection was ever opened
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert elapsed < 2.0
        assert client.app.state.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert not (tmp_path / "no-such-folder").exists()


async def test_liveness_does_not_touch_a_live_database(settings: Settings) -> None:
    # given an app on a live database, with its SQL recorded
    async with app_client(settings) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        statements: list[str] = []

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine.sync_engine, "before_cursor_execute", record)
        # when liveness is asked a few times
        for _ in range(3):
            assert (await client.get("/healthz")).status_code == 200
        # then no SQL ran
        assert statements == []


async def test_readiness_on_a_live_database(settings: Settings) -> None:
    async with app_client(settings) as client:
        response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "retry-after" not in response.headers


@pytest.mark.parametrize("url_kind", ["unreachable-postgresql", "sqlite-in-a-missing-folder"])
async def test_readiness_is_503_when_the_database_is_gone(tmp_path: Path, url_kind: str) -> None:
    # given an app whose database cannot be reached
    async with app_client(offline(unavailable_urls(tmp_path)[url_kind])) as client:
        # when readiness is asked
        started = time.perf_counter()
        response = await client.get("/readyz")
        elapsed = time.perf_counter() - started
        # then it says unavailable, why, and when to retry, within its timeout
        assert_unavailable(response)
        assert elapsed < 5.0
        # and liveness still says ok
        assert (await client.get("/healthz")).status_code == 200


async def test_readiness_reason_names_the_failure(tmp_path: Path) -> None:
    async with app_client(offline(missing_folder_sqlite(tmp_path))) as client:
        response = await client.get("/readyz")

    assert_unavailable(response)
    assert "OperationalError" in response.json()["reason"]
    assert "unable to open database file" in response.json()["reason"]


async def test_readiness_is_503_before_the_migrations(tmp_path: Path) -> None:
    # given a database that answers but has no schema (nobody ran `accr-graph db upgrade`)
    empty = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    async with app_client(offline(empty).model_copy(update={"matching_warm_up": False})) as http:
        response = await http.get("/readyz")
    assert_unavailable(response)
    assert "data_version" in response.json()["reason"]
