"""Matching answers over GraphQL on the sample network; the cache follows the data version."""

from __future__ import annotations

import asyncio

import httpx
import pytest

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


MEMBER = "lea.schneider@kloster-lindenau.example.org"  # a member of kloster-lindenau
REASONS = """
query ($slug: String!, $past: Boolean!) { centre(slug: $slug) {
    suggestedPartners(first: 10, includePastPartners: $past) {
        score centre { slug }
        reasons { factor weight about total count value have needed text
                  fr: text(lang: "fr") items { kind key name level count year } }
    }
    partners(first: 100) { nodes { centre { slug } } }
} }
"""
MATCHES = """
query ($slug: String!) { centre(slug: $slug) { proposalMatches(first: 5) {
    score proposal { status owner { slug } } reasons { factor weight about text }
} } }
"""


async def test_reasons_are_structured_and_written_in_the_reader_language(
    staff_client: httpx.AsyncClient,
) -> None:
    response = await staff_client.post(
        "/graphql",
        json={"query": REASONS, "variables": {"slug": "kloster-lindenau", "past": True}},
        headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    )
    suggestions = response.json()["data"]["centre"]["suggestedPartners"]
    reasons = [r for s in suggestions for r in s["reasons"]]
    assert reasons
    for s in suggestions:
        weights = [r["weight"] for r in s["reasons"] if r["factor"] != "exposure"]
        assert weights == sorted(weights, reverse=True)  # by contribution
        assert abs(sum(r["weight"] for r in s["reasons"]) - s["score"]) < 0.01
    # Accept-Language: fr gives French; lang: "fr" too; no English verb leaks in.
    assert all(r["text"] == r["fr"] for r in reasons)
    assert not any(r["text"].startswith(("offers ", "works on ", "shares ")) for r in reasons)
    themes = [r for r in reasons if r["factor"] == "theme_affinity"]
    assert themes and all(r["text"].startswith("travaille sur") for r in themes)
    assert all(i["kind"] == "theme" and i["key"] for r in themes for i in r["items"])


async def test_english_by_default_and_lang_argument_wins(staff_client: httpx.AsyncClient) -> None:
    data = await gql(staff_client, REASONS, slug="kloster-lindenau", past=True)
    reasons = [r for s in data["centre"]["suggestedPartners"] for r in s["reasons"]]
    themes = [r for r in reasons if r["factor"] == "theme_affinity"]
    assert themes and all(r["text"].startswith("works on") for r in themes)
    assert all(r["fr"].startswith("travaille sur") for r in themes)


async def test_centre_suggestions_are_new_partners_unless_asked(
    staff_client: httpx.AsyncClient,
) -> None:
    new = await gql(staff_client, REASONS, slug="kloster-lindenau", past=False)
    every = await gql(staff_client, REASONS, slug="kloster-lindenau", past=True)
    partners = {p["centre"]["slug"] for p in new["centre"]["partners"]["nodes"]}
    assert partners
    assert not partners & {s["centre"]["slug"] for s in new["centre"]["suggestedPartners"]}
    assert partners & {s["centre"]["slug"] for s in every["centre"]["suggestedPartners"]}


async def test_proposal_matches_for_members_and_staff_only(
    sample_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    data = await gql(staff_client, MATCHES, slug="kloster-lindenau")
    matches = data["centre"]["proposalMatches"]
    assert matches
    assert all(m["proposal"]["status"] == "OPEN" for m in matches)
    assert all(m["proposal"]["owner"]["slug"] != "kloster-lindenau" for m in matches)
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert all(r["about"] == "match" for m in matches for r in m["reasons"])
    async with app_client(settings, await issue_token(sample_db, MEMBER)) as member:
        own = await gql(member, MATCHES, slug="kloster-lindenau")
        assert own["centre"]["proposalMatches"] == matches
        other = await member.post(
            "/graphql", json={"query": MATCHES, "variables": {"slug": "castello-di-valmora"}}
        )
        errors = other.json()["errors"]
        assert errors[0]["extensions"]["code"] == "PERMISSION_DENIED"


MODEL = """
{ network { matchingModel {
    fittedAt networkVersion trainingCases validationCases validationRecallAt10 priorRecallAt10
    factors { name weight }
} } }
"""


async def test_fitted_model_is_stored_read_by_staff_and_used_by_the_engine(
    sample_db: Database, staff_client: httpx.AsyncClient
) -> None:
    from accr_graph.services.matching import fit_matching_model, needs_refit
    from accr_graph.services.uow import Actor

    assert (await gql(staff_client, MODEL))["network"]["matchingModel"] is None
    service = staff_client.app.state.matching  # type: ignore[attr-defined]
    await gql(staff_client, CENTRE_SUGGESTIONS, slug="kloster-lindenau")
    before = service._built.version

    row = await fit_matching_model(sample_db.sessionmaker, Actor.system())

    assert row is not None and not needs_refit(row, before + 1)
    model = (await gql(staff_client, MODEL))["network"]["matchingModel"]
    assert model["networkVersion"] == before
    weights = {f["name"]: f["weight"] for f in model["factors"]}
    assert abs(sum(weights.values()) - 1.0) < 0.01
    assert [f["weight"] for f in model["factors"]] == sorted(weights.values(), reverse=True)
    # Storing the model moved the network version: the engine rebuilt with the new weights.
    await gql(staff_client, CENTRE_SUGGESTIONS, slug="kloster-lindenau")
    assert service._built.version == before + 1
    used = service._built.index.weights
    assert all(abs(used.factor_weight(f) - w) < 1e-3 for f, w in weights.items())
    # A second fit "only if stale" does nothing: the network has not changed enough.
    again = await fit_matching_model(sample_db.sessionmaker, Actor.system(), only_if_stale=True)
    assert again is None


async def test_the_service_refits_in_the_background_when_there_is_no_model(
    sample_db: Database, settings: Settings
) -> None:
    refitting = settings.model_copy(update={"matching_refit": True})
    async with app_client(refitting, await issue_token(sample_db, STAFF_EMAIL)) as staff:
        service = staff.app.state.matching  # type: ignore[attr-defined]
        await gql(staff, CENTRE_SUGGESTIONS, slug="kloster-lindenau")
        await asyncio.gather(*service._background)
        assert service.refits == 1
        model = (await gql(staff, MODEL))["network"]["matchingModel"]
        assert model is not None and model["factors"]
        # The next request sees the moved network version, builds once more and stops there.
        await gql(staff, CENTRE_SUGGESTIONS, slug="kloster-lindenau")
        await asyncio.gather(*service._background)
        assert service.refits == 1 and service.builds == 2


async def test_proposal_matches_service_without_an_engine_for_jobs(sample_db: Database) -> None:
    from sqlalchemy import select

    from accr_graph.db.models import Centre
    from accr_graph.services.errors import ServiceFailure
    from accr_graph.services.matching import proposal_matches
    from accr_graph.viewer import Viewer

    async with sample_db.sessionmaker() as session:
        centre = await session.scalar(select(Centre).where(Centre.slug == "kloster-lindenau"))
    assert centre is not None
    member = Viewer(user_id=1, centre_id=centre.id)

    found = await proposal_matches(sample_db.sessionmaker, member, centre.id, 3)

    assert 1 <= len(found) <= 3
    assert all(sum(r.weight for r in m.reasons) == pytest.approx(m.score, abs=1e-5) for m in found)
    stranger = Viewer(user_id=2, centre_id=centre.id + 1)
    with pytest.raises(ServiceFailure):
        await proposal_matches(sample_db.sessionmaker, stranger, centre.id, 3)
    with pytest.raises(ServiceFailure):
        await proposal_matches(sample_db.sessionmaker, member, centre.id, 51)
