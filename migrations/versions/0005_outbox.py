"""The outbox: events written in the same transaction as the change that caused them.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=True),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column(
            "actor_user_id",
            sa.Integer(),
            sa.ForeignKey(
                "users.id", ondelete="SET NULL", name="fk_outbox_events_actor_user_id_users"
            ),
            nullable=True,
        ),
        sa.Column("centre_ids", _JSON, nullable=False),
        sa.Column("payload", _JSON, nullable=False),
        sa.Column("data_version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_events"),
    )
    op.create_index("ix_outbox_events_at", "outbox_events", ["at"])
    op.create_index("ix_outbox_events_kind", "outbox_events", ["kind"])


def downgrade() -> None:
    op.drop_index("ix_outbox_events_kind", table_name="outbox_events")
    op.drop_index("ix_outbox_events_at", table_name="outbox_events")
    op.drop_table("outbox_events")
