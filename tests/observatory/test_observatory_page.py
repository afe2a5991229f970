"""/observatory over HTTP on both databases: who may see it, the figures in its tables and chart
data (checked against hand-computed values), disclosure control, and user mistakes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from accr_graph.settings import Settings
from tests.conftest import Database, app_client
from tests.observatory.seed import seed_survey
from tests.web.helpers import MEMBER, STAFF, sign_in

DATA = re.compile(r'<script type="application/json" id="observatory-data">(.*?)</script>', re.S)


def chart_data(html: str) -> dict[str, Any]:
    found = DATA.search(html)
    assert found, "no chart data on the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def lines(data: dict[str, Any], label: str) -> dict[str, list[float | None]]:
    chart = next(c for c in data["charts"] if c["label"] == label)
    return {line["label"]: line["data"] for line in chart["lines"]}


async def _page(
    settings: Settings, who: tuple[str, str], query: str, lang: str = "fr"
) -> httpx.Response:
    async with app_client(settings) as client:
        await sign_in(client, who, lang)
        return await client.get(f"/observatory{query}", headers={"accept-language": lang})


async def test_anonymous_readers_are_sent_to_sign_in(
    sample_db: Database, settings: Settings
) -> None:
    async with app_client(settings) as client:
        response = await client.get("/observatory")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fobservatory")


async def test_members_see_the_network_over_time_in_french(
    sample_db: Database, settings: Settings
) -> None:
    response = await _page(settings, MEMBER, "?from=2019&to=2021")
    assert response.status_code == 200
    html = response.text
    assert 'href="/observatory" aria-current="page"' in html  # in the header navigation
    assert "Observatoire du réseau" in html and "Projets communs lancés" in html
    data = chart_data(html)
    assert data["lang"] == "fr"
    started = lines(data, "Projets communs lancés")
    # the sample network: 7, 5 and 7 joint projects started in 2019, 2020 and 2021
    assert started == {"Le réseau": [7.0, 5.0, 7.0]}
    assert "<script>" not in html  # data only in a JSON block; no inline script


async def test_survey_figures_follow_the_disclosure_rule(
    sample_db: Database, settings: Settings
) -> None:
    await seed_survey(sample_db)
    query = "?key=survey.visitors.sum&group=country&from=2024&to=2024"
    member = await _page(settings, MEMBER, query)
    assert member.status_code == 200
    by_country = lines(chart_data(member.text), "Visiteurs (total)")
    assert by_country["France"] == [700.0]  # 100 + 200 + 400, three centres
    assert by_country["Italie"] == [None]  # one centre: withheld for members
    assert "pas assez de réponses" in member.text
    assert "1000" not in member.text.replace("\u202f", "")  # the single answer never shows
    staff = await _page(settings, STAFF, query, "en")
    assert lines(chart_data(staff.text), "Visitors (total)")["Italy"] == [1000.0]


async def test_my_centre_against_the_network(sample_db: Database, settings: Settings) -> None:
    await seed_survey(sample_db)
    response = await _page(settings, MEMBER, "?from=2024&to=2024", "en")
    assert "My centre vs the network" in response.text
    visitors = lines(chart_data(response.text), "Visitors")
    # own answer 200; 100, 200, 400, 1000 -> median 300, quartiles 175 and 550
    assert visitors == {
        "My centre": [200.0],
        "Network median": [300.0],
        "First quartile": [175.0],
        "Third quartile": [550.0],
    }


async def test_staff_choose_whose_benchmark(sample_db: Database, settings: Settings) -> None:
    await seed_survey(sample_db)
    response = await _page(settings, STAFF, "?from=2024&to=2024&centre=castello-di-valmora", "en")
    assert lines(chart_data(response.text), "Visitors")["My centre"] == [1000.0]
    member = await _page(settings, MEMBER, "?from=2024&to=2024&centre=castello-di-valmora", "en")
    # a member cannot open another centre's answers: its own benchmark is shown
    assert lines(chart_data(member.text), "Visitors")["My centre"] == [200.0]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?from=20x4", "from", "Enter a year between 1900 and 2100."),
        ("?from=2030&to=2020", "from", "The first year must not be after the last one."),
        ("?from=1900&to=2100", "from", "At most 60 years at once."),
        ("?from=2099", "from", "The first year must not be after the last one."),
    ],
)
async def test_mistakes_are_explained_not_errors(
    sample_db: Database, settings: Settings, query: str, field: str, message: str
) -> None:
    response = await _page(settings, MEMBER, query + "&key=nope&group=planet", "en")
    assert response.status_code == 200
    assert f'id="obs-{field}-error"' in response.text
    assert message in response.text
    data = chart_data(response.text)  # the default indicators instead of the unknown key
    assert [c["label"] for c in data["charts"]][:1] == ["Joint projects started"]


async def test_the_default_range_ends_last_year(sample_db: Database, settings: Settings) -> None:
    # the year under way is barely recorded: its zeros at the end of every line read as a collapse
    last = datetime.now(UTC).year - 1
    default = chart_data((await _page(settings, MEMBER, "")).text)
    assert default["charts"][0]["years"] == list(range(last - 9, last + 1))
    asked = chart_data((await _page(settings, MEMBER, f"?from={last}&to={last + 1}")).text)
    assert asked["charts"][0]["years"] == [last, last + 1]  # still there when asked for
