from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from accr_graph.repositories import fair as repo
from accr_graph.services.fair_events import FairScheduleEvents
from schema.context import Info
from schema.fair.loaders import FairByIdLoader
from schema.fair.types import Fair, FairScheduleUpdate
from schema.validation import decode_id


@strawberry.type
class FairQuery:
    @strawberry.field(description="Project Fair editions, newest first.")
    async def fairs(self, info: Info) -> list[Fair]:
        async with info.context.sessionmaker() as session:
            rows = await repo.list_fairs(session)
        return [Fair.from_model(r) for r in rows]

    @strawberry.field(description="One fair by ID, or null when unknown.")
    async def fair(self, info: Info, id: strawberry.ID) -> Fair | None:
        row = await info.context.loaders.get(FairByIdLoader).load(decode_id(id, "Fair"))
        return Fair.from_model(row) if row else None


def fair_events(info: Info) -> FairScheduleEvents:
    events = info.context.fair_events
    if events is None:
        raise GraphQLError("Subscriptions are served over WebSockets at /graphql only.")
    return events


@strawberry.type
class FairSubscription:
    @strawberry.subscription(
        description="The fair's published schedule version now, then each time it changes "
        "(publishSchedule, a published meeting cancelled). Every web worker's subscribers get "
        "it (PostgreSQL LISTEN/NOTIFY; on SQLite a poll about once a second)."
    )
    async def fair_schedule_updated(
        self, info: Info, fair_id: strawberry.ID
    ) -> AsyncGenerator[FairScheduleUpdate, None]:
        pk = decode_id(fair_id, "Fair", "fairId")
        async with info.context.sessionmaker() as session:
            if not await repo.fairs_by_ids(session, [pk]):
                raise GraphQLError(f"No such fair: {fair_id!r}")
        async for version in fair_events(info).watch(pk):
            async with info.context.sessionmaker() as session:
                row = (await repo.fairs_by_ids(session, [pk])).get(pk)
            yield FairScheduleUpdate(
                fair_id=fair_id,
                schedule_version=version,
                published_at=row.published_at if row else None,
            )
