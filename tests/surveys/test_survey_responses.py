"""Survey responses: drafts, per-field checks, submitting, reopening, who sees what."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accr_graph.db import models as m
from tests.api.helpers import gid, gql
from tests.conftest import Database
from tests.surveys.helpers import (
    CLOSE,
    COMPLETE,
    READ,
    REMIND,
    REOPEN,
    SAVE,
    SUBMIT,
    centre_pk,
    events,
    member_centre_ids,
    open_campaign,
)


def _answers(response: dict) -> dict:
    return {a["key"]: a["value"] for a in response["answers"] if a["value"] is not None}


async def test_draft_checks_each_answer_with_a_clear_message(
    staff_client: httpx.AsyncClient, member_a: httpx.AsyncClient
) -> None:
    campaign = await open_campaign(staff_client)
    cases = [
        ({"key": "visitors", "number": -5}, "answers.visitors", "must be at least 0 (got -5)"),
        ({"key": "events", "number": 12.5}, "answers.events", "must be a whole number (got 12.5)"),
        (
            {"key": "european_funding_share", "number": 140},
            "answers.european_funding_share",
            "must be at most 100 (got 140)",
        ),
        ({"key": "budget_band", "text": "huge"}, "answers.budget_band", "'huge' is not one of"),
        ({"key": "colour", "text": "blue"}, "answers.colour", "is not a question"),
        ({"key": "visitors", "number": 1, "text": "x"}, "answers.visitors", "set only one"),
    ]
    for answer, field, message in cases:
        data = await gql(member_a, SAVE, input={"campaignId": campaign, "answers": [answer]})
        result = data["saveSurveyResponse"]
        assert result["__typename"] == "ValidationError", (answer, result)
        assert result["field"] == field and message in result["message"], result
    saved = await gql(
        member_a,
        SAVE,
        input={"campaignId": campaign, "answers": [{"key": "visitors", "number": 1200}]},
    )
    response = saved["saveSurveyResponse"]["response"]
    assert response["status"] == "DRAFT" and response["centre"]["slug"] == "abbaye-de-saint-aurel"
    assert _answers(response) == {
        "visitors": {"number": 1200.0, "text": None, "choices": None, "flag": None}
    }


async def test_all_problems_are_reported_at_once(
    staff_client: httpx.AsyncClient, member_a: httpx.AsyncClient
) -> None:
    campaign = await open_campaign(staff_client)
    data = await gql(member_a, SUBMIT, input={"campaignId": campaign, "answers": []})
    result = data["submitSurveyResponse"]
    assert result["field"] == "answers.visitors"
    assert result["message"].startswith("is required before submitting; also answers.events")
    assert "answers.staff_fte is required" in result["message"]
    assert "answers.budget_band is required" in result["message"]


async def test_submit_then_reopen_by_staff(
    sample_db: Database, staff_client: httpx.AsyncClient, member_a: httpx.AsyncClient
) -> None:
    campaign = await open_campaign(staff_client)
    languages = {"key": "languages_used", "choices": ["en", "fr", "en"]}
    data = await gql(
        member_a, SUBMIT, input={"campaignId": campaign, "answers": [*COMPLETE, languages]}
    )
    response = data["submitSurveyResponse"]["response"]
    assert response["status"] == "SUBMITTED" and response["submittedAt"]
    assert _answers(response)["languages_used"]["choices"] == ["fr", "en"]  # questionnaire order
    assert _answers(response)["budget_band"]["text"] == "250k_1m"
    later = await gql(member_a, SAVE, input={"campaignId": campaign, "answers": []})
    assert later["saveSurveyResponse"]["message"].startswith("the response is submitted")
    [submitted] = await events(sample_db, "survey.submitted")
    assert submitted.centre_ids == [await centre_pk(sample_db, "abbaye-de-saint-aurel")]

    refused = await gql(member_a, REOPEN, input={"id": response["id"]})
    assert refused["reopenSurveyResponse"]["__typename"] == "PermissionDenied"
    reopened = await gql(staff_client, REOPEN, input={"id": response["id"]})
    assert reopened["reopenSurveyResponse"]["response"]["status"] == "DRAFT"
    [event] = await events(sample_db, "survey.reopened")
    assert event.centre_ids == submitted.centre_ids
    edited = await gql(
        member_a,
        SAVE,
        input={"campaignId": campaign, "answers": [{"key": "visitors", "number": None}]},
    )
    assert "visitors" not in _answers(edited["saveSurveyResponse"]["response"])  # null clears


async def test_answers_are_seen_by_the_centre_and_staff_only(
    staff_client: httpx.AsyncClient, member_a: httpx.AsyncClient, member_b: httpx.AsyncClient
) -> None:
    campaign = await open_campaign(staff_client)
    await gql(member_a, SUBMIT, input={"campaignId": campaign, "answers": COMPLETE})
    staff = (await gql(staff_client, READ, id=campaign, status="SUBMITTED"))["surveyCampaign"]
    assert staff["responses"]["nodes"] == [
        {"centre": {"slug": "abbaye-de-saint-aurel"}, "status": "SUBMITTED"}
    ]
    own = (await gql(member_a, READ, id=campaign))["surveyCampaign"]
    assert own["response"]["status"] == "SUBMITTED" and own["responses"]["totalCount"] == 1
    other = (await gql(member_b, READ, id=campaign))["surveyCampaign"]
    assert other["responses"]["totalCount"] == 0 and other["response"] is None
    # Acting for another centre is refused, and nothing leaks through node().
    aurel = gid("Centre", await _pk(staff_client, "abbaye-de-saint-aurel"))
    steal = await gql(
        member_b, SAVE, input={"campaignId": campaign, "centreId": aurel, "answers": []}
    )
    assert steal["saveSurveyResponse"]["__typename"] == "PermissionDenied"
    node = await gql(
        member_b, "query ($id: ID!) { node(id: $id) { id } }", id=own["response"]["id"]
    )
    assert node["node"] is None


async def _pk(client: httpx.AsyncClient, slug: str) -> int:
    from schema.relay import from_global_id

    data = await gql(client, "query ($s: String!) { centre(slug: $s) { id } }", s=slug)
    decoded = from_global_id(data["centre"]["id"])
    assert decoded is not None
    return decoded[1]


async def test_completion_and_reminders(
    sample_db: Database,
    staff_client: httpx.AsyncClient,
    member_a: httpx.AsyncClient,
    member_b: httpx.AsyncClient,
) -> None:
    campaign = await open_campaign(staff_client)
    await gql(member_a, SUBMIT, input={"campaignId": campaign, "answers": COMPLETE})
    await gql(member_b, SAVE, input={"campaignId": campaign, "answers": COMPLETE[:1]})
    expected = await member_centre_ids(sample_db)
    staff = (await gql(staff_client, READ, id=campaign))["surveyCampaign"]["completion"]
    assert (staff["expected"], staff["submitted"], staff["drafts"]) == (len(expected), 1, 1)
    assert staff["rate"] == pytest.approx(1 / len(expected))
    missing = [c["slug"] for c in staff["missing"]]
    assert len(missing) == len(expected) - 1 and "abbaye-de-saint-aurel" not in missing
    member = (await gql(member_b, READ, id=campaign))["surveyCampaign"]["completion"]
    assert member["missing"] == [] and member["submitted"] == 1

    reminded = (await gql(staff_client, REMIND, input={"id": campaign}))["remindSurveyCampaign"]
    assert reminded["reminded"] == len(expected) - 1
    [event] = await events(sample_db, "survey.reminder")
    aurel = await centre_pk(sample_db, "abbaye-de-saint-aurel")
    assert event.centre_ids == [c for c in expected if c != aurel]
    assert (await gql(member_a, REMIND, input={"id": campaign}))["remindSurveyCampaign"][
        "__typename"
    ] == "PermissionDenied"


async def test_last_years_value_is_beside_each_field(
    staff_client: httpx.AsyncClient, member_a: httpx.AsyncClient
) -> None:
    before = await open_campaign(staff_client, 2024)
    await gql(member_a, SUBMIT, input={"campaignId": before, "answers": COMPLETE})
    await gql(staff_client, CLOSE, input={"id": before})
    now = await open_campaign(staff_client, 2025)
    saved = await gql(
        member_a, SAVE, input={"campaignId": now, "answers": [{"key": "visitors", "number": 9}]}
    )
    answers = {a["key"]: a for a in saved["saveSurveyResponse"]["response"]["answers"]}
    assert answers["visitors"]["value"]["number"] == 9
    assert answers["visitors"]["lastYear"]["number"] == 12500
    assert (
        answers["staff_fte"]["value"] is None and answers["staff_fte"]["lastYear"]["number"] == 6.5
    )
    closed = await gql(member_a, SAVE, input={"campaignId": before, "answers": []})
    assert closed["saveSurveyResponse"]["message"].startswith("the campaign is closed")


async def test_one_response_per_centre_and_campaign_is_a_database_rule(
    sample_db: Database, staff_client: httpx.AsyncClient, member_a: httpx.AsyncClient
) -> None:
    campaign = await open_campaign(staff_client)
    # Two first saves at once: whichever loses the race gets a typed error, never a second row.
    results = await asyncio.gather(
        *(
            gql(
                member_a,
                SAVE,
                input={"campaignId": campaign, "answers": [{"key": "events", "number": n}]},
            )
            for n in (1, 2, 3)
        )
    )
    kinds = {r["saveSurveyResponse"]["__typename"] for r in results}
    assert kinds <= {"SurveyResponseSuccess", "ValidationError", "Conflict"}
    async with sample_db.sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(m.SurveyResponse))
        row = await session.scalar(select(m.SurveyResponse))
    assert count == 1 and row is not None
    with pytest.raises(IntegrityError):
        async with sample_db.sessionmaker.begin() as session:
            session.add(
                m.SurveyResponse(campaign_id=row.campaign_id, centre_id=row.centre_id, answers={})
            )
