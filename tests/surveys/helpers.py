"""Survey test helpers: operations as constants, campaigns made through the API."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from accr_graph.db import models as m
from tests.api.helpers import gql
from tests.conftest import Database

MEMBER_A = "marie.dubois@abbaye-de-saint-aurel.example.org"  # abbaye-de-saint-aurel
MEMBER_B = "giulia.bassi@castello-di-valmora.example.org"  # castello-di-valmora

ERRORS = """
  ... on ValidationError { field message }
  ... on NotFound { message }
  ... on Conflict { message currentVersion }
  ... on PermissionDenied { message }
"""
CAMPAIGN_FIELDS = """
  id year status version opensOn closesOn title(lang: "fr")
  sections { key title(lang: "en") questions { key } }
  questions { key kind unit min max required section label(lang: "fr") help(lang: "en")
              choices { key label(lang: "fr") } }
"""
CAMPAIGN_PAYLOAD = (
    "__typename ... on SurveyCampaignSuccess { campaign {" + CAMPAIGN_FIELDS + "} }" + ERRORS
)
CREATE = (
    "mutation ($input: CreateSurveyCampaignInput!) { createSurveyCampaign(input: $input) {"
    + CAMPAIGN_PAYLOAD
    + "} }"
)
UPDATE = (
    "mutation ($input: UpdateSurveyCampaignInput!) { updateSurveyCampaign(input: $input) {"
    + CAMPAIGN_PAYLOAD
    + "} }"
)
OPEN = (
    "mutation ($input: SurveyCampaignIdInput!) { openSurveyCampaign(input: $input) {"
    + CAMPAIGN_PAYLOAD
    + "} }"
)
CLOSE = (
    "mutation ($input: SurveyCampaignIdInput!) { closeSurveyCampaign(input: $input) {"
    + CAMPAIGN_PAYLOAD
    + "} }"
)
REMIND = (
    """mutation ($input: SurveyCampaignIdInput!) { remindSurveyCampaign(input: $input) {
  __typename ... on SurveyReminderSuccess { reminded campaign { id } }"""
    + ERRORS
    + "} }"
)
RESPONSE_FIELDS = """
  id status version submittedAt centre { slug }
  answers { key value { number text choices flag } lastYear { number text choices flag } }
"""
RESPONSE_PAYLOAD = (
    "__typename ... on SurveyResponseSuccess { response {" + RESPONSE_FIELDS + "} }" + ERRORS
)
SAVE = (
    "mutation ($input: SurveyResponseInput!) { saveSurveyResponse(input: $input) {"
    + RESPONSE_PAYLOAD
    + "} }"
)
SUBMIT = (
    "mutation ($input: SurveyResponseInput!) { submitSurveyResponse(input: $input) {"
    + RESPONSE_PAYLOAD
    + "} }"
)
REOPEN = (
    "mutation ($input: SurveyResponseIdInput!) { reopenSurveyResponse(input: $input) {"
    + RESPONSE_PAYLOAD
    + "} }"
)
READ = """query ($id: ID!, $status: SurveyResponseStatus) { surveyCampaign(id: $id) {
  id year status
  responses(status: $status) { totalCount nodes { centre { slug } status } }
  completion { expected submitted drafts rate missing { slug } }
  response { id status answers { key value { number text choices flag } lastYear { number } } }
} }"""
LIST = "{ surveyCampaigns { totalCount nodes { id year status } } }"

COMPLETE = [
    {"key": "visitors", "number": 12500},
    {"key": "events", "number": 48},
    {"key": "staff_fte", "number": 6.5},
    {"key": "budget_band", "text": "250k_1m"},
]


async def create(client: httpx.AsyncClient, year: int = 2025, **extra: Any) -> dict[str, Any]:
    data = await gql(
        client,
        CREATE,
        input={"year": year, "opensOn": f"{year + 1}-01-15", "closesOn": f"{year + 1}-03-31"}
        | extra,
    )
    result: dict[str, Any] = data["createSurveyCampaign"]
    return result


async def open_campaign(client: httpx.AsyncClient, year: int = 2025, **extra: Any) -> str:
    created = await create(client, year, **extra)
    assert created["__typename"] == "SurveyCampaignSuccess", created
    ident = str(created["campaign"]["id"])
    opened = await gql(client, OPEN, input={"id": ident})
    assert opened["openSurveyCampaign"]["__typename"] == "SurveyCampaignSuccess", opened
    return ident


async def events(db: Database, kind: str) -> list[m.OutboxEvent]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(m.OutboxEvent).where(m.OutboxEvent.kind == kind).order_by(m.OutboxEvent.id)
        )
        return list(rows)


async def member_centre_ids(db: Database) -> list[int]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(m.Centre.id).where(m.Centre.label_status != m.LabelStatus.PARTNER)
        )
        return sorted(rows)


async def centre_pk(db: Database, slug: str) -> int:
    async with db.sessionmaker() as session:
        found = await session.scalar(select(m.Centre.id).where(m.Centre.slug == slug))
    assert found is not None
    return int(found)
