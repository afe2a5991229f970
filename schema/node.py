"""`node(id:)`: fetch any object by its global ID, through the same loaders (and row filters)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from schema.catalogue.loaders import CompetencyByIdLoader, ThemeByIdLoader
from schema.catalogue.types import Competency, Theme
from schema.centres.loaders import CentreByIdLoader
from schema.centres.types import Centre
from schema.context import Info
from schema.fair.loaders import (
    FairByIdLoader,
    FairSlotByIdLoader,
    FairTableByIdLoader,
    MeetingByIdLoader,
    MeetingRequestByIdLoader,
)
from schema.fair.types import Fair, FairSlot, FairTable, Meeting, MeetingRequest
from schema.partnerships.loaders import PartnershipByIdLoader
from schema.partnerships.types import Partnership
from schema.proposals.loaders import InterestByIdLoader, ProposalByIdLoader
from schema.proposals.types import Interest, Proposal
from schema.relay import Node, from_global_id

Resolver = Callable[[Info, int], Awaitable[Node | None]]


def _via(loader: type[Any], node_type: Any) -> Resolver:
    async def resolve(info: Info, pk: int) -> Node | None:
        row = await info.context.loaders.get(loader).load(pk)
        return node_type.from_model(row) if row else None

    return resolve


RESOLVERS: dict[str, Resolver] = {
    "Centre": _via(CentreByIdLoader, Centre),
    "Proposal": _via(ProposalByIdLoader, Proposal),
    "Interest": _via(InterestByIdLoader, Interest),
    "Partnership": _via(PartnershipByIdLoader, Partnership),
    "Theme": _via(ThemeByIdLoader, Theme),
    "Competency": _via(CompetencyByIdLoader, Competency),
    "Fair": _via(FairByIdLoader, Fair),
    "FairSlot": _via(FairSlotByIdLoader, FairSlot),
    "FairTable": _via(FairTableByIdLoader, FairTable),
    "MeetingRequest": _via(MeetingRequestByIdLoader, MeetingRequest),
    "Meeting": _via(MeetingByIdLoader, Meeting),
}


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID; null when unknown or not visible.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        decoded = from_global_id(id)
        resolver = RESOLVERS.get(decoded[0]) if decoded else None
        if decoded is None or resolver is None:
            return None
        return await resolver(info, decoded[1])
