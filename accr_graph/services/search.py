"""Search across the hub: resources, proposals, centres and meetings, as the caller may see them.

Highlights are HTML: the matched words in ``<mark>``, everything else escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from accr_graph.repositories import search as repo
from accr_graph.repositories.search import DocFilter
from accr_graph.services.errors import Invalid, fail
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer

MAX_QUERY = 200
KINDS = ("resource", "proposal", "centre", "meeting")
EVERYTHING = DocFilter()


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    object_id: int
    score: float
    highlights: list[str]


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[SearchHit]


def clean_query(query: str, field: str = "query") -> str:
    cleaned = " ".join(query.replace("\x00", " ").split())
    if len(cleaned) > MAX_QUERY:
        raise fail(Invalid(field, f"is {len(cleaned)} characters long; the maximum is {MAX_QUERY}"))
    if not repo.WORD.search(cleaned):
        raise fail(Invalid(field, "type at least one word"))
    return cleaned


def to_html(marked: str) -> str:
    escaped = html.escape(marked.strip(), quote=False)
    return escaped.replace(repo.START, "<mark>").replace(repo.STOP, "</mark>")


async def search(
    db: Database,
    viewer: Viewer,
    query: str,
    flt: DocFilter = EVERYTHING,
    offset: int = 0,
    limit: int = 20,
) -> SearchResult:
    cleaned = clean_query(query)
    async with db() as session:
        total, ranked = await repo.search(session, cleaned, flt, viewer, offset, limit)
        marked = await repo.highlights(session, cleaned, [r.doc_id for r in ranked])
    hits = [
        SearchHit(r.kind, r.object_id, r.score, [to_html(t) for t in marked.get(r.doc_id, [])])
        for r in ranked
    ]
    return SearchResult(total, hits)


async def browse(
    db: Database, viewer: Viewer, flt: DocFilter, offset: int = 0, limit: int = 20
) -> SearchResult:
    """Without a query: what the filter lets through, newest first."""
    async with db() as session:
        total, ranked = await repo.search(session, None, flt, viewer, offset, limit)
    return SearchResult(total, [SearchHit(r.kind, r.object_id, r.score, []) for r in ranked])


async def facets(
    db: Database, viewer: Viewer, query: str | None, flt: DocFilter
) -> dict[str, list[tuple[str, int]]]:
    cleaned = clean_query(query) if query is not None else None
    async with db() as session:
        return await repo.facets(session, cleaned, flt, viewer)
