"""Hand-made fairs: the optimum, every unplaced reason, locks, idle time, input errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from matching.fair import (
    Attendee,
    FairInstance,
    IdleGap,
    MeetingRequest,
    Placement,
    Schedule,
    Slot,
    Table,
    check_schedule,
    schedule,
    solve_exact,
)
from matching.fair.board import Board
from matching.fair.idle import repair_idle
from matching.fair.problem import Problem
from matching.fair.synthetic import FairShape, random_fair

EN = frozenset({"en"})


def fair(
    meetings: list[MeetingRequest],
    n_slots: int = 2,
    tables: tuple[Table, ...] = (Table(1, 2), Table(2, 2)),
    centres: dict[int, Attendee] | None = None,
    max_idle: int = 2,
) -> FairInstance:
    known = dict(centres or {})
    for m in meetings:
        for c in m.participants:
            known.setdefault(c, Attendee(c, max_meetings=10, languages=EN))
    slots = tuple(Slot(id=100 + i, day=0, index=i) for i in range(n_slots))
    return FairInstance(slots, tables, tuple(known.values()), tuple(meetings), max_idle)


def solved(instance: FairInstance) -> Schedule:
    result = schedule(instance)
    assert check_schedule(instance, result) == []
    return result


def test_greedy_trap_reaches_the_ip_optimum() -> None:
    # given A-B worth 5 and A-C, B-D worth 3 each, while A and B can each hold one meeting
    centres = {1: Attendee(1, 1, languages=EN), 2: Attendee(2, 1, languages=EN)}
    meetings = [
        MeetingRequest(1, (1, 2), 5.0),
        MeetingRequest(2, (1, 3), 3.0),
        MeetingRequest(3, (2, 4), 3.0),
    ]
    instance = fair(meetings, centres=centres)
    # when scheduled, then the two smaller meetings win, as in the integer programme
    result = solved(instance)
    assert result.total_priority == 6.0 == solve_exact(instance, time_limit=10).total_priority
    assert result.unplaced == {1: "centre 1 reached its maximum of 1 meetings"}


def test_tables_shared_by_language_reach_the_optimum() -> None:
    # given one French and one neutral table, and meetings that only fit the neutral one
    tables = (Table(1, 2, "fr"), Table(2, 2, None))
    centres = {c: Attendee(c, 5, languages=frozenset({"fr", "en"})) for c in (1, 2)}
    meetings = [
        MeetingRequest(1, (1, 2), 2.0),  # fr or en: may take either table
        MeetingRequest(2, (3, 4), 2.0),  # en only: neutral table
        MeetingRequest(3, (5, 6), 2.0),  # en only: neutral table
    ]
    instance = fair(meetings, n_slots=2, tables=tables, centres=centres)
    result = solved(instance)
    assert result.total_priority == 6.0 == solve_exact(instance, time_limit=10).total_priority
    assert result.placements[1].table_id == 1


@pytest.mark.parametrize(
    ("meetings", "tables", "centres", "reason"),
    [
        ([MeetingRequest(1, (1, 2, 3), 1.0)], None, {}, "no table with capacity 3"),
        (
            [MeetingRequest(1, (1, 2), 1.0)],
            (Table(1, 2, "en"),),
            {1: Attendee(1, 3, languages=frozenset({"fr"}))},
            "no table in a shared language",
        ),
        (
            [MeetingRequest(1, (1, 2), 1.0)],
            None,
            {1: Attendee(1, 3, frozenset({100}), EN), 2: Attendee(2, 3, frozenset({101}), EN)},
            "no common free slot",
        ),
        (
            [MeetingRequest(1, (1, 2), 2.0), MeetingRequest(2, (1, 3), 1.0)],
            None,
            {1: Attendee(1, 1, languages=EN)},
            "centre 1 reached its maximum of 1 meetings",
        ),
        (
            [
                MeetingRequest(1, (1, 2), 2.0),
                MeetingRequest(2, (1, 3), 2.0),
                MeetingRequest(3, (1, 4), 1.0),
            ],
            None,
            {},
            "all common free slots are taken",
        ),
        (
            [
                MeetingRequest(1, (1, 2), 2.0),
                MeetingRequest(2, (3, 4), 2.0),
                MeetingRequest(3, (5, 6), 1.0),
            ],
            (Table(1, 2),),
            {},
            "all suitable tables are taken in the common free slots",
        ),
    ],
)
def test_unplaced_meetings_say_why(
    meetings: list[MeetingRequest],
    tables: tuple[Table, ...] | None,
    centres: dict[int, Attendee],
    reason: str,
) -> None:
    instance = fair(meetings, tables=tables or (Table(1, 2), Table(2, 2)), centres=centres)
    result = solved(instance)
    assert result.unplaced[max(result.unplaced)] == reason


def test_a_published_meeting_stays_and_a_late_request_fills_the_gap() -> None:
    # given meeting 1 published in the first slot at table 2 and a late, more urgent request
    published = MeetingRequest(1, (1, 2), 1.0, locked=Placement(100, 2))
    late = MeetingRequest(2, (1, 3), 9.0)
    # when the fair is scheduled again, then the published meeting has not moved
    result = solved(fair([published, late]))
    assert result.placements == {1: Placement(100, 2), 2: Placement(101, 1)}


def test_clashing_locks_keep_the_higher_priority_one() -> None:
    meetings = [
        MeetingRequest(1, (1, 2), 1.0, locked=Placement(100, 1)),
        MeetingRequest(2, (3, 4), 2.0, locked=Placement(100, 1)),
        MeetingRequest(3, (5, 6), 1.0, locked=Placement(101, 1)),
    ]
    centres = {5: Attendee(5, 3, frozenset({101}), EN)}
    result = solved(fair(meetings, centres=centres))
    assert result.placements == {2: Placement(100, 1)}
    assert result.unplaced == {
        1: "locked placement rejected: table 1 in slot 100 is locked for meeting 2",
        3: "locked placement rejected: centre 5 is unavailable in slot 101",
    }


def test_unavoidable_wait_is_reported_and_absence_is_not_waiting() -> None:
    # given centre 1 meeting 2 (only free in the first slot) and 3 (only free in the last)
    only_first = frozenset({101, 102, 103, 104, 105})
    only_last = frozenset({100, 101, 102, 103, 104})
    centres = {2: Attendee(2, 3, only_first, EN), 3: Attendee(3, 3, only_last, EN)}
    meetings = [MeetingRequest(1, (1, 2), 1.0), MeetingRequest(2, (1, 3), 1.0)]
    result = solved(fair(meetings, n_slots=6, centres=centres, max_idle=1))
    assert result.idle_gaps == (IdleGap(1, 0, 100, 105, 4),)
    # when centre 1 is away for three of those slots, then it waits one slot only
    centres[1] = Attendee(1, 3, frozenset({101, 102, 103}), EN)
    assert solved(fair(meetings, n_slots=6, centres=centres, max_idle=1)).idle_gaps == ()


def test_repair_closes_an_avoidable_wait() -> None:
    # given centre 1 meeting 2 in the first slot and 3 in the last of six, when 3 could move
    meetings = [MeetingRequest(1, (1, 2), 1.0), MeetingRequest(2, (1, 3), 1.0)]
    board = Board(Problem(fair(meetings, n_slots=6, max_idle=1)))
    board.place(0, 0, 0)
    board.place(1, 5, 0)
    assert len(board.idle_gaps()) == 1
    # when the idle repair runs, then the wait is gone and both meetings are still held
    assert repair_idle(board)
    assert board.idle_gaps() == [] and board.value == 2.0


def test_a_swap_closes_a_wait_that_no_single_move_can() -> None:
    # given 1-2 in the first slot, 1-3 in the last; slot 2 is held by 3-4, which can go elsewhere
    meetings = [
        MeetingRequest(1, (1, 2), 1.0),
        MeetingRequest(2, (1, 3), 1.0),
        MeetingRequest(3, (3, 4), 1.0),
    ]
    centres = {
        2: Attendee(2, 5, frozenset({101, 102, 103, 104, 105}), EN),
        3: Attendee(3, 5, frozenset({101, 103, 104}), EN),
    }
    board = Board(Problem(fair(meetings, n_slots=6, centres=centres, max_idle=1)))
    board.place(0, 0, 0)
    board.place(1, 5, 0)
    board.place(2, 2, 0)
    repair_idle(board)
    assert board.idle_gaps() == [] and board.where[1] == (2, 0)


@pytest.mark.parametrize(
    "meetings",
    [
        [MeetingRequest(1, (1, 2), 1.0), MeetingRequest(1, (1, 3), 1.0)],
        [MeetingRequest(1, (1,), 1.0)],
        [MeetingRequest(1, (1, 1), 1.0)],
        [MeetingRequest(1, (1, 2), 0.0)],
        [MeetingRequest(1, (1, 2), float("nan"))],
    ],
)
def test_malformed_input_is_refused(meetings: list[MeetingRequest]) -> None:
    with pytest.raises(ValueError):
        schedule(fair(meetings))


def test_unregistered_centre_is_refused() -> None:
    instance = fair([MeetingRequest(1, (1, 2), 1.0)])
    with pytest.raises(ValueError, match="not registered"):
        schedule(
            FairInstance(instance.slots, instance.tables, instance.centres[:1], instance.meetings)
        )


def test_check_schedule_catches_a_double_booking() -> None:
    instance = fair([MeetingRequest(1, (1, 2), 1.0), MeetingRequest(2, (1, 3), 1.0)])
    bad = Schedule({1: Placement(100, 1), 2: Placement(100, 2)}, {}, 2.0)
    assert check_schedule(instance, bad) == ["centre 1 double booked in slot 100"]


def test_a_mid_sized_fair_is_valid_and_repeatable() -> None:
    instance = random_fair(
        3, FairShape(centres=100, requests=800, days=2, slots_per_day=8, tables=20)
    )
    result = solved(instance)
    assert len(result.placements) > 300
    assert schedule(instance) == result


DIGEST = """
import hashlib
from matching.fair import schedule
from matching.fair.synthetic import FairShape, random_fair
s = schedule(random_fair(5, FairShape(centres=60, requests=400, days=2, slots_per_day=6, tables=12)))
print(hashlib.sha256(repr((sorted(s.placements.items()), sorted(s.unplaced.items()),
                           s.total_priority, s.idle_gaps)).encode()).hexdigest())
"""


def test_same_schedule_in_processes_with_different_hash_seeds() -> None:
    digests = {
        subprocess.run(
            [sys.executable, "-c", DIGEST],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
