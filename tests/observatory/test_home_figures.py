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
    running = [  # 2025: centres still active in older projects, nothing new: 2023 is shown
        obs.Indicator("network.active_centres", 2025, None, 20.0, 20),
        obs.Indicator("network.partnerships_started", 2025, None, 0.0, 0),
        obs.Indicator("network.active_centres", 2023, None, 25.0, 25),
        obs.Indicator("network.partnerships_started", 2023, None, 4.0, 4),
    ]
    shown = latest(running)
    assert shown is not None and shown.year == 2023
    assert [i.value for i in shown.figures] == [25.0, 4.0]


async def test_home_shows_the_latest_years_figures(sample_db: Database, settings: Settings) -> None:
    await seed_survey(sample_db, 2025)  # last year's campaign, closed this spring
    async with app_client(settings) as client:  # anonymous: the public home page
        page = await client.get("/", headers={"accept-language": "fr"})
    assert page.status_code == 200
    html = page.text.replace("\u202f", " ").replace("\u00a0", " ")
    section = html.split('class="key-figures"')[1].split("</section>")[0]
    assert "Le réseau en 2025" in section  # last year's survey answers: the latest year
    # the sample network started no joint project in 2025; visitors 100+200+400+1000
    assert "<strong>0</strong><span>Projets communs lancés</span>" in section
    assert "<strong>1 700</strong><span>Visiteurs (total)</span>" in section
    assert "Événements publics" not in section  # no answers to it: not a figure
    assert "200</strong>" not in section.replace("1 700</strong>", "")  # no single answer


async def test_without_answers_the_home_shows_the_latest_year_something_started(
    sample_db: Database, settings: Settings
) -> None:
    async with app_client(settings) as client:
        page = await client.get("/", headers={"accept-language": "fr"})
    html = page.text.replace("\u202f", " ").replace("\u00a0", " ")
    section = html.split('class="key-figures"')[1].split("</section>")[0]
    assert "<strong>0</strong><span>Projets communs lancés</span>" not in section
