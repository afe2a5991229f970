"""Indicator values against figures computed by hand on the five-centre fixture."""

from __future__ import annotations

import pytest

from accr_graph.db.models import UserRole
from accr_graph.services import observatory as obs
from accr_graph.services import observatory_benchmark as benchmarks
from accr_graph.services.errors import Invalid, Refused, ServiceFailure
from accr_graph.viewer import Viewer
from matching.yearly import quartiles
from tests.conftest import Database
from tests.observatory.fixture import build

STAFF = Viewer(user_id=1, role=UserRole.STAFF)


def member_of(centre_id: int) -> Viewer:
    return Viewer(user_id=2, role=UserRole.MEMBER, centre_id=centre_id)


def _table(items: list[obs.Indicator]) -> dict[tuple[str, int, str | None], float | None]:
    return {(i.key, i.year, i.group): i.value for i in items}


async def _compute(db: Database, privileged: bool = True, **query: object) -> list[obs.Indicator]:
    return await obs.compute(db.sessionmaker, obs.Query(**query), privileged)  # type: ignore[arg-type]


def test_quartiles_interpolate_like_spreadsheets() -> None:
    # QUARTILE.INC(100, 200, 400, 1000): positions 0.75 and 2.25 between ranks.
    assert quartiles([100, 200, 400, 1000]) == (175.0, 300.0, 550.0)
    assert quartiles([7]) == (7, 7, 7)


async def test_counts_from_the_data(db: Database) -> None:
    await build(db)
    table = _table(await _compute(db, year_from=2019, year_to=2022))
    started = [table[("network.partnerships_started", y, None)] for y in range(2019, 2023)]
    assert started == [0, 1, 2, 0]  # the project without a year counts nowhere
    links = [table[("network.new_links", y, None)] for y in range(2019, 2023)]
    assert links == [0, 3, 2, 0]  # AB AC BC in 2020; AD DE in 2021
    active = [table[("network.active_centres", y, None)] for y in range(2019, 2023)]
    assert active == [0, 3, 3, 2]  # ABC; ADE; DE (2021–2022 project)
    assert table[("network.proposals_posted", 2021, None)] == 2  # the draft is not posted
    assert table[("network.proposals_partnered", 2021, None)] == 1


async def test_structure_as_of_each_year(db: Database) -> None:
    await build(db)
    table = _table(await _compute(db, year_from=2020, year_to=2021))
    # 2020: 5 centres, links AB AC BC -> density 3/10, degree 6/5, D and E isolated.
    assert table[("network.density", 2020, None)] == pytest.approx(0.3)
    assert table[("network.average_degree", 2020, None)] == pytest.approx(1.2)
    assert table[("network.isolated_share", 2020, None)] == pytest.approx(0.4)
    assert table[("network.clusters", 2020, None)] == 1
    assert table[("network.largest_cluster", 2020, None)] == 3
    # 2021: + AD, DE -> 5 links: density 5/10, degree 2, nobody isolated.
    assert table[("network.density", 2021, None)] == pytest.approx(0.5)
    assert table[("network.average_degree", 2021, None)] == pytest.approx(2.0)
    assert table[("network.isolated_share", 2021, None)] == 0


async def test_survey_aggregates_count_submitted_answers_only(db: Database) -> None:
    await build(db)
    items = await _compute(db, year_from=2021, year_to=2021)
    table = _table(items)
    assert table[("survey.visitors.sum", 2021, None)] == 1700  # E's draft (50) is left out
    assert table[("survey.visitors.median", 2021, None)] == 300
    assert table[("survey.visitors.q1", 2021, None)] == 175
    assert table[("survey.visitors.q3", 2021, None)] == 550
    assert table[("survey.open_all_year.yes_share", 2021, None)] == 0.75
    assert {i.n for i in items if i.key.startswith("survey.")} == {4}


async def test_grouping_and_disclosure_control(db: Database) -> None:
    await build(db)
    keys = ("survey.visitors.sum", "network.active_centres")
    staff = _table(
        await _compute(db, keys=keys, year_from=2021, year_to=2021, group_by=obs.GroupBy.COUNTRY)
    )
    assert staff[("survey.visitors.sum", 2021, "FR")] == 300  # A + B, seen by staff
    assert staff[("survey.visitors.sum", 2021, "IT")] == 1000
    assert staff[("network.active_centres", 2021, "IT")] == 2  # D and E
    member = await _compute(
        db, False, keys=keys, year_from=2021, year_to=2021, group_by=obs.GroupBy.COUNTRY
    )
    fr = next(i for i in member if i.key == "survey.visitors.sum" and i.group == "FR")
    assert (fr.value, fr.n, fr.withheld) == (None, 2, True)  # "not enough answers"
    themes = _table(
        await _compute(
            db, False, keys=keys[:1], year_from=2021, year_to=2021, group_by=obs.GroupBy.THEME
        )
    )
    assert themes[("survey.visitors.sum", 2021, "music")] == 1300  # A, B, D: three centres
    assert themes[("survey.visitors.sum", 2021, "heritage")] is None  # C alone
    status = _table(
        await _compute(
            db, keys=keys[:1], year_from=2021, year_to=2021, group_by=obs.GroupBy.LABEL_STATUS
        )
    )
    assert status[("survey.visitors.sum", 2021, "labelled")] == 700
    assert ("network.density", 2021, "FR") not in staff  # structure is for the whole network


async def test_benchmark_is_for_the_centre_itself_and_staff(db: Database) -> None:
    ids = await build(db)
    rows = await benchmarks.benchmark(db.sessionmaker, member_of(ids["B"]), ids["B"], 2021, 2021)
    [row] = rows
    assert (row.key, row.own, row.median, row.q1, row.q3, row.n) == (
        "visitors",
        200,
        300,
        175,
        550,
        4,
    )
    with pytest.raises(ServiceFailure) as refused:
        await benchmarks.benchmark(db.sessionmaker, member_of(ids["B"]), ids["A"], 2021, 2021)
    assert isinstance(refused.value.failure, Refused)
    assert len(await benchmarks.benchmark(db.sessionmaker, STAFF, ids["A"], 2021, 2021)) == 1


async def test_bad_arguments_are_typed_errors(db: Database) -> None:
    for query, field in (
        (obs.Query(year_from=2022, year_to=2020), "yearFrom"),
        (obs.Query(year_from=1800, year_to=2020), "yearFrom"),
        (obs.Query(keys=("network.nothing",)), "keys"),
    ):
        with pytest.raises(ServiceFailure) as error:
            await obs.compute(db.sessionmaker, query, True)
        assert isinstance(error.value.failure, Invalid) and error.value.failure.field == field


async def _meetings(db: Database, ids: dict[str, int]) -> None:
    """Programme meetings with recorded attendance (True: present, False: absent, None: not
    recorded): 2021 two held meetings, 2022 one held and one cancelled."""
    from datetime import UTC, datetime, timedelta

    from accr_graph.db import models as m

    plan = [
        (
            datetime(2021, 3, 10, 9, tzinfo=UTC),
            m.ProgrammeStatus.HELD,
            {"A": True, "B": False, "C": None, "D": True},
        ),
        (datetime(2021, 9, 1, 9, tzinfo=UTC), m.ProgrammeStatus.HELD, {"A": True, "E": True}),
        (datetime(2022, 5, 5, 9, tzinfo=UTC), m.ProgrammeStatus.CANCELLED, {"A": True}),
        (datetime(2022, 6, 1, 9, tzinfo=UTC), m.ProgrammeStatus.HELD, {"C": True}),
    ]
    async with db.sessionmaker.begin() as session:
        for starts, status, present in plan:
            meeting = m.Meeting(
                kind=m.ProgrammeKind.THEMATIC,
                title={"en": "meeting"},
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                status=status,
            )
            session.add(meeting)
            await session.flush()
            for letter, attended in present.items():
                session.add(
                    m.MeetingRegistration(
                        meeting_id=meeting.id, centre_id=ids[letter], attended=attended
                    )
                )


async def test_meeting_attendance_per_year(db: Database) -> None:
    ids = await build(db)
    await _meetings(db, ids)
    key = "network.meeting_attendance"
    found = await _compute(db, keys=(key,), year_from=2020, year_to=2022)
    # 2021: A and D at the first meeting, A and E at the second -> 4 attendances by 3 centres;
    # 2022: C (the cancelled meeting counts for nobody); absent or unrecorded centres never count
    assert [(i.year, i.value, i.n) for i in found] == [(2020, 0, 0), (2021, 4, 3), (2022, 1, 1)]
    by_status = _table(
        await _compute(
            db, keys=(key,), year_from=2021, year_to=2021, group_by=obs.GroupBy.LABEL_STATUS
        )
    )
    assert by_status == {
        (key, 2021, "labelled"): 2,  # A twice
        (key, 2021, "candidate"): 1,  # D
        (key, 2021, "partner"): 1,  # E
    }
