"""Hypothesis strategies for small random fairs (and helpers shared by the fair tests)."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TypeVar

from hypothesis import strategies as st

from matching.fair import Attendee, FairInstance, MeetingRequest, Placement, Slot, Table

LANGS = ("en", "fr", "de")
SPOKEN = tuple(frozenset(s) for s in ({"en"}, {"en", "fr"}, {"en"}, {"de", "en"}, {"fr"}))
T = TypeVar("T")


@st.composite
def fairs(draw: st.DrawFn, max_meetings: int = 14, locks: bool = True) -> FairInstance:
    n_slots = draw(st.integers(1, 8))
    days = draw(st.integers(1, 2))
    slots = tuple(Slot(id=10 + i, day=i * days // n_slots, index=i) for i in range(n_slots))
    languages = st.sampled_from((None, None, None, "en", "fr"))
    tables = tuple(
        Table(id=50 + t, capacity=draw(st.sampled_from([2, 2, 2, 3, 4, 8, 1])), language=lang)
        for t, lang in enumerate(draw(st.lists(languages, min_size=1, max_size=5)))
    )
    slot_ids = [s.id for s in slots]
    centres = tuple(
        Attendee(
            centre_id=c,
            max_meetings=draw(st.sampled_from([1, 2, 2, 3, 4, 6, 0])),
            unavailable=frozenset(draw(st.lists(st.sampled_from(slot_ids), max_size=3))),
            languages=draw(st.sampled_from(SPOKEN)),
        )
        for c in range(1, draw(st.integers(2, 7)) + 1)
    )
    meetings = tuple(
        _meeting(draw, i, centres, slot_ids, tables, locks)
        for i in range(1, draw(st.integers(0, max_meetings)) + 1)
    )
    return FairInstance(slots, tables, centres, meetings, max_idle=draw(st.integers(0, 3)))


def _meeting(
    draw: st.DrawFn,
    i: int,
    centres: tuple[Attendee, ...],
    slot_ids: list[int],
    tables: tuple[Table, ...],
    locks: bool,
) -> MeetingRequest:
    ids = [a.centre_id for a in centres]
    size = min(len(ids), draw(st.sampled_from([2, 2, 2, 2, 3, 4, 5])))
    participants = tuple(draw(st.permutations(ids))[:size])
    locked = None
    if locks and draw(st.integers(0, 11)) == 0:
        locked = Placement(draw(st.sampled_from(slot_ids)), draw(st.sampled_from(tables)).id)
    languages = None
    if draw(st.booleans()) and draw(st.booleans()):
        languages = frozenset(draw(st.lists(st.sampled_from(LANGS), max_size=2)))
    priority = draw(st.sampled_from([0.5, 1.0, 2.0, 3.5, 5.0]))
    return MeetingRequest(i, participants, priority, locked, None, languages)


def shuffled(instance: FairInstance, seed: int) -> FairInstance:
    """The same fair with every list (and every participant tuple) in another order."""
    rng = random.Random(seed)

    def mix(items: tuple[T, ...]) -> tuple[T, ...]:
        out = list(items)
        rng.shuffle(out)
        return tuple(out)

    meetings = tuple(replace(m, participants=mix(m.participants)) for m in instance.meetings)
    return replace(
        instance,
        slots=mix(instance.slots),
        tables=mix(instance.tables),
        centres=mix(instance.centres),
        meetings=mix(meetings),
    )
