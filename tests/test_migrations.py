"""Alembic on both backends: up, down to base, up again; head agrees with the models."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from accr_graph import migrate
from accr_graph.db import models as m
from accr_graph.db.base import SQLITE_FTS_TABLES, Base, managed_by_models
from accr_graph.db.session import create_engine, create_sessionmaker
from accr_graph.importers.sample import load_sample
from accr_graph.settings import Settings
from tests.conftest import new_database

FOUNDATION_TABLES = {
    "api_tokens",
    "centre_competencies",
    "centre_themes",
    "centres",
    "competencies",
    "data_version",
    "interests",
    "partnership_members",
    "partnership_themes",
    "partnerships",
    "proposal_competencies",
    "proposal_themes",
    "proposals",
    "themes",
    "users",
}
MODEL_TABLES = set(Base.metadata.tables)


@pytest.fixture
async def engine(backend: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on a brand-new, empty database (no schema, no alembic_version)."""
    async with new_database(backend, tmp_path) as url:
        engine = create_engine(Settings(database_url=url), url)
        try:
            yield engine
        finally:
            await engine.dispose()


async def migrate_to(engine: AsyncEngine, action: str, revision: str) -> None:
    async with engine.begin() as conn:
        await migrate.run_on(conn, action, revision)


async def tables(engine: AsyncEngine) -> set[str]:
    """Table names, without SQLite's FTS5 search index (created by migration 0042, no model)."""
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    if engine.dialect.name == "sqlite":
        assert names >= SQLITE_FTS_TABLES or not names & SQLITE_FTS_TABLES
    return names - SQLITE_FTS_TABLES


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(sync: Connection) -> str | None:
        return MigrationContext.configure(sync).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(read)


async def data_version_rows(engine: AsyncEngine) -> list[tuple[Any, ...]]:
    async with engine.connect() as conn:
        result = await conn.execute(select(m.DataVersion.id, m.DataVersion.version))
        return [tuple(row) for row in result]


def head_revision() -> str:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations must have one head, found {heads}"
    return heads[0]


def test_the_migration_history_has_one_head_starting_at_0001() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert head_revision()
    assert list(script.get_bases()) == ["0001"]


def test_the_models_declare_the_foundation_tables() -> None:
    assert FOUNDATION_TABLES <= MODEL_TABLES


async def test_upgrade_to_head_creates_every_table(engine: AsyncEngine) -> None:
    # given an empty database
    assert await tables(engine) == set()
    # when migrated to head
    await migrate_to(engine, "upgrade", "head")
    # then every model table is there, at the head revision
    assert await tables(engine) == MODEL_TABLES | {"alembic_version"}
    assert await current_revision(engine) == head_revision()


async def test_upgrade_seeds_the_data_version_row(engine: AsyncEngine) -> None:
    await migrate_to(engine, "upgrade", "head")

    assert await data_version_rows(engine) == [(1, 1)]


async def test_downgrade_to_base_then_upgrade_again(engine: AsyncEngine) -> None:
    # given a database at head
    await migrate_to(engine, "upgrade", "head")
    # when downgraded to base
    await migrate_to(engine, "downgrade", "base")
    # then nothing is left but Alembic's own bookkeeping, and no revision is recorded
    assert await tables(engine) == {"alembic_version"}
    assert await current_revision(engine) is None
    # when upgraded again, then the schema and the seeded row are back
    await migrate_to(engine, "upgrade", "head")
    assert await tables(engine) == MODEL_TABLES | {"alembic_version"}
    assert await data_version_rows(engine) == [(1, 1)]
    assert await current_revision(engine) == head_revision()


async def test_downgrade_to_base_with_data_in_every_table(engine: AsyncEngine) -> None:
    # given a database at head holding the sample network (foreign keys everywhere)
    await migrate_to(engine, "upgrade", "head")
    async with create_sessionmaker(engine).begin() as session:
        await load_sample(session)
    # when downgraded to base
    await migrate_to(engine, "downgrade", "base")
    # then every table went, children before parents
    assert await tables(engine) == {"alembic_version"}


async def test_head_and_the_models_agree(engine: AsyncEngine) -> None:
    # given a database at head
    await migrate_to(engine, "upgrade", "head")

    # when autogenerate compares it with the models (types included)
    def differences(sync: Connection) -> list[Any]:
        opts = {"compare_type": True, "include_name": managed_by_models}
        context = MigrationContext.configure(sync, opts=opts)
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        diff = await conn.run_sync(differences)
    # then there is nothing a new migration would have to do
    assert diff == []


async def test_constraints_from_the_migration_are_enforced(engine: AsyncEngine) -> None:
    # given a database at head
    await migrate_to(engine, "upgrade", "head")
    # when a centre breaks the latitude check, then the database refuses it
    insert = text(
        "INSERT INTO centres (slug, name, country, label_status, languages, description, source,"
        " created_at, updated_at) VALUES ('x', 'X', 'FR', 'labelled', '[]', '{}', 'test',"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    bad_latitude = text("UPDATE centres SET latitude = 123 WHERE slug = 'x'")
    bad_label = text("UPDATE centres SET label_status = 'famous' WHERE slug = 'x'")
    async with engine.begin() as conn:
        await conn.execute(insert)
    for statement in (bad_latitude, bad_label):
        with pytest.raises(IntegrityError, match=r"(?i)check"):
            async with engine.begin() as conn:
                await conn.execute(statement)


async def test_0091_fills_the_title_and_abstract_vector_of_indexed_documents(
    engine: AsyncEngine,
) -> None:
    # given a document indexed before 0091 (weighted vector: title A, abstract B, body C)
    await migrate_to(engine, "upgrade", "0090")
    vector = (
        "setweight(to_tsvector('english', 'cloister gardens'), 'A') || "
        "setweight(to_tsvector('english', 'restoring walls'), 'B') || "
        "setweight(to_tsvector('english', 'saltworks'), 'C')"
        if engine.dialect.name == "postgresql"
        else "NULL"
    )
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO search_documents (kind, object_id, visibility, title_text,"
                " abstract_text, body, headline_config, languages, themes, centres, tsv,"
                " updated_at) VALUES ('resource', 1, 'public', 'Cloister gardens',"
                f" 'Restoring walls', 'saltworks', 'accr_english', '[]', '[]', '[]', {vector},"
                " CURRENT_TIMESTAMP)"
            )
        )
    # when migrated to 0091
    await migrate_to(engine, "upgrade", "0091")
    async with engine.connect() as conn:
        head = await conn.scalar(text("SELECT tsv_head FROM search_documents"))
    # then PostgreSQL holds the title and abstract parts of the vector (SQLite: nothing)
    if engine.dialect.name == "postgresql":
        assert head == "'cloister':1A 'garden':2A 'restor':3B 'wall':4B"
    else:
        assert head is None
    # and the way down drops the column (SQLite's FTS5 triggers still follow the rows)
    await migrate_to(engine, "downgrade", "0090")
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE search_documents SET body = 'museum'"))
        if engine.dialect.name == "sqlite":
            found = await conn.scalar(
                text("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'museum'")
            )
            assert found == 1


def test_upgrade_by_url_from_synchronous_code(tmp_path: Path) -> None:
    # given an empty SQLite file (the CLI path: Alembic creates its own engine and loop)
    path = tmp_path / "by-url.db"
    url = f"sqlite+aiosqlite:///{path}"
    # when upgraded by URL, then the tables are there
    migrate.upgrade("head", url=url)
    with sqlite3.connect(path) as conn:
        names = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert names == MODEL_TABLES | SQLITE_FTS_TABLES | {"alembic_version"}
    assert version == [(head_revision(),)]
    # when downgraded by URL, then only the bookkeeping table remains
    migrate.downgrade("base", url=url)
    with sqlite3.connect(path) as conn:
        names = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert names == {"alembic_version"}
