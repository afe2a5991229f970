"""Exports cannot carry formulas into spreadsheets nor new lines into iCalendar files."""

from __future__ import annotations

import base64
import csv
import io
import zipfile

import httpx
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from accr_graph.db.models import Centre
from accr_graph.services.network_export import spreadsheet_cell
from accr_graph.web.fair_pages import _escape
from tests.api.helpers import gql
from tests.conftest import Database

EXPORT = "query { network { export(format: CSV) { content } } }"
EVIL = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


async def test_csv_cells_never_start_a_formula(
    staff_client: httpx.AsyncClient, sample_db: Database
) -> None:
    async with sample_db.sessionmaker.begin() as session:
        ids = (await session.scalars(Centre.__table__.select().with_only_columns(Centre.id))).all()
        for centre_id, name in zip(ids, EVIL, strict=False):
            await session.execute(update(Centre).where(Centre.id == centre_id).values(name=name))
    content = (await gql(staff_client, EXPORT))["network"]["export"]["content"]
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(content)))
    rows = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode(), newline="")))
    assert all(r["Id"] for r in rows) and len(rows) == 44  # a CR inside a name breaks no row
    labels = {row["Label"] for row in rows}
    assert {"'" + name for name in EVIL} <= labels
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), row
            assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit()


def test_numbers_stay_numbers() -> None:
    assert spreadsheet_cell(-3.5) == -3.5 and spreadsheet_cell("Abbaye") == "Abbaye"


@given(st.text())
def test_ics_text_never_breaks_a_line(text: str) -> None:
    escaped = _escape(text)
    assert "\r" not in escaped and "\n" not in escaped
    assert not any(c in escaped for c in "\u2028\u2029\x85\x0b\x0c")
    # every comma and semicolon is escaped (preceded by an odd run of backslashes)
    for i, char in enumerate(escaped):
        if char in ",;":
            run = len(escaped[:i]) - len(escaped[:i].rstrip("\\"))
            assert run % 2 == 1, escaped


def test_ics_escapes_the_issue_example() -> None:
    assert _escape("Abbaye\rBEGIN:VEVENT;x,y\\") == "Abbaye\\nBEGIN:VEVENT\\;x\\,y\\\\"
