"""The meetings programme in the API: meetings, their agenda and registrations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from accr_graph.db import models as m
from accr_graph.services.meeting_registrations import may_join, visible_registrations
from accr_graph.services.meeting_seats import effective_status
from schema.catalogue.types import Theme
from schema.centres.types import Centre, centre_by_id
from schema.context import Info
from schema.i18n import LangArg, Translation, localise, translations
from schema.meetings.loaders import (
    AgendaByMeetingIdLoader,
    RegistrationsByMeetingIdLoader,
    ThemesByMeetingIdLoader,
)
from schema.relay import Node, to_global_id

if TYPE_CHECKING:
    from schema.resources.types import Resource

ProgrammeKind = strawberry.enum(
    m.ProgrammeKind,
    description="What kind of programme meeting: technical or thematic meeting, information "
    "session, study visit, general assembly, other.",
)
ProgrammeStatus = strawberry.enum(
    m.ProgrammeStatus,
    description="Draft (staff only), open, full (waiting list), closed (deadline passed), "
    "cancelled, held (attendance recorded).",
)
MeetingRegistrationStatus = strawberry.enum(
    m.RegistrationStatus,
    description="Confirmed (a seat), waiting (on the waiting list) or cancelled.",
)


@strawberry.type(description="One item of a meeting's programme.")
class AgendaItem:
    position: int = strawberry.field(description="Order in the agenda, from 0.")
    starts_at: datetime | None = strawberry.field(
        description="When the item starts (ISO 8601, UTC); null when not timed."
    )
    speaker: str | None = strawberry.field(description="Who speaks; null when not given.")
    _row: strawberry.Private[m.AgendaItem]

    @classmethod
    def from_model(cls, row: m.AgendaItem) -> AgendaItem:
        return cls(position=row.position, starts_at=row.starts_at, speaker=row.speaker, _row=row)

    @strawberry.field(description="Title of the item.")
    def title(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.title, info, lang)

    @strawberry.field(description="The title in every language it exists in.")
    def title_translations(self) -> list[Translation]:
        return translations(self._row.title)

    @strawberry.field(description="Global IDs of the hub documents linked to the item.")
    def resource_ids(self) -> list[strawberry.ID]:
        return [to_global_id("Resource", pk) for pk in self._row.resource_ids]


@strawberry.type(description="A centre's registration for a meeting (seat or waiting list).")
class MeetingRegistration(Node):
    status: m.RegistrationStatus = strawberry.field(description="Confirmed, waiting or cancelled.")
    representatives: list[str] = strawberry.field(description="Who comes for the centre.")
    queued_at: datetime = strawberry.field(
        description="When the centre (re-)registered: the waiting list's order (ISO 8601, UTC)."
    )
    promoted_at: datetime | None = strawberry.field(
        description="When it moved from the waiting list to a seat; null otherwise."
    )
    attended: bool | None = strawberry.field(
        description="Whether the centre came (recorded by staff); null until recorded."
    )
    attendees: int | None = strawberry.field(description="How many people came; null if unknown.")
    _row: strawberry.Private[m.MeetingRegistration]

    @classmethod
    def from_model(cls, row: m.MeetingRegistration) -> MeetingRegistration:
        return cls(
            id=to_global_id("MeetingRegistration", row.id),
            status=row.status,
            representatives=list(row.representatives),
            queued_at=row.queued_at,
            promoted_at=row.promoted_at,
            attended=row.attended,
            attendees=row.attendees,
            _row=row,
        )

    @strawberry.field(description="The registered centre.")
    def centre(self, info: Info) -> Centre:
        return centre_by_id(info, self._row.centre_id)

    @strawberry.field(description="Global ID of the meeting.")
    def meeting_id(self) -> strawberry.ID:
        return to_global_id("Meeting", self._row.meeting_id)


@strawberry.type(description="An event of the ACCR's programme, with registrations and agenda.")
class Meeting(Node):
    kind: m.ProgrammeKind = strawberry.field(description="What kind of meeting.")
    online: bool = strawberry.field(description="True when it happens online (see `joinUrl`).")
    address: str | None = strawberry.field(description="Street address; null when not given.")
    latitude: float | None = strawberry.field(description="Latitude of the place; null if none.")
    longitude: float | None = strawberry.field(description="Longitude of the place; null if none.")
    time_zone: str = strawberry.field(description="IANA time zone of the meeting's local times.")
    starts_at: datetime = strawberry.field(description="Start (ISO 8601, UTC).")
    ends_at: datetime = strawberry.field(description="End (ISO 8601, UTC).")
    capacity: int | None = strawberry.field(description="Seats (centres); null for no limit.")
    registration_deadline: datetime | None = strawberry.field(
        description="Last moment to register (ISO 8601, UTC); null: until the start."
    )
    seats_taken: int = strawberry.field(description="Centres holding a confirmed seat.")
    published_at: datetime | None = strawberry.field(description="When it was published.")
    version: int = strawberry.field(
        description="Increases with every edit; pass it as `expectedVersion` when updating."
    )
    _row: strawberry.Private[m.Meeting]

    @classmethod
    def from_model(cls, row: m.Meeting) -> Meeting:
        return cls(
            id=to_global_id("Meeting", row.id),
            kind=row.kind,
            online=row.online,
            address=row.address,
            latitude=row.latitude,
            longitude=row.longitude,
            time_zone=row.timezone,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            capacity=row.capacity,
            registration_deadline=row.registration_deadline,
            seats_taken=row.confirmed_count,
            published_at=row.published_at,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="Where the meeting stands (closed once the deadline passed).")
    def status(self) -> m.ProgrammeStatus:
        return effective_status(self._row)

    @strawberry.field(description="Title.")
    def title(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.title, info, lang)

    @strawberry.field(description="The title in every language it exists in.")
    def title_translations(self) -> list[Translation]:
        return translations(self._row.title)

    @strawberry.field(description="Description.")
    def description(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.description, info, lang)

    @strawberry.field(description="The description in every language it exists in.")
    def description_translations(self) -> list[Translation]:
        return translations(self._row.description)

    @strawberry.field(description="Host centre; null when the ACCR itself hosts it.")
    def host_centre(self, info: Info) -> Centre | None:
        host = self._row.host_centre_id
        return None if host is None else centre_by_id(info, host)

    @strawberry.field(description="The centre whose site hosts it; null when elsewhere or online.")
    def venue_centre(self, info: Info) -> Centre | None:
        venue = self._row.venue_centre_id
        return None if venue is None else centre_by_id(info, venue)

    @strawberry.field(description="Themes of the meeting.")
    async def themes(self, info: Info) -> list[Theme]:
        rows = await info.context.loaders.get(ThemesByMeetingIdLoader).load(self._row.id)
        return [Theme.from_model(t) for t in rows]

    @strawberry.field(description="The programme items, in order.")
    async def agenda(self, info: Info) -> list[AgendaItem]:
        rows = await info.context.loaders.get(AgendaByMeetingIdLoader).load(self._row.id)
        return [AgendaItem.from_model(r) for r in rows]

    @strawberry.field(description="Centres on the waiting list.")
    async def waiting_count(self, info: Info) -> int:
        regs = await info.context.loaders.get(RegistrationsByMeetingIdLoader).load(self._row.id)
        return sum(r.status is m.RegistrationStatus.WAITING for r in regs)

    @strawberry.field(description="Seats left; null when there is no limit.")
    def seats_left(self) -> int | None:
        capacity = self._row.capacity
        return None if capacity is None else max(capacity - self._row.confirmed_count, 0)

    @strawberry.field(
        description="Link to join online: only for staff and centres holding a seat; else null."
    )
    async def join_url(self, info: Info) -> str | None:
        if self._row.join_url is None or info.context.viewer.is_anonymous:
            return None
        regs = await info.context.loaders.get(RegistrationsByMeetingIdLoader).load(self._row.id)
        return self._row.join_url if may_join(info.context.viewer, regs) else None

    @strawberry.field(
        description="Registrations in queue order: staff see all, a member its own centre's."
    )
    async def registrations(self, info: Info) -> list[MeetingRegistration]:
        regs = await info.context.loaders.get(RegistrationsByMeetingIdLoader).load(self._row.id)
        visible = visible_registrations(info.context.viewer, regs)
        return [MeetingRegistration.from_model(r) for r in visible]

    @strawberry.field(description="Minutes, presentations and other hub documents of it.")
    async def documents(
        self, info: Info
    ) -> list[Annotated[Resource, strawberry.lazy("schema.resources.types")]]:
        from schema.resources.loaders import ResourcesByMeetingIdLoader
        from schema.resources.types import Resource

        rows = await info.context.loaders.get(ResourcesByMeetingIdLoader).load(self._row.id)
        return [Resource.from_model(r) for r in rows]

    @strawberry.field(description="Path of the meeting's iCalendar file (RFC 5545).")
    def ics_url(self) -> str:
        return f"/meetings/{self._row.id}.ics"
