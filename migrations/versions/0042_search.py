"""Full-text search: ``search_documents`` (text and facets of resources, proposals, centres and
meetings). PostgreSQL: ``unaccent``, one text search configuration per language
(``accr_french``... ``accr_simple``: unaccent, then the language's stemmer), a weighted
``tsvector`` column with a GIN index. SQLite: an FTS5 table (``unicode61 remove_diacritics 2``,
prefix indexes) over the documents, kept in step by triggers.

Revision ID: 0042
Revises: 0041
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# accr_<name> copies pg_catalog.<name> and puts unaccent before its dictionary.
CONFIGS = {
    "accr_french": "french",
    "accr_english": "english",
    "accr_german": "german",
    "accr_italian": "italian",
    "accr_spanish": "spanish",
    "accr_simple": "simple",
}
FTS_COLUMNS = "title_text, abstract_text, body"
FTS_OLD = "old.title_text, old.abstract_text, old.body"
FTS_NEW = "new.title_text, new.abstract_text, new.body"


def _table() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("title_text", sa.Text(), nullable=False),
        sa.Column("abstract_text", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("headline_config", sa.String(length=20), nullable=False),
        sa.Column("resource_kind", sa.String(length=20), nullable=True),
        sa.Column("year", sa.SmallInteger(), nullable=True),
        sa.Column("languages", JSON_TYPE, nullable=False),
        sa.Column("themes", JSON_TYPE, nullable=False),
        sa.Column("centres", JSON_TYPE, nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_documents"),
        sa.UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object_id"),
    )
    with op.batch_alter_table("search_documents") as batch_op:
        batch_op.create_index("ix_search_documents_visibility", ["visibility"])
        batch_op.create_index("ix_search_documents_tsv", ["tsv"], postgresql_using="gin")


def _postgresql() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, base in CONFIGS.items():
        dictionary = "simple" if base == "simple" else f"{base}_stem"
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{base})")
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH unaccent, {dictionary}"
        )


def _sqlite() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({FTS_COLUMNS}, content='search_documents', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
    )
    op.execute(
        "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_documents BEGIN "
        f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {FTS_NEW}); END"
    )
    op.execute(
        "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_documents BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {FTS_OLD}); END"
    )
    op.execute(
        "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_documents BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {FTS_OLD}); "
        f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {FTS_NEW}); END"
    )


def upgrade() -> None:
    _table()
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _postgresql()
    elif dialect == "sqlite":
        _sqlite()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("search_fts_update", "search_fts_delete", "search_fts_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_documents")
    if dialect == "postgresql":
        for name in CONFIGS:
            op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
