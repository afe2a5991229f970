"""`node(id:)`: fetch any object by its global ID, through the same loaders (and row filters)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from accr_graph.repositories import audit, auth, fair
from schema.accounts.loaders import UserByIdLoader
from schema.accounts.types import ApiToken, AuditEntry, User
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
from schema.fair.types import Fair, FairRegistration, FairSlot, FairTable, Meeting, MeetingRequest
from schema.meetings.loaders import ProgrammeMeetingByIdLoader
from schema.meetings.types import Meeting as ProgrammeMeeting
from schema.partnerships.loaders import PartnershipByIdLoader
from schema.partnerships.types import Partnership
from schema.proposals.loaders import InterestByIdLoader, ProposalByIdLoader
from schema.proposals.types import Interest, Proposal
from schema.relay import Node, from_global_id
from schema.resources.loaders import ResourceByIdLoader
from schema.resources.types import Resource
from schema.surveys.loaders import SurveyCampaignByIdLoader, SurveyResponseByIdLoader
from schema.surveys.types import SurveyCampaign, SurveyResponse

Resolver = Callable[[Info, int], Awaitable[Node | None]]


def _via(loader: type[Any], node_type: Any) -> Resolver:
    async def resolve(info: Info, pk: int) -> Node | None:
        row = await info.context.loaders.get(loader).load(pk)
        return node_type.from_model(row) if row else None

    return resolve


async def _user(info: Info, pk: int) -> Node | None:
    viewer = info.context.viewer
    if not (viewer.is_staff or viewer.user_id == pk):
        return None
    row = await info.context.loaders.get(UserByIdLoader).load(pk)
    return User.from_model(row) if row else None


async def _api_token(info: Info, pk: int) -> Node | None:
    viewer = info.context.viewer
    async with info.context.sessionmaker() as session:
        row = await auth.token_by_id(session, pk)
    mine = row is not None and row.user_id == viewer.user_id
    return ApiToken.from_model(row) if row and (mine or viewer.is_staff) else None


async def _audit_entry(info: Info, pk: int) -> Node | None:
    viewer = info.context.viewer
    if not (viewer.is_staff and viewer.can("admin")):
        return None
    async with info.context.sessionmaker() as session:
        row = await audit.entry_by_id(session, pk)
    return AuditEntry.from_model(row) if row else None


async def _registration(info: Info, pk: int) -> Node | None:
    async with info.context.sessionmaker() as session:
        row = await fair.registration_by_id(session, pk, info.context.viewer)
    return FairRegistration.from_model(row) if row else None


# Each type with the same visibility as in its lists: a hidden object is simply null.
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
    "FairMeeting": _via(MeetingByIdLoader, Meeting),
    "Meeting": _via(ProgrammeMeetingByIdLoader, ProgrammeMeeting),
    "Resource": _via(ResourceByIdLoader, Resource),
    "User": _user,
    "ApiToken": _api_token,
    "AuditEntry": _audit_entry,
    "FairRegistration": _registration,
    "SurveyCampaign": _via(SurveyCampaignByIdLoader, SurveyCampaign),
    "SurveyResponse": _via(SurveyResponseByIdLoader, SurveyResponse),
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
