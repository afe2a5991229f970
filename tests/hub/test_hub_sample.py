"""The sample meetings and resources: loaded once, searchable, with past and upcoming meetings."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from accr_graph.db import models as m
from accr_graph.importers.hub_sample import load_hub_sample
from accr_graph.repositories.search import DocFilter
from accr_graph.services import search
from accr_graph.settings import Settings
from accr_graph.viewer import ANONYMOUS
from tests.conftest import Database, app_client


async def test_hub_sample_loads_once_and_is_searchable(sample_db: Database) -> None:
    # the sample network's loader brought the hub sample with it; a second load adds nothing
    async with sample_db.sessionmaker.begin() as session:
        assert await load_hub_sample(session) == (0, 0)
    async with sample_db.sessionmaker() as session:
        meetings = await session.scalar(select(func.count()).select_from(m.Meeting))
        resources = await session.scalar(select(func.count()).select_from(m.Resource))
    assert (meetings, resources) == (5, 30)
    async with sample_db.sessionmaker() as session:
        statuses = list(await session.scalars(select(m.Meeting.status)))
        languages = list(await session.scalars(select(m.Resource.languages)))
        over = await session.scalar(
            select(func.count())
            .select_from(m.Meeting)
            .where(m.Meeting.confirmed_count > m.Meeting.capacity)
        )
    assert statuses.count(m.ProgrammeStatus.HELD) == 2
    assert {s for s in statuses if s is not m.ProgrammeStatus.HELD} <= {
        m.ProgrammeStatus.OPEN,
        m.ProgrammeStatus.FULL,
    }
    assert over == 0
    assert sum(lang == ["fr"] for lang in languages) == 15
    found = await search.search(sample_db.sessionmaker, ANONYMOUS, "résidences artistes")
    assert any(h.kind == "resource" for h in found.hits)


async def test_resource_facets_replace_the_chosen_value_and_years_read_newest_first(
    sample_db: Database, settings: Settings
) -> None:
    async with app_client(settings) as anonymous:
        everything = await anonymous.get("/resources", headers={"accept-language": "fr"})
        years = re.findall(r"year=(\d{4})", everything.text.split('class="facets"')[1])
        assert len(years) > 3 and years == sorted(years, reverse=True)
        page = await anonymous.get("/resources?kind=study", headers={"accept-language": "fr"})
        facets = page.text.split('class="facets"')[1].split("</aside>")[0]
        assert 'href="/resources?kind=study" aria-current="true"' in facets  # the chosen one
        # the other kinds stay, to switch to (the link replaces the chosen kind)
        assert 'href="/resources?kind=guide"' in facets
        years = re.findall(r"year=(\d{4})", facets)
        assert years and years == sorted(years, reverse=True)
        chosen = await anonymous.get(f"/resources?kind=study&year={years[0]}")
        listed = chosen.text.split('id="results"')[1]
        assert re.findall(r"<span>(\d{4})</span>", listed) == [years[0]] * len(
            re.findall(r"<span>(\d{4})</span>", listed)
        )
        assert f'name="year" value="{years[0]}"' in chosen.text  # kept by the search form
        assert (await anonymous.get("/resources?year=abc")).status_code == 200


async def test_the_past_general_assembly_carries_its_minutes(sample_db: Database) -> None:
    async with sample_db.sessionmaker() as session:
        assembly = await session.scalar(
            select(m.Meeting.id).where(m.Meeting.kind == m.ProgrammeKind.GENERAL_ASSEMBLY)
        )
        attached = list(
            await session.scalars(select(m.Resource).where(m.Resource.meeting_id == assembly))
        )
    assert {r.kind for r in attached} == {m.ResourceKind.MINUTES}
    assert {next(iter(r.title.values())) for r in attached} == {
        "Compte rendu de l'assemblée générale",
        "Minutes of the general assembly",
    }


async def test_a_facet_counts_without_its_own_choice_and_with_the_others(
    sample_db: Database,
) -> None:
    everything = await search.facets(
        sample_db.sessionmaker, ANONYMOUS, None, DocFilter(("resource",))
    )
    studies = DocFilter(("resource",), resource_kinds=("study",))
    chosen = await search.facets(sample_db.sessionmaker, ANONYMOUS, None, studies)
    assert chosen["kind"] == everything["kind"]  # every kind, with its count
    in_french = DocFilter(("resource",), languages=("fr",))
    narrowed = await search.facets(sample_db.sessionmaker, ANONYMOUS, None, in_french)
    assert sum(n for _, n in narrowed["kind"]) < sum(n for _, n in everything["kind"])
    assert narrowed["language"] == everything["language"]
