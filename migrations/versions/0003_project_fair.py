"""Project Fair: editions with their slot grid and tables, registrations, meeting requests
(one-to-one and consortium tables, with their members) and the scheduled meetings, each placed at
a slot and table or listed with the scheduler's reason. ``fairs.schedule_version`` counts changes
of the published schedule, for subscribers polling it on SQLite.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:30:15.697106
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL, JSON text on SQLite (as accr_graph.db.base.JsonType).
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("host_centre_id", sa.Integer(), nullable=True),
        sa.Column("venue", sa.String(length=300), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("days", JSON_TYPE, nullable=False),
        sa.Column("registration_open", sa.Boolean(), nullable=False),
        sa.Column("max_idle", sa.SmallInteger(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("schedule_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("max_idle >= 0", name=op.f("ck_fairs_max_idle")),
        sa.ForeignKeyConstraint(
            ["host_centre_id"],
            ["centres.id"],
            name=op.f("fk_fairs_host_centre_id_centres"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fairs")),
    )
    with op.batch_alter_table("fairs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fairs_host_centre_id"), ["host_centre_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fairs_year"), ["year"], unique=False)

    op.create_table(
        "fair_meeting_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "one_to_one",
                "consortium",
                name="meeting_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                "cancelled",
                name="meeting_request_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "priority BETWEEN 1 AND 5", name=op.f("ck_fair_meeting_requests_priority")
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["fairs.id"],
            name=op.f("fk_fair_meeting_requests_fair_id_fairs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_fair_meeting_requests_proposal_id_proposals"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["centres.id"],
            name=op.f("fk_fair_meeting_requests_requester_id_centres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["centres.id"],
            name=op.f("fk_fair_meeting_requests_target_id_centres"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_meeting_requests")),
    )
    with op.batch_alter_table("fair_meeting_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fair_meeting_requests_fair_id"), ["fair_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fair_meeting_requests_proposal_id"), ["proposal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fair_meeting_requests_requester_id"), ["requester_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fair_meeting_requests_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fair_meeting_requests_target_id"), ["target_id"], unique=False
        )

    op.create_table(
        "fair_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("representatives", JSON_TYPE, nullable=False),
        sa.Column("languages", JSON_TYPE, nullable=False),
        sa.Column("unavailable_slot_ids", JSON_TYPE, nullable=False),
        sa.Column("proposal_ids", JSON_TYPE, nullable=False),
        sa.Column("max_meetings", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("max_meetings >= 0", name=op.f("ck_fair_registrations_max_meetings")),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_fair_registrations_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["fairs.id"],
            name=op.f("fk_fair_registrations_fair_id_fairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_registrations")),
        sa.UniqueConstraint(
            "fair_id", "centre_id", name=op.f("uq_fair_registrations_fair_id_centre_id")
        ),
    )
    with op.batch_alter_table("fair_registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fair_registrations_centre_id"), ["centre_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fair_registrations_fair_id"), ["fair_id"], unique=False
        )

    op.create_table(
        "fair_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.SmallInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_fair_slots_times")),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fairs.id"], name=op.f("fk_fair_slots_fair_id_fairs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_slots")),
        sa.UniqueConstraint(
            "fair_id", "day", "position", name=op.f("uq_fair_slots_fair_id_day_position")
        ),
    )
    with op.batch_alter_table("fair_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fair_slots_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "fair_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("capacity", sa.SmallInteger(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.CheckConstraint("capacity BETWEEN 2 AND 8", name=op.f("ck_fair_tables_capacity")),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fairs.id"], name=op.f("fk_fair_tables_fair_id_fairs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_tables")),
        sa.UniqueConstraint("fair_id", "name", name=op.f("uq_fair_tables_fair_id_name")),
    )
    with op.batch_alter_table("fair_tables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fair_tables_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "fair_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "cancelled",
                name="meeting_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["fairs.id"],
            name=op.f("fk_fair_meetings_fair_id_fairs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["fair_meeting_requests.id"],
            name=op.f("fk_fair_meetings_request_id_fair_meeting_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["fair_slots.id"],
            name=op.f("fk_fair_meetings_slot_id_fair_slots"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["fair_tables.id"],
            name=op.f("fk_fair_meetings_table_id_fair_tables"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_meetings")),
        sa.UniqueConstraint("request_id", name=op.f("uq_fair_meetings_request_id")),
    )
    with op.batch_alter_table("fair_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fair_meetings_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fair_meetings_slot_id"), ["slot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fair_meetings_table_id"), ["table_id"], unique=False)

    op.create_table(
        "fair_request_members",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_fair_request_members_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["fair_meeting_requests.id"],
            name=op.f("fk_fair_request_members_request_id_fair_meeting_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "centre_id", name=op.f("pk_fair_request_members")),
    )
    with op.batch_alter_table("fair_request_members", schema=None) as batch_op:
        batch_op.create_index("ix_fair_request_members_centre_id", ["centre_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fair_request_members", schema=None) as batch_op:
        batch_op.drop_index("ix_fair_request_members_centre_id")

    op.drop_table("fair_request_members")
    with op.batch_alter_table("fair_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fair_meetings_table_id"))
        batch_op.drop_index(batch_op.f("ix_fair_meetings_slot_id"))
        batch_op.drop_index(batch_op.f("ix_fair_meetings_fair_id"))

    op.drop_table("fair_meetings")
    with op.batch_alter_table("fair_tables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fair_tables_fair_id"))

    op.drop_table("fair_tables")
    with op.batch_alter_table("fair_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fair_slots_fair_id"))

    op.drop_table("fair_slots")
    with op.batch_alter_table("fair_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fair_registrations_fair_id"))
        batch_op.drop_index(batch_op.f("ix_fair_registrations_centre_id"))

    op.drop_table("fair_registrations")
    with op.batch_alter_table("fair_meeting_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fair_meeting_requests_target_id"))
        batch_op.drop_index(batch_op.f("ix_fair_meeting_requests_status"))
        batch_op.drop_index(batch_op.f("ix_fair_meeting_requests_requester_id"))
        batch_op.drop_index(batch_op.f("ix_fair_meeting_requests_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_fair_meeting_requests_fair_id"))

    op.drop_table("fair_meeting_requests")
    with op.batch_alter_table("fairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fairs_year"))
        batch_op.drop_index(batch_op.f("ix_fairs_host_centre_id"))

    op.drop_table("fairs")
