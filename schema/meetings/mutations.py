"""Meetings programme mutations: each decodes its input, calls one service, renders a payload."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from accr_graph.db import models as m
from accr_graph.services import meeting_calendar, meeting_registrations, meetings
from accr_graph.services.fields import provided
from accr_graph.services.meeting_registrations import AttendanceEntry
from accr_graph.services.meetings import AgendaSpec, MeetingSpec
from schema.context import Info
from schema.errors import MutationError
from schema.meetings.types import Meeting, MeetingRegistration
from schema.mutations import TranslationInput, attempt, payload, pk, required_pk, texts


@strawberry.input(description="One programme item (replaces the whole agenda when given).")
class AgendaItemInput:
    title: list[TranslationInput] = strawberry.field(description="Title, in one or more languages.")
    starts_at: datetime | None = strawberry.field(
        default=None, description="Local time of the meeting's zone (no offset), or an instant."
    )
    speaker: str | None = strawberry.field(default=None, description="Who speaks.")
    resource_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Hub documents shown with the item."
    )

    def spec(self) -> AgendaSpec:
        return AgendaSpec(
            title=texts(self.title) or [],
            starts_at=self.starts_at,
            speaker=self.speaker,
            resource_ids=tuple(
                required_pk(r, "Resource", "agenda.resourceIds") for r in self.resource_ids or ()
            ),
        )


@strawberry.input(description="A new programme meeting (staff). Times are local to `timeZone`.")
class CreateMeetingInput:
    kind: m.ProgrammeKind = strawberry.field(description="What kind of meeting.")
    title: list[TranslationInput] = strawberry.field(description="Title, in one or more languages.")
    starts_at: datetime = strawberry.field(
        description="Start, local time in `timeZone` without offset (a time skipped by a DST "
        "change is refused), or an instant with offset."
    )
    ends_at: datetime = strawberry.field(description="End, as `startsAt`.")
    time_zone: str = strawberry.field(default="Europe/Paris", description="IANA time zone.")
    description: list[TranslationInput] | None = strawberry.field(
        default=None, description="Description, in one or more languages."
    )
    themes: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    host_centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="Host centre; null: the ACCR hosts it."
    )
    online: bool = strawberry.field(default=False, description="True when it happens online.")
    venue_centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="The centre whose site hosts it (its coordinates are used)."
    )
    address: str | None = strawberry.field(default=None, description="Street address.")
    latitude: float | None = strawberry.field(default=None, description="Latitude.")
    longitude: float | None = strawberry.field(default=None, description="Longitude.")
    join_url: str | None = strawberry.field(
        default=None, description="Online link (http/https), shown to registered centres only."
    )
    capacity: int | None = strawberry.field(
        default=None, description="Seats (centres); null for no limit."
    )
    registration_deadline: datetime | None = strawberry.field(
        default=None, description="Last moment to register, as `startsAt`; null: the start."
    )
    agenda: list[AgendaItemInput] | None = strawberry.field(
        default=None, description="Programme items."
    )

    def spec(self) -> MeetingSpec:
        return MeetingSpec(
            kind=self.kind,
            title=texts(self.title),
            description=texts(self.description),
            themes=self.themes,
            host_centre_id=pk(self.host_centre_id, "Centre", "hostCentreId"),
            online=self.online,
            venue_centre_id=pk(self.venue_centre_id, "Centre", "venueCentreId"),
            address=self.address,
            latitude=self.latitude,
            longitude=self.longitude,
            join_url=self.join_url,
            timezone=self.time_zone,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            capacity=self.capacity,
            registration_deadline=self.registration_deadline,
            agenda=None if self.agenda is None else [a.spec() for a in self.agenda],
            changed=provided(self),
        )


@strawberry.input(description="Changes to a meeting (staff); omitted fields stay as they are.")
class UpdateMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="Global ID of the meeting.")
    expected_version: int | None = strawberry.field(
        default=None, description="The version you read; a newer saved one is a Conflict."
    )
    kind: m.ProgrammeKind | None = strawberry.field(default=None, description="Kind.")
    title: list[TranslationInput] | None = strawberry.field(default=None, description="Title.")
    description: list[TranslationInput] | None = strawberry.field(
        default=None, description="Description."
    )
    themes: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    host_centre_id: strawberry.ID | None = strawberry.field(default=None, description="Host.")
    online: bool | None = strawberry.field(default=None, description="Online or not.")
    venue_centre_id: strawberry.ID | None = strawberry.field(default=None, description="Venue.")
    address: str | None = strawberry.field(default=None, description="Street address.")
    latitude: float | None = strawberry.field(default=None, description="Latitude.")
    longitude: float | None = strawberry.field(default=None, description="Longitude.")
    join_url: str | None = strawberry.field(default=None, description="Online link.")
    time_zone: str | None = strawberry.field(default=None, description="IANA time zone.")
    starts_at: datetime | None = strawberry.field(default=None, description="Start (local).")
    ends_at: datetime | None = strawberry.field(default=None, description="End (local).")
    capacity: int | None = strawberry.field(
        default=None, description="Seats; raising it seats centres from the waiting list."
    )
    clear_capacity: bool = strawberry.field(
        default=False,
        description="True: no seat limit any more (capacity null; `capacity: null` or an "
        "omitted capacity leaves it as it is). Waiting centres get seats. Not with `capacity`.",
    )
    registration_deadline: datetime | None = strawberry.field(
        default=None, description="Registration deadline (local)."
    )
    agenda: list[AgendaItemInput] | None = strawberry.field(
        default=None, description="The whole agenda (replaces the items)."
    )

    def _changed(self) -> list[str]:
        """The fields set, in API spelling; clearing the capacity is a change of `capacity`."""
        names = provided(self, skip=("meeting_id", "expected_version", "clear_capacity"))
        return [*names, "capacity"] if self.clear_capacity and "capacity" not in names else names

    def spec(self) -> MeetingSpec:
        return MeetingSpec(
            kind=self.kind,
            title=texts(self.title),
            description=texts(self.description),
            themes=self.themes,
            host_centre_id=pk(self.host_centre_id, "Centre", "hostCentreId"),
            online=self.online,
            venue_centre_id=pk(self.venue_centre_id, "Centre", "venueCentreId"),
            address=self.address,
            latitude=self.latitude,
            longitude=self.longitude,
            join_url=self.join_url,
            timezone=self.time_zone,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            capacity=self.capacity,
            clear_capacity=self.clear_capacity,
            registration_deadline=self.registration_deadline,
            agenda=None if self.agenda is None else [a.spec() for a in self.agenda],
            expected_version=self.expected_version,
            changed=self._changed(),
        )


@strawberry.input(description="Which meeting.")
class MeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="Global ID of the meeting.")


@strawberry.input(description="Register a centre for a meeting (or change who comes).")
class RegisterForMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="Global ID of the meeting.")
    centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="The centre; defaults to your own (staff may give any)."
    )
    representatives: list[str] = strawberry.field(description="Who comes (1 to 5 names).")


@strawberry.input(description="Cancel a centre's registration; a freed seat goes to the list.")
class CancelMeetingRegistrationInput:
    meeting_id: strawberry.ID = strawberry.field(description="Global ID of the meeting.")
    centre_id: strawberry.ID | None = strawberry.field(
        default=None, description="The centre; defaults to your own."
    )


@strawberry.input(description="Whether one registered centre came.")
class AttendanceInput:
    centre_id: strawberry.ID = strawberry.field(description="Global ID of the centre.")
    attended: bool = strawberry.field(description="True when it came.")
    attendees: int | None = strawberry.field(default=None, description="How many people came.")


@strawberry.input(description="Attendance after a meeting (staff); the meeting becomes held.")
class RecordAttendanceInput:
    meeting_id: strawberry.ID = strawberry.field(description="Global ID of the meeting.")
    attendance: list[AttendanceInput] = strawberry.field(description="One entry per centre.")


@strawberry.type(description="The meeting as saved.")
class MeetingSuccess:
    meeting: Meeting = strawberry.field(description="The meeting after the change.")


@strawberry.type(description="The registration as saved, and the meeting's seats after it.")
class MeetingRegistrationSuccess:
    registration: MeetingRegistration = strawberry.field(description="The registration.")


@strawberry.type(description="A private calendar feed URL: shown once, keep it secret.")
class CalendarFeedSuccess:
    url: str = strawberry.field(
        description="Path of the feed (`/calendar/<secret>.ics`); earlier feed URLs stop working."
    )


@strawberry.type(description="How many feed URLs were revoked.")
class CalendarFeedRevoked:
    revoked: int = strawberry.field(description="Feed URLs that stopped working.")


if TYPE_CHECKING:
    MeetingPayload = MeetingSuccess | MutationError
    MeetingRegistrationPayload = MeetingRegistrationSuccess | MutationError
    CalendarFeedPayload = CalendarFeedSuccess | MutationError
    RevokeCalendarFeedPayload = CalendarFeedRevoked | MutationError
else:
    MeetingPayload = payload("MeetingPayload", MeetingSuccess, "A meeting, or why not.")
    MeetingRegistrationPayload = payload(
        "MeetingRegistrationPayload", MeetingRegistrationSuccess, "A registration, or why not."
    )
    CalendarFeedPayload = payload(
        "CalendarFeedPayload", CalendarFeedSuccess, "A calendar feed URL, or why not."
    )
    RevokeCalendarFeedPayload = payload(
        "RevokeCalendarFeedPayload", CalendarFeedRevoked, "Revoked feeds, or why not."
    )


def _meeting(row: m.Meeting) -> MeetingSuccess:
    return MeetingSuccess(meeting=Meeting.from_model(row))


def _registration(row: m.MeetingRegistration) -> MeetingRegistrationSuccess:
    return MeetingRegistrationSuccess(registration=MeetingRegistration.from_model(row))


def _meeting_pk(raw: strawberry.ID) -> int:
    return required_pk(raw, "Meeting", "meetingId")


@strawberry.type
class MeetingMutation:
    @strawberry.mutation(description="Create a programme meeting as a draft (staff).")
    async def create_meeting(self, info: Info, input: CreateMeetingInput) -> MeetingPayload:
        async def work() -> m.Meeting:
            db = info.context.sessionmaker
            return await meetings.create_meeting(db, info.context.actor, input.spec())

        return await attempt(work, _meeting)

    @strawberry.mutation(description="Change a meeting (staff).")
    async def update_meeting(self, info: Info, input: UpdateMeetingInput) -> MeetingPayload:
        async def work() -> m.Meeting:
            ident = _meeting_pk(input.meeting_id)
            return await meetings.update_meeting(
                info.context.db, info.context.actor, ident, input.spec()
            )

        return await attempt(work, _meeting)

    @strawberry.mutation(description="Publish a draft: it opens for registration (staff).")
    async def publish_meeting(self, info: Info, input: MeetingInput) -> MeetingPayload:
        async def work() -> m.Meeting:
            ident = _meeting_pk(input.meeting_id)
            return await meetings.publish_meeting(info.context.db, info.context.actor, ident)

        return await attempt(work, _meeting)

    # Not `cancel_meeting`: the Fair's mutation class has that Python name (cancelFairMeeting).
    @strawberry.mutation(
        name="cancelMeeting",
        description="Cancel a programme meeting; registered centres are told.",
    )
    async def cancel_programme_meeting(self, info: Info, input: MeetingInput) -> MeetingPayload:
        async def work() -> m.Meeting:
            ident = _meeting_pk(input.meeting_id)
            return await meetings.cancel_meeting(info.context.db, info.context.actor, ident)

        return await attempt(work, _meeting)

    @strawberry.mutation(
        description="Register a centre: a seat, or the waiting list when the meeting is full."
    )
    async def register_for_meeting(
        self, info: Info, input: RegisterForMeetingInput
    ) -> MeetingRegistrationPayload:
        async def work() -> m.MeetingRegistration:
            return await meeting_registrations.register(
                info.context.sessionmaker,
                info.context.actor,
                _meeting_pk(input.meeting_id),
                pk(input.centre_id, "Centre", "centreId"),
                input.representatives,
            )

        return await attempt(work, _registration)

    @strawberry.mutation(
        description="Cancel a registration; a freed seat goes to the first centre waiting."
    )
    async def cancel_meeting_registration(
        self, info: Info, input: CancelMeetingRegistrationInput
    ) -> MeetingRegistrationPayload:
        async def work() -> m.MeetingRegistration:
            return await meeting_registrations.cancel_registration(
                info.context.sessionmaker,
                info.context.actor,
                _meeting_pk(input.meeting_id),
                pk(input.centre_id, "Centre", "centreId"),
            )

        return await attempt(work, _registration)

    @strawberry.mutation(description="Record who came (staff, once the meeting started).")
    async def record_attendance(self, info: Info, input: RecordAttendanceInput) -> MeetingPayload:
        async def work() -> m.Meeting:
            entries = [
                AttendanceEntry(
                    required_pk(a.centre_id, "Centre", f"attendance.{i}.centreId"),
                    a.attended,
                    a.attendees,
                )
                for i, a in enumerate(input.attendance)
            ]
            return await meeting_registrations.record_attendance(
                info.context.sessionmaker,
                info.context.actor,
                _meeting_pk(input.meeting_id),
                entries,
            )

        return await attempt(work, _meeting)

    @strawberry.mutation(
        description="A new private calendar feed URL with your centre's meetings and Fair "
        "meetings (signed-in users); earlier feed URLs stop working."
    )
    async def create_calendar_feed(self, info: Info) -> CalendarFeedPayload:
        async def work() -> str:
            _, secret = await meeting_calendar.create_feed(info.context.db, info.context.actor)
            return secret

        return await attempt(work, lambda s: CalendarFeedSuccess(url=f"/calendar/{s}.ics"))

    @strawberry.mutation(description="Revoke your calendar feed URLs.")
    async def revoke_calendar_feed(self, info: Info) -> RevokeCalendarFeedPayload:
        async def work() -> int:
            return await meeting_calendar.revoke_feed(info.context.db, info.context.actor)

        return await attempt(work, lambda n: CalendarFeedRevoked(revoked=n))
