"""Mutations that change a fair's grid after its creation (staff): slots and tables."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

import strawberry

from accr_graph.db import models as m
from accr_graph.services import fair_grid as grid
from accr_graph.services.fair_editions import TableSpec
from schema.context import Info
from schema.fair.types import FairSlot, FairTable
from schema.mutations import attempt, payload, required_pk


@strawberry.input(description="A new slot on one of the fair's days (staff).")
class AddFairSlotInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    day: int = strawberry.field(description="Day of the fair, from 0 (index into `Fair.days`).")
    start: time = strawberry.field(description="Start, the venue's local time.")
    minutes: int = strawberry.field(default=20, description="Length, 5 to 240 minutes.")


@strawberry.input(
    description="A slot to remove (staff); refused while a published meeting is in it."
)
class RemoveFairSlotInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    slot_id: strawberry.ID = strawberry.field(description="Global ID of the slot.")


@strawberry.input(description="A new table (staff).")
class AddFairTableInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    name: str = strawberry.field(description="Name shown at the venue, unique in the fair.")
    capacity: int = strawberry.field(default=2, description="Seats, 2 (one-to-one) to 8.")
    language: str | None = strawberry.field(
        default=None, description="ISO 639-1 language of the table; null for any."
    )


@strawberry.input(
    description="A table to remove (staff); refused while a published meeting is at it."
)
class RemoveFairTableInput:
    fair_id: strawberry.ID = strawberry.field(description="Global ID of the fair.")
    table_id: strawberry.ID = strawberry.field(description="Global ID of the table.")


@strawberry.type(description="The slot as saved (or as it was, when removed).")
class FairSlotSuccess:
    slot: FairSlot = strawberry.field(description="The slot.")


@strawberry.type(description="The table as saved (or as it was, when removed).")
class FairTableSuccess:
    table: FairTable = strawberry.field(description="The table.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    FairSlotPayload = FairSlotSuccess | MutationError
    FairTablePayload = FairTableSuccess | MutationError
else:
    FairSlotPayload = payload("FairSlotPayload", FairSlotSuccess, "A fair slot, or why not.")
    FairTablePayload = payload("FairTablePayload", FairTableSuccess, "A fair table, or why not.")


def _slot(row: m.FairSlot) -> FairSlotSuccess:
    return FairSlotSuccess(slot=FairSlot.from_model(row))


def _table(row: m.FairTable) -> FairTableSuccess:
    return FairTableSuccess(table=FairTable.from_model(row))


@strawberry.type
class FairGridMutation:
    @strawberry.mutation(description="Add a time slot to one of the fair's days (staff).")
    async def add_fair_slot(self, info: Info, input: AddFairSlotInput) -> FairSlotPayload:
        db, actor = info.context.db, info.context.actor
        return await attempt(
            lambda: grid.add_slot(
                db,
                actor,
                required_pk(input.fair_id, "Fair", "fairId"),
                input.day,
                input.start,
                input.minutes,
            ),
            _slot,
        )

    @strawberry.mutation(description="Remove a time slot (staff); its drafts are unplaced.")
    async def remove_fair_slot(self, info: Info, input: RemoveFairSlotInput) -> FairSlotPayload:
        db, actor = info.context.db, info.context.actor
        return await attempt(
            lambda: grid.remove_slot(
                db,
                actor,
                required_pk(input.fair_id, "Fair", "fairId"),
                required_pk(input.slot_id, "FairSlot", "slotId"),
            ),
            _slot,
        )

    @strawberry.mutation(description="Add a table to the fair (staff).")
    async def add_fair_table(self, info: Info, input: AddFairTableInput) -> FairTablePayload:
        db, actor = info.context.db, info.context.actor
        spec = TableSpec(input.name, input.capacity, input.language)
        return await attempt(
            lambda: grid.add_table(db, actor, required_pk(input.fair_id, "Fair", "fairId"), spec),
            _table,
        )

    @strawberry.mutation(description="Remove a table (staff); its drafts are unplaced.")
    async def remove_fair_table(self, info: Info, input: RemoveFairTableInput) -> FairTablePayload:
        db, actor = info.context.db, info.context.actor
        return await attempt(
            lambda: grid.remove_table(
                db,
                actor,
                required_pk(input.fair_id, "Fair", "fairId"),
                required_pk(input.table_id, "FairTable", "tableId"),
            ),
            _table,
        )
