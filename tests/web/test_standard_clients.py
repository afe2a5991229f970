"""Standard GraphQL clients: introspection, GraphQL-over-HTTP parameters, error codes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import build_client_schema, get_introspection_query

from tests.conftest import Database, Settings, app_client

GRAPHQL_JSON = "application/graphql-response+json"
OPTIONS = (
    "descriptions",
    "specified_by_url",
    "directive_is_repeatable",
    "schema_description",
    "input_value_deprecation",
    "one_of",
)


def _introspection_queries() -> list[str]:
    """Every client's flavour: no option, each option alone, all of them, and the deepest type
    references. The options add independent fields, so each one alone (not all 64 mixes,
    ~2 minutes) is what can break an answer."""
    flavours = [dict.fromkeys(OPTIONS, False), dict.fromkeys(OPTIONS, True)]
    flavours += [{name: name == option for name in OPTIONS} for option in OPTIONS]
    queries = [get_introspection_query(**flags) for flags in flavours]  # type: ignore[arg-type]
    return [*queries, get_introspection_query(**dict.fromkeys(OPTIONS, True), type_depth=20)]


async def _post(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await client.post("/graphql", json=body, headers={"accept": GRAPHQL_JSON})


async def test_every_standard_introspection_query_is_answered(
    sample_db: Database, settings: Settings
) -> None:
    async with app_client(settings.model_copy(update={"cost_budget_per_minute": 0})) as client:
        for query in _introspection_queries():
            await _answered(client, query)


async def _answered(client: httpx.AsyncClient, query: str) -> None:
    response = await _post(client, {"query": query, "operationName": "IntrospectionQuery"})
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert "errors" not in body
    schema = build_client_schema(body["data"])  # what gql, Apollo codegen... do with it
    assert schema.query_type is not None and schema.get_type("Centre") is not None


async def test_introspection_is_bounded_by_cost(client: httpx.AsyncClient) -> None:
    """30 aliased full schemas would be megabytes for free if introspection cost nothing."""
    one = "__schema { types { name fields { name args { name type { name } } type { name } } } }"
    query = "{ " + " ".join(f"s{i}: {one}" for i in range(30)) + " }"
    response = await _post(client, {"query": query})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert "max_query_cost" in error["message"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_the_depth_limit_still_holds_outside_introspection(client: httpx.AsyncClient) -> None:
    nested = "partners(first: 1) { nodes { centre { " * 5 + "slug" + " } } }" * 5
    response = await _post(client, {"query": "{ centres(first: 1) { nodes { " + nested + " } } }"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert "max_query_depth" in error["message"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


@pytest.mark.parametrize("extensions", [[], "[1]", 3, "not json", True])
async def test_extensions_must_be_an_object(client: httpx.AsyncClient, extensions: Any) -> None:
    response = await _post(client, {"query": "{ __typename }", "extensions": extensions})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_JSON)
    error = response.json()["errors"][0]
    assert "extensions" in error["message"] and error["extensions"]["code"] == "BAD_REQUEST"


async def test_extensions_object_and_get_extensions_are_accepted(client: httpx.AsyncClient) -> None:
    posted = await _post(client, {"query": "{ __typename }", "extensions": {"persisted": 1}})
    fetched = await client.get(
        "/graphql", params={"query": "{ __typename }", "extensions": '{"a": 1}'}
    )
    bad = await client.get("/graphql", params={"query": "{ __typename }", "extensions": "[]"})
    assert posted.status_code == 200 and fetched.status_code == 200
    assert bad.status_code == 400 and bad.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_error_codes_before_execution(client: httpx.AsyncClient) -> None:
    syntax = await _post(client, {"query": "{ centres("})
    unknown = await _post(client, {"query": "{ nope }"})
    variables = await _post(
        client, {"query": "query ($n: Int!) { centres(first: $n) { totalCount } }"}
    )
    operation = await _post(client, {"query": "query A { __typename }", "operationName": "B"})
    bad_token = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"authorization": "Bearer nope"}
    )
    assert _code(syntax) == "GRAPHQL_PARSE_FAILED"
    assert _code(unknown) == "GRAPHQL_VALIDATION_FAILED"
    assert _code(variables) == "BAD_USER_INPUT"
    assert _code(operation) == "OPERATION_RESOLUTION_FAILURE"
    assert bad_token.status_code == 401 and _code(bad_token) == "UNAUTHENTICATED"


async def test_error_codes_during_execution(client: httpx.AsyncClient) -> None:
    forbidden = await _post(client, {"query": "{ auditLog(first: 1) { totalCount } }"})
    bad_input = await _post(client, {"query": "{ centres(first: -1) { totalCount } }"})
    assert _code(forbidden) in ("UNAUTHENTICATED", "FORBIDDEN")
    assert _code(bad_input) == "BAD_USER_INPUT"


async def test_rate_limited_code(sample_db: Database, settings: Settings) -> None:
    tight = settings.model_copy(update={"cost_budget_per_minute": 5})
    query = "{ themes(first: 10) { nodes { slug } } }"
    async with app_client(tight) as http:
        responses = [await http.post("/graphql", json={"query": query}) for _ in range(2)]
    assert responses[-1].status_code == 429 and _code(responses[-1]) == "RATE_LIMITED"


async def test_too_many_validation_errors_say_so(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f"f{i}" for i in range(150)) + " }"
    response = await _post(client, {"query": query})
    messages = [e["message"] for e in response.json()["errors"]]
    assert not any("Validation aborted" in m for m in messages)
    assert any("more than 100 validation errors" in m for m in messages)


ON_ERROR = "... on Error { __typename message }"


async def test_typed_errors_share_the_error_interface(staff_client: httpx.AsyncClient) -> None:
    login = await staff_client.post(
        "/graphql",
        json={
            "query": "mutation ($i: LoginInput!) { login(input: $i) { " + ON_ERROR + " } }",
            "variables": {"i": {"email": "nobody@example.org", "password": "wrong password"}},
        },
    )
    revoke = await staff_client.post(
        "/graphql",
        json={
            "query": 'mutation { revokeApiToken(input: {id: "QXBpVG9rZW46OTk5OTk="}) { '
            + ON_ERROR
            + " } }"
        },
    )
    failed = login.json()["data"]["login"]
    missing = revoke.json()["data"]["revokeApiToken"]
    assert failed["__typename"] == "AuthenticationFailed" and failed["message"]
    assert missing["__typename"] in ("NotFound", "ValidationError") and missing["message"]
