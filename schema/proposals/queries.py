from __future__ import annotations

import strawberry

from accr_graph.db import models as m
from accr_graph.services import reads
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.reads import ProposalFilter as ProposalFilterData
from accr_graph.services.reads import ProposalOrder as ProposalOrderData
from accr_graph.services.reads import ProposalOrderField as OrderFieldData
from schema.context import Info
from schema.proposals.loaders import ProposalByIdLoader
from schema.proposals.types import Proposal
from schema.relay import Connection, OrderDirection, connection, paging
from schema.validation import country_codes, decode_id, query_error

ProposalOrderField = strawberry.enum(OrderFieldData, description="What to sort proposals by.")


@strawberry.input(description="Proposals matching every given criterion (any value within one).")
class ProposalFilter:
    status: list[m.ProposalStatus] | None = strawberry.field(default=None, description="Statuses.")
    theme: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    seeks: list[str] | None = strawberry.field(default=None, description="Competency slugs sought.")
    offers: list[str] | None = strawberry.field(
        default=None, description="Competency slugs offered."
    )
    owner_country: list[str] | None = strawberry.field(
        default=None, description="ISO codes of the owner centre's country."
    )
    search: str | None = strawberry.field(default=None, description="Free text in title, summary.")
    funding_programme: list[str] | None = strawberry.field(
        default=None, description="Funding programmes, exactly as the proposals name them."
    )

    def to_data(self) -> ProposalFilterData:
        return ProposalFilterData(
            statuses=tuple(m.ProposalStatus(s) for s in self.status or ()),
            themes=tuple(self.theme or ()),
            seeks=tuple(self.seeks or ()),
            offers=tuple(self.offers or ()),
            owner_countries=country_codes(self.owner_country, "filter.ownerCountry"),
            search=self.search or None,
            programmes=tuple(self.funding_programme or ()),
        )


@strawberry.input(description="Sort order for proposals (ties broken by ID).")
class ProposalOrder:
    field: OrderFieldData = strawberry.field(
        default=OrderFieldData.CREATED_AT, description="What to sort by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Ascending or descending."
    )

    def to_data(self) -> ProposalOrderData:
        return ProposalOrderData(OrderFieldData(self.field), self.direction is OrderDirection.DESC)


@strawberry.type
class ProposalQuery:
    @strawberry.field(description="Proposals you may see (newest first by default).")
    async def proposals(
        self,
        info: Info,
        filter: ProposalFilter | None = None,
        order_by: ProposalOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Proposal]:
        page = paging(info.context.settings, first, after, last, before)
        flt = (filter or ProposalFilter()).to_data()
        order = (order_by or ProposalOrder()).to_data()
        context = info.context
        try:
            found = await reads.proposal_page(context.db, context.viewer, flt, order, page.window)
        except ServiceFailure as failure:
            raise query_error(failure) from None
        return connection(found.rows, found.window, found.total, Proposal.from_model)

    @strawberry.field(description="One proposal by ID, or null when missing or not visible.")
    async def proposal(self, info: Info, id: strawberry.ID) -> Proposal | None:
        pk = decode_id(id, "Proposal")
        row = await info.context.loaders.get(ProposalByIdLoader).load(pk)
        return Proposal.from_model(row) if row else None
