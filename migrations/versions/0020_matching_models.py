"""Fitted matching models: factor weights learnt per network from its own history.

Revision ID: 0020
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0020"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "matching_models",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("network_version", sa.BigInteger(), nullable=False),
        sa.Column("training_cases", sa.Integer(), nullable=False),
        sa.Column("training_pairs", sa.Integer(), nullable=False),
        sa.Column("validation_cases", sa.Integer(), nullable=False),
        sa.Column("validation_recall_at_10", sa.Float(), nullable=True),
        sa.Column("prior_recall_at_10", sa.Float(), nullable=True),
        sa.Column("weights", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_matching_models"),
    )
    op.create_index("ix_matching_models_fitted_at", "matching_models", ["fitted_at"])


def downgrade() -> None:
    op.drop_index("ix_matching_models_fitted_at", table_name="matching_models")
    op.drop_table("matching_models")
