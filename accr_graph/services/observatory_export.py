"""The observatory as a spreadsheet (staff): CSV or XLSX, one row per figure.

Cells are neutralised against formula injection: a text that a spreadsheet would read as a
formula (starting with ``= + - @``, a tab or a carriage return) gets a leading apostrophe, and
XLSX cells are written as plain strings or numbers, never formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from enum import StrEnum

from accr_graph.services import observatory_labels as labels
from accr_graph.services import survey_questions as sq
from accr_graph.services.observatory import Indicator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER = ("key", "indicator", "year", "group", "value", "centres", "note")
Cell = str | int | float | None


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(
    items: Sequence[Indicator], lang: str, questions: Mapping[str, sq.Question]
) -> list[tuple[Cell, ...]]:
    return [
        (
            neutralise(i.key),
            neutralise(labels.label(i.key, lang, questions)),
            i.year,
            neutralise(i.group or ""),
            i.value,
            i.n,
            labels.not_enough(lang) if i.withheld else "",
        )
        for i in items
    ]


def _csv(table: list[tuple[Cell, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(["" if c is None else c for c in row] for row in table)
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: spreadsheets then read UTF-8


def _xlsx(table: list[tuple[Cell, ...]]) -> bytes:
    from openpyxl import Workbook  # imported when needed: it costs start-up time otherwise

    book = Workbook()
    sheet = book.active
    sheet.title = "observatory"
    sheet.append(HEADER)
    for row in table:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(
    items: Sequence[Indicator], fmt: ExportFormat, lang: str, questions: Mapping[str, sq.Question]
) -> bytes:
    table = rows(items, lang, questions)
    return _csv(table) if fmt is ExportFormat.CSV else _xlsx(table)
