"""A network version beside the data version.

``data_version.version`` moves with every write (the response cache keys on it);
``network_version`` only with writes to what the matching engine reads (centres, competencies,
themes, proposals, interests, partnerships), so fair and account writes do not make every
worker rebuild its matching index.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("data_version") as batch_op:
        batch_op.add_column(
            sa.Column("network_version", sa.BigInteger(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("data_version") as batch_op:
        batch_op.drop_column("network_version")
