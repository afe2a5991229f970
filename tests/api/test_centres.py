"""Centres over GraphQL on the sample network."""

from __future__ import annotations

import httpx

CENTRES_TOTAL = "{ centres { totalCount edges { node { slug } } } }"

CENTRES_IN_COUNTRY = """
query ($country: [String!]) {
  centres(filter: {country: $country}, first: 100) {
    totalCount
    nodes { slug country { code name } }
  }
}
"""

CENTRE_BY_SLUG = """
query ($slug: String!) {
  centre(slug: $slug) {
    slug name labelStatus description(lang: "fr") descriptionTranslations { lang text }
    themes { slug } offers { level competency { slug } } seeks { competency { slug } }
    partners(first: 3) { totalCount nodes { jointProjects lastYear centre { slug } } }
    partnerships(first: 2) { totalCount }
    proposals { totalCount nodes { title } }
  }
}
"""


async def gql(client: httpx.AsyncClient, query: str, **variables: object) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


async def test_sample_network_has_44_centres_in_20_countries(client: httpx.AsyncClient) -> None:
    data = await gql(client, "{ centres(first: 100) { totalCount nodes { country { code } } } }")
    assert data["centres"]["totalCount"] == 44
    assert len({n["country"]["code"] for n in data["centres"]["nodes"]}) == 20


async def test_default_page_size_is_20(client: httpx.AsyncClient) -> None:
    data = await gql(client, CENTRES_TOTAL)
    assert len(data["centres"]["edges"]) == 20


async def test_filter_by_country(client: httpx.AsyncClient) -> None:
    data = await gql(client, CENTRES_IN_COUNTRY, country=["it"])
    codes = {n["country"]["code"] for n in data["centres"]["nodes"]}
    assert codes == {"IT"} and data["centres"]["totalCount"] == 4


async def test_centre_by_slug_with_relations(client: httpx.AsyncClient) -> None:
    data = await gql(client, CENTRE_BY_SLUG, slug="abbaye-de-saint-aurel")
    centre = data["centre"]
    assert centre["slug"] == "abbaye-de-saint-aurel"
    assert centre["partners"]["totalCount"] > 10  # a hub of the sample network
    assert centre["offers"] and all(1 <= o["level"] <= 3 for o in centre["offers"])
    assert {t["lang"] for t in centre["descriptionTranslations"]} == {"en", "fr"}


async def test_unknown_slug_is_null(client: httpx.AsyncClient) -> None:
    data = await gql(client, CENTRE_BY_SLUG, slug="no-such-centre")
    assert data["centre"] is None
