"""Survey campaigns over GraphQL: the starter questionnaire, checks, opening and closing."""

from __future__ import annotations

import httpx

from tests.api.helpers import gql
from tests.conftest import Database
from tests.surveys.helpers import (
    CLOSE,
    LIST,
    OPEN,
    UPDATE,
    create,
    events,
    member_centre_ids,
    open_campaign,
)

CUSTOM = [
    {
        "key": "site",
        "title": [{"lang": "en", "text": "Site"}, {"lang": "fr", "text": "Site"}],
        "questions": [
            {
                "key": "open_all_year",
                "kind": "YES_NO",
                "label": [{"lang": "en", "text": "Open all year?"}],
            },
            {
                "key": "rooms",
                "kind": "INTEGER",
                "label": [{"lang": "en", "text": "Guest rooms"}],
                "min": 0,
                "max": 400,
                "unit": "rooms",
                "required": True,
            },
        ],
    }
]


async def test_first_campaign_gets_the_starter_questionnaire(
    staff_client: httpx.AsyncClient,
) -> None:
    created = await create(staff_client, 2025)
    assert created["__typename"] == "SurveyCampaignSuccess", created
    campaign = created["campaign"]
    assert campaign["status"] == "DRAFT" and campaign["year"] == 2025
    assert campaign["title"] == "Statistiques annuelles 2025"
    assert [s["key"] for s in campaign["sections"]] == ["activity", "resources", "cooperation"]
    by_key = {q["key"]: q for q in campaign["questions"]}
    assert {
        "visitors",
        "events",
        "artists_in_residence",
        "residencies_hosted",
        "staff_fte",
        "volunteers",
        "budget_band",
        "european_funding_share",
        "new_partnerships",
        "languages_used",
    } <= set(by_key)
    visitors = by_key["visitors"]
    assert (visitors["kind"], visitors["min"], visitors["required"]) == ("INTEGER", 0.0, True)
    assert visitors["label"] == "Visiteurs" and visitors["help"].startswith("Everyone")
    assert by_key["european_funding_share"]["unit"] == "%"
    assert by_key["budget_band"]["choices"][0] == {
        "key": "under_250k",
        "label": "Moins de 250 000 €",
    }


async def test_next_campaign_copies_last_years_questionnaire(
    staff_client: httpx.AsyncClient,
) -> None:
    first = await create(staff_client, 2024, sections=CUSTOM)
    assert first["__typename"] == "SurveyCampaignSuccess", first
    second = await create(staff_client, 2025)
    keys = [q["key"] for q in second["campaign"]["questions"]]
    assert keys == ["open_all_year", "rooms"]  # stable keys: the series line up


async def test_campaign_checks_are_per_field(staff_client: httpx.AsyncClient) -> None:
    assert (await create(staff_client, 2025))["__typename"] == "SurveyCampaignSuccess"
    again = await create(staff_client, 2025)
    assert again == {
        "__typename": "ValidationError",
        "field": "year",
        "message": "there is already a campaign for 2025",
    }
    backwards = await create(staff_client, 2026, closesOn="2026-01-01")
    assert backwards["__typename"] == "ValidationError" and backwards["field"] == "closesOn"
    twice = [dict(CUSTOM[0], questions=[CUSTOM[0]["questions"][1]] * 2)]
    dup = await create(staff_client, 2027, sections=twice)
    assert dup["field"] == "sections.0.questions"
    assert "'rooms' is used twice" in dup["message"]
    one_choice = [
        dict(
            CUSTOM[0],
            questions=[
                {
                    "key": "band",
                    "kind": "SINGLE_CHOICE",
                    "label": [{"lang": "en", "text": "Band"}],
                    "choices": [{"key": "a", "label": [{"lang": "en", "text": "A"}]}],
                }
            ],
        )
    ]
    bad = await create(staff_client, 2028, sections=one_choice)
    assert bad["field"] == "sections.0.questions.0.choices"
    bounds = [dict(CUSTOM[0], questions=[dict(CUSTOM[0]["questions"][1], min=10, max=5)])]
    assert (await create(staff_client, 2029, sections=bounds))["field"] == (
        "sections.0.questions.0.max"
    )


async def test_members_cannot_create_and_do_not_see_drafts(
    staff_client: httpx.AsyncClient, member_a: httpx.AsyncClient
) -> None:
    refused = await create(member_a, 2025)
    assert refused["__typename"] == "PermissionDenied"
    await create(staff_client, 2025)
    assert (await gql(member_a, LIST))["surveyCampaigns"]["totalCount"] == 0
    assert (await gql(staff_client, LIST))["surveyCampaigns"]["totalCount"] == 1


async def test_opening_tells_every_member_centre(
    sample_db: Database, staff_client: httpx.AsyncClient, member_a: httpx.AsyncClient
) -> None:
    ident = await open_campaign(staff_client, 2025)
    [event] = await events(sample_db, "survey.opened")
    assert event.centre_ids == await member_centre_ids(sample_db)
    assert event.payload["year"] == 2025 and event.payload["closesOn"] == "2026-03-31"
    listed = (await gql(member_a, LIST))["surveyCampaigns"]["nodes"]
    assert listed == [{"id": ident, "year": 2025, "status": "OPEN"}]
    again = (await gql(staff_client, OPEN, input={"id": ident}))["openSurveyCampaign"]
    assert again["__typename"] == "ValidationError"


async def test_questions_are_frozen_once_open_and_closing_works(
    staff_client: httpx.AsyncClient,
) -> None:
    ident = await open_campaign(staff_client, 2025)
    frozen = await gql(staff_client, UPDATE, input={"id": ident, "sections": CUSTOM})
    assert frozen["updateSurveyCampaign"]["field"] == "sections"
    moved = await gql(staff_client, UPDATE, input={"id": ident, "closesOn": "2026-04-30"})
    assert moved["updateSurveyCampaign"]["campaign"]["closesOn"] == "2026-04-30"
    stale = await gql(staff_client, UPDATE, input={"id": ident, "expectedVersion": 1})
    assert stale["updateSurveyCampaign"]["__typename"] == "Conflict"
    closed = await gql(staff_client, CLOSE, input={"id": ident})
    assert closed["closeSurveyCampaign"]["campaign"]["status"] == "CLOSED"
