"""Partnerships: joint projects, the edges of the cooperation network."""

from __future__ import annotations

import strawberry

from accr_graph.db import models as m
from schema import nodes
from schema.catalogue.types import Theme
from schema.centres.types import Centre, centre_by_id
from schema.context import Info
from schema.partnerships.loaders import MembersByPartnershipIdLoader, ThemesByPartnershipIdLoader
from schema.relay import Node, to_global_id

PartnershipRole = strawberry.enum(m.PartnershipRole, description="A member's part in a project.")


@strawberry.type(description="A centre taking part in a partnership, and its role.")
class PartnershipMember:
    role: m.PartnershipRole = strawberry.field(description="Lead, partner or associate.")
    _centre_id: strawberry.Private[int]

    @strawberry.field(description="The member centre.")
    def centre(self, info: Info) -> Centre:
        return centre_by_id(info, self._centre_id)


@strawberry.type(description="A joint project that centres carried out together.")
class Partnership(Node):
    title: str = strawberry.field(description="Project title.")
    programme: str | None = strawberry.field(description="Funding programme.")
    start_year: int | None = strawberry.field(
        description="Year the project started (e.g. 2019); null when unknown."
    )
    end_year: int | None = strawberry.field(
        description="Year the project ended; null when ongoing or unknown."
    )
    _row: strawberry.Private[m.Partnership]

    @classmethod
    def from_model(cls, row: m.Partnership) -> Partnership:
        return cls(
            id=to_global_id("Partnership", row.id),
            title=row.title,
            programme=row.programme,
            start_year=row.start_year,
            end_year=row.end_year,
            _row=row,
        )

    @strawberry.field(description="The lead centre, when known.")
    def lead(self, info: Info) -> Centre | None:
        lead = self._row.lead_id
        return None if lead is None else centre_by_id(info, lead)

    @strawberry.field(description="Member centres with their roles (lead first).")
    async def members(self, info: Info) -> list[PartnershipMember]:
        rows = await info.context.loaders.get(MembersByPartnershipIdLoader).load(self._row.id)
        return [PartnershipMember(role=r.role, _centre_id=r.centre_id) for r in rows]

    @strawberry.field(description="Themes of the project.")
    async def themes(self, info: Info) -> list[Theme]:
        rows = await info.context.loaders.get(ThemesByPartnershipIdLoader).load(self._row.id)
        return [Theme.from_model(t) for t in rows]


nodes.register("Partnership", Partnership.from_model)
