"""Seeded random fairs for the bench and the tests: groups, availability holes, caps, languages.

Popularity is skewed (a few centres are asked by many) because that is what makes real fairs
hard: the popular centres' slots and caps are the contested resource.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from matching.fair.model import Attendee, FairInstance, MeetingRequest, Slot, Table
from matching.fair.scheduler import schedule

LANGUAGES = ("en", "fr", "de", "it", "es")


@dataclass(frozen=True, slots=True)
class FairShape:
    centres: int = 30
    requests: int = 150
    days: int = 1
    slots_per_day: int = 8
    tables: int = 6
    group_share: float = 0.1  # share of requests that are consortium tables (3-8 centres)
    hole_share: float = 0.3  # share of centres absent for part of the fair
    language_table_share: float = 0.3
    max_idle: int = 2


def random_fair(seed: int, shape: FairShape) -> FairInstance:
    rng = np.random.default_rng(seed)
    slots = tuple(
        Slot(id=100 + d * shape.slots_per_day + i, day=d, index=i)
        for d in range(shape.days)
        for i in range(shape.slots_per_day)
    )
    tables = _tables(rng, shape)
    centres = tuple(_attendee(rng, c, slots, shape) for c in range(1, shape.centres + 1))
    meetings = _requests(rng, centres, shape, max(t.capacity for t in tables))
    return FairInstance(slots, tables, centres, meetings, shape.max_idle)


def _tables(rng: np.random.Generator, shape: FairShape) -> tuple[Table, ...]:
    out = []
    for t in range(shape.tables):
        # The first tables are one-to-one; at least one consortium table when groups exist.
        capacity = 8 if t == shape.tables - 1 else int(rng.choice([2, 2, 2, 2, 4, 6]))
        language = None
        if rng.random() < shape.language_table_share:
            language = str(rng.choice(LANGUAGES[:3]))
        out.append(Table(id=500 + t, capacity=capacity, language=language))
    return tuple(out)


def _attendee(
    rng: np.random.Generator, c: int, slots: tuple[Slot, ...], shape: FairShape
) -> Attendee:
    languages = {str(lang) for lang in LANGUAGES if rng.random() < (0.85 if lang == "en" else 0.3)}
    if not languages:
        languages = {str(rng.choice(LANGUAGES))}
    unavailable: set[int] = set()
    if rng.random() < shape.hole_share:
        start = int(rng.integers(len(slots)))
        length = int(rng.integers(1, max(2, len(slots) // 3)))
        unavailable = {s.id for s in slots[start : start + length]}
    low = max(1, len(slots) // 3)
    max_meetings = int(rng.integers(low, len(slots) + 1))
    return Attendee(c, max_meetings, frozenset(unavailable), frozenset(languages))


def _requests(
    rng: np.random.Generator, centres: tuple[Attendee, ...], shape: FairShape, max_seats: int
) -> tuple[MeetingRequest, ...]:
    ids = np.array([a.centre_id for a in centres])
    popularity = rng.pareto(1.5, len(ids)) + 1.0
    popularity /= popularity.sum()
    seen: set[tuple[int, ...]] = set()
    out: list[MeetingRequest] = []
    while len(out) < shape.requests:
        size = 2
        if rng.random() < shape.group_share:
            size = int(rng.choice([3, 3, 4, 4, 5, 6, 8]))
        size = min(size, max_seats, len(ids))
        members = tuple(sorted(int(c) for c in rng.choice(ids, size, replace=False, p=popularity)))
        if members in seen:
            continue
        seen.add(members)
        priority = float(rng.choice([1, 1, 2, 2, 3, 5])) * (1.5 if size > 2 else 1.0)
        out.append(MeetingRequest(id=len(out) + 1, participants=members, priority=priority))
    return tuple(out)


def rescheduled_fair(seed: int, shape: FairShape, published_share: float = 0.6) -> FairInstance:
    """A fair during the event: the first requests were scheduled and their meetings published
    (locked); the rest, and the early requests left out, compete for the remaining gaps."""
    fair = random_fair(seed, shape)
    cut = int(len(fair.meetings) * published_share)
    early = replace(fair, meetings=fair.meetings[:cut])
    published = schedule(early).placements
    early_now = tuple(replace(m, locked=published.get(m.id)) for m in early.meetings)
    return replace(fair, meetings=early_now + fair.meetings[cut:])
