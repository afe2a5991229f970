from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

import strawberry

from accr_graph.db import models as m
from accr_graph.services import fair_editions as editions
from accr_graph.services import fair_requests as requests
from accr_graph.services import fair_schedule as scheduling
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.fair_editions import (
    BreakSpec,
    DaySpec,
    FairSpec,
    RegistrationSpec,
    TableSpec,
)
from accr_graph.services.fair_schedule import ScheduleRun
from schema.context import Info
from schema.errors import to_graphql_error
from schema.fair.types import Fair, FairRegistration, Meeting, MeetingRequest
from schema.mutations import payload, pk, required_pk


@strawberry.input(description="A break after some slots of a day.")
class FairBreakInput:
    after_slot: int = strawberry.field(description="The break follows this many slots.")
    minutes: int = strawberry.field(description="Length of the break in minutes.")


@strawberry.input(description="One day of the fair and its slot grid (local time of the venue).")
class FairDayInput:
    date: date = strawberry.field(description="The day.")
    start: time = strawberry.field(description="Start of the first slot (venue's local time).")
    slot_minutes: int = strawberry.field(default=20, description="Slot length, 5 to 240.")
    slots: int = strawberry.field(default=12, description="Number of slots that day, 1 to 40.")
    breaks: list[FairBreakInput] | None = strawberry.field(default=None, description="Breaks.")

    def spec(self) -> DaySpec:
        pauses = tuple(BreakSpec(b.after_slot, b.minutes) for b in self.breaks or ())
        return DaySpec(self.date, self.start, self.slot_minutes, self.slots, pauses)


@strawberry.input(description="A meeting table.")
class FairTableInput:
    name: str = strawberry.field(description="Name shown at the venue, unique in the fair.")
    capacity: int = strawberry.field(default=2, description="Seats, 2 (one-to-one) to 8.")
    language: str | None = strawberry.field(
        default=None, description="ISO 639-1 language of the table; null for any."
    )


@strawberry.input(description="A new fair edition (staff).")
class CreateFairInput:
    name: str = strawberry.field(description="Name of the edition.")
    year: int = strawberry.field(description="Year.")
    host_centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="Host centre."
    )
    venue: str | None = strawberry.field(default=None, description="Venue, free text.")
    timezone: str = strawberry.field(default="Europe/Paris", description="IANA time zone.")
    max_idle: int = strawberry.field(
        default=2, description="Empty slots in a row a centre should wait at most."
    )
    days: list[FairDayInput] = strawberry.field(description="The days, in date order.")
    tables: list[FairTableInput] = strawberry.field(description="The tables.")

    def spec(self) -> FairSpec:
        return FairSpec(
            name=self.name,
            year=self.year,
            host_centre_id=pk(self.host_centre_id, "Centre", "hostCentreId"),
            days=tuple(d.spec() for d in self.days),
            tables=tuple(TableSpec(t.name, t.capacity, t.language) for t in self.tables),
            venue=self.venue,
            timezone=self.timezone,
            max_idle=self.max_idle,
        )


@strawberry.input(description="Open or close a fair's registration (staff).")
class SetFairRegistrationOpenInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    open: bool = strawberry.field(description="False closes registration to members.")


@strawberry.input(description="Register a centre (or update its registration).")
class RegisterForFairInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="The centre; defaults to your own centre."
    )
    representatives: list[str] = strawberry.field(description="Who comes (1 to 3 names).")
    unavailable_slot_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Slots in which the centre is away."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="Working languages (ISO 639-1); default: the centre's."
    )
    max_meetings: int | None = strawberry.field(
        default=None, description="Most meetings accepted; default: one per slot."
    )
    proposal_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The centre's proposals it presents."
    )

    def spec(self) -> RegistrationSpec:
        return RegistrationSpec(
            representatives=tuple(self.representatives),
            unavailable_slot_ids=tuple(
                required_pk(s, "FairSlot", "unavailableSlotIds")
                for s in self.unavailable_slot_ids or ()
            ),
            languages=tuple(self.languages) if self.languages is not None else None,
            max_meetings=self.max_meetings,
            proposal_ids=tuple(
                required_pk(p, "Proposal", "proposalIds") for p in self.proposal_ids or ()
            ),
        )


@strawberry.input(description="Ask another registered centre for a one-to-one meeting.")
class RequestMeetingInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    from_centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="The asking centre; defaults to your own centre."
    )
    to_centre_id: strawberry.ID = strawberry.field(description="The centre asked.")
    proposal_id: strawberry.ID | None = strawberry.field(
        default=None, description="A proposal of either centre the meeting is about."
    )
    priority: int = strawberry.field(default=3, description="1 (nice to have) to 5.")
    message: str | None = strawberry.field(default=None, description="Note to the centre.")


@strawberry.input(description="The asked centre's answer.")
class RespondToMeetingRequestInput:
    request_id: strawberry.ID = strawberry.field(description="Global ID of the request.")
    accept: bool = strawberry.field(description="True to accept, false to decline.")


@strawberry.input(description="A proposal owner's consortium table with interested centres.")
class RequestConsortiumTableInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    proposal_id: strawberry.ID = strawberry.field(description="The proposal (yours).")
    centre_ids: list[strawberry.ID] = strawberry.field(
        description="2 to 7 registered centres that showed interest in the proposal."
    )
    priority: int = strawberry.field(default=3, description="1 (nice to have) to 5.")
    message: str | None = strawberry.field(default=None, description="Note to the centres.")


@strawberry.input(description="Which fair.")
class FairInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")


@strawberry.input(name="CancelFairMeetingInput", description="Which Fair meeting.")
class CancelMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="Global ID of the meeting.")


@strawberry.type(description="The fair as saved.")
class FairSuccess:
    fair: Fair = strawberry.field(description="The fair after the change.")


@strawberry.type(description="The registration as saved.")
class RegistrationSuccess:
    registration: FairRegistration = strawberry.field(description="The registration.")


@strawberry.type(description="The request as saved.")
class MeetingRequestSuccess:
    request: MeetingRequest = strawberry.field(description="The request after the change.")


@strawberry.type(name="FairMeetingSuccess", description="The Fair meeting as saved.")
class MeetingSuccess:
    meeting: Meeting = strawberry.field(description="The meeting after the change.")


@strawberry.type(description="What the scheduler did; read `fair.meetings` and `unscheduled`.")
class ScheduleSuccess:
    fair: Fair = strawberry.field(description="The fair.")
    placed: int = strawberry.field(description="Meetings placed (published ones included).")
    unplaced: int = strawberry.field(description="Accepted requests not placed.")
    total_priority: float = strawberry.field(description="Sum of the priorities placed.")
    idle_gaps: int = strawberry.field(description="Waits above `maxIdle` left in the schedule.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    FairPayload = FairSuccess | MutationError
    RegistrationPayload = RegistrationSuccess | MutationError
    MeetingRequestPayload = MeetingRequestSuccess | MutationError
    MeetingPayload = MeetingSuccess | MutationError
    SchedulePayload = ScheduleSuccess | MutationError
else:
    FairPayload = payload("FairPayload", FairSuccess, "A fair, or why not.")
    RegistrationPayload = payload(
        "RegistrationPayload", RegistrationSuccess, "A registration, or why not."
    )
    MeetingRequestPayload = payload(
        "MeetingRequestPayload", MeetingRequestSuccess, "A meeting request, or why not."
    )
    MeetingPayload = payload("FairMeetingPayload", MeetingSuccess, "A Fair meeting, or why not.")
    SchedulePayload = payload("SchedulePayload", ScheduleSuccess, "A schedule run, or why not.")


def _fair(row: m.Fair) -> FairSuccess:
    return FairSuccess(fair=Fair.from_model(row))


def _request(row: m.FairMeetingRequest) -> MeetingRequestSuccess:
    return MeetingRequestSuccess(request=MeetingRequest.from_model(row))


def _schedule(run_: ScheduleRun) -> ScheduleSuccess:
    return ScheduleSuccess(
        fair=Fair.from_model(run_.fair),
        placed=run_.placed,
        unplaced=run_.unplaced,
        total_priority=run_.total_priority,
        idle_gaps=run_.idle_gaps,
    )


def _fair_id(data: FairInput | SetFairRegistrationOpenInput) -> int:
    return required_pk(data.fair_id, "Fair", "fairId")


@strawberry.type
class FairMutation:
    @strawberry.mutation(description="Create a fair edition with its slot grid and tables.")
    async def create_fair(self, info: Info, input: CreateFairInput) -> FairPayload:
        context = info.context
        try:
            row = await editions.create_fair(context.db, context.actor, input.spec())
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _fair(row)

    @strawberry.mutation(description="Open or close registration (staff).")
    async def set_fair_registration_open(
        self, info: Info, input: SetFairRegistrationOpenInput
    ) -> FairPayload:
        context = info.context
        try:
            fair_id = _fair_id(input)
            row = await editions.set_registration_open(
                context.db, context.actor, fair_id, input.open
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _fair(row)

    @strawberry.mutation(description="Register a centre for a fair, or update its registration.")
    async def register_for_fair(
        self, info: Info, input: RegisterForFairInput
    ) -> RegistrationPayload:
        context = info.context
        try:
            fair_id = required_pk(input.fair_id, "Fair", "fairId")
            centre_id = pk(input.centre_id, "Centre", "centreId")
            row = await editions.register_for_fair(
                context.db, context.actor, fair_id, centre_id, input.spec()
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return RegistrationSuccess(registration=FairRegistration.from_model(row))

    @strawberry.mutation(
        description="Ask a registered centre for a meeting (accepts its pending request to you "
        "instead, if it asked first)."
    )
    async def request_meeting(
        self, info: Info, input: RequestMeetingInput
    ) -> MeetingRequestPayload:
        context = info.context
        try:
            row = await requests.request_meeting(
                context.db,
                context.actor,
                required_pk(input.fair_id, "Fair", "fairId"),
                pk(input.from_centre_id, "Centre", "fromCentreId"),
                required_pk(input.to_centre_id, "Centre", "toCentreId"),
                pk(input.proposal_id, "Proposal", "proposalId"),
                input.priority,
                input.message,
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _request(row)

    @strawberry.mutation(description="Accept or decline a meeting request made to your centre.")
    async def respond_to_meeting_request(
        self, info: Info, input: RespondToMeetingRequestInput
    ) -> MeetingRequestPayload:
        context = info.context
        try:
            ident = required_pk(input.request_id, "MeetingRequest", "requestId")
            row = await requests.respond_to_meeting_request(
                context.db, context.actor, ident, input.accept
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _request(row)

    @strawberry.mutation(description="Ask for a consortium table about your proposal.")
    async def request_consortium_table(
        self, info: Info, input: RequestConsortiumTableInput
    ) -> MeetingRequestPayload:
        context = info.context
        try:
            row = await requests.request_consortium_table(
                context.db,
                context.actor,
                required_pk(input.fair_id, "Fair", "fairId"),
                required_pk(input.proposal_id, "Proposal", "proposalId"),
                [required_pk(c, "Centre", "centreIds") for c in input.centre_ids],
                input.priority,
                input.message,
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _request(row)

    @strawberry.mutation(
        description="Run the scheduler (staff): places accepted requests; published meetings "
        "stay where they are."
    )
    async def schedule_fair(self, info: Info, input: FairInput) -> SchedulePayload:
        context = info.context
        try:
            run_ = await scheduling.schedule_fair(context.db, context.actor, _fair_id(input))
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _schedule(run_)

    @strawberry.mutation(description="Publish the placed meetings to the agendas (staff).")
    async def publish_schedule(self, info: Info, input: FairInput) -> FairPayload:
        context = info.context
        try:
            row = await scheduling.publish_schedule(context.db, context.actor, _fair_id(input))
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _fair(row)

    @strawberry.mutation(
        name="cancelFairMeeting",
        description="Cancel a Fair meeting (staff, or a centre taking part).",
    )
    async def cancel_meeting(self, info: Info, input: CancelMeetingInput) -> MeetingPayload:
        context = info.context
        try:
            ident = required_pk(input.meeting_id, "FairMeeting", "meetingId")
            row = await scheduling.cancel_meeting(context.db, context.actor, ident)
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return MeetingSuccess(meeting=Meeting.from_model(row))
