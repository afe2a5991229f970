"""The observatory over GraphQL and as staff downloads (CSV, XLSX neutralised)."""

from __future__ import annotations

import csv
import io
from datetime import date

import httpx
from openpyxl import load_workbook
from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.services import survey_questions as sq
from tests.api.helpers import gql, post
from tests.conftest import Database, app_client, issue_token
from tests.surveys.helpers import MEMBER_A, centre_pk

INDICATORS = """query ($keys: [String!], $from: Int, $to: Int, $by: IndicatorGrouping!) {
  observatory { indicators(keys: $keys, yearFrom: $from, yearTo: $to, groupBy: $by) {
    key year group value n withheld note(lang: "fr") label(lang: "fr") } } }"""
EVIL = '=HYPERLINK("http://evil.example","click")'


async def _survey(db: Database, year: int = 2024) -> dict[int, int]:
    """Three sample centres answer a one-question campaign whose label is a formula."""
    question = sq.Question("visitors", sq.QuestionKind.INTEGER, {"en": EVIL, "fr": EVIL})
    async with db.sessionmaker.begin() as session:
        centres = list(await session.scalars(select(m.Centre.id).order_by(m.Centre.id).limit(3)))
        campaign = m.SurveyCampaign(
            year=year,
            title={},
            opens_on=date(year + 1, 1, 1),
            closes_on=date(year + 1, 2, 1),
            status=m.SurveyStatus.CLOSED,
            sections=sq.sections_to_json([sq.Section("s", {"en": "S"}, (question,))]),
        )
        session.add(campaign)
        await session.flush()
        given = dict(zip(centres, (10, 20, 60), strict=True))
        for cid, visitors in given.items():
            session.add(
                m.SurveyResponse(
                    campaign_id=campaign.id,
                    centre_id=cid,
                    status=m.ResponseStatus.SUBMITTED,
                    answers={"visitors": visitors},
                )
            )
    return given


async def test_indicators_over_graphql(sample_db: Database, client: httpx.AsyncClient) -> None:
    await _survey(sample_db)
    data = await gql(
        client,
        INDICATORS,
        keys=["survey.visitors.sum", "network.density"],
        **{"from": 2023, "to": 2024, "by": "NONE"},
    )
    rows = {(r["key"], r["year"]): r for r in data["observatory"]["indicators"]}
    assert rows[("survey.visitors.sum", 2024)]["value"] == 90
    assert rows[("survey.visitors.sum", 2024)]["n"] == 3
    assert rows[("network.density", 2024)]["label"] == "Densité du réseau"
    assert 0 < rows[("network.density", 2024)]["value"] < 1
    by_country = await gql(
        client,
        INDICATORS,
        keys=["survey.visitors.sum"],
        **{"from": 2024, "to": 2024, "by": "COUNTRY"},
    )
    withheld = [r for r in by_country["observatory"]["indicators"] if r["withheld"]]
    assert withheld and all(r["value"] is None for r in withheld)
    assert withheld[0]["note"] == "pas assez de réponses"
    bad = await post(client, INDICATORS, **{"from": 2025, "to": 2020, "by": "NONE"})
    assert bad["errors"][0]["message"].startswith("`yearFrom` must not be after yearTo")


async def test_key_figures_are_public_aggregates(
    sample_db: Database, client: httpx.AsyncClient
) -> None:
    await _survey(sample_db)
    data = await gql(client, "{ observatory { keyFigures(year: 2024) { key value n } } }")
    figures = {f["key"]: f for f in data["observatory"]["keyFigures"]}
    assert figures["survey.visitors.sum"] == {"key": "survey.visitors.sum", "value": 90.0, "n": 3}
    assert "network.active_centres" in figures


async def test_member_benchmark_and_refusal(
    sample_db: Database, settings: object, staff_client: httpx.AsyncClient
) -> None:
    given = await _survey(sample_db)
    own = given.get(await centre_pk(sample_db, "abbaye-de-saint-aurel"))
    token = await issue_token(sample_db, MEMBER_A, ("read",))
    async with app_client(settings, token) as member:  # type: ignore[arg-type]
        mine = await gql(
            member,
            "{ observatory { benchmark(yearFrom: 2024, yearTo: 2024) { key own median n } } }",
        )
        assert mine["observatory"]["benchmark"] == [
            {"key": "visitors", "own": own, "median": 20.0, "n": 3}
        ]
        other = await gql(staff_client, "{ centres(first: 1) { nodes { id slug } } }")
        centre = other["centres"]["nodes"][0]["id"]
        refused = await post(
            member, "query ($c: ID) { observatory { benchmark(centreId: $c) { key } } }", c=centre
        )
    assert "Only the centre itself" in refused["errors"][0]["message"]


async def test_staff_export_csv_and_xlsx_neutralise_formulas(
    sample_db: Database, staff_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    await _survey(sample_db)
    query = "?yearFrom=2024&yearTo=2024&keys=survey.visitors.sum,network.new_links&lang=en"
    got = await staff_client.get("/export/observatory.csv" + query)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    survey = next(r for r in rows if r["key"] == "survey.visitors.sum")
    assert survey["value"] == "90.0" and survey["centres"] == "3"
    assert survey["indicator"].startswith("'=HYPERLINK")  # shown as text, never run
    book = await staff_client.get("/export/observatory.xlsx" + query)
    sheet = load_workbook(io.BytesIO(book.content)).active
    cells = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["survey.visitors.sum"][1].startswith("'=HYPERLINK")
    assert cells["survey.visitors.sum"][4] == 90
    assert (await staff_client.get("/export/observatory.pdf")).status_code == 404
    assert (await staff_client.get("/export/observatory.csv?yearFrom=20x4")).status_code == 400
    assert (await staff_client.get("/export/observatory.csv?groupBy=planet")).status_code == 400
    anonymous = await client.get("/export/observatory.csv", follow_redirects=False)
    assert anonymous.status_code == 303
