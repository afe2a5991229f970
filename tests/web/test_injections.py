"""Exports cannot carry formulas into spreadsheets nor new lines into iCalendar files."""

from __future__ import annotations

import base64
import csv
import io
import zipfile

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from accr_graph.db.models import Centre
from accr_graph.services.network_export import spreadsheet_cell
from accr_graph.web.fair_pages import _escape
from tests.api.helpers import gql
from tests.conftest import STAFF_EMAIL, Database, Settings, app_client, issue_token

EXPORT = "query { network { export(format: CSV) { content } } }"
EVIL = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


async def test_csv_cells_never_start_a_formula(
    staff_client: httpx.AsyncClient, sample_db: Database
) -> None:
    async with sample_db.sessionmaker.begin() as session:
        ids = (await session.scalars(Centre.__table__.select().with_only_columns(Centre.id))).all()
        for centre_id, name in zip(ids, EVIL, strict=False):
            await session.execute(update(Centre).where(Centre.id == centre_id).values(name=name))
    content = (await gql(staff_client, EXPORT))["network"]["export"]["content"]
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(content)))
    rows = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode(), newline="")))
    assert all(r["Id"] for r in rows) and len(rows) == 44  # a CR inside a name breaks no row
    labels = {row["Label"] for row in rows}
    assert {"'" + name for name in EVIL} <= labels
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), row
            assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit()


def test_numbers_stay_numbers() -> None:
    assert spreadsheet_cell(-3.5) == -3.5 and spreadsheet_cell("Abbaye") == "Abbaye"


@given(st.text())
def test_ics_text_never_breaks_a_line(text: str) -> None:
    escaped = _escape(text)
    assert "\r" not in escaped and "\n" not in escaped
    assert not any(c in escaped for c in "\u2028\u2029\x85\x0b\x0c")
    # every comma and semicolon is escaped (preceded by an odd run of backslashes)
    for i, char in enumerate(escaped):
        if char in ",;":
            run = len(escaped[:i]) - len(escaped[:i].rstrip("\\"))
            assert run % 2 == 1, escaped


def test_ics_escapes_the_issue_example() -> None:
    assert _escape("Abbaye\rBEGIN:VEVENT;x,y\\") == "Abbaye\\nBEGIN:VEVENT\\;x\\,y\\\\"


UPDATE = """mutation ($i: UpdateCentreProfileInput!) { updateCentreProfile(input: $i) {
  __typename ... on CentreSuccess { centre { id %s } } ... on Error { message } } }"""


async def test_a_token_without_read_reads_nothing_through_a_payload(
    sample_db: Database, settings: Settings
) -> None:
    token = await issue_token(sample_db, STAFF_EMAIL, ("write",))
    centre = await _centre_id(sample_db)
    variables = {"i": {"centreId": centre, "website": "https://example.org/"}}
    async with app_client(settings, token) as http:
        leaking = await http.post(
            "/graphql",
            json={"query": UPDATE % "name partners { totalCount }", "variables": variables},
        )
        fragment = await http.post(
            "/graphql",
            json={
                "query": (UPDATE % "...F") + " fragment F on Centre { name }",
                "variables": variables,
            },
        )
        identity = await http.post("/graphql", json={"query": UPDATE % "", "variables": variables})
        query = await http.post("/graphql", json={"query": "{ centres { totalCount } }"})
    for refused in (leaking, fragment, query):
        assert refused.status_code == 403, refused.text
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert identity.status_code == 200, identity.text
    body = identity.json()["data"]["updateCentreProfile"]
    assert body["__typename"] == "CentreSuccess" and body["centre"]["id"] == centre


async def _centre_id(db: Database) -> str:
    from schema.relay import to_global_id

    async with db.sessionmaker() as session:
        pk = await session.scalar(select(Centre.id).order_by(Centre.id).limit(1))
    return str(to_global_id("Centre", int(pk or 0)))


@pytest.mark.parametrize("raw", ["²", "١٢", "9" * 5000, "0", "-1", "99999999999", "%00"])
async def test_fair_pages_refuse_bad_ids_with_a_404(
    staff_client: httpx.AsyncClient, raw: str
) -> None:
    for path in (f"/fairs/{raw}/schedule", f"/fairs/{raw}/agenda/some-centre.ics"):
        response = await staff_client.get(path)
        assert response.status_code == 404, (path[:40], response.status_code)
        assert "Traceback" not in response.text and "SELECT" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        "{ network { clusters(yearFrom: 32768) { modularity } } }",
        "{ network { metrics(yearTo: -5) { betweennessSources } } }",
        "{ network { graph(filter: {yearFrom: 32768}) { nodes { id } } } }",
        "{ partnerships(filter: {yearFrom: 32768}) { totalCount } }",
    ],
)
async def test_year_bounds_are_the_same_on_every_field(
    staff_client: httpx.AsyncClient, query: str
) -> None:
    response = await staff_client.post("/graphql", json={"query": query})
    error = response.json()["errors"][0]
    assert "between 1900 and 2100" in error["message"], error
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


CREATE = """mutation ($i: CreateProposalInput!) { createProposal(input: $i) {
  __typename ... on ValidationError { field message } } }"""


@pytest.mark.parametrize(
    ("seeks", "offers", "field"),
    [
        ([("sound-recording", 2), ("sound-recording", 1)], [], "seeks"),
        ([], [("music-programming", 3), ("music-programming", 3)], "offers"),
        ([("sound-recording", 2)], [("sound-recording", 1)], "offers"),
    ],
)
async def test_proposal_competencies_given_twice_or_both_ways_are_refused(
    staff_client: httpx.AsyncClient,
    seeks: list[tuple[str, int]],
    offers: list[tuple[str, int]],
    field: str,
) -> None:
    owner = (await gql(staff_client, '{ centre(slug: "abbaye-de-saint-aurel") { id } }'))["centre"]
    data = {
        "ownerId": owner["id"],
        "title": [{"lang": "en", "text": "Twice"}],
        "seeks": [{"competency": c, "level": level} for c, level in seeks],
        "offers": [{"competency": c, "level": level} for c, level in offers],
    }
    answer = (await gql(staff_client, CREATE, i=data))["createProposal"]
    assert answer["__typename"] == "ValidationError" and answer["field"] == field, answer
