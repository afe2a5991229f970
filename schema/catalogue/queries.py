from __future__ import annotations

import strawberry

from accr_graph.services import reads
from schema.catalogue.types import Competency, Country, Theme
from schema.context import Info
from schema.relay import Connection, paging, slice_connection


@strawberry.type
class CatalogueQuery:
    @strawberry.field(description="All themes, by slug.")
    async def themes(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Theme]:
        page = paging(info.context.settings, first, after, last, before)
        rows = await reads.themes(info.context.db)
        return slice_connection(rows, page, Theme.from_model)

    @strawberry.field(description="The shared pool of competencies, optionally of one category.")
    async def competencies(
        self,
        info: Info,
        category: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Competency]:
        page = paging(info.context.settings, first, after, last, before)
        rows = await reads.competencies(info.context.db, category)
        return slice_connection(rows, page, Competency.from_model)

    @strawberry.field(description="Countries that have centres, with their centre count.")
    async def countries(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Country]:
        page = paging(info.context.settings, first, after, last, before)
        counts = await reads.countries(info.context.db)
        return slice_connection(counts, page, lambda pair: Country.of(*pair))
