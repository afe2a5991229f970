"""Helpers shared by repositories: paging and text search that work on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import JSON, Select, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from accr_graph.i18n import FALLBACK_LANGUAGES, SUPPORTED_LANGUAGES

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Window:
    """Which rows of an ordered result a page covers (offset into the result, row count)."""

    offset: int
    limit: int


def upsert(session: AsyncSession, model: Any) -> Any:
    """``INSERT ... ON CONFLICT`` for the session's database (PostgreSQL or SQLite)."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def translated_text(column: Any) -> ColumnElement[str]:
    """The text of a translatable JSON column, by the fallback order (for sorting)."""
    return func.coalesce(*(column[lang].as_string() for lang in FALLBACK_LANGUAGES), "")


def _texts(column: Any) -> list[ColumnElement[str]]:
    """A column's searchable texts: itself, or each language's value of a JSON column."""
    if isinstance(column.type, JSON):
        return [column[lang].as_string() for lang in SUPPORTED_LANGUAGES]
    return [column]


def text_matches(columns: Sequence[Any], text: str) -> ColumnElement[bool]:
    """Case-insensitive substring match on any of the columns' texts (not their JSON syntax)."""
    pattern = f"%{escape_like(text.strip().lower())}%"
    return or_(*(func.lower(t).like(pattern, escape="\\") for c in columns for t in _texts(c)))


async def count(session: AsyncSession, query: Select[Any]) -> int:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return int(total or 0)


async def page(session: AsyncSession, query: Select[Any], window: Window) -> list[Any]:
    if window.limit <= 0:
        return []
    result = await session.scalars(query.offset(window.offset).limit(window.limit))
    return list(result.all())
