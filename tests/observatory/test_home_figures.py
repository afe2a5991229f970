"""The observatory's key figures on the public home page: the latest year with figures,
aggregates only, disclosure control applied (both databases)."""

from __future__ import annotations

from accr_graph.services import observatory as obs
from accr_graph.services.observatory_figures import latest
from accr_graph.settings import Settings
from tests.conftest import Database, app_client
from tests.observatory.seed import seed_survey


def test_latest_year_with_figures_and_withheld_totals() -> None:
    found = [
        obs.Indicator("network.partnerships_started", 2023, None, 4.0, 5),
        obs.Indicator("network.partnerships_started", 2024, None, 0.0, 0),
        obs.Indicator("network.partnerships_started", 2025, None, 0.0, 0),
        obs.Indicator("survey.visitors.sum", 2024, None, None, 2, withheld=True),
        obs.Indicator("survey.events.sum", 2024, None, 0.0, 0),
    ]
    figures = latest(found)
    assert figures is not None
    # 2024: nothing started, but the survey had (too few) answers; 2025 had nothing at all
    assert figures.year == 2024
    assert [(i.key, i.withheld) for i in figures.figures] == [
        ("network.partnerships_started", False),
        ("survey.visitors.sum", True),  # shown as "not enough answers", never the value
    ]
    assert latest([obs.Indicator("network.new_links", 2025, None, 0.0, 0)]) is None


async def test_home_shows_the_latest_years_figures(sample_db: Database, settings: Settings) -> None:
    await seed_survey(sample_db, 2025)  # last year's campaign, closed this spring
    async with app_client(settings) as client:  # anonymous: the public home page
        page = await client.get("/", headers={"accept-language": "fr"})
    assert page.status_code == 200
    html = page.text.replace("\u202f", " ").replace("\u00a0", " ")
    section = html.split('class="key-figures"')[1].split("</section>")[0]
    assert "Le réseau en 2025" in section  # projects still running: the latest year is last year
    # the sample network started no joint project in 2025; visitors 100+200+400+1000
    assert "<strong>0</strong><span>Projets communs lancés</span>" in section
    assert "<strong>1 700</strong><span>Visiteurs (total)</span>" in section
    assert "Événements publics" not in section  # no answers to it: not a figure
    assert "200</strong>" not in section.replace("1 700</strong>", "")  # no single answer
