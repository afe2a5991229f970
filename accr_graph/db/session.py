"""Engine and sessionmaker construction. One engine per process, created in the app lifespan."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from accr_graph.db.ssl import split_ssl
from accr_graph.settings import Settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked; WAL lets readers run beside one writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _postgres_options(settings: Settings, url: str, serving: bool) -> tuple[str, dict[str, Any]]:
    """Pool and timeouts, so that a dead or frozen server costs seconds, not minutes. Statement
    timeouts only when serving requests: migrations and imports may run long statements."""
    url, connect_args = split_ssl(url)
    connect_args["timeout"] = settings.database_connect_timeout
    if serving:
        statement_ms = int(settings.database_statement_timeout * 1000)
        connect_args |= {
            "command_timeout": settings.database_statement_timeout,
            "server_settings": {"statement_timeout": str(statement_ms)},
        }
    options = {
        "pool_size": settings.database_pool_size,
        "max_overflow": settings.database_max_overflow,
        "pool_timeout": settings.database_pool_timeout,
        "pool_pre_ping": True,
        "connect_args": connect_args,
    }
    return url, options


def create_engine(settings: Settings, url: str | None = None, serving: bool = False) -> AsyncEngine:
    url = url or settings.database_url
    # Keep non-ASCII text readable in SQLite's JSON columns, so LIKE searches match accents.
    kwargs: dict[str, Any] = {"echo": settings.database_echo, "json_serializer": _json_dumps}
    if url.startswith("postgresql"):
        url, options = _postgres_options(settings, url, serving)
        kwargs |= options
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
