"""Project Fair types. Rows stay private; lists come through per-request loaders."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from graphql import GraphQLError

from accr_graph.db import models as m
from accr_graph.repositories import fair as repo
from accr_graph.services import fair_common, fair_requests
from schema.centres.types import Centre, centre_by_id, centres_by_ids
from schema.context import Info
from schema.fair.loaders import (
    FairSlotByIdLoader,
    FairTableByIdLoader,
    MeetingRequestByIdLoader,
    MeetingRequestsByFairIdLoader,
    MeetingsByFairIdLoader,
    MembersByRequestIdLoader,
    RegisteredCentresByFairIdLoader,
    RegistrationsByFairIdLoader,
    SlotsByFairIdLoader,
    TablesByFairIdLoader,
    UnscheduledByFairIdLoader,
)
from schema.network.queries import matching_service
from schema.network.types import Suggestion
from schema.proposals.loaders import ProposalByIdLoader
from schema.proposals.types import Proposal
from schema.relay import Node, to_global_id
from schema.validation import check_first, decode_id

MeetingRequestStatus = strawberry.enum(
    m.MeetingRequestStatus, description="Pending until the asked centre answers."
)
MeetingKind = strawberry.enum(m.MeetingKind, description="One-to-one, or a consortium table.")
MeetingStatus = strawberry.enum(
    m.MeetingStatus, description="Draft (last run), published (on agendas, locked), cancelled."
)


async def _proposal(info: Info, proposal_id: int | None) -> Proposal | None:
    if proposal_id is None:
        return None
    row = await info.context.loaders.get(ProposalByIdLoader).load(proposal_id)
    return Proposal.from_model(row) if row else None


def _may_see_centre(info: Info, centre_id: int) -> None:
    viewer = info.context.viewer
    if not viewer.acts_for(centre_id):
        raise GraphQLError(
            "PermissionDenied: only members of this centre or ACCR staff may see its agenda.",
            extensions={"code": "PERMISSION_DENIED"},
        )


@strawberry.type(description="A time slot of the fair.")
class FairSlot(Node):
    day: int = strawberry.field(description="Day of the fair, from 0 (index into `Fair.days`).")
    position: int = strawberry.field(description="Order within the day, from 0.")
    starts_at: datetime = strawberry.field(description="Start (ISO 8601, UTC).")
    ends_at: datetime = strawberry.field(description="End (ISO 8601, UTC).")

    @classmethod
    def from_model(cls, row: m.FairSlot) -> FairSlot:
        return cls(
            id=to_global_id("FairSlot", row.id),
            day=row.day,
            position=row.position,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
        )


@strawberry.type(description="A meeting table: 2 seats for one-to-one, up to 8 for consortia.")
class FairTable(Node):
    name: str = strawberry.field(description="Name shown at the venue (e.g. A1).")
    capacity: int = strawberry.field(description="Seats (one per centre), 2 to 8.")
    language: str | None = strawberry.field(
        description="ISO 639-1 language of the table; null when any language fits."
    )
    _row: strawberry.Private[m.FairTable]

    @classmethod
    def from_model(cls, row: m.FairTable) -> FairTable:
        return cls(
            id=to_global_id("FairTable", row.id),
            name=row.name,
            capacity=row.capacity,
            language=row.language,
            _row=row,
        )

    @strawberry.field(description="The table's meetings you may see, in time order.")
    async def meetings(self, info: Info) -> list[Meeting]:
        rows = await info.context.loaders.get(MeetingsByFairIdLoader).load(self._row.fair_id)
        return [Meeting.from_model(r) for r in rows if r.table_id == self._row.id]


@strawberry.type(description="A centre registered for a fair.")
class FairRegistration(Node):
    representatives: list[str] = strawberry.field(description="Who comes (1 to 3 names).")
    languages: list[str] = strawberry.field(description="Working languages (ISO 639-1).")
    max_meetings: int = strawberry.field(description="Most meetings the centre accepts.")
    _row: strawberry.Private[m.FairRegistration]

    @classmethod
    def from_model(cls, row: m.FairRegistration) -> FairRegistration:
        return cls(
            id=to_global_id("FairRegistration", row.id),
            representatives=list(row.representatives),
            languages=list(row.languages),
            max_meetings=row.max_meetings,
            _row=row,
        )

    @strawberry.field(description="The registered centre.")
    def centre(self, info: Info) -> Centre:
        return centre_by_id(info, self._row.centre_id)

    @strawberry.field(description="Slots in which the centre is away.")
    async def unavailable_slots(self, info: Info) -> list[FairSlot]:
        loader = info.context.loaders.get(FairSlotByIdLoader)
        rows = await loader.load_many(self._row.unavailable_slot_ids)
        return [FairSlot.from_model(r) for r in rows if r is not None]

    @strawberry.field(description="Proposals the centre presents at the fair.")
    async def proposals(self, info: Info) -> list[Proposal]:
        loader = info.context.loaders.get(ProposalByIdLoader)
        rows = await loader.load_many(self._row.proposal_ids)
        return [Proposal.from_model(r) for r in rows if r is not None]


@strawberry.type(description="A request for a one-to-one meeting or a consortium table.")
class MeetingRequest(Node):
    kind: m.MeetingKind = strawberry.field(description="One-to-one or consortium table.")
    status: m.MeetingRequestStatus = strawberry.field(description="Where the request stands.")
    priority: int = strawberry.field(description="1 (nice to have) to 5 (essential).")
    message: str | None = strawberry.field(description="Note to the other centre(s).")
    created_at: datetime = strawberry.field(description="When it was asked (ISO 8601, UTC).")
    responded_at: datetime | None = strawberry.field(
        description="When it was accepted or declined; null while pending."
    )
    _row: strawberry.Private[m.FairMeetingRequest]

    @classmethod
    def from_model(cls, row: m.FairMeetingRequest) -> MeetingRequest:
        return cls(
            id=to_global_id("MeetingRequest", row.id),
            kind=row.kind,
            status=row.status,
            priority=row.priority,
            message=row.message,
            created_at=row.created_at,
            responded_at=row.responded_at,
            _row=row,
        )

    @strawberry.field(description="The centre that asked (for a table: the proposal owner).")
    def requester(self, info: Info) -> Centre:
        return centre_by_id(info, self._row.requester_id)

    @strawberry.field(description="The centre asked; null for a consortium table.")
    def target(self, info: Info) -> Centre | None:
        target = self._row.target_id
        return centre_by_id(info, target) if target is not None else None

    @strawberry.field(description="Every centre at the meeting, the requester first.")
    async def participants(self, info: Info) -> list[Centre]:
        members = await info.context.loaders.get(MembersByRequestIdLoader).load(self._row.id)
        ids = fair_common.participant_ids(self._row, members)
        return await centres_by_ids(info, ids)

    @strawberry.field(description="The proposal the meeting is about; null when none.")
    async def proposal(self, info: Info) -> Proposal | None:
        return await _proposal(info, self._row.proposal_id)


@strawberry.type(
    name="FairMeeting",
    description="A scheduled Fair meeting: a request placed at a slot and table.",
)
class Meeting(Node):
    status: m.MeetingStatus = strawberry.field(description="Draft, published or cancelled.")
    reason: str | None = strawberry.field(
        description="Why it is not (or no longer validly) placed; null when placed fine."
    )
    published_at: datetime | None = strawberry.field(description="When it was published.")
    _row: strawberry.Private[m.FairMeeting]

    @classmethod
    def from_model(cls, row: m.FairMeeting) -> Meeting:
        return cls(
            id=to_global_id("FairMeeting", row.id),
            status=row.status,
            reason=row.reason,
            published_at=row.published_at,
            _row=row,
        )

    @strawberry.field(description="When; null when not placed.")
    async def slot(self, info: Info) -> FairSlot | None:
        if self._row.slot_id is None:
            return None
        row = await info.context.loaders.get(FairSlotByIdLoader).load(self._row.slot_id)
        return FairSlot.from_model(row) if row else None

    @strawberry.field(description="Where; null when not placed.")
    async def table(self, info: Info) -> FairTable | None:
        if self._row.table_id is None:
            return None
        row = await info.context.loaders.get(FairTableByIdLoader).load(self._row.table_id)
        return FairTable.from_model(row) if row else None

    @strawberry.field(description="The request it answers.")
    async def request(self, info: Info) -> MeetingRequest | None:
        row = await info.context.loaders.get(MeetingRequestByIdLoader).load(self._row.request_id)
        return MeetingRequest.from_model(row) if row else None


@strawberry.type(description="An accepted request the last schedule run could not place.")
class UnscheduledRequest:
    reason: str = strawberry.field(description="Why (see docs/fair.md for the list).")
    published: bool = strawberry.field(
        description="True when it is a published meeting whose place could not be kept."
    )
    _row: strawberry.Private[m.FairMeeting]

    @strawberry.field(description="The request.")
    async def request(self, info: Info) -> MeetingRequest | None:
        row = await info.context.loaders.get(MeetingRequestByIdLoader).load(self._row.request_id)
        return MeetingRequest.from_model(row) if row else None


@strawberry.type(description="One Project Fair edition.")
class Fair(Node):
    name: str = strawberry.field(description="Name of the edition.")
    year: int = strawberry.field(description="Year of the edition.")
    venue: str | None = strawberry.field(description="Venue, free text; null when unknown.")
    timezone: str = strawberry.field(description="IANA time zone of the venue.")
    days: list[date] = strawberry.field(description="The fair's days, in order.")
    registration_open: bool = strawberry.field(description="Centres may still register.")
    max_idle: int = strawberry.field(description="Empty slots in a row a centre should wait.")
    scheduled_at: datetime | None = strawberry.field(description="Last scheduler run.")
    published_at: datetime | None = strawberry.field(description="Last publication.")
    schedule_version: int = strawberry.field(
        description="Grows with every change of the published schedule."
    )
    _row: strawberry.Private[m.Fair]

    @classmethod
    def from_model(cls, row: m.Fair) -> Fair:
        return cls(
            id=to_global_id("Fair", row.id),
            name=row.name,
            year=row.year,
            venue=row.venue,
            timezone=row.timezone,
            days=[date.fromisoformat(d) for d in row.days],
            registration_open=row.registration_open,
            max_idle=row.max_idle,
            scheduled_at=row.scheduled_at,
            published_at=row.published_at,
            schedule_version=row.schedule_version,
            _row=row,
        )

    @strawberry.field(description="The host centre; null when none.")
    def host_centre(self, info: Info) -> Centre | None:
        host = self._row.host_centre_id
        return centre_by_id(info, host) if host is not None else None

    @strawberry.field(description="Time slots, by day then time.")
    async def slots(self, info: Info) -> list[FairSlot]:
        rows = await info.context.loaders.get(SlotsByFairIdLoader).load(self._row.id)
        return [FairSlot.from_model(r) for r in rows]

    @strawberry.field(description="Meeting tables.")
    async def tables(self, info: Info) -> list[FairTable]:
        rows = await info.context.loaders.get(TablesByFairIdLoader).load(self._row.id)
        return [FairTable.from_model(r) for r in rows]

    @strawberry.field(
        description="Registrations with representatives and availability: staff see all, a "
        "centre its own (see `registeredCentres` for who attends)."
    )
    async def registrations(self, info: Info) -> list[FairRegistration]:
        rows = await info.context.loaders.get(RegistrationsByFairIdLoader).load(self._row.id)
        return [FairRegistration.from_model(r) for r in rows]

    @strawberry.field(description="Centres registered for the fair (signed-in users).")
    async def registered_centres(self, info: Info) -> list[Centre]:
        if info.context.viewer.is_anonymous:
            return []
        ids = await info.context.loaders.get(RegisteredCentresByFairIdLoader).load(self._row.id)
        return await centres_by_ids(info, ids)

    @strawberry.field(description="Meeting requests: staff see all, a centre those it is part of.")
    async def meeting_requests(self, info: Info) -> list[MeetingRequest]:
        rows = await info.context.loaders.get(MeetingRequestsByFairIdLoader).load(self._row.id)
        return [MeetingRequest.from_model(r) for r in rows]

    @strawberry.field(
        description="Placed meetings in time order: staff see drafts too, a centre its published "
        "ones. `centre` gives one centre's agenda (its members or staff); `table` one table's."
    )
    async def meetings(
        self, info: Info, centre: strawberry.ID | None = None, table: strawberry.ID | None = None
    ) -> list[Meeting]:
        if centre is None and table is None:
            rows = await info.context.loaders.get(MeetingsByFairIdLoader).load(self._row.id)
            return [Meeting.from_model(r) for r in rows]
        centre_pk = decode_id(centre, "Centre", "centre") if centre is not None else None
        table_pk = decode_id(table, "FairTable", "table") if table is not None else None
        if centre_pk is not None:
            _may_see_centre(info, centre_pk)
        async with info.context.sessionmaker() as session:
            found = await repo.placed_meetings(
                session, [self._row.id], info.context.viewer, centre_pk, table_pk
            )
        return [Meeting.from_model(r) for r in found.get(self._row.id, [])]

    @strawberry.field(description="Accepted requests the last run could not place, with why.")
    async def unscheduled(self, info: Info) -> list[UnscheduledRequest]:
        rows = await info.context.loaders.get(UnscheduledByFairIdLoader).load(self._row.id)
        return [
            UnscheduledRequest(
                reason=r.reason or "not placed",
                published=r.status is m.MeetingStatus.PUBLISHED,
                _row=r,
            )
            for r in rows
        ]

    @strawberry.field(
        description="Suggested partners among the registered centres, with reasons, that the "
        "centre has not asked yet (its members or staff). Accept one with `requestMeeting`."
    )
    async def suggested_meetings(
        self, info: Info, centre: strawberry.ID, first: int = 10
    ) -> list[Suggestion]:
        centre_pk = decode_id(centre, "Centre", "centre")
        _may_see_centre(info, centre_pk)
        async with info.context.sessionmaker() as session:
            found = await fair_requests.suggested_meetings(
                session, matching_service(info), self._row.id, centre_pk, check_first(first)
            )
        return [Suggestion.of(s) for s in found]


@strawberry.type(description="The published schedule of a fair changed.")
class FairScheduleUpdate:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    schedule_version: int = strawberry.field(description="The schedule version now published.")
    published_at: datetime | None = strawberry.field(description="When it was last published.")
