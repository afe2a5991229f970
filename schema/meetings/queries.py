from __future__ import annotations

from datetime import datetime

import strawberry

from accr_graph.db import models as m
from accr_graph.repositories import meetings
from accr_graph.repositories.meetings import MeetingFilter as MeetingFilterData
from schema.context import Info
from schema.meetings.loaders import ProgrammeMeetingByIdLoader
from schema.meetings.types import Meeting
from schema.relay import Connection, OrderDirection, connection, paging
from schema.validation import decode_id, known_slugs


@strawberry.input(description="Meetings matching every given criterion (any value within one).")
class MeetingFilter:
    kind: list[m.ProgrammeKind] | None = strawberry.field(default=None, description="Kinds.")
    theme: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    from_: datetime | None = strawberry.field(
        default=None, name="from", description="Meetings still running at or after this instant."
    )
    to: datetime | None = strawberry.field(
        default=None, description="Meetings starting before this instant."
    )
    status: list[m.ProgrammeStatus] | None = strawberry.field(
        default=None, description="Stored statuses (draft, open, full, cancelled, held)."
    )
    host_centre: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Global IDs of host centres."
    )

    def to_data(self, descending: bool) -> MeetingFilterData:
        return MeetingFilterData(
            kinds=tuple(m.ProgrammeKind(k) for k in self.kind or ()),
            themes=tuple(self.theme or ()),
            statuses=tuple(m.ProgrammeStatus(s) for s in self.status or ()),
            host_centre_ids=tuple(
                decode_id(c, "Centre", "filter.hostCentre") for c in self.host_centre or ()
            ),
            starts_from=self.from_,
            starts_to=self.to,
            descending=descending,
        )


@strawberry.type
class MeetingQuery:
    @strawberry.field(
        description="Programme meetings you may see, by start time (earliest first by default)."
    )
    async def meetings(
        self,
        info: Info,
        filter: MeetingFilter | None = None,
        order: OrderDirection = OrderDirection.ASC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Meeting]:
        page = paging(info.context.settings, first, after, last, before)
        flt = (filter or MeetingFilter()).to_data(order is OrderDirection.DESC)
        await known_slugs(info, flt.themes, ())
        viewer = info.context.viewer
        async with info.context.sessionmaker() as session:
            total = await meetings.count_meetings(session, flt, viewer)
            window = page.window(total)
            rows = await meetings.list_meetings(session, flt, viewer, window)
        return connection(rows, window, total, Meeting.from_model)

    @strawberry.field(description="One programme meeting by ID, or null when missing or hidden.")
    async def meeting(self, info: Info, id: strawberry.ID) -> Meeting | None:
        pk = decode_id(id, "Meeting")
        row = await info.context.loaders.get(ProgrammeMeetingByIdLoader).load(pk)
        return Meeting.from_model(row) if row else None
