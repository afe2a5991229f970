"""Matching answers over GraphQL on the sample network; the cache follows the data version."""

from __future__ import annotations

import asyncio

import httpx

from tests.api.helpers import centre_id, gql
from tests.conftest import STAFF_EMAIL, Database, Settings, app_client, issue_token

PROPOSAL_SUGGESTIONS = """
{ proposals(first: 5, filter: {status: [OPEN]}) { nodes {
    owner { slug }
    suggestedPartners(first: 5) { score reasons { factor weight text } centre { slug } }
    suggestedConsortium { countries uncovered meetsSize meetsCountries members { centre { slug } reasons { text } } }
} } }
"""
CENTRE_SUGGESTIONS = """
query ($slug: String!) { centre(slug: $slug) { suggestedPartners(first: 5) { score centre { slug } reasons { text } } } }
"""
NETWORK = """
{ network {
    clusters { modularity clusters { name size centres { slug } } }
    metrics(first: 5) { centres { degree pagerank centre { slug } } isolated { slug } }
    missingLinks(first: 3) { score a { slug } b { slug } reasons { text } }
} }
"""
TOO_MANY = '{ centre(slug: "kloster-lindenau") { suggestedPartners(first: 51) { score } } }'


async def test_proposal_suggestions_have_reasons_and_exclude_owner(
    staff_client: httpx.AsyncClient,
) -> None:
    data = await gql(staff_client, PROPOSAL_SUGGESTIONS)
    for proposal in data["proposals"]["nodes"]:
        suggestions = proposal["suggestedPartners"]
        assert suggestions, proposal
        assert all(0 <= s["score"] <= 1 and s["reasons"] for s in suggestions)
        assert proposal["owner"]["slug"] not in {s["centre"]["slug"] for s in suggestions}
        scores = [s["score"] for s in suggestions]
        assert scores == sorted(scores, reverse=True)
        total = sum(r["weight"] for r in suggestions[0]["reasons"])
        assert abs(total - suggestions[0]["score"]) < 0.01
        assert proposal["suggestedConsortium"]["members"]


async def test_centre_suggestions(staff_client: httpx.AsyncClient) -> None:
    data = await gql(staff_client, CENTRE_SUGGESTIONS, slug="kilmora-priory-arts-centre")
    slugs = [s["centre"]["slug"] for s in data["centre"]["suggestedPartners"]]
    assert len(slugs) == 5 and "kilmora-priory-arts-centre" not in slugs


async def test_network_clusters_metrics_missing_links(staff_client: httpx.AsyncClient) -> None:
    data = await gql(staff_client, NETWORK)
    network = data["network"]
    assert network["clusters"]["modularity"] > 0.1
    assert len(network["clusters"]["clusters"]) >= 3
    isolated = {c["slug"] for c in network["metrics"]["isolated"]}
    assert isolated == {
        "fort-de-la-pointe-grise",
        "kilmora-priory-arts-centre",
        "hyangseon-hanok-manor",
    }
    assert len(network["missingLinks"]) == 3


async def test_first_above_50_is_refused(staff_client: httpx.AsyncClient) -> None:
    response = await staff_client.post("/graphql", json={"query": TOO_MANY})
    assert "between 1 and 50" in response.json()["errors"][0]["message"]


async def test_index_is_rebuilt_after_a_change(staff_client: httpx.AsyncClient) -> None:
    service = staff_client.app.state.matching  # type: ignore[attr-defined]
    await gql(staff_client, CENTRE_SUGGESTIONS, slug="kloster-lindenau")
    await gql(staff_client, CENTRE_SUGGESTIONS, slug="castello-di-valmora")
    assert service.builds == 1  # warm: same data version, same index
    ident = await centre_id(staff_client, "kloster-lindenau")
    await gql(
        staff_client,
        "mutation ($i: UpdateCentreProfileInput!) { updateCentreProfile(input: $i) { __typename } }",
        i={"centreId": ident, "themes": ["music"]},
    )
    await gql(staff_client, CENTRE_SUGGESTIONS, slug="kloster-lindenau")
    assert service.builds == 2


async def test_warm_up_builds_the_index_and_analytics_in_the_background(
    sample_db: Database, settings: Settings
) -> None:
    warm = settings.model_copy(update={"matching_warm_up": True})
    async with app_client(warm, await issue_token(sample_db, STAFF_EMAIL)) as staff:
        service = staff.app.state.matching  # type: ignore[attr-defined]
        await asyncio.gather(*service._background)  # the start-up warm-up
        built = service._built
        assert service.builds == 1
        assert {key[0] for key in built.analytics} == {"clusters", "metrics", "missing_links"}
        # a staff request now finds everything ready: no new build, no new computation
        await gql(staff, NETWORK)
        assert service.builds == 1 and len(built.analytics) == 3
