"""Whole-network matching analytics stored once per network version (issues 13 and 16).

Revision ID: 0090
Revises: 0060
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0090"
down_revision: str | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matching_analytics",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("network_version", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_matching_analytics"),
        sa.UniqueConstraint(
            "network_version", "key", name="uq_matching_analytics_network_version_key"
        ),
    )


def downgrade() -> None:
    op.drop_table("matching_analytics")
