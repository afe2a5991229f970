"""Staff survey pages over HTTP on both databases: create a campaign (mistakes per field, input
kept), open, remind, read the answers and who is missing, reopen, close; never a 500."""

from __future__ import annotations

import re
from datetime import date

import httpx

from accr_graph.settings import Settings
from accr_graph.web.survey_admin_pages import new_campaign_defaults
from tests.api.helpers import gql
from tests.conftest import Database, app_client
from tests.surveys.helpers import COMPLETE, SUBMIT, events, member_centre_ids
from tests.web.helpers import MEMBER, STAFF, csrf_of, sign_in

CAMPAIGN_ID = re.compile(r'action="/surveys/(\d+)/open"')


async def _post(http: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    page = await http.get("/surveys")
    return await http.post(path, data={"csrf": csrf_of(page.text), **data})


async def test_only_staff_run_the_survey(sample_db: Database, settings: Settings) -> None:
    async with app_client(settings) as anonymous:
        assert (await anonymous.get("/surveys")).status_code == 303
    async with app_client(settings) as member:
        await sign_in(member, MEMBER)
        assert (await member.get("/surveys")).status_code == 403
        assert (await member.get("/surveys/1/answers")).status_code == 403


async def test_creating_a_campaign_explains_each_mistake(
    sample_db: Database, settings: Settings
) -> None:
    async with app_client(settings) as http:
        await sign_in(http, STAFF, "fr")
        bad = {"year": "20x5", "opens_on": "2026-03-31", "closes_on": "2026-01-15"}
        response = await _post(http, "/surveys", bad)
        assert response.status_code == 400
        assert "Saisissez une année entre 2000 et 2100." in response.text
        assert "La date de clôture ne doit pas précéder la date d&#39;ouverture." in response.text
        assert 'value="20x5"' in response.text  # what was typed is kept
        good = {"year": "2025", "opens_on": "2026-01-15", "closes_on": "2026-03-31"}
        created = await _post(http, "/surveys", good)
        assert created.status_code == 303
        listing = await http.get(created.headers["location"])
        assert "Statistiques annuelles 2025" in listing.text and "Brouillon" in listing.text
        again = await _post(http, "/surveys", good)
        assert again.status_code == 400
        assert "Il existe déjà une enquête pour cette année." in again.text


async def test_open_remind_answers_reopen_close(
    sample_db: Database, settings: Settings, member_a: httpx.AsyncClient
) -> None:
    async with app_client(settings) as http:
        http.headers["accept-language"] = "en"
        await sign_in(http, STAFF, "en")
        good = {"year": "2025", "opens_on": "2026-01-15", "closes_on": "2026-03-31"}
        await _post(http, "/surveys", good)
        campaign = CAMPAIGN_ID.search((await http.get("/surveys")).text)
        assert campaign
        ident = campaign.group(1)
        opened = await _post(http, f"/surveys/{ident}/open", {})
        assert opened.status_code == 303 and opened.headers["location"] == "/surveys?done=opened"

        answers = [*COMPLETE]
        global_id = (await gql(member_a, "{ surveyCampaigns { nodes { id year } } }"))[
            "surveyCampaigns"
        ]["nodes"][0]["id"]
        await gql(member_a, SUBMIT, input={"campaignId": global_id, "answers": answers})
        expected = len(await member_centre_ids(sample_db))

        sheet = await http.get(f"/surveys/{ident}/answers")
        assert sheet.status_code == 200
        assert f"1 of {expected} centres" in sheet.text
        assert f"{expected - 1} centres have not submitted" in sheet.text
        missing = sheet.text.split('class="missing-centres"')[1].split("</ul>")[0]
        assert "Abbaye de Saint-Aurel" not in missing and "Castello di Valmora" in missing
        assert "12,500 people" in sheet.text  # the visitors table, with its unit
        assert "6.5 FTE" in sheet.text

        reminded = await _post(http, f"/surveys/{ident}/remind", {"back": "answers"})
        assert (
            reminded.headers["location"]
            == f"/surveys/{ident}/answers?done=reminded&count={expected - 1}"
        )
        [event] = await events(sample_db, "survey.reminder")
        assert len(event.centre_ids) == expected - 1

        response_id = re.search(r'name="response" value="(\d+)"', sheet.text)
        assert response_id
        reopened = await _post(
            http, f"/surveys/{ident}/reopen", {"back": "answers", "response": response_id.group(1)}
        )
        assert reopened.status_code == 303
        assert len(await events(sample_db, "survey.reopened")) == 1
        after = await http.get(reopened.headers["location"])
        assert "The response is back to draft" in after.text and "0 of" in after.text

        closed = await _post(http, f"/surveys/{ident}/close", {})
        assert closed.headers["location"] == "/surveys?done=closed"
        refused = await _post(
            http, f"/surveys/{ident}/reopen", {"back": "answers", "response": response_id.group(1)}
        )
        assert refused.status_code == 400  # a mistake explained on the page, not a 500
        assert "the response is not submitted" in refused.text
        unknown = await _post(http, "/surveys/999999/open", {})
        assert unknown.status_code == 400 and "No such survey campaign." in unknown.text
        # staff opening a centre's form are taken to the answers
        form = await http.get(f"/surveys/{ident}")
        assert form.status_code == 303 and form.headers["location"] == f"/surveys/{ident}/answers"


async def test_the_form_shows_units_in_the_readers_language(
    sample_db: Database, settings: Settings
) -> None:
    async with app_client(settings) as staff:
        await sign_in(staff, STAFF)
        await _post(
            staff, "/surveys", {"year": "2025", "opens_on": "2026-01-15", "closes_on": "2026-03-31"}
        )
        found = CAMPAIGN_ID.search((await staff.get("/surveys")).text)
        assert found
        await _post(staff, f"/surveys/{found.group(1)}/open", {})
    async with app_client(settings) as member:
        await sign_in(member, MEMBER, "fr")
        french = await member.get(f"/surveys/{found.group(1)}", headers={"accept-language": "fr"})
        assert "(personnes)" in french.text and "(ETP)" in french.text and "(%)" in french.text
        assert "(people)" not in french.text
        observatory = await member.get("/observatory")  # where members are told it is open
        assert f'href="/surveys/{found.group(1)}"' in observatory.text


def test_the_first_campaign_proposed_has_not_closed_already() -> None:
    # in February, last year's figures are still being collected; in November, they are closed
    assert new_campaign_defaults([], date(2026, 2, 10))["year"] == "2025"
    november = new_campaign_defaults([], date(2026, 11, 30))
    assert (november["year"], november["closes_on"]) == ("2026", "2027-03-31")
