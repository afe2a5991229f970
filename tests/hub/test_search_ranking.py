"""Ranking and snippets at the index level, on both databases: title > abstract > body, the body
ordering documents whose titles and abstracts rank alike, pages that agree with one long page
(PostgreSQL reads whole vectors only near the page), and what the index writer stores."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text

from accr_graph.db import models as m
from accr_graph.repositories import search as repo
from accr_graph.repositories.search import DocFilter
from accr_graph.services import search, search_index
from accr_graph.viewer import ANONYMOUS, Viewer
from tests.conftest import Database

FILLER = "annual programme of the association with visitors and partners"


def entry(object_id: int, title: str, abstract: str = "", body: str = "") -> Any:
    doc = search_index.Entry("resource", object_id, "public", languages=["en"])
    doc.add({"en": title}, "A")
    doc.add({"en": abstract}, "B")
    doc.add(body, "C", "en")
    return doc


async def index(db: Database, *docs: Any) -> None:
    async with db.sessionmaker.begin() as session:
        for doc in docs:
            await search_index.write(session, doc.kind, doc.object_id, doc)


async def ranked(db: Database, query: str, offset: int = 0, limit: int = 20) -> list[int]:
    found = await search.search(db.sessionmaker, ANONYMOUS, query, DocFilter(), offset, limit)
    return [h.object_id for h in found.hits]


async def test_title_then_abstract_then_body(db: Database) -> None:
    await index(
        db,
        entry(1, "Guide", body=f"{FILLER} cloister"),
        entry(2, "Guide", abstract=f"The cloister and {FILLER}"),
        entry(3, "Cloister guide", body=FILLER),
        entry(4, "Notes", body=f"{FILLER} cloister. {FILLER} cloister, {FILLER} cloister"),
        entry(5, "Unrelated", abstract=FILLER, body=FILLER),
    )
    order = await ranked(db, "cloister")
    assert order[:2] == [3, 2]  # title, then abstract
    assert set(order[2:]) == {1, 4}  # then the documents found by their body alone
    found = await search.search(db.sessionmaker, ANONYMOUS, "cloister")
    scores = [h.score for h in found.hits]
    assert scores == sorted(scores, reverse=True)


async def test_the_body_orders_documents_whose_titles_rank_alike(db: Database) -> None:
    if db.backend != "postgresql":
        pytest.skip("SQLite ranks by bm25 over the three columns at once")
    await index(
        db,
        entry(1, "Cloister guide", body=FILLER),
        entry(2, "Cloister guide", body=f"{FILLER} cloister {FILLER} cloister"),
        entry(3, "Cloister guide", body=f"{FILLER} cloister"),
        entry(4, "Guide", body=" ".join(["cloister"] * 30)),
    )
    # the body decides between equal titles, and never lifts a body-only match above them
    assert await ranked(db, "cloister") == [2, 3, 1, 4]


async def test_pages_agree_with_one_long_page(db: Database) -> None:
    # given many documents, most of them ranking alike on the title (ties), some on the
    # abstract, some on the body alone, so page boundaries fall inside groups of equals
    docs = []
    for n in range(1, 61):
        body = " ".join([FILLER] + ["cloister"] * (n % 4))
        if n % 3 == 0:
            docs.append(entry(n, f"Cloister study {n}", body=body))
        elif n % 3 == 1:
            docs.append(entry(n, f"Study {n}", abstract=f"On the cloister, {FILLER}", body=body))
        else:
            docs.append(entry(n, f"Study {n}", body=body or FILLER))
    await index(db, *docs)
    everything = await search.search(db.sessionmaker, ANONYMOUS, "cloister", DocFilter(), 0, 100)
    whole = [h.object_id for h in everything.hits]
    assert len(whole) == everything.total
    # then every page is the matching slice of the one long page, with the same total
    for size in (1, 7, 20):
        for offset in range(0, len(whole) + size, size):
            page = await search.search(
                db.sessionmaker, ANONYMOUS, "cloister", DocFilter(), offset, size
            )
            assert [h.object_id for h in page.hits] == whole[offset : offset + size], offset
            assert page.total == everything.total


async def test_the_writer_keeps_the_title_and_abstract_vector(db: Database) -> None:
    if db.backend != "postgresql":
        pytest.skip("SQLite searches through FTS5: no vectors")
    await index(db, entry(1, "Cloister gardens", abstract="Restoring walls", body="saltworks"))
    async with db.sessionmaker() as session:
        head, whole = (
            await session.execute(select(m.SearchDocument.tsv_head, m.SearchDocument.tsv))
        ).one()
        same = await session.scalar(
            text("SELECT bool_and(tsv_head = ts_filter(tsv, '{a,b}')) FROM search_documents")
        )
    assert "cloister" in head and "wall" in head and "saltwork" not in head
    assert "saltwork" in whole
    assert same


async def test_reindexing_keeps_the_title_and_abstract_vector(sample_db: Database) -> None:
    if sample_db.backend != "postgresql":
        pytest.skip("SQLite searches through FTS5: no vectors")
    async with sample_db.sessionmaker.begin() as session:
        assert await search_index.reindex_all(session) > 0
    async with sample_db.sessionmaker() as session:
        differ = await session.scalar(
            select(func.count())
            .select_from(m.SearchDocument)
            .where(text("tsv_head IS DISTINCT FROM ts_filter(tsv, '{a,b}')"))
        )
    assert differ == 0


async def test_snippet_from_the_abstract_when_it_matches_else_from_the_body(
    db: Database,
) -> None:
    far = f"{FILLER}. " * 150 + "Le cloître restauré, avec sa charpente. " + f"{FILLER}. " * 20
    await index(
        db,
        entry(1, "Guide", abstract="Visiting the cloister at dawn", body=f"{FILLER} cloister"),
        entry(2, "Notes", abstract=FILLER, body=f"{FILLER} and the cloister roof"),
        entry(3, "Annales", abstract=FILLER, body=far),  # ~10,000 characters in, accented
    )
    found = await search.search(db.sessionmaker, ANONYMOUS, "cloister")
    snippets = {h.object_id: " ".join(h.highlights) for h in found.hits}
    assert "<mark>cloister</mark>" in snippets[1].lower() and "dawn" in snippets[1]
    assert "<mark>cloister</mark>" in snippets[2].lower() and "roof" in snippets[2]
    # a match deep in a long body: the snippet is around it, whatever the accents typed
    for query in ("cloître", "cloitre"):
        deep = await search.search(db.sessionmaker, ANONYMOUS, query)
        assert [h.object_id for h in deep.hits] == [3]
        assert "<mark>cloître</mark> restauré" in " ".join(deep.hits[0].highlights), query


async def test_postgresql_analyses_a_query_once_per_process(db: Database) -> None:
    if db.backend != "postgresql":
        pytest.skip("SQLite's query is built in Python")
    await index(db, entry(1, "Cloister guide"))
    repo._PREPARED.pop("cloister guide", None)
    async with db.count_statements() as first:
        assert await ranked(db, "cloister guide") == [1]
    async with db.count_statements() as again:
        assert await ranked(db, "cloister guide") == [1]
    analysing = [s for s in first if "websearch_to_tsquery" in s]
    assert len(analysing) == 1
    assert not [s for s in again if "websearch_to_tsquery" in s]


async def test_postgresql_matches_through_the_index_and_puts_the_planner_back(
    db: Database,
) -> None:
    if db.backend != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    await index(db, entry(1, "Cloister guide"))
    async with db.sessionmaker() as session, db.count_statements() as seen:
        total, hits = await repo.search(session, "cloister", DocFilter(), ANONYMOUS, 0, 20)
        facets = await repo.facets(session, "cloister", DocFilter(), ANONYMOUS)
        after = await session.scalar(text("SHOW enable_seqscan"))
    assert (total, [h.object_id for h in hits], facets["kind"]) == (1, [1], [])
    assert sum("enable_seqscan = off" in s for s in seen) == 2  # the page, the facets
    assert after == "on"


async def test_each_audience_sees_its_own_documents(db: Database) -> None:
    # PostgreSQL builds its statements once per filter and audience: they must not mix
    draft = search_index.Entry("proposal", 7, "centre", centre_id=1)
    draft.add({"en": "Cloister draft"}, "A")
    members = search_index.Entry("resource", 8, "members")
    members.add({"en": "Cloister minutes"}, "A")
    await index(db, entry(1, "Cloister guide"), draft, members)
    seen = {}
    for name, viewer in {
        "anonymous": ANONYMOUS,
        "centre 1": Viewer(user_id=5, centre_id=1),
        "centre 2": Viewer(user_id=6, centre_id=2),
        "other member of centre 1": Viewer(user_id=9, centre_id=1),
        "staff": Viewer(user_id=3, role=m.UserRole.STAFF),
    }.items():
        found = await search.search(db.sessionmaker, viewer, "cloister")
        seen[name] = (found.total, {(h.kind, h.object_id) for h in found.hits})
    everything = {("resource", 1), ("proposal", 7), ("resource", 8)}
    assert seen == {
        "anonymous": (1, {("resource", 1)}),
        "centre 1": (3, everything),
        "centre 2": (2, {("resource", 1), ("resource", 8)}),
        "other member of centre 1": (3, everything),
        "staff": (3, everything),
    }


def test_the_snippet_pattern_quotes_what_regular_expressions_read() -> None:
    # lexemes come quoted in the tsquery text ('' for a quote), longest first in the pattern
    prepared = "('c++' & 'l''eau') | ('x-y':* & !'a.b') | ('c++')"
    assert repo.lexeme_pattern(prepared) == r"\m(?:l\'eau|a\.b|c\+\+|x\-y)\w*"
