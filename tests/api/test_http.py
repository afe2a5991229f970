"""GraphQL over HTTP: media types, status codes, GET vs POST, bad input, GraphiQL."""

from __future__ import annotations

import httpx
import pytest

from tests.api.helpers import centre_id

GRAPHQL_JSON = "application/graphql-response+json"
SIMPLE = "{ centres(first: 1) { totalCount } }"


async def test_post_json(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": SIMPLE})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["data"]["centres"]["totalCount"] == 44


async def test_graphql_response_media_type(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": SIMPLE}, headers={"accept": GRAPHQL_JSON}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_JSON)


async def test_get_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": SIMPLE})
    assert response.status_code == 200 and "errors" not in response.json()


async def test_get_mutation_is_refused(client: httpx.AsyncClient) -> None:
    query = 'mutation { closeProposal(input: {id: "x"}) { __typename } }'
    response = await client.get("/graphql", params={"query": query})
    assert response.status_code == 405 and response.headers["allow"] == "POST"


@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_JSON, 400), ("application/json", 200)])
async def test_syntax_error_status_depends_on_media_type(
    client: httpx.AsyncClient, accept: str, status: int
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ centres {"}, headers={"accept": accept}
    )
    assert response.status_code == status
    assert "Syntax Error" in response.json()["errors"][0]["message"]
    assert "data" not in response.json()


async def test_validation_error_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ centres { nope } }"}, headers={"accept": GRAPHQL_JSON}
    )
    assert response.status_code == 400
    assert "nope" in response.json()["errors"][0]["message"]


async def test_variable_of_wrong_type_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "query ($n: Int) { centres(first: $n) { totalCount } }",
            "variables": {"n": "ten"},
        },
        headers={"accept": GRAPHQL_JSON},
    )
    assert response.status_code == 400
    assert "$n" in response.json()["errors"][0]["message"]


async def test_unknown_operation_name_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "query A { themes { totalCount } }", "operationName": "B"},
        headers={"accept": GRAPHQL_JSON},
    )
    assert response.status_code == 400
    assert "Unknown operation named 'B'" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("content", "headers", "status", "fragment"),
    [
        (b"{not json", {"content-type": "application/json"}, 400, "not valid JSON"),
        (b"[1, 2]", {"content-type": "application/json"}, 400, "JSON object"),
        (b'{"query": 3}', {"content-type": "application/json"}, 400, "`query`"),
        (
            b'{"query": "{ themes { totalCount } }", "variables": [1]}',
            {"content-type": "application/json"},
            400,
            "`variables`",
        ),
        (
            b"query={themes{totalCount}}",
            {"content-type": "application/x-www-form-urlencoded"},
            415,
            "application/json",
        ),
        (
            b'{"query": "{ themes { totalCount } }"}',
            {"content-type": "application/json", "accept": "text/csv"},
            406,
            "media type",
        ),
    ],
)
async def test_bad_requests(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str], status: int, fragment: str
) -> None:
    response = await client.post("/graphql", content=content, headers=headers)
    assert response.status_code == status
    assert fragment in response.json()["errors"][0]["message"]


async def test_page_size_above_cap_is_a_clear_error(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ centres(first: 101) { totalCount } }"}
    )
    message = response.json()["errors"][0]["message"]
    assert "101" in message and "maximum page size of 100" in message


async def test_invalid_country_filter_is_a_clear_error(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": '{ centres(filter: {country: ["ZZ"]}) { totalCount } }'}
    )
    assert "unknown country code(s) ZZ" in response.json()["errors"][0]["message"]


async def test_malformed_global_id_is_a_clear_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": '{ proposal(id: "nope") { id } }'})
    assert "not a valid Proposal ID" in response.json()["errors"][0]["message"]


async def test_node_with_unknown_id_is_null(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": '{ node(id: "bm9wZTox") { id } }'})
    assert response.json() == {"data": {"node": None}}


async def test_over_long_string_is_a_validation_error(staff_client: httpx.AsyncClient) -> None:
    owner = await centre_id(staff_client, "kloster-lindenau")
    query = 'mutation ($o: ID, $t: String!) { createProposal(input: {ownerId: $o, title: [{lang: "en", text: $t}]}) { __typename ... on ValidationError { field message } } }'
    response = await staff_client.post(
        "/graphql", json={"query": query, "variables": {"o": owner, "t": "x" * 5000}}
    )
    payload = response.json()["data"]["createProposal"]
    assert payload["__typename"] == "ValidationError" and payload["field"] == "title.text"


async def test_depth_limit(client: httpx.AsyncClient) -> None:
    deep = "{ centres { nodes { partners { nodes { centre { partners { nodes { centre { partners { nodes { centre { partners { nodes { centre { slug } } } } } } } } } } } } } } }"
    response = await client.post("/graphql", json={"query": deep}, headers={"accept": GRAPHQL_JSON})
    assert response.status_code == 400
    assert "max_query_depth" in response.json()["errors"][0]["message"]


async def test_alias_limit_counts_fragments(client: httpx.AsyncClient) -> None:
    aliases = " ".join(f"a{i}: slug" for i in range(20))
    query = f"fragment F on Centre {{ {aliases} }} {{ centres {{ nodes {{ ...F ...G }} }} }} fragment G on Centre {{ {aliases} }}"
    response = await client.post(
        "/graphql", json={"query": query}, headers={"accept": GRAPHQL_JSON}
    )
    assert response.status_code == 400
    assert "max_aliases" in response.json()["errors"][0]["message"]


async def test_graphiql_is_served_without_cdn(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200 and "GraphiQL" in response.text
    assert "https://" not in response.text
    script = await client.get("/static/graphiql/graphiql.min.js")
    assert script.status_code == 200


async def test_accept_language_picks_the_text(client: httpx.AsyncClient) -> None:
    query = "{ themes(first: 100) { nodes { slug name } } }"
    french = await client.post(
        "/graphql", json={"query": query}, headers={"accept-language": "fr-FR,fr;q=0.9"}
    )
    english = await client.post("/graphql", json={"query": query})
    fr_names = {n["slug"]: n["name"] for n in french.json()["data"]["themes"]["nodes"]}
    en_names = {n["slug"]: n["name"] for n in english.json()["data"]["themes"]["nodes"]}
    assert fr_names["music"] == "Musique" and en_names["music"] == "Music"
