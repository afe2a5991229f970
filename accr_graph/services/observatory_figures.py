"""The observatory's key figures for the public home page: the latest year with figures.

Aggregates only, disclosure control always applied (a survey total from fewer than 3 centres
reads "not enough answers"). The home page is the most read page, so the figures are computed
once per data version (and calendar year) and shared by the requests meanwhile.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from accr_graph.repositories import data_version
from accr_graph.services import observatory as obs
from accr_graph.services import survey_questions as sq
from accr_graph.services.uow import Database

LOOKBACK = 10  # years searched back for the latest one with figures
STOCKS = frozenset({"network.active_centres"})


@dataclass(frozen=True, slots=True)
class KeyFigures:
    year: int
    figures: list[obs.Indicator]  # in obs.KEY_FIGURES order; withheld ones have no value
    questions: dict[str, sq.Question] = field(default_factory=dict)  # names survey figures


def latest(found: list[obs.Indicator]) -> KeyFigures | None:
    """The latest year where something happened, with its figures: the network's counts, and the
    survey's totals when the year had answers (withheld or not).

    Centres active in a year (a stock: projects that started earlier and still run) do not make
    it a year "where something happened": the home page would read "0 joint projects started"."""
    busy = [i.year for i in found if i.key not in STOCKS and (i.withheld or (i.value or 0) > 0)]
    if not busy:
        return None
    year = max(busy)
    by_key = {i.key: i for i in found if i.year == year}
    shown = [
        by_key[k]
        for k in obs.KEY_FIGURES
        if k in by_key and (k.startswith("network.") or by_key[k].n > 0)
    ]
    return KeyFigures(year, shown)


@dataclass
class _Cached:
    key: tuple[int, int]
    result: asyncio.Future[KeyFigures | None]


_CACHE: weakref.WeakKeyDictionary[Any, _Cached] = weakref.WeakKeyDictionary()


async def _compute(db: Database, last: int) -> KeyFigures | None:
    query = obs.Query(obs.KEY_FIGURES, last - LOOKBACK + 1, last)
    found = latest(await obs.compute(db, query, privileged=False))
    # The questions name the survey figures: read with them, once per data version, not per view.
    return None if found is None else replace(found, questions=await obs.latest_questions(db))


async def home_figures(db: Database) -> KeyFigures | None:
    """The latest complete year's key figures (up to last year), or None on an empty network."""
    last = datetime.now(UTC).year - 1
    async with db() as session:
        key = (await data_version.current(session), last)
    cached = _CACHE.get(db)
    if (
        cached is None
        or cached.key != key
        or (cached.result.done() and cached.result.exception() is not None)
    ):
        cached = _Cached(key, asyncio.ensure_future(_compute(db, last)))
        _CACHE[db] = cached
    return await asyncio.shield(cached.result)
