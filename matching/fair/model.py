"""Plain data of a Project Fair schedule: the instance given to the scheduler and its answer.

Identifiers are the database primary keys. Every record is a frozen dataclass so the service layer
can build an instance from rows and compare answers; nothing here knows about the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Slot:
    """A time slot. Slots are ordered by (day, index); a break is simply a gap between slots."""

    id: int
    day: int
    index: int


@dataclass(frozen=True, slots=True)
class Table:
    """A table: 2 seats for one-to-one meetings, up to 8 for consortium tables."""

    id: int
    capacity: int
    language: str | None = None  # None: fits any meeting


@dataclass(frozen=True, slots=True)
class Attendee:
    """A centre registered for the fair."""

    centre_id: int
    max_meetings: int
    unavailable: frozenset[int] = frozenset()  # slot ids
    languages: frozenset[str] = frozenset()  # ISO 639-1


@dataclass(frozen=True, slots=True)
class Placement:
    slot_id: int
    table_id: int


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """A meeting to place: one-to-one (2 centres) or a consortium table (3-8 centres).

    ``languages`` is the set a table language must belong to; None means the participants' common
    languages. ``locked`` is the published placement of a meeting that must not move.
    """

    id: int
    participants: tuple[int, ...]
    priority: float
    locked: Placement | None = None
    about_proposal: int | None = None
    languages: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class FairInstance:
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    centres: tuple[Attendee, ...]
    meetings: tuple[MeetingRequest, ...]
    max_idle: int = 2  # empty slots in a row a centre should wait at most between two meetings


@dataclass(frozen=True, slots=True)
class IdleGap:
    """A wait longer than ``max_idle``: ``idle_slots`` free slots between two meetings of a day."""

    centre_id: int
    day: int
    after_slot: int  # slot id of the meeting before the wait
    before_slot: int  # slot id of the meeting after the wait
    idle_slots: int


@dataclass(frozen=True, slots=True)
class Schedule:
    placements: Mapping[int, Placement]  # meeting id -> where it is held
    unplaced: Mapping[int, str]  # meeting id -> why it could not be held
    total_priority: float
    idle_gaps: tuple[IdleGap, ...] = field(default=())  # waits above max_idle left in the answer
