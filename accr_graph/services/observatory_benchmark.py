"""A centre's benchmark: its own survey answers beside the network's median and quartiles.

Its own answers are shown only to the centre itself and to staff; the network's figures follow
the observatory's disclosure control.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accr_graph.db import models as m
from accr_graph.repositories import surveys as survey_repo
from accr_graph.services.errors import Refused, fail
from accr_graph.services.observatory import (
    GroupBy,
    Indicator,
    Query,
    disclose,
    load_data,
    survey_figures,
    years_of,
)
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer


@dataclass(frozen=True, slots=True)
class BenchmarkRow:
    key: str  # the question key
    year: int
    own: float | None  # the centre's answer; None when it did not answer
    median: float | None
    q1: float | None
    q3: float | None
    n: int
    withheld: bool


async def benchmark(
    db: Database, viewer: Viewer, centre_id: int, year_from: int | None, year_to: int | None
) -> list[BenchmarkRow]:
    """A centre's numeric answers beside the network's median and quartiles, year by year.

    Its own answers are shown only to the centre itself and to staff."""
    if not viewer.acts_for(centre_id):
        raise fail(Refused("Only the centre itself and ACCR staff may see its benchmark."))
    years = years_of(Query(year_from=year_from, year_to=year_to))
    data = await load_data(db, years)
    figures = {
        (i.key, i.year): i for i in survey_figures(data, GroupBy.NONE, years, lambda k: True)
    }
    figures = {
        k: i for k, i in zip(figures, disclose(figures.values(), viewer.is_staff), strict=True)
    }
    own = {
        (r.year, k): v
        for r in data.answers
        if r.centre_id == centre_id
        for k, v in r.answers.items()
    }
    rows = []
    for year in years:
        for q in (q for q in data.questions.get(year, []) if q.kind.numeric):
            stats = [figures.get((f"survey.{q.key}.{s}", year)) for s in ("median", "q1", "q3")]
            if stats[0] is None and (year, q.key) not in own:
                continue
            rows.append(_benchmark_row(q.key, year, _float(own.get((year, q.key))), stats))
    return rows


def _benchmark_row(
    key: str, year: int, own: float | None, stats: list[Indicator | None]
) -> BenchmarkRow:
    median, q1, q3 = (None if s is None else s.value for s in stats)
    first = stats[0]
    n, withheld = (first.n, first.withheld) if first is not None else (0, False)
    return BenchmarkRow(key, year, own, median, q1, q3, n, withheld)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


async def benchmark_centres(db: Database, viewer: Viewer) -> list[m.Centre]:
    """Whose benchmark the viewer may open: staff any member centre, a member its own."""
    if viewer.is_anonymous:
        return []
    async with db() as session:
        members = await survey_repo.expected_centres(session)
    return [c for c in members if viewer.acts_for(c.id)]
