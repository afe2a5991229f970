"""Centre profile, competencies and partnership mutations."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from accr_graph.db import models as m
from tests.api.helpers import centre_id, gid, gql
from tests.conftest import Database

CENTRE_PAYLOAD = """
  __typename
  ... on CentreSuccess { centre { slug name city country { code } languages description(lang: "en")
                                  themes { slug } offers { level note competency { slug } }
                                  seeks { level competency { slug } } } }
  ... on ValidationError { field message }
  ... on NotFound { message }
"""
UPDATE_PROFILE = (
    "mutation ($input: UpdateCentreProfileInput!) { updateCentreProfile(input: $input) {"
    + CENTRE_PAYLOAD
    + "} }"
)
SET_COMPETENCIES = (
    "mutation ($input: SetCentreCompetenciesInput!) { setCentreCompetencies(input: $input) {"
    + CENTRE_PAYLOAD
    + "} }"
)
RECORD = """
mutation ($input: RecordPartnershipInput!) {
  recordPartnership(input: $input) {
    __typename
    ... on PartnershipSuccess { partnership { title startYear lead { slug } members { role centre { slug } } themes { slug } } }
    ... on ValidationError { field message }
    ... on NotFound { message id }
  }
}
"""


async def test_update_profile(staff_client: httpx.AsyncClient) -> None:
    ident = await centre_id(staff_client, "kloster-lindenau")
    data = await gql(
        staff_client,
        UPDATE_PROFILE,
        input={
            "centreId": ident,
            "city": "Leipzig",
            "languages": ["DE", "en"],
            "description": [{"lang": "en", "text": "Renewed."}],
            "themes": ["music", "education"],
        },
    )
    centre = data["updateCentreProfile"]["centre"]
    assert centre["city"] == "Leipzig" and centre["languages"] == ["de", "en"]
    assert centre["description"] == "Renewed."
    assert [t["slug"] for t in centre["themes"]] == ["education", "music"]


async def test_update_profile_rejects_bad_codes(
    staff_client: httpx.AsyncClient, sample_db: Database
) -> None:
    ident = await centre_id(staff_client, "kloster-lindenau")
    for fields, field in (
        ({"country": "XX"}, "country"),
        ({"languages": ["english"]}, "languages"),
        ({"latitude": 123.0}, "latitude"),
        ({"name": "  "}, "name"),
    ):
        data = await gql(staff_client, UPDATE_PROFILE, input={"centreId": ident, **fields})
        assert data["updateCentreProfile"]["__typename"] == "ValidationError", data
        assert data["updateCentreProfile"]["field"] == field
    async with sample_db.sessionmaker() as session:
        centre = await session.scalar(select(m.Centre).where(m.Centre.slug == "kloster-lindenau"))
        assert centre is not None and centre.country == "DE"


async def test_update_profile_unknown_centre(staff_client: httpx.AsyncClient) -> None:
    data = await gql(
        staff_client, UPDATE_PROFILE, input={"centreId": gid("Centre", 987_654), "city": "x"}
    )
    assert data["updateCentreProfile"]["__typename"] == "NotFound"


async def test_set_competencies_replaces_lists(staff_client: httpx.AsyncClient) -> None:
    ident = await centre_id(staff_client, "kloster-lindenau")
    data = await gql(
        staff_client,
        SET_COMPETENCIES,
        input={
            "centreId": ident,
            "offers": [{"competency": "music-programming", "level": 3, "note": "baroque"}],
            "seeks": [{"competency": "publishing", "level": 1}],
        },
    )
    centre = data["setCentreCompetencies"]["centre"]
    assert centre["offers"] == [
        {"level": 3, "note": "baroque", "competency": {"slug": "music-programming"}}
    ]
    assert centre["seeks"] == [{"level": 1, "competency": {"slug": "publishing"}}]


async def test_set_competencies_errors(staff_client: httpx.AsyncClient) -> None:
    ident = await centre_id(staff_client, "kloster-lindenau")
    same = {"competency": "publishing", "level": 1}
    data = await gql(
        staff_client, SET_COMPETENCIES, input={"centreId": ident, "offers": [same], "seeks": [same]}
    )
    assert data["setCentreCompetencies"]["field"] == "seeks"
    data = await gql(
        staff_client,
        SET_COMPETENCIES,
        input={"centreId": ident, "offers": [{"competency": "nope", "level": 1}], "seeks": []},
    )
    assert data["setCentreCompetencies"]["field"] == "offers"


async def test_record_partnership(staff_client: httpx.AsyncClient, sample_db: Database) -> None:
    lead = await centre_id(staff_client, "kloster-lindenau")
    other = await centre_id(staff_client, "castello-di-valmora")
    data = await gql(
        staff_client,
        RECORD,
        input={
            "title": "Night of salines",
            "programme": "Creative Europe",
            "startYear": 2026,
            "leadId": lead,
            "members": [{"centreId": other}],
            "themes": ["music"],
        },
    )
    partnership = data["recordPartnership"]["partnership"]
    assert partnership["lead"]["slug"] == "kloster-lindenau"
    roles = {(x["centre"]["slug"], x["role"]) for x in partnership["members"]}
    assert roles == {("kloster-lindenau", "LEAD"), ("castello-di-valmora", "PARTNER")}


async def test_record_partnership_errors_write_nothing(
    staff_client: httpx.AsyncClient, sample_db: Database
) -> None:
    async with sample_db.sessionmaker() as session:
        before = await session.scalar(select(func.count()).select_from(m.Partnership))
    lead = await centre_id(staff_client, "kloster-lindenau")
    base = {"title": "x", "startYear": 2026, "leadId": lead, "members": []}
    alone = await gql(staff_client, RECORD, input=base)
    assert alone["recordPartnership"]["field"] == "members"
    years = await gql(
        staff_client,
        RECORD,
        input={**base, "endYear": 2020, "members": [{"centreId": gid("Centre", 1)}]},
    )
    assert years["recordPartnership"]["field"] == "endYear"
    ghost = await gql(
        staff_client, RECORD, input={**base, "members": [{"centreId": gid("Centre", 999_999)}]}
    )
    assert ghost["recordPartnership"]["__typename"] == "NotFound"
    async with sample_db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(m.Partnership)) == before
