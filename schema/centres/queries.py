from __future__ import annotations

import strawberry

from accr_graph.db import models as m
from accr_graph.services import reads
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.reads import CentreFilter as CentreFilterData
from accr_graph.services.reads import CentreOrder as CentreOrderData
from accr_graph.services.reads import CentreOrderField as OrderFieldData
from schema.centres.loaders import CentreBySlugLoader
from schema.centres.prefetch import prefetch_centres
from schema.centres.types import Centre
from schema.context import Info
from schema.relay import Connection, OrderDirection, connection, paging
from schema.validation import country_codes, query_error

CentreOrderField = strawberry.enum(OrderFieldData, description="What to sort centres by.")


@strawberry.input(description="Centres matching every given criterion (any value within one).")
class CentreFilter:
    country: list[str] | None = strawberry.field(default=None, description="ISO country codes.")
    theme: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    offers: list[str] | None = strawberry.field(
        default=None, description="Competency slugs offered."
    )
    seeks: list[str] | None = strawberry.field(default=None, description="Competency slugs sought.")
    label_status: list[m.LabelStatus] | None = strawberry.field(
        default=None, description="Label statuses."
    )
    search: str | None = strawberry.field(
        default=None, description="Free text in name, city or description."
    )

    def to_data(self) -> CentreFilterData:
        return CentreFilterData(
            countries=country_codes(self.country, "filter.country"),
            themes=tuple(self.theme or ()),
            offers=tuple(self.offers or ()),
            seeks=tuple(self.seeks or ()),
            label_statuses=tuple(m.LabelStatus(s) for s in self.label_status or ()),
            search=self.search or None,
        )


@strawberry.input(description="Sort order for centres (ties broken by ID).")
class CentreOrder:
    field: OrderFieldData = strawberry.field(
        default=OrderFieldData.NAME, description="What to sort by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    def to_data(self) -> CentreOrderData:
        return CentreOrderData(OrderFieldData(self.field), self.direction is OrderDirection.DESC)


@strawberry.type
class CentreQuery:
    @strawberry.field(description="Centres of the network, filtered and sorted (by name).")
    async def centres(
        self,
        info: Info,
        filter: CentreFilter | None = None,
        order_by: CentreOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Centre]:
        page = paging(info.context.settings, first, after, last, before)
        flt = (filter or CentreFilter()).to_data()
        order = (order_by or CentreOrder()).to_data()
        try:
            found = await reads.centre_page(info.context.db, flt, order, page.window)
        except ServiceFailure as failure:
            raise query_error(failure) from None
        await prefetch_centres(info, [row.id for row in found.rows])
        return connection(found.rows, found.window, found.total, Centre.from_model)

    @strawberry.field(description="One centre by its slug, or null.")
    async def centre(self, info: Info, slug: str) -> Centre | None:
        row = await info.context.loaders.get(CentreBySlugLoader).load(slug)
        return Centre.from_model(row) if row else None
