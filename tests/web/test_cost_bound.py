"""The cost estimate is an upper bound: for generated documents (fragments, aliases, variables
with defaults, plain lists, introspection), never fewer fields than execution resolves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from graphql import (
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    execute,
    get_named_type,
    get_operation_ast,
)
from graphql.execution.values import get_variable_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from accr_graph.db.models import User
from accr_graph.services.auth import viewer_of
from accr_graph.web.cost import PLAIN_LISTS, plain_list_fields
from accr_graph.web.execution import MeteredExecutor, start_meter
from tests.conftest import STAFF_EMAIL, Database, Settings, app_client

PAGE = ("first", "last")
SKIPPED = {"node", "nodes"}  # need IDs; covered by the API tests


@dataclass
class _Doc:
    variables: list[str] = field(default_factory=list)  # declarations
    values: dict[str, int] = field(default_factory=dict)
    fragments: list[str] = field(default_factory=list)


def _usable(definition: Any) -> bool:
    required = [
        n
        for n, a in definition.args.items()
        if isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined and n not in PAGE
    ]
    return not required


def _page_argument(draw: Any, doc: _Doc, name: str) -> str:
    size = draw(st.integers(0, 4))
    how = draw(st.sampled_from(["literal", "variable", "default", "absent"]))
    if how == "literal":
        return f"{name}: {size}"
    if how == "absent":
        return ""
    var = f"v{len(doc.variables)}"
    if how == "default":
        doc.variables.append(f"${var}: Int = {size}")
    else:
        doc.variables.append(f"${var}: Int")
        doc.values[var] = size
    return f"{name}: ${var}"


@st.composite
def _selection(draw: Any, schema: GraphQLSchema, type_: Any, doc: _Doc, depth: int) -> str:
    if isinstance(type_, GraphQLUnionType | GraphQLInterfaceType):
        possible = list(schema.get_possible_types(type_))
        chosen = draw(st.lists(st.sampled_from(possible), min_size=1, max_size=2, unique=True))
        parts = [f"... on {t.name} {{ {draw(_selection(schema, t, doc, depth))} }}" for t in chosen]
        return " ".join(["__typename", *parts])
    fields = [(n, f) for n, f in type_.fields.items() if _usable(f) and n not in SKIPPED]
    names = draw(
        st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique_by=lambda x: x[0])
    )
    out = []
    for name, definition in names:
        out.append(draw(_field(schema, name, definition, doc, depth)))
    text = " ".join(out)
    if draw(st.booleans()) and isinstance(type_, GraphQLObjectType):
        fragment = f"F{len(doc.fragments)}"
        doc.fragments.append(f"fragment {fragment} on {type_.name} {{ {text} }}")
        return f"...{fragment} ...{fragment}" if draw(st.booleans()) else f"...{fragment}"
    return text


@st.composite
def _field(
    draw: Any, schema: GraphQLSchema, name: str, definition: Any, doc: _Doc, depth: int
) -> str:
    child = get_named_type(definition.type)
    args = [_page_argument(draw, doc, a) for a in PAGE if a in definition.args]
    args = [a for a in args if a]
    head = (f"a{draw(st.integers(0, 9))}_{name}: " if draw(st.booleans()) else "") + name
    if args:
        head += f"({', '.join(args)})"
    if not isinstance(child, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
        return head
    if depth <= 0:
        return f"{head} {{ __typename }}"
    return f"{head} {{ {draw(_selection(schema, child, doc, depth - 1))} }}"


@st.composite
def documents(draw: Any, schema: GraphQLSchema) -> tuple[str, dict[str, int]]:
    doc = _Doc()
    body = draw(_selection(schema, schema.query_type, doc, 4))
    if draw(st.integers(0, 9)) == 0:
        body += " __schema { types { name fields { name type { name ofType { name } } } } }"
    head = f"query ({', '.join(doc.variables)})" if doc.variables else "query"
    return " ".join([f"{head} {{ {body} }}", *doc.fragments]), doc.values


def _generate(schema: GraphQLSchema, count: int) -> list[tuple[str, dict[str, int]]]:
    found: list[tuple[str, dict[str, int]]] = []

    @given(documents(schema))
    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    def collect(example: tuple[str, dict[str, int]]) -> None:
        found.append(example)

    collect()
    return found


def _endpoint(client: httpx.AsyncClient) -> Any:
    route = next(r for r in client.app.router.routes if getattr(r, "path", "") == "/graphql")  # type: ignore[attr-defined]
    return route.endpoint.__self__


async def test_every_plain_list_has_a_declared_bound(client: httpx.AsyncClient) -> None:
    schema = _endpoint(client).schema
    assert plain_list_fields(schema) <= set(PLAIN_LISTS)


async def test_estimate_is_at_least_the_fields_resolved(
    sample_db: Database, settings: Settings
) -> None:
    from schema.context import Context

    async with sample_db.sessionmaker() as session:
        staff = await session.scalar(select(User).where(User.email == STAFF_EMAIL))
    assert staff is not None
    async with app_client(settings) as client:
        endpoint = _endpoint(client)
        state = client.app.state  # type: ignore[attr-defined]
        checked = 0
        for query, values in _generate(endpoint.schema, 60):
            prepared = endpoint.documents.get(query)
            assert prepared.document is not None, (query, prepared.errors)
            operation = get_operation_ast(prepared.document)
            coerced = get_variable_values(
                endpoint.schema, operation.variable_definitions or (), values
            )
            estimate = endpoint.cost(
                prepared.document, operation, coerced.coerced, await endpoint.sizes()
            )
            context = Context(
                sessionmaker=state.sessionmaker,
                settings=settings,
                viewer=viewer_of(staff),
                matching=state.matching,
            )
            meter = start_meter(None, 60)
            result = execute(
                endpoint.schema,
                prepared.document,
                context_value=context,
                variable_values=values,
                executor_class=MeteredExecutor,
            )
            if hasattr(result, "__await__"):
                result = await result
            assert meter.resolved <= estimate, (query, values, meter.resolved, estimate)
            checked += meter.resolved > 10
    assert checked > 20  # the documents did real work


async def test_a_variable_default_counts_like_a_literal(client: httpx.AsyncClient) -> None:
    """The issue's example: estimated at 42k (and answered) when the default was ignored."""
    partners = "partners(first: $n) { nodes { centre { slug " * 2 + "} } }" * 2
    query = f"query ($n: Int = 100) {{ centres(first: $n) {{ nodes {{ {partners} }} }} }}"
    response = await client.post(
        "/graphql", json={"query": query}, headers={"accept": "application/graphql-response+json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
