"""The parsed-document and response caches are bounded in bytes, not only in entries."""

from __future__ import annotations

from accr_graph.web.documents import AST_BYTES_PER_CHAR, DocumentCache
from accr_graph.web.response_cache import ResponseCache
from tests.conftest import Database, Settings, app_client


def _schema() -> object:
    from schema.schema import schema

    return schema._schema


def test_document_cache_evicts_by_bytes() -> None:
    documents = DocumentCache(_schema(), max_bytes=200_000 * AST_BYTES_PER_CHAR)  # type: ignore[arg-type]
    for i in range(20):
        query = (
            "{ " + f"a{i}: __typename " + " ".join(f"b{j}: __typename" for j in range(3000)) + " }"
        )
        documents.get(query)
    assert documents.bytes <= documents.max_bytes
    assert len(documents) < 20


def test_a_huge_document_is_answered_but_not_kept() -> None:
    documents = DocumentCache(_schema(), max_bytes=1_000_000)  # type: ignore[arg-type]
    huge = "{ " + " ".join(f"b{j}: __typename" for j in range(2000)) + " }"
    assert documents.get(huge).document is not None
    assert len(documents) == 0 and documents.bytes == 0


def test_response_cache_evicts_by_bytes() -> None:
    cache = ResponseCache(size=1000, max_bytes=10_000)
    for i in range(30):
        cache.put(f"k{i}", 1, b"x" * 1000)
    assert cache.bytes <= 10_000 and len(cache) == 10
    assert cache.get("k29", 1) is not None and cache.get("k0", 1) is None


async def test_an_answer_above_the_entry_limit_is_not_cached(
    sample_db: Database, settings: Settings
) -> None:
    small = settings.model_copy(
        update={"response_cache": True, "response_cache_max_entry_bytes": 500}
    )
    big = {"query": "{ centres(first: 30) { nodes { slug name } } }"}
    tiny = {"query": "{ themes(first: 1) { totalCount } }"}
    async with app_client(small) as http:
        for body in (big, big, tiny, tiny):
            assert (await http.post("/graphql", json=body)).status_code == 200
        cache = http.app.state.response_cache  # type: ignore[attr-defined]
    assert cache.hits == 1 and len(cache) == 1  # only the tiny answer was kept (and reused)


def test_the_token_limit_says_which_limit() -> None:
    documents = DocumentCache(_schema(), max_tokens=100)  # type: ignore[arg-type]
    prepared = documents.get("{ " + " ".join("__typename" for _ in range(200)) + " }")
    (error,) = prepared.errors
    assert "max_tokens" in error.message and error.extensions["code"] == "QUERY_TOO_COMPLEX"
