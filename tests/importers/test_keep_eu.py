"""The keep.eu importer: parsing rules on hand-made files, idempotent loading, clear errors, and
the real data set (../shared/data/keep-eu) on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accr_graph.db import models as m
from accr_graph.db.base import Base
from accr_graph.importers.errors import DataFileError
from accr_graph.importers.keep_eu import KeepEuDataset, parse_keep_eu
from accr_graph.importers.keep_eu_loader import KeepEuReport
from accr_graph.repositories import data_version
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.imports import import_keep_eu
from accr_graph.services.uow import Actor
from tests.conftest import Database, need_shared_data

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "keep_eu_small"
BAD = FIXTURES / "keep_eu_bad"
THEME_VARIANTS = FIXTURES / "keep_eu_theme_variants"

ALPHA = "2014 - 2020 INTERREG V-A Alpha - Beta"
NORTH_SEA = "2014 - 2020 INTERREG VB North Sea"
SMALL_ORGANISATIONS = {
    "BE:universite de liege",
    "AT:handelskammer grenzland",
    "DE:handelskammer grenzland",
    "FI:saaristomeren museo",
    "FI:turun yliopisto",
    "GR:lead one",
    "GB:lead two",
    "NO:kystmuseet nord",
}
SMALL_PROJECTS = [f"{ALPHA}|HERITAGE", f"{ALPHA}|TWOLEADS", f"{NORTH_SEA}|HERITAGE"]
SMALL_MEMBERSHIPS = 10  # 3 + 4 + 3
SMALL_THEMES = {"Cultural heritage and arts", "Tourism", "Education and training"}

REAL_PROJECTS = 1852
REAL_ORGANISATIONS = 6871  # with the current normalisation rule (name + country)
REAL_MEMBERSHIPS = 8619  # 8,621 partner rows; two repeat an organisation within one project
REAL_THEMES = 42


async def row_counts(db: Database) -> dict[str, int]:
    async with db.sessionmaker() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def current_version(db: Database) -> int:
    async with db.sessionmaker() as session:
        return await data_version.current(session)


async def load(db: Database, dataset: KeepEuDataset) -> KeepEuReport:
    return await import_keep_eu(db.sessionmaker, Actor.system(), dataset)


# --- parsing the small hand-made files ----------------------------------------------------------


def test_small_files_parse_into_projects_and_organisations() -> None:
    # when the small files are parsed
    dataset = parse_keep_eu(SMALL)
    # then repeated project rows are imported once and the orphan project is skipped
    assert [p.key for p in dataset.projects] == SMALL_PROJECTS
    assert dataset.repeated_project_rows == 2
    assert set(dataset.organisations) == SMALL_ORGANISATIONS
    assert sum(len(p.member_keys) for p in dataset.projects) == SMALL_MEMBERSHIPS
    assert dataset.skipped == [
        "partners.csv row 11: 'Nowhere Society' has no known country ('Atlantis')",
        f"project '{NORTH_SEA}|ORPHAN': no partner rows",
    ]


def test_name_variants_in_one_country_merge() -> None:
    dataset = parse_keep_eu(SMALL)

    belgian = [o for o in dataset.organisations.values() if o.country == "BE"]

    # 'Université de Liège' and 'UNIVERSITE DE LIEGE.' are one organisation; the first spelling wins
    assert len(belgian) == 1
    assert belgian[0].name == "Université de Liège"
    assert belgian[0].town == "Liège"
    heritage = [p for p in dataset.projects if p.acronym == "HERITAGE"]
    assert all("BE:universite de liege" in p.member_keys for p in heritage)


def test_the_same_name_in_two_countries_stays_apart() -> None:
    dataset = parse_keep_eu(SMALL)

    chambers = {
        o.country: o.town for o in dataset.organisations.values() if o.name.startswith("Handels")
    }

    assert chambers == {"AT": "Graz", "DE": "Passau"}


def test_eu_country_codes_become_iso() -> None:
    dataset = parse_keep_eu(SMALL)

    countries = {o.country for o in dataset.organisations.values()}

    assert countries == {"AT", "BE", "DE", "FI", "GB", "GR", "NO"}
    assert dataset.organisations["GR:lead one"].name == "Lead One"
    assert dataset.organisations["GB:lead two"].name == "Lead Two"


def test_a_row_without_country_code_takes_the_code_of_its_country_name() -> None:
    dataset = parse_keep_eu(SMALL)

    # the row comes before any row pairing 'Finland' with FI: the whole file is read first
    assert dataset.organisations["FI:saaristomeren museo"].country == "FI"


def test_a_project_with_two_leads_keeps_both_and_the_first_leads() -> None:
    dataset = parse_keep_eu(SMALL)

    two = next(p for p in dataset.projects if p.acronym == "TWOLEADS")

    assert two.lead_keys == ("GR:lead one", "GB:lead two")
    assert two.lead_key == "GR:lead one"
    assert two.member_keys == (
        "GR:lead one",
        "GB:lead two",
        "DE:handelskammer grenzland",
        "FI:turun yliopisto",
    )


def test_one_acronym_in_two_programmes_is_two_projects() -> None:
    dataset = parse_keep_eu(SMALL)

    alpha, north = (p for p in dataset.projects if p.acronym == "HERITAGE")

    assert (alpha.programme, alpha.name, alpha.start_year, alpha.end_year) == (
        ALPHA,
        "Heritage Routes",
        2016,
        2019,
    )
    assert alpha.themes == ("Cultural heritage and arts", "Tourism")
    assert alpha.description == "Old routes, new visitors."
    assert (north.programme, north.name, north.start_year, north.end_year) == (
        NORTH_SEA,
        "Heritage of the North Sea",
        2018,
        2021,
    )
    # a theme listed twice on one project counts once
    assert north.themes == ("Cultural heritage and arts", "Education and training")


# --- loading the small files --------------------------------------------------------------------


async def test_loading_the_small_files(db: Database) -> None:
    # given an empty database and the parsed small files
    dataset = parse_keep_eu(SMALL)
    # when loaded
    report = await load(db, dataset)
    # then the report and the database agree with the files
    assert report == KeepEuReport(
        centres_added=8,
        centres_existing=0,
        partnerships_added=3,
        partnerships_existing=0,
        themes_added=3,
        memberships_added=SMALL_MEMBERSHIPS,
        skipped=tuple(dataset.skipped),
    )
    rows = await row_counts(db)
    assert rows["centres"] == 8
    assert rows["partnerships"] == 3
    assert rows["partnership_members"] == SMALL_MEMBERSHIPS
    assert rows["themes"] == 3
    assert rows["partnership_themes"] == 5
    assert await current_version(db) == 2


async def test_loaded_centres_are_partners_with_their_iso_country(db: Database) -> None:
    await load(db, parse_keep_eu(SMALL))

    async with db.sessionmaker() as session:
        centres = (
            await session.execute(
                select(m.Centre.name, m.Centre.country, m.Centre.label_status, m.Centre.source)
            )
        ).all()
        themes = (await session.scalars(select(m.Theme.name))).all()

    assert sorted((name, country) for name, country, _, _ in centres) == [
        ("Handelskammer Grenzland", "AT"),
        ("Handelskammer Grenzland", "DE"),
        ("Kystmuseet Nord", "NO"),
        ("Lead One", "GR"),
        ("Lead Two", "GB"),
        ("Saaristomeren Museo", "FI"),
        ("Turun yliopisto", "FI"),
        ("Université de Liège", "BE"),
    ]
    assert {(status, source) for _, _, status, source in centres} == {
        (m.LabelStatus.PARTNER, "keep-eu")
    }
    assert {theme["en"] for theme in themes} == SMALL_THEMES


async def test_both_leads_are_members_with_the_lead_role(db: Database) -> None:
    # given the small files loaded
    await load(db, parse_keep_eu(SMALL))
    # when the two-lead project is read back
    async with db.sessionmaker() as session:
        partnership = await session.scalar(
            select(m.Partnership).where(m.Partnership.title == "Two Leads")
        )
        assert partnership is not None
        roles = dict(
            (
                await session.execute(
                    select(m.Centre.name, m.PartnershipMember.role)
                    .join(m.Centre, m.Centre.id == m.PartnershipMember.centre_id)
                    .where(m.PartnershipMember.partnership_id == partnership.id)
                )
            ).all()
        )
        lead_name = await session.scalar(
            select(m.Centre.name).where(m.Centre.id == partnership.lead_id)
        )
    # then both leads keep the lead role, the first one leads the partnership
    assert roles == {
        "Lead One": m.PartnershipRole.LEAD,
        "Lead Two": m.PartnershipRole.LEAD,
        "Handelskammer Grenzland": m.PartnershipRole.PARTNER,
        "Turun yliopisto": m.PartnershipRole.PARTNER,
    }
    assert lead_name == "Lead One"
    assert (partnership.programme, partnership.start_year, partnership.end_year) == (
        ALPHA,
        2017,
        2020,
    )
    assert partnership.source == "keep-eu"


async def test_a_second_load_changes_nothing(db: Database) -> None:
    # given the small files loaded once
    dataset = parse_keep_eu(SMALL)
    await load(db, dataset)
    before, version = await row_counts(db), await current_version(db)
    # when loaded again (parsed afresh, as a second CLI run would)
    report = await load(db, parse_keep_eu(SMALL))
    # then nothing was added, and the data version did not move
    assert report.centres_added == 0
    assert report.partnerships_added == 0
    assert report.themes_added == 0
    assert report.memberships_added == 0
    assert report.centres_existing == 8
    assert report.partnerships_existing == 3
    assert await row_counts(db) == before
    assert await current_version(db) == version


async def test_theme_spellings_with_one_slug_share_one_theme(db: Database) -> None:
    # given projects naming the same themes in spellings with one slug ('Tourism'/'TOURISM',
    # 'Cultural heritage and arts'/'& arts'), one of them naming 'Tourism' and 'tourism' together
    dataset = parse_keep_eu(THEME_VARIANTS)
    # when loaded
    try:
        report = await load(db, dataset)
    except (IntegrityError, ServiceFailure) as error:  # see keep_eu_loader._ensure_themes
        pytest.fail(f"theme spellings with one slug must not break the import: {error}")
    # then there is one theme per slug (the loader looks themes up by slug), linked once
    assert report.themes_added == 2
    rows = await row_counts(db)
    assert rows["themes"] == 2
    assert rows["partnership_themes"] == 5  # 2 + 2 + 1: one link per theme and project


# --- malformed files ----------------------------------------------------------------------------

MALFORMED = [
    ("missing_column", r"^partners\.csv: missing column\(s\) country_code$"),
    ("field_count", r"^projects\.csv row 2: wrong number of fields$"),
    ("extra_field", r"^partners\.csv row 2: wrong number of fields$"),
    ("bad_date", r"^projects\.csv row 3: 'start' is not a date: 'spring 2017'$"),
    ("empty_acronym", r"^projects\.csv row 2: empty 'acronym'$"),
    ("ends_before_start", r"^projects\.csv row 2: ends \(2017\) before it starts \(2019\)$"),
    (
        "unknown_project",
        r"^partners\.csv row 3: project 'Prog Alpha\|GHOST' is not in projects\.csv$",
    ),
    ("missing_file", r"missing_file/partners\.csv: file not found$"),
]


@pytest.mark.parametrize(("case", "message"), MALFORMED, ids=[case for case, _ in MALFORMED])
def test_malformed_files_name_the_file_the_row_and_the_reason(case: str, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        parse_keep_eu(BAD / case)


@pytest.mark.parametrize("case", [case for case, _ in MALFORMED])
async def test_a_malformed_import_leaves_the_database_unchanged(db: Database, case: str) -> None:
    # given a database holding the small files
    await load(db, parse_keep_eu(SMALL))
    before, version = await row_counts(db), await current_version(db)
    # when a malformed directory is imported in one transaction
    with pytest.raises(DataFileError):
        await load(db, parse_keep_eu(BAD / case))
    # then not one row changed
    assert await row_counts(db) == before
    assert await current_version(db) == version


# --- the real data set --------------------------------------------------------------------------


@pytest.mark.shared_data
def test_the_real_files_parse() -> None:
    # given the real keep.eu extract
    directory = need_shared_data("keep-eu")
    # when parsed
    dataset = parse_keep_eu(directory)
    # then 1,852 projects (39 rows repeat a project) and merged organisation names
    assert len(dataset.projects) == REAL_PROJECTS
    assert dataset.repeated_project_rows == 39
    assert 6500 <= len(dataset.organisations) <= 6988
    assert len(dataset.organisations) == REAL_ORGANISATIONS
    assert sum(len(p.member_keys) for p in dataset.projects) == REAL_MEMBERSHIPS
    assert sum(1 for p in dataset.projects if len(p.lead_keys) == 2) == 39
    assert len({t for p in dataset.projects for t in p.themes}) == REAL_THEMES
    # the one partner row with no code finds its country by name: nothing is skipped
    assert dataset.skipped == []
    countries = {o.country for o in dataset.organisations.values()}
    assert {"GR", "GB"} <= countries
    assert not {"EL", "UK"} & countries


@pytest.mark.shared_data
async def test_the_real_files_load_once_and_only_once(db: Database) -> None:
    # given an empty database and the parsed real extract
    dataset = parse_keep_eu(need_shared_data("keep-eu"))
    # when loaded
    first = await load(db, dataset)
    # then every project is a partnership and every organisation a centre
    assert (first.partnerships_added, first.centres_added) == (REAL_PROJECTS, REAL_ORGANISATIONS)
    assert (first.themes_added, first.memberships_added) == (REAL_THEMES, REAL_MEMBERSHIPS)
    rows = await row_counts(db)
    assert rows["partnerships"] == REAL_PROJECTS
    assert rows["centres"] == len(dataset.organisations) == REAL_ORGANISATIONS
    assert rows["partnership_members"] == REAL_MEMBERSHIPS
    assert rows["themes"] == REAL_THEMES
    version = await current_version(db)
    # when loaded a second time, then nothing is added
    second = await load(db, dataset)
    assert (second.partnerships_added, second.centres_added, second.themes_added) == (0, 0, 0)
    assert second.memberships_added == 0
    assert (second.partnerships_existing, second.centres_existing) == (
        REAL_PROJECTS,
        REAL_ORGANISATIONS,
    )
    assert await row_counts(db) == rows
    assert await current_version(db) == version
