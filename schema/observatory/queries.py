"""`observatory { indicators keyFigures benchmark catalogue }`: adapters over the service."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from accr_graph.services import observatory as service
from accr_graph.services import observatory_benchmark as benchmarks
from accr_graph.services.errors import Invalid, ServiceFailure
from schema.context import Info
from schema.observatory.types import BenchmarkEntry, Indicator, IndicatorDefinition
from schema.validation import decode_id

T = TypeVar("T")
MAX_KEYS = 100


async def _checked(pending: Awaitable[T]) -> T:
    """A service's refusal of the arguments becomes a GraphQL error naming the argument."""
    try:
        return await pending
    except ServiceFailure as failure:
        problem = failure.failure
        where = f"`{problem.field}` " if isinstance(problem, Invalid) else ""
        raise GraphQLError(f"{where}{getattr(problem, 'message', problem)}") from None


@strawberry.type(description="The network's figures over time (survey and data).")
class Observatory:
    @strawberry.field(
        description="Indicators per year (default: the last ten years), optionally broken down. "
        "Survey aggregates from fewer than 3 centres are withheld (staff see them)."
    )
    async def indicators(
        self,
        info: Info,
        keys: list[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        group_by: service.GroupBy = service.GroupBy.NONE,
    ) -> list[Indicator]:
        if keys is not None and len(keys) > MAX_KEYS:
            raise GraphQLError(f"`keys`: at most {MAX_KEYS} indicators at once.")
        query = service.Query(tuple(keys or ()), year_from, year_to, service.GroupBy(group_by))
        db, viewer = info.context.sessionmaker, info.context.viewer
        found = await _checked(service.indicators_for(db, viewer, query))
        questions = await service.latest_questions(db)
        return [Indicator.of(item, questions) for item in found]

    @strawberry.field(description="Headline figures of a year (default: last year), public.")
    async def key_figures(self, info: Info, year: int | None = None) -> list[Indicator]:
        db = info.context.sessionmaker
        found = await _checked(service.key_figures(db, year))
        questions = await service.latest_questions(db)
        return [Indicator.of(item, questions) for item in found]

    @strawberry.field(
        description="A centre's survey answers against the network's median and quartiles, "
        "year by year (the centre itself and staff only; default: your centre)."
    )
    async def benchmark(
        self,
        info: Info,
        centre_id: strawberry.ID | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
    ) -> list[BenchmarkEntry]:
        viewer = info.context.viewer
        centre = decode_id(centre_id, "Centre", "centreId") if centre_id else viewer.centre_id
        if centre is None:
            raise GraphQLError("`centreId`: say which centre (you have no centre of your own).")
        db = info.context.sessionmaker
        rows = await _checked(benchmarks.benchmark(db, viewer, centre, year_from, year_to))
        return [BenchmarkEntry.of(row) for row in rows]

    @strawberry.field(description="Every indicator available, with its name and meaning.")
    async def catalogue(self, info: Info) -> list[IndicatorDefinition]:
        db = info.context.sessionmaker
        questions = await service.latest_questions(db)
        return [
            IndicatorDefinition(key=key, groupable=groupable, _questions=questions)
            for key, groupable in service.catalogue(questions.values())
        ]


@strawberry.type
class ObservatoryQuery:
    @strawberry.field(description="The observatory: indicators over time, key figures.")
    def observatory(self) -> Observatory:
        return Observatory()
