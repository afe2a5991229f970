from __future__ import annotations

import strawberry

from accr_graph.db import models as m
from accr_graph.repositories import centres
from accr_graph.repositories.centres import CentreFilter as CentreFilterData
from accr_graph.repositories.centres import CentreOrder as CentreOrderData
from accr_graph.repositories.centres import CentreOrderField as OrderFieldData
from schema.centres.loaders import CentreBySlugLoader
from schema.centres.prefetch import prefetch_centres
from schema.centres.types import Centre
from schema.context import Info
from schema.relay import Connection, OrderDirection, connection, paging
from schema.validation import country_codes, known_slugs

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
        await known_slugs(info, flt.themes, (*flt.offers, *flt.seeks))
        order = (order_by or CentreOrder()).to_data()
        async with info.context.sessionmaker() as session:
            total = await centres.count_centres(session, flt)
            window = page.window(total)
            rows = await centres.list_centres(session, flt, order, window)
        await prefetch_centres(info, [row.id for row in rows])
        return connection(rows, window, total, Centre.from_model)

    @strawberry.field(description="One centre by its slug, or null.")
    async def centre(self, info: Info, slug: str) -> Centre | None:
        row = await info.context.loaders.get(CentreBySlugLoader).load(slug)
        return Centre.from_model(row) if row else None
