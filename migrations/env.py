"""Alembic environment: async engines, batch mode on SQLite, URL from the settings.

A caller may hand over an open connection in ``config.attributes["connection"]`` (tests and the
app do, to migrate inside their own event loop); otherwise an engine is created from the URL in
the config (set by ``accr_graph.migrate``) or the settings.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from accr_graph.db import models  # noqa: F401  (registers the tables on Base.metadata)
from accr_graph.db.base import Base, managed_by_models
from accr_graph.db.session import create_engine
from accr_graph.settings import get_settings

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=managed_by_models,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_new_engine(url: str) -> None:
    engine = create_engine(get_settings(), url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    asyncio.run(_run_with_new_engine(url))


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
