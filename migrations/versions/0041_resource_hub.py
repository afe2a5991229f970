"""Resource hub: documents and links with translatable title and abstract, themes and centres,
visibility, an optional stored file (random storage key) and its extracted text; soft delete.

Revision ID: 0041
Revises: 0040
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "'study', 'report', 'guide', 'initiative', 'minutes', 'presentation', 'dataset', 'other'"


def _fk(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=f"fk_resources_{column}_{table}", ondelete=ondelete
    )


def _resources() -> None:
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", JSON_TYPE, nullable=False),
        sa.Column("abstract", JSON_TYPE, nullable=False),
        sa.Column("languages", JSON_TYPE, nullable=False),
        sa.Column("authors", JSON_TYPE, nullable=False),
        sa.Column("countries", JSON_TYPE, nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=True),
        sa.Column("licence", sa.String(length=120), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("owner_centre_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("file_key", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("file_media_type", sa.String(length=120), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("external_key", sa.String(length=200), nullable=True),
        sa.Column("deleted_at", TS, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("year IS NULL OR year BETWEEN 1000 AND 2999", name="ck_resources_year"),
        sa.CheckConstraint("file_size IS NULL OR file_size >= 0", name="ck_resources_file_size"),
        sa.CheckConstraint(f"kind IN ({KINDS})", name="ck_resources_resource_kind"),
        sa.CheckConstraint(
            "visibility IN ('public', 'members', 'staff')", name="ck_resources_resource_visibility"
        ),
        _fk("meeting_id", "meetings", "SET NULL"),
        _fk("proposal_id", "proposals", "SET NULL"),
        _fk("partnership_id", "partnerships", "SET NULL"),
        _fk("owner_centre_id", "centres", "SET NULL"),
        _fk("created_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_resources"),
        sa.UniqueConstraint("file_key", name="uq_resources_file_key"),
        sa.UniqueConstraint("external_key", name="uq_resources_external_key"),
    )
    with op.batch_alter_table("resources") as batch_op:
        for column in (
            "kind",
            "year",
            "visibility",
            "meeting_id",
            "proposal_id",
            "partnership_id",
            "owner_centre_id",
            "deleted_at",
        ):
            batch_op.create_index(f"ix_resources_{column}", [column])


def _links(table: str, column: str, target: str) -> None:
    op.create_table(
        table,
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=f"fk_{table}_resource_id_resources",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("resource_id", column, name=f"pk_{table}"),
    )
    with op.batch_alter_table(table) as batch_op:
        batch_op.create_index(f"ix_{table}_{column}", [column])


def upgrade() -> None:
    _resources()
    _links("resource_themes", "theme_id", "themes")
    _links("resource_centres", "centre_id", "centres")


def downgrade() -> None:
    for table in ("resource_centres", "resource_themes", "resources"):
        op.drop_table(table)
