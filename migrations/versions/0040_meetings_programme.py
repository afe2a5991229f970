"""Meetings programme: meetings with themes, agenda items and registrations (with a waiting
list), and private calendar feeds (hashed URL secrets).

Revision ID: 0040
Revises: 0030
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)

revision: str = "0040"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "'technical', 'thematic', 'information_session', 'study_visit', 'general_assembly', 'other'"
STATUSES = "'draft', 'open', 'full', 'closed', 'cancelled', 'held'"


def _meetings() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", JSON_TYPE, nullable=False),
        sa.Column("description", JSON_TYPE, nullable=False),
        sa.Column("host_centre_id", sa.Integer(), nullable=True),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("venue_centre_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("join_url", sa.String(length=500), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("ends_at", TS, nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("registration_deadline", TS, nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("confirmed_count", sa.Integer(), nullable=False),
        sa.Column("published_at", TS, nullable=True),
        sa.Column("cancelled_at", TS, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_meetings_times")),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 1", name=op.f("ck_meetings_capacity")),
        sa.CheckConstraint(
            "confirmed_count >= 0 AND (capacity IS NULL OR confirmed_count <= capacity)",
            name=op.f("ck_meetings_seats"),
        ),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_meetings_programme_kind")),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_meetings_programme_status")),
        sa.ForeignKeyConstraint(
            ["host_centre_id"],
            ["centres.id"],
            name=op.f("fk_meetings_host_centre_id_centres"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["venue_centre_id"],
            ["centres.id"],
            name=op.f("fk_meetings_venue_centre_id_centres"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_host_centre_id"), ["host_centre_id"])
        batch_op.create_index(batch_op.f("ix_meetings_venue_centre_id"), ["venue_centre_id"])
        batch_op.create_index(batch_op.f("ix_meetings_starts_at"), ["starts_at"])
        batch_op.create_index(batch_op.f("ix_meetings_status"), ["status"])


def _meeting_themes() -> None:
    op.create_table(
        "meeting_themes",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_themes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_meeting_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "theme_id", name=op.f("pk_meeting_themes")),
    )
    with op.batch_alter_table("meeting_themes") as batch_op:
        batch_op.create_index("ix_meeting_themes_theme_id", ["theme_id"])


def _agenda_items() -> None:
    op.create_table(
        "meeting_agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("starts_at", TS, nullable=True),
        sa.Column("title", JSON_TYPE, nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=True),
        sa.Column("resource_ids", JSON_TYPE, nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_agenda_items_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_agenda_items")),
        sa.UniqueConstraint(
            "meeting_id", "position", name=op.f("uq_meeting_agenda_items_meeting_id_position")
        ),
    )


def _registrations() -> None:
    op.create_table(
        "meeting_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("representatives", JSON_TYPE, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("queued_at", TS, nullable=False),
        sa.Column("promoted_at", TS, nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("attendees", sa.SmallInteger(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint(
            "status IN ('confirmed', 'waiting', 'cancelled')",
            name=op.f("ck_meeting_registrations_registration_status"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_registrations_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
            name=op.f("fk_meeting_registrations_centre_id_centres"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_registrations")),
        sa.UniqueConstraint(
            "meeting_id", "centre_id", name=op.f("uq_meeting_registrations_meeting_id_centre_id")
        ),
    )
    with op.batch_alter_table("meeting_registrations") as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_registrations_centre_id"), ["centre_id"])


def _calendar_feeds() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_calendar_feeds_secret_hash")),
    )
    with op.batch_alter_table("calendar_feeds") as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_user_id"), ["user_id"])


def upgrade() -> None:
    _meetings()
    _meeting_themes()
    _agenda_items()
    _registrations()
    _calendar_feeds()


def downgrade() -> None:
    for table in (
        "calendar_feeds",
        "meeting_registrations",
        "meeting_agenda_items",
        "meeting_themes",
        "meetings",
    ):
        op.drop_table(table)
