"""Search: the GIN index of the text vectors without a pending list (issue 14, search speed).

With GIN's default ``fastupdate``, new entries wait in an unsorted pending list that every
search scans linearly until a vacuum merges it: measured on 5,000 documents written in one go,
a search took ~100 ms (a sequential read of every document's vector) instead of ~2 ms after the
merge. The hub writes documents one at a time and rarely; searches are what must stay fast, so
entries go straight into the index, and whatever is pending now is merged.

After 0091 (not between 0060 and 0090, where it was first written): a database already at 0090
would never have run it.

Revision ID: 0092
Revises: 0091
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0092"
down_revision: str | None = "0091"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_search_documents_tsv"


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return  # SQLite searches through FTS5, which has no such list
    op.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
    op.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")
