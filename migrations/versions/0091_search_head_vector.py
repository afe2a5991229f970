"""Search: a small stored vector of each document's title and abstract, ``tsv_head`` (issue 14,
search speed).

Ranking read the whole weighted vector (``tsv``, ~3 KB a document, stored out of line) of every
matching document: a word found in 6,500 of 50,000 documents took ~120 ms, most of it fetching
those vectors. ``tsv_head`` holds only the title (A) and abstract (B) parts, a few hundred bytes
kept in the row (storage MAIN): the ranking reads it for every match and the full vector only
for the few documents near the page (``repositories/search.py``). Filled from ``tsv`` here (its
A and B positions); the index writer sets both from then on. No index: matching stays on ``tsv``.

SQLite has the column too (null, like ``tsv``): it searches through FTS5.

Revision ID: 0091
Revises: 0090
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0091"
down_revision: str | None = "0090"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "search_documents",
        sa.Column(
            "tsv_head", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=True
        ),
    )
    if op.get_context().dialect.name != "postgresql":
        return
    # Kept in the row (compressed if needed) rather than moved out of line with the body.
    op.execute("ALTER TABLE search_documents ALTER COLUMN tsv_head SET STORAGE MAIN")
    op.execute(
        "UPDATE search_documents SET tsv_head = ts_filter(tsv, '{a,b}') WHERE tsv IS NOT NULL"
    )


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        # Not batch mode: copying the table would drop the FTS5 triggers on it.
        op.execute("ALTER TABLE search_documents DROP COLUMN tsv_head")
    else:
        op.drop_column("search_documents", "tsv_head")
