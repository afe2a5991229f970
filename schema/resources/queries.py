"""`resources(search:, filter:, orderBy:)`, `resource(id)`.

With `search`, results come ranked from the search index (resources that are not deleted),
with highlights; without, from the table in the order asked. The filter works the same way in
both, and `facets` counts over the whole filtered list.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from accr_graph.db import models as m
from accr_graph.repositories import resources
from accr_graph.repositories.resources import ResourceFilter as FilterData
from accr_graph.repositories.resources import ResourceOrder as OrderData
from accr_graph.repositories.resources import ResourceOrderField
from accr_graph.repositories.search import DocFilter
from accr_graph.services import search as search_service
from accr_graph.services.errors import ServiceFailure
from schema.context import Info
from schema.relay import Edge, OrderDirection, PageInfo, Paging, encode_cursor, paging
from schema.resources.loaders import ResourceByIdLoader
from schema.resources.types import Resource, ResourceConnection
from schema.validation import decode_id, known_slugs

OrderField = strawberry.enum(
    ResourceOrderField, name="ResourceOrderField", description="What to sort resources by."
)


@strawberry.input(description="Resources matching every given criterion (any value within one).")
class ResourceFilter:
    kind: list[m.ResourceKind] | None = strawberry.field(default=None, description="Kinds.")
    theme: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    year: list[int] | None = strawberry.field(default=None, description="Years.")
    language: list[str] | None = strawberry.field(
        default=None, description="Content languages (ISO 639-1)."
    )
    centre: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Centres concerned (global IDs)."
    )
    meeting: strawberry.ID | None = strawberry.field(
        default=None, description="Documents of this meeting."
    )
    deleted: bool = strawberry.field(
        default=False, description="Staff: list the deleted resources instead (no search)."
    )

    def to_data(self) -> FilterData:
        return FilterData(
            kinds=tuple(m.ResourceKind(k) for k in self.kind or ()),
            themes=tuple(self.theme or ()),
            years=tuple(self.year or ()),
            languages=tuple(code.strip().lower() for code in self.language or ()),
            centre_ids=tuple(decode_id(c, "Centre", "filter.centre") for c in self.centre or ()),
            meeting_id=None if self.meeting is None else decode_id(self.meeting, "Meeting"),
            deleted=self.deleted,
        )


@strawberry.input(description="Sort order for resources (ties broken by ID).")
class ResourceOrder:
    field: ResourceOrderField = strawberry.field(
        default=ResourceOrderField.CREATED_AT, description="What to sort by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Ascending or descending."
    )

    def to_data(self) -> OrderData:
        return OrderData(ResourceOrderField(self.field), self.direction is OrderDirection.DESC)


def doc_filter(flt: FilterData) -> DocFilter:
    return DocFilter(
        kinds=("resource",),
        resource_kinds=tuple(k.value for k in flt.kinds),
        years=flt.years,
        languages=flt.languages,
        themes=flt.themes,
        centres=tuple(str(c) for c in flt.centre_ids),
    )


def _connection(
    rows: list[Resource],
    page: Paging,
    offset: int,
    total: int,
    info: Info,
    facets: DocFilter,
    query: str | None,
) -> ResourceConnection:
    edges = [Edge(cursor=encode_cursor(offset + i), node=r) for i, r in enumerate(rows)]
    db, viewer = info.context.sessionmaker, info.context.viewer
    return ResourceConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + len(rows) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
        _facets=lambda: search_service.facets(db, viewer, query, facets),
    )


async def _searched(info: Info, query: str, flt: FilterData, page: Paging) -> ResourceConnection:
    docs = doc_filter(flt)
    db, viewer = info.context.sessionmaker, info.context.viewer
    try:
        # The total comes with the page; counting first is needed only to page from the end.
        known = 2**31
        if page.needs_total_first:
            known = (await search_service.search(db, viewer, query, docs, 0, 0)).total
        window = page.window(known)
        found = await search_service.search(db, viewer, query, docs, window.offset, window.limit)
    except ServiceFailure as failure:
        raise GraphQLError(f"`search`: {getattr(failure.failure, 'message', '')}") from None
    loader = info.context.loaders.get(ResourceByIdLoader)
    rows = await loader.load_many([h.object_id for h in found.hits])
    nodes = [
        Resource.from_model(row, hit.highlights)
        for hit, row in zip(found.hits, rows, strict=True)
        if row is not None
    ]
    return _connection(nodes, page, window.offset, found.total, info, docs, query)


@strawberry.type
class ResourceQuery:
    @strawberry.field(
        description="Resources you may see. With `search`: ranked by relevance, with highlights "
        "(`orderBy` is then ignored); else newest first unless `orderBy` says otherwise."
    )
    async def resources(
        self,
        info: Info,
        search: str | None = None,
        filter: ResourceFilter | None = None,
        order_by: ResourceOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ResourceConnection:
        page = paging(info.context.settings, first, after, last, before)
        flt = (filter or ResourceFilter()).to_data()
        await known_slugs(info, flt.themes, ())
        if search is not None and search.strip() and not flt.deleted:
            return await _searched(info, search, flt, page)
        order = (order_by or ResourceOrder()).to_data()
        viewer = info.context.viewer
        async with info.context.sessionmaker() as session:
            total = await resources.count_resources(session, flt, viewer)
            window = page.window(total)
            rows = await resources.list_resources(session, flt, order, viewer, window)
        nodes = [Resource.from_model(r) for r in rows]
        return _connection(nodes, page, window.offset, total, info, doc_filter(flt), None)

    @strawberry.field(description="One resource by ID, or null when missing or not visible.")
    async def resource(self, info: Info, id: strawberry.ID) -> Resource | None:
        row = await info.context.loaders.get(ResourceByIdLoader).load(decode_id(id, "Resource"))
        return Resource.from_model(row) if row else None
