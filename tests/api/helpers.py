"""Small helpers for API tests."""

from __future__ import annotations

from typing import Any

import httpx

from schema.relay import to_global_id


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def gql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await post(client, query, **variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def centre_id(client: httpx.AsyncClient, slug: str) -> str:
    data = await gql(client, "query ($s: String!) { centre(slug: $s) { id } }", s=slug)
    return str(data["centre"]["id"])


def gid(type_name: str, pk: int) -> str:
    return str(to_global_id(type_name, pk))
