"""Keeping ``search_documents`` in step with what is searchable.

Resources and meetings are indexed by their services, in the same transaction as the change.
Centres and proposals (owned by other services) are indexed by a flush hook on every ORM
session: whatever writes them through the ORM keeps the index right without knowing about it.
Bulk ``update()`` statements bypass the hook; ``accr-graph search-reindex`` rebuilds everything.

On PostgreSQL the ``tsv`` column is computed from per-language parts: each translation is
analysed with its language's configuration (unaccent + stemmer), weighted A (title), B (abstract,
description) or C (body text); ``tsv_head`` holds the A and B parts alone (ranking reads it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, delete, event, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from accr_graph.db import models as m
from accr_graph.db.base import utcnow

CONFIGS = {
    "fr": "accr_french",
    "en": "accr_english",
    "de": "accr_german",
    "it": "accr_italian",
    "es": "accr_spanish",
}
SIMPLE = "accr_simple"
KINDS = ("resource", "proposal", "centre", "meeting")


def config_for(lang: str | None) -> str:
    return CONFIGS.get((lang or "").lower(), SIMPLE)


@dataclass
class Entry:
    """What one object contributes to the index."""

    kind: str
    object_id: int
    visibility: str
    centre_id: int | None = None
    # (language or None, weight, text)
    parts: list[tuple[str | None, str, str]] = field(default_factory=list)
    resource_kind: str | None = None
    year: int | None = None
    languages: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    centres: list[str] = field(default_factory=list)

    def add(
        self, texts: Mapping[str, str] | str | None, weight: str, lang: str | None = None
    ) -> None:
        if isinstance(texts, str):
            if texts.strip():
                self.parts.append((lang, weight, texts))
            return
        for code, value in sorted((texts or {}).items()):
            if value and value.strip():
                self.parts.append((code, weight, value))

    def joined(self, weight: str) -> str:
        return "\n".join(t for _, w, t in self.parts if w == weight)

    def headline_config(self) -> str:
        langs = self.languages or [p[0] for p in self.parts if p[0]]
        return config_for(langs[0] if langs else None)


# --- entries per kind -------------------------------------------------------------------------


def resource_entry(row: m.Resource, themes: list[str], centres: list[int]) -> Entry | None:
    if row.deleted_at is not None:
        return None
    entry = Entry("resource", row.id, row.visibility.value)
    entry.add(row.title, "A")
    entry.add(row.abstract, "B")
    entry.add(", ".join(row.authors), "B", None)
    entry.add(row.body_text, "C", row.languages[0] if row.languages else None)
    entry.resource_kind, entry.year = row.kind.value, row.year
    entry.languages, entry.themes = list(row.languages), themes
    entry.centres = [str(c) for c in centres]
    return entry


def meeting_entry(row: m.Meeting, agenda_titles: Iterable[Mapping[str, str]] = ()) -> Entry:
    visibility = "staff" if row.status is m.ProgrammeStatus.DRAFT else "public"
    entry = Entry("meeting", row.id, visibility, year=row.starts_at.year if row.starts_at else None)
    entry.add(row.title, "A")
    entry.add(row.description, "B")
    for title in agenda_titles:
        entry.add(title, "C")
    return entry


def proposal_entry(row: m.Proposal) -> Entry:
    draft = row.status is m.ProposalStatus.DRAFT
    entry = Entry("proposal", row.id, "centre" if draft else "public", centre_id=row.owner_id)
    entry.add(row.title, "A")
    entry.add(row.summary, "B")
    entry.add(row.funding_programme, "C", None)
    return entry


def centre_entry(row: m.Centre) -> Entry:
    entry = Entry("centre", row.id, "public", centre_id=row.id, languages=list(row.languages))
    entry.add(row.name, "A", None)
    entry.add(row.description, "B")
    entry.add(" ".join(x for x in (row.city, row.country, row.site_type) if x), "C", None)
    return entry


# --- statements -------------------------------------------------------------------------------


def _values(entry: Entry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "object_id": entry.object_id,
        "visibility": entry.visibility,
        "centre_id": entry.centre_id,
        "title_text": entry.joined("A"),
        "abstract_text": entry.joined("B"),
        "body": entry.joined("C"),
        "headline_config": entry.headline_config(),
        "resource_kind": entry.resource_kind,
        "year": entry.year,
        "languages": entry.languages,
        "themes": entry.themes,
        "centres": entry.centres,
        "updated_at": utcnow(),
    }


def upsert_statement(dialect: str, entry: Entry) -> Any:
    values = _values(entry)
    insert = (pg_insert if dialect == "postgresql" else sqlite_insert)(m.SearchDocument)
    statement = insert.values(**values)
    changed = {k: statement.excluded[k] for k in values if k not in ("kind", "object_id")}
    return statement.on_conflict_do_update(index_elements=["kind", "object_id"], set_=changed)


HEAD_WEIGHTS = ("A", "B")  # what ``tsv_head`` keeps: title and abstract


def _tsvector_sql(entry: Entry) -> tuple[str, dict[str, Any]]:
    """The UPDATE that sets an entry's weighted tsvector (and ``tsv_head``, its title and
    abstract parts alone), and its parameters. Entries with the same weights in the same order
    share the SQL text (reindexing sends them in one batch)."""
    pieces, head, params = [], [], {}
    for i, (lang, weight, value) in enumerate(entry.parts):
        piece = f"setweight(to_tsvector(CAST(:c{i} AS regconfig), :t{i}), '{weight}')"
        pieces.append(piece)
        if weight in HEAD_WEIGHTS:
            head.append(piece)
        params[f"c{i}"], params[f"t{i}"] = config_for(lang), value[:900_000]
    expression = " || ".join(pieces) or "''::tsvector"
    head_expression = " || ".join(head) or "''::tsvector"
    sql = (
        f"UPDATE search_documents SET tsv = {expression}, tsv_head = {head_expression} "
        "WHERE kind = :kind AND object_id = :oid"
    )
    return sql, {**params, "kind": entry.kind, "oid": entry.object_id}


def tsvector_statement(entry: Entry) -> Any:
    """PostgreSQL: the weighted tsvector from the entry's parts (each in its own config)."""
    sql, params = _tsvector_sql(entry)
    return text(sql).bindparams(*(bindparam(k, v) for k, v in params.items()))


def delete_statement(kind: str, object_id: int) -> Any:
    return delete(m.SearchDocument).where(
        m.SearchDocument.kind == kind, m.SearchDocument.object_id == object_id
    )


def statements(dialect: str, kind: str, object_id: int, entry: Entry | None) -> list[Any]:
    if entry is None:
        return [delete_statement(kind, object_id)]
    found = [upsert_statement(dialect, entry)]
    if dialect == "postgresql":
        found.append(tsvector_statement(entry))
    return found


async def write(session: AsyncSession, kind: str, object_id: int, entry: Entry | None) -> None:
    for statement in statements(session.get_bind().dialect.name, kind, object_id, entry):
        await session.execute(statement)


# --- async entry points (services) ------------------------------------------------------------


async def index_resource(session: AsyncSession, row: m.Resource) -> None:
    """Call after a flush, with the row's themes and centres loaded (or just assigned)."""
    entry = resource_entry(row, [t.slug for t in row.themes], [c.id for c in row.centres])
    await write(session, "resource", row.id, entry)


async def index_meeting(session: AsyncSession, row: m.Meeting) -> None:
    items = await session.scalars(
        select(m.AgendaItem.title).where(m.AgendaItem.meeting_id == row.id)
    )
    await write(session, "meeting", row.id, meeting_entry(row, list(items)))


# --- the flush hook (centres, proposals) ------------------------------------------------------


def _hooked_entry(obj: object) -> tuple[str, int, Entry | None] | None:
    if isinstance(obj, m.Centre):
        return "centre", obj.id, centre_entry(obj)
    if isinstance(obj, m.Proposal):
        return "proposal", obj.id, proposal_entry(obj)
    return None


DEFERRED = "search_index_deferred"


def defer_indexing(session: AsyncSession) -> None:
    """Bulk loads: the flush hook leaves the index alone; the loader calls ``reindex_all`` once
    at the end (indexing each centre as it is flushed, then rebuilding, did the work twice)."""
    session.info[DEFERRED] = True


def _after_flush(session: Session, _context: Any) -> None:
    if session.info.get(DEFERRED):
        return
    changed = [o for o in (*session.new, *session.dirty) if isinstance(o, m.Centre | m.Proposal)]
    gone = [o for o in session.deleted if isinstance(o, m.Centre | m.Proposal)]
    if not changed and not gone:
        return
    connection: Connection = session.connection()
    dialect = connection.dialect.name
    for obj in changed:
        found = _hooked_entry(obj)
        if found is not None and found[1] is not None:
            for statement in statements(dialect, *found):
                connection.execute(statement)
    for obj in gone:
        kind = "centre" if isinstance(obj, m.Centre) else "proposal"
        connection.execute(delete_statement(kind, obj.id))


event.listen(Session, "after_flush", _after_flush)


# --- rebuilding -------------------------------------------------------------------------------


async def reindex_all(session: AsyncSession) -> int:
    """Rebuild the whole index (after bulk imports); how many documents."""
    await session.execute(delete(m.SearchDocument))
    entries: list[Entry | None] = [centre_entry(c) for c in await session.scalars(select(m.Centre))]
    entries += [proposal_entry(p) for p in await session.scalars(select(m.Proposal))]
    entries += await _meeting_entries(session)
    entries += await _resource_entries(session)
    found = [e for e in entries if e is not None]
    await _write_all(session, found)
    return len(found)


async def _write_all(session: AsyncSession, entries: list[Entry]) -> None:
    """Rows in batches, then the tsvectors in one batch per SQL shape: a round trip per
    document made loading the sample (173 documents) take ~1.6 s on PostgreSQL."""
    for first in range(0, len(entries), 1000):
        chunk = entries[first : first + 1000]
        await session.execute(insert(m.SearchDocument), [_values(e) for e in chunk])
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite's FTS5 table follows the rows through triggers
    shapes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        sql, params = _tsvector_sql(entry)
        shapes[sql].append(params)
    for sql, batch in shapes.items():
        await session.execute(text(sql), batch)


async def _meeting_entries(session: AsyncSession) -> list[Entry | None]:
    from accr_graph.repositories import meetings as meeting_repo

    all_meetings = list(await session.scalars(select(m.Meeting)))
    agendas = await meeting_repo.agenda_of(session, [x.id for x in all_meetings])
    return [
        meeting_entry(meeting, [a.title for a in agendas.get(meeting.id, [])])
        for meeting in all_meetings
    ]


async def _resource_entries(session: AsyncSession) -> list[Entry | None]:
    from accr_graph.repositories import resources as resource_repo

    all_resources = list(await session.scalars(select(m.Resource)))
    ids = [r.id for r in all_resources]
    themes = await resource_repo.themes_of(session, ids)
    centres = await resource_repo.centre_ids_of(session, ids)
    return [
        resource_entry(res, [t.slug for t in themes.get(res.id, [])], centres.get(res.id, []))
        for res in all_resources
    ]
