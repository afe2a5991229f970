"""Full-text search over ``search_documents``, one API on both databases.

PostgreSQL: the query is analysed with every language configuration (unaccent + stemmer) and the
alternatives are OR-ed, so a French query finds French documents by their stems wherever the
query was typed; ranked with ``ts_rank`` over weighted vectors (title A > abstract B > body C):
the small title-and-abstract vector of every match, the whole vector only near the page
(``_pg_page``); snippets by ``ts_headline``, from the abstract or else around the body's first
match. SQLite (simpler, documented): FTS5 with diacritics removed, every word of the query as a
prefix (a trailing plural "s" dropped first), ranked by ``bm25`` with the same column weights;
snippets by ``snippet()``.

Matches are marked with \\x02 ... \\x03 in snippets; the service turns them into HTML.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Double,
    Float,
    Integer,
    Select,
    Text,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, REGCONFIG, TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Subquery
from sqlalchemy.sql.elements import ColumnElement

from accr_graph.db.models import SearchDocument, UserRole
from accr_graph.repositories.resources import json_has_any
from accr_graph.viewer import Viewer

D = SearchDocument
PG_CONFIGS = (
    "accr_french",
    "accr_english",
    "accr_german",
    "accr_italian",
    "accr_spanish",
    "accr_simple",
)
START, STOP = "\x02", "\x03"
HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=18, MinWords=6"
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class DocFilter:
    """Filters on the index's own columns (resource facets)."""

    kinds: tuple[str, ...] = ()  # object kinds: resource, proposal, centre, meeting
    resource_kinds: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    centres: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Ranked:
    doc_id: int
    kind: str
    object_id: int
    score: float


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_staff:
        return D.id.is_not(None)
    if viewer.is_anonymous:
        return D.visibility == "public"
    own = (D.visibility == "centre") & (D.centre_id == viewer.centre_id)
    return or_(D.visibility.in_(("public", "members")), own)


def fts5_query(query: str) -> str:
    """Every word (2+ letters) as a quoted prefix; a plural "s" dropped so "abbayes" finds
    "abbaye" too. Quoting keeps FTS5 operators typed by users from being interpreted."""
    terms = []
    for word in WORD.findall(query.lower()):
        if len(word) < 2 or word == "_":
            continue
        if len(word) > 4 and word.endswith("s"):
            word = word[:-1]
        terms.append(f'"{word.replace(chr(34), "")}"*')
    return " ".join(terms)


def _analysed(query: str) -> Any:
    """One row per configuration: the query as that configuration reads it (tsquery text)."""
    configs = func.unnest(literal(list(PG_CONFIGS), ARRAY(Text))).table_valued("name")
    analysed = func.websearch_to_tsquery(configs.c.name.cast(REGCONFIG), query).cast(Text)
    return select(analysed.label("q")).select_from(configs).distinct()


async def prepare(session: AsyncSession, query: str) -> str:
    """What the database matches: on PostgreSQL the query analysed in every configuration and
    OR-ed, as tsquery text; on SQLite the FTS5 expression. "" when nothing is left to match.

    PostgreSQL gets the tsquery as a value, not an expression: with a known tsquery the planner
    costs the GIN index properly (with an expression it guessed a full scan and read every
    document's vector: ~90 ms at 5,000 documents instead of ~1 ms)."""
    if _dialect(session) != "postgresql":
        return fts5_query(query)
    # The page, its highlights, the facets and the next pages analyse the same query: once per
    # process, as long as it is among the last PREPARED_KEPT asked.
    known = _PREPARED.get(query)
    if known is None:
        readings = [r for r in await session.scalars(_analysed(query)) if r]
        # Identical readings (words no stemmer changes) are kept once: a shorter query.
        known = " | ".join(f"({r})" for r in sorted(readings))
        _PREPARED[query] = known
        if len(_PREPARED) > PREPARED_KEPT:
            _PREPARED.popitem(last=False)
    else:
        _PREPARED.move_to_end(query)
    return known


# The analysed queries last asked (least recent first). The configurations are fixed by the
# migrations (0042): a reading only changes when one does, and the processes restart then.
PREPARED_KEPT = 2048
_PREPARED: OrderedDict[str, str] = OrderedDict()


def _tsquery(prepared: str | None) -> Any:
    """The prepared query as a parameter, "tsq": its value given, or (None) to be given when a
    statement built once is executed (``_pg_statement``, ``_pg_highlights``)."""
    return bindparam("tsq", prepared, type_=Text, required=prepared is None).cast(TSQUERY)


def _head_rank(prepared: str | None) -> Any:
    """PostgreSQL: the rank of the title and abstract alone (``tsv_head``: small, in the row)."""
    return func.coalesce(func.ts_rank(D.tsv_head, _tsquery(prepared)), 0.0).cast(Double)


def _match_columns(dialect: str, prepared: str | None) -> tuple[Any, Any]:
    """(score column, join target or None). PostgreSQL's is the title-and-abstract rank, which
    ``_pg_page`` completes with the whole vector's near the page."""
    if dialect == "postgresql":
        return _head_rank(prepared), None
    fts = text(
        "SELECT rowid AS doc_id, -bm25(search_fts, 10.0, 4.0, 1.0) AS score FROM search_fts "
        "WHERE search_fts MATCH :fts"
    ).bindparams(fts=prepared)
    ranked = fts.columns(doc_id=Integer, score=Float).subquery("ranked")
    return ranked.c.score, ranked


def _filtered(query: Select[Any], flt: DocFilter, dialect: str) -> Select[Any]:
    if flt.kinds:
        query = query.where(D.kind.in_(flt.kinds))
    if flt.resource_kinds:
        query = query.where(D.resource_kind.in_(flt.resource_kinds))
    if flt.years:
        query = query.where(D.year.in_(flt.years))
    for column, values in (
        (D.languages, flt.languages),
        (D.themes, flt.themes),
        (D.centres, flt.centres),
    ):
        if values:
            query = query.where(json_has_any(column, values, dialect))
    return query


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _matches(session: AsyncSession, prepared: str | None, flt: DocFilter, viewer: Viewer) -> Any:
    """(doc id, kind, object id, score) of visible documents matching the prepared query (all
    documents when None) and the filter."""
    return _matching(_dialect(session), prepared, flt, viewer, searching=prepared is not None)


def _matching(
    dialect: str, prepared: str | None, flt: DocFilter, viewer: Viewer, searching: bool
) -> Any:
    """``_matches`` by dialect; searching with ``prepared`` None: PostgreSQL's query is the
    "tsq" parameter, given at execution."""
    base: Select[Any]
    if not searching:
        score: Any = literal_column("0.0")
        base = select(D.id, D.kind, D.object_id, score.label("score"))
    else:
        score, ranked = _match_columns(dialect, prepared)
        base = select(D.id, D.kind, D.object_id, score.label("score"))
        if ranked is None:
            base = base.where(D.tsv.op("@@")(_tsquery(prepared)))
        else:
            base = base.join(ranked, ranked.c.doc_id == D.id)
    return _filtered(base.where(visible_to(viewer)), flt, dialect)


def _order(matches: Subquery, browsing: bool) -> list[Any]:
    """Best first; without a query, newest first."""
    if browsing:
        return [matches.c.object_id.desc(), matches.c.kind]
    return [matches.c.score.desc(), matches.c.kind, matches.c.object_id]


async def search(
    session: AsyncSession,
    query: str | None,
    flt: DocFilter,
    viewer: Viewer,
    offset: int,
    limit: int,
) -> tuple[int, list[Ranked]]:
    """The total and one page of hits, best first (ties by kind, object): one scan, the total
    counted with it (a second query only for a page past the end)."""
    prepared = None if query is None else await prepare(session, query)
    if prepared == "":
        return 0, []
    if prepared is not None and _dialect(session) == "postgresql":
        return await _pg_search(session, prepared, flt, viewer, offset, limit)
    matches = _matches(session, prepared, flt, viewer).subquery("matches")
    if limit <= 0:
        return int(await session.scalar(select(func.count()).select_from(matches)) or 0), []
    rows = list(
        await session.execute(
            select(matches, func.count().over().label("total"))
            .order_by(*_order(matches, prepared is None))
            .offset(offset)
            .limit(limit)
        )
    )
    if not rows:
        total = int(await session.scalar(select(func.count()).select_from(matches)) or 0)
        return total, []
    return int(rows[0].total), [Ranked(r.id, r.kind, r.object_id, float(r.score)) for r in rows]


async def _pg_search(
    session: AsyncSession, prepared: str, flt: DocFilter, viewer: Viewer, offset: int, limit: int
) -> tuple[int, list[Ranked]]:
    audience = _audience(viewer)
    params = {"tsq": prepared}
    rows = []
    async with _through_the_index(session, prepared):
        if limit > 0:
            page = _pg_statement("page", flt, audience, offset, limit)
            rows = list(await session.execute(page, params))
        if not rows:  # no page asked, or one past the end
            count = _pg_statement("count", flt, audience, 0, 0)
            total = int(await session.scalar(count, params) or 0)
    if not rows:
        return total, []
    return int(rows[0].total), [Ranked(r.id, r.kind, r.object_id, float(r.score)) for r in rows]


def _audience(viewer: Viewer) -> Viewer:
    """What of a viewer the statements depend on (what ``visible_to`` reads)."""
    if viewer.is_staff:
        return Viewer(user_id=0, role=UserRole.STAFF)
    if viewer.is_anonymous:
        return Viewer()
    return Viewer(user_id=0, centre_id=viewer.centre_id)


@lru_cache(maxsize=512)
def _pg_statement(
    shape: str, flt: DocFilter, audience: Viewer, offset: int, limit: int
) -> Select[Any]:
    """PostgreSQL's page ("page") or total ("count") statement, built once per filter, audience
    and page, the query given as the "tsq" parameter: building the page took ~3 ms of Python a
    search (SQLAlchemy constructs), as long as most searches take in the database."""
    matching = _matching("postgresql", None, flt, audience, searching=True)
    if shape == "count":
        return select(func.count()).select_from(matching.subquery("matches"))
    return _pg_page(matching, offset, limit)


@asynccontextmanager
async def _through_the_index(session: AsyncSession, prepared: str | None) -> AsyncIterator[None]:
    """PostgreSQL: documents matched through the GIN index, not by a sequential scan.

    For a word in a third of the documents the planner preferred reading the table to reading
    most of it through the index, but it does not count that a scan evaluates ``tsv @@ query``
    on every document, fetching its vector (kilobytes, out of line) while the index answers
    without them: "education" in the 50,000-document bench (18,807 matches) took ~500 ms that
    way and ~35 ms through the index. Discouraged for the statements inside only (the
    setting is put back; on an error the transaction's rollback undoes it)."""
    if prepared is None or _dialect(session) != "postgresql":
        yield
        return
    await session.execute(text("SET LOCAL enable_seqscan = off"))
    yield
    await session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))


# PostgreSQL's relevance: the title-and-abstract rank (``tsv_head``), plus the whole vector's
# rank (body included) times BODY_SHARE. ts_rank (no normalisation) is below 2, so the whole
# vector moves a document by less than 2 * BODY_SHARE: it orders documents whose titles and
# abstracts rank alike, and documents found by their body alone come after every document found
# by its title or abstract (title > abstract > body, as ts_rank over the whole vector did).
BODY_SHARE = 1e-4


def _pg_page(matching: Select[Any], offset: int, limit: int) -> Select[Any]:
    """One page, best first, and the total. The whole vector (kilobytes, stored out of line: a
    word in 6,500 of 50,000 documents took ~120 ms to rank that way) is read only for documents
    that can reach the page: those whose title-and-abstract rank is within 2 * BODY_SHARE of
    the page's last one, and every document when there are fewer than a page's end."""
    matches = matching.cte("matches")  # read three times: computed once
    head = matches.c.score
    last = select(head).order_by(head.desc()).offset(offset + limit - 1).limit(1).scalar_subquery()
    whole = func.ts_rank(D.tsv, _tsquery(None)).cast(Double)
    score = (head + literal(BODY_SHARE, Double) * whole).label("score")
    total = select(func.count()).select_from(matches).scalar_subquery()
    near = (
        select(matches.c.id, matches.c.kind, matches.c.object_id, score, total.label("total"))
        .join(D, D.id == matches.c.id)
        .where(head >= func.coalesce(last, 0.0) - 2 * BODY_SHARE)
        .subquery("near")
    )
    return select(near).order_by(*_order(near, False)).offset(offset).limit(limit)


async def highlights(
    session: AsyncSession, query: str, doc_ids: Sequence[int]
) -> dict[int, list[str]]:
    """Marked title and text fragments per document (only those with a match)."""
    prepared = await prepare(session, query) if doc_ids else ""
    if not prepared:
        return {}
    if _dialect(session) == "postgresql":
        params = {"tsq": prepared, "ids": list(doc_ids), "pattern": lexeme_pattern(prepared)}
        rows = await session.execute(_pg_highlights(), params)
    else:
        rows = await session.execute(
            text(
                "SELECT rowid, highlight(search_fts, 0, :a, :b), "
                "snippet(search_fts, -1, :a, :b, '…', 16) FROM search_fts "
                "WHERE search_fts MATCH :fts AND rowid IN ("
                + ", ".join(str(int(i)) for i in doc_ids)
                + ")"
            ).bindparams(a=START, b=STOP, fts=prepared)
        )
    found: dict[int, list[str]] = {}
    for doc_id, title, fragment in rows:
        marked = [t for t in dict.fromkeys((title or "", fragment or "")) if START in t]
        found[int(doc_id)] = marked
    return found


BODY_WINDOW = 20_000  # characters of the body a snippet is looked for in
LEAD, SPAN = 300, 1_200  # the body given to ts_headline: from LEAD characters before a match
LEXEME = re.compile(r"'((?:[^']|'')+)'")


def lexeme_pattern(prepared: str) -> str:
    """A (PostgreSQL) regular expression finding, in lowercased unaccented text, the first word
    that starts with one of the prepared query's lexemes: stems are, mostly, the start of the
    words they come from, and the unstemmed reading (``accr_simple``) is among them."""
    found = {m.group(1).replace("''", "'") for m in LEXEME.finditer(prepared)}
    words = [re.sub(r"(\W)", r"\\\1", w) for w in sorted(found, key=lambda w: (-len(w), w))]
    return r"\m(?:" + "|".join(words) + r")\w*"


@lru_cache(maxsize=1)
def _pg_highlights() -> Any:
    """Title marked whole; the text snippet from the abstract when it has a match, else from
    the body around its first match (in the first BODY_WINDOW characters).

    ``ts_headline`` parses all the text it is given, and choosing fragments in a long text
    with frequent words is slower still: the whole body cost ~1 ms a document even at 2,000
    characters (~20 ms a page), and it was parsed for documents whose abstract already had the
    words. The body is now read only when the abstract has no match, and only SPAN characters
    of it are parsed, found by a regular expression over the lowercased, unaccented text
    (~10x cheaper); when the words are not found there (a stem that is not a word's start),
    the body's start is used, as before.

    Built once: the parameters are "tsq", "ids" and "pattern" (``lexeme_pattern``'s)."""
    tsq = _tsquery(None)
    config = D.headline_config.cast(REGCONFIG)
    marked = (
        select(
            D.id,
            D.headline_config,
            D.body,
            func.ts_headline(config, D.title_text, tsq, f"{HEADLINE}, HighlightAll=true").label(
                "title"
            ),
            func.ts_headline(config, D.abstract_text, tsq, HEADLINE).label("abstract"),
        )
        .where(D.id.in_(bindparam("ids", expanding=True)))
        .cte("marked")
        .prefix_with("MATERIALIZED")  # each headline computed once, not inlined twice below
    )
    folded = case(
        (
            func.strpos(marked.c.abstract, START) == 0,
            func.unaccent(func.lower(func.left(marked.c.body, BODY_WINDOW))),
        ),
        else_=None,
    )
    located = select(marked, folded.label("folded")).cte("located").prefix_with("MATERIALIZED")
    pattern = bindparam("pattern", type_=Text, required=True)
    at = func.strpos(located.c.folded, func.substring(located.c.folded, pattern))
    window = func.substr(located.c.body, func.greatest(func.coalesce(at, 0) - LEAD, 1), SPAN)
    body = func.ts_headline(located.c.headline_config.cast(REGCONFIG), window, tsq, HEADLINE)
    text_part = case((located.c.folded.is_(None), located.c.abstract), else_=body)
    return select(located.c.id, located.c.title, text_part)


FACETS = ("kind", "year", "language", "theme", "centre")
# Each facet's own filter in DocFilter, and the index column of the array facets.
FACET_FILTERS = {
    "kind": "resource_kinds",
    "year": "years",
    "language": "languages",
    "theme": "themes",
    "centre": "centres",
}
ARRAY_FACETS = {"language": "languages", "theme": "themes", "centre": "centres"}


async def facets(
    session: AsyncSession, query: str | None, flt: DocFilter, viewer: Viewer
) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value over the matching documents, most frequent first."""
    dialect = _dialect(session)
    prepared = None if query is None else await prepare(session, query)
    if prepared == "":
        return {name: [] for name in FACETS}

    def docs(facet: str) -> Subquery:
        """The matching documents, the facet's own choice left out (a chosen kind still shows
        the other kinds, to switch to; the other facets' choices narrow it as usual)."""
        own = replace(flt, **{FACET_FILTERS[facet]: ()})
        ids = _matches(session, prepared, own, viewer).with_only_columns(D.id).subquery("ids")
        return select(D).join(ids, ids.c.id == D.id).subquery("docs")

    async with _through_the_index(session, prepared):
        found = {
            "kind": await _scalar_facet(session, docs("kind").c.resource_kind),
            "year": await _scalar_facet(session, docs("year").c.year),
        }
        for name in ("language", "theme", "centre"):
            chosen = docs(name)
            column = chosen.c[ARRAY_FACETS[name]]
            found[name] = await _array_facet(session, chosen, column, dialect)
    return found


async def _scalar_facet(session: AsyncSession, column: Any) -> list[tuple[str, int]]:
    counted = func.count().label("n")
    rows = await session.execute(
        select(column, counted)
        .where(column.is_not(None))
        .group_by(column)
        .order_by(counted.desc(), column)
    )
    return [(str(value), int(n)) for value, n in rows]


async def _array_facet(
    session: AsyncSession, docs: Subquery, column: Any, dialect: str
) -> list[tuple[str, int]]:
    if dialect == "postgresql":
        items = func.jsonb_array_elements_text(column).table_valued("value").lateral("items")
    else:
        # SQLite has no LATERAL keyword; its table-valued functions see earlier tables anyway.
        items = func.json_each(column).table_valued("value").alias("items")
    value = items.c.value
    counted = func.count().label("n")
    query = select(value, counted).select_from(docs).join(items, literal_column("true"))
    rows = await session.execute(query.group_by(value).order_by(counted.desc(), value))
    return [(str(v), int(n)) for v, n in rows]
