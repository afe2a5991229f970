"""Initial schema: centres, themes, competencies, proposals, interests, partnerships, users,
API tokens and the data version row.

Generated from the models with autogenerate, then reviewed by hand: JSON columns use one
shared variant type, enums are VARCHAR + CHECK (no native types to migrate), and the single
``data_version`` row is seeded here so every writer can bump it with a plain UPDATE.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 17:51:27.481544
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL, JSON text on SQLite (as accr_graph.db.base.JsonType).
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "centres",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=160), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city", sa.String(length=160), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("site_type", sa.String(length=40), nullable=True),
        sa.Column(
            "label_status",
            sa.Enum(
                "labelled",
                "candidate",
                "associate",
                "partner",
                name="label_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("contact_email", sa.String(length=300), nullable=True),
        sa.Column("contact_phone", sa.String(length=60), nullable=True),
        sa.Column("languages", JSON_TYPE, nullable=False),
        sa.Column("founded_year", sa.SmallInteger(), nullable=True),
        sa.Column("description", JSON_TYPE, nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("external_key", sa.String(length=400), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name=op.f("ck_centres_lat")
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)",
            name=op.f("ck_centres_lon"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centres")),
        sa.UniqueConstraint("external_key", name=op.f("uq_centres_external_key")),
        sa.UniqueConstraint("slug", name=op.f("uq_centres_slug")),
    )
    with op.batch_alter_table("centres", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_centres_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_centres_label_status"), ["label_status"], unique=False)

    op.create_table(
        "competencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("name", JSON_TYPE, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competencies")),
        sa.UniqueConstraint("slug", name=op.f("uq_competencies_slug")),
    )
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competencies_category"), ["category"], unique=False)

    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(
        sa.table("data_version", sa.column("id"), sa.column("version"), sa.column("updated_at")),
        [{"id": 1, "version": 1, "updated_at": datetime.now(UTC)}],
    )
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", JSON_TYPE, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("slug", name=op.f("uq_themes_slug")),
    )
    op.create_table(
        "centre_competencies",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "offers",
                "seeks",
                name="competency_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("level BETWEEN 1 AND 3", name=op.f("ck_centre_competencies_level")),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_centre_competencies_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_centre_competencies_competency_id_competencies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "centre_id", "competency_id", "kind", name=op.f("pk_centre_competencies")
        ),
    )
    with op.batch_alter_table("centre_competencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_centre_competencies_competency_id"), ["competency_id"], unique=False
        )

    op.create_table(
        "centre_themes",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_centre_themes_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_centre_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("centre_id", "theme_id", name=op.f("pk_centre_themes")),
    )
    with op.batch_alter_table("centre_themes", schema=None) as batch_op:
        batch_op.create_index("ix_centre_themes_theme_id", ["theme_id"], unique=False)

    op.create_table(
        "partnerships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("programme", sa.String(length=300), nullable=True),
        sa.Column("start_year", sa.SmallInteger(), nullable=True),
        sa.Column("end_year", sa.SmallInteger(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("external_key", sa.String(length=600), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "end_year IS NULL OR start_year IS NULL OR end_year >= start_year",
            name=op.f("ck_partnerships_years"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["centres.id"],
            name=op.f("fk_partnerships_lead_id_centres"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnerships")),
        sa.UniqueConstraint("external_key", name=op.f("uq_partnerships_external_key")),
    )
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partnerships_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_partnerships_programme"), ["programme"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_partnerships_start_year"), ["start_year"], unique=False
        )

    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", JSON_TYPE, nullable=False),
        sa.Column("summary", JSON_TYPE, nullable=False),
        sa.Column("partners_min", sa.SmallInteger(), nullable=False),
        sa.Column("partners_max", sa.SmallInteger(), nullable=False),
        sa.Column("min_countries", sa.SmallInteger(), nullable=False),
        sa.Column("timeframe", sa.String(length=120), nullable=True),
        sa.Column("funding_programme", sa.String(length=200), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "in_discussion",
                "partnered",
                "closed",
                name="proposal_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("min_countries >= 1", name=op.f("ck_proposals_min_countries")),
        sa.CheckConstraint(
            "partners_min >= 1 AND partners_max >= partners_min", name=op.f("ck_proposals_partners")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["centres.id"],
            name=op.f("fk_proposals_owner_id_centres"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposals_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_status"), ["status"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "member",
                "staff",
                "admin",
                name="user_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_users_centre_id_centres"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=128), nullable=False),
        sa.Column("scopes", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_tokens_secret_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "interests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                name="interest_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_interests_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_interests_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interests")),
        sa.UniqueConstraint(
            "proposal_id", "centre_id", name=op.f("uq_interests_proposal_id_centre_id")
        ),
    )
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interests_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interests_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "partnership_members",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "lead",
                "partner",
                "associate",
                name="partnership_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_partnership_members_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_partnership_members_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("partnership_id", "centre_id", name=op.f("pk_partnership_members")),
    )
    with op.batch_alter_table("partnership_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partnership_members_centre_id"), ["centre_id"], unique=False
        )

    op.create_table(
        "partnership_themes",
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_partnership_themes_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_partnership_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("partnership_id", "theme_id", name=op.f("pk_partnership_themes")),
    )
    with op.batch_alter_table("partnership_themes", schema=None) as batch_op:
        batch_op.create_index("ix_partnership_themes_theme_id", ["theme_id"], unique=False)

    op.create_table(
        "proposal_competencies",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "offers",
                "seeks",
                name="competency_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 3", name=op.f("ck_proposal_competencies_level")),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_proposal_competencies_competency_id_competencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_competencies_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "proposal_id", "competency_id", "kind", name=op.f("pk_proposal_competencies")
        ),
    )
    with op.batch_alter_table("proposal_competencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_competencies_competency_id"), ["competency_id"], unique=False
        )

    op.create_table(
        "proposal_themes",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_themes_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_proposal_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "theme_id", name=op.f("pk_proposal_themes")),
    )
    with op.batch_alter_table("proposal_themes", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_themes_theme_id", ["theme_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proposal_themes", schema=None) as batch_op:
        batch_op.drop_index("ix_proposal_themes_theme_id")

    op.drop_table("proposal_themes")
    with op.batch_alter_table("proposal_competencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_competencies_competency_id"))

    op.drop_table("proposal_competencies")
    with op.batch_alter_table("partnership_themes", schema=None) as batch_op:
        batch_op.drop_index("ix_partnership_themes_theme_id")

    op.drop_table("partnership_themes")
    with op.batch_alter_table("partnership_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partnership_members_centre_id"))

    op.drop_table("partnership_members")
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interests_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_interests_centre_id"))

    op.drop_table("interests")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_centre_id"))

    op.drop_table("users")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_status"))
        batch_op.drop_index(batch_op.f("ix_proposals_owner_id"))

    op.drop_table("proposals")
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partnerships_start_year"))
        batch_op.drop_index(batch_op.f("ix_partnerships_programme"))
        batch_op.drop_index(batch_op.f("ix_partnerships_lead_id"))

    op.drop_table("partnerships")
    with op.batch_alter_table("centre_themes", schema=None) as batch_op:
        batch_op.drop_index("ix_centre_themes_theme_id")

    op.drop_table("centre_themes")
    with op.batch_alter_table("centre_competencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centre_competencies_competency_id"))

    op.drop_table("centre_competencies")
    op.drop_table("themes")
    op.drop_table("data_version")
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competencies_category"))

    op.drop_table("competencies")
    with op.batch_alter_table("centres", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centres_label_status"))
        batch_op.drop_index(batch_op.f("ix_centres_country"))

    op.drop_table("centres")
