"""Shared fixtures: real databases (SQLite and PostgreSQL) built from Alembic head.

Every database test runs on both backends. PostgreSQL is 127.0.0.1:5432 (trust auth); each test
session creates its own database and drops it at the end, so parallel runs do not collide. When
PostgreSQL cannot be reached the PostgreSQL half is skipped with a loud reason, except under
CI=true, where it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from sqlalchemy import delete, event, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from accr_graph import migrate
from accr_graph.db.base import Base
from accr_graph.db.models import DataVersion
from accr_graph.db.session import create_engine, create_sessionmaker
from accr_graph.services.imports import load_sample_network
from accr_graph.services.uow import Actor
from accr_graph.settings import Settings

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_HOST = os.environ.get("ACCR_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("ACCR_TEST_PG_PORT", "5432"))
PG_USERS = ("postgres", "root")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def need_shared_data(name: str) -> Path:
    """The path of a shared data set; skipped outside CI when missing, a failure in CI."""
    path = SHARED_DATA / name
    if not path.is_dir():
        message = f"shared data set {path} is not here (it ships beside the repository in CI)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


async def _pg_admin() -> tuple[asyncpg.Connection, str]:
    errors = []
    for user in PG_USERS:
        try:
            conn = await asyncpg.connect(
                host=PG_HOST, port=PG_PORT, user=user, database="test", timeout=5
            )
            return conn, user
        except (OSError, asyncpg.PostgresError) as error:
            errors.append(f"{user}: {error}")
    raise ConnectionError("; ".join(errors))


def _pg_unavailable(error: Exception) -> None:
    message = f"PostgreSQL at {PG_HOST}:{PG_PORT} is not reachable ({error})"
    if IN_CI:
        pytest.fail(f"{message}; CI requires it")
    pytest.skip(f"!!! SKIPPING POSTGRESQL TESTS: {message} !!!")


@asynccontextmanager
async def _postgres_database() -> AsyncIterator[str]:
    try:
        admin, user = await _pg_admin()
    except ConnectionError as error:
        _pg_unavailable(error)
    name = f"accr_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def _sqlite_database(folder: Path) -> AsyncIterator[str]:
    yield f"sqlite+aiosqlite:///{folder / f'accr_{uuid.uuid4().hex[:8]}.db'}"


@asynccontextmanager
async def new_database(backend: str, folder: Path) -> AsyncIterator[str]:
    """An empty database of the backend (no schema)."""
    maker = _postgres_database() if backend == "postgresql" else _sqlite_database(folder)
    async with maker as url:
        yield url


@dataclass
class Database:
    backend: str
    url: str
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    statements: list[str]

    @asynccontextmanager
    async def count_statements(self) -> AsyncIterator[list[str]]:
        """Collect the SQL statements run inside the block."""
        start = len(self.statements)
        captured: list[str] = []
        yield captured
        captured.extend(self.statements[start:])


def _record_statements(engine: AsyncEngine, sink: list[str]) -> None:
    def before(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sink.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def database(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    async with new_database(backend, tmp_path_factory.mktemp(backend)) as url:
        engine = create_engine(Settings(database_url=url), url)
        await migrate.upgrade_engine(engine)
        statements: list[str] = []
        _record_statements(engine, statements)
        yield Database(backend, url, engine, create_sessionmaker(engine), statements)
        await engine.dispose()


async def truncate(db: Database) -> None:
    async with db.sessionmaker.begin() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "data_version":
                await session.execute(delete(table))
        await session.execute(update(DataVersion).values(version=1))


@pytest_asyncio.fixture(loop_scope="session")
async def db(database: Database) -> AsyncIterator[Database]:
    """An empty database (schema at head) for one test."""
    await truncate(database)
    database.statements.clear()
    yield database


@pytest_asyncio.fixture(loop_scope="session")
async def sample_db(db: Database) -> Database:
    """The sample network, freshly loaded for one test."""
    await load_sample_network(db.sessionmaker, Actor.system())
    db.statements.clear()
    return db


@pytest.fixture
def settings(database: Database) -> Settings:
    return Settings(
        database_url=database.url,
        environment="test",
        response_cache=False,
        secret_key="test-secret-key",
        login_delay_seconds=0.01,
        matching_warm_up=False,  # tests count index builds and truncate tables between tests
        deliver_in_process=False,  # notification tests run their own workers
        matching_refit=False,  # a background refit would move the network version under them
    )


@asynccontextmanager
async def app_client(
    settings: Settings, token: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    from accr_graph.app import create_app

    app = create_app(settings)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=headers
        ) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


STAFF_EMAIL = "staff@accr.example.org"


async def issue_token(
    db: Database, email: str, scopes: tuple[str, ...] = ("read", "write", "fair", "admin")
) -> str:
    """An API token for a sample user, written straight to the database."""
    from sqlalchemy import select

    from accr_graph.db.models import ApiToken, User
    from accr_graph.security.secrets import digest, display_prefix, new_secret

    secret = new_secret()
    async with db.sessionmaker.begin() as session:
        user = await session.scalar(select(User).where(User.email == email))
        assert user is not None, email
        session.add(
            ApiToken(
                user_id=user.id,
                name="test",
                prefix=display_prefix(secret),
                secret_hash=digest(secret),
                scopes=list(scopes),
            )
        )
    return secret


@pytest_asyncio.fixture(loop_scope="session")
async def client(sample_db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the app, with the sample network loaded."""
    async with app_client(settings) as http:
        yield http


@pytest_asyncio.fixture(loop_scope="session")
async def staff_client(sample_db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client acting as ACCR staff (API token with every scope), sample loaded."""
    token = await issue_token(sample_db, STAFF_EMAIL)
    async with app_client(settings, token) as http:
        yield http


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
