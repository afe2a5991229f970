"""Project Fair use cases on the unit of work, as the fair pages call them (the rules stay in
``services/fair``). Each emits its outbox event for notifications."""

from __future__ import annotations

from accr_graph.db import models as m
from accr_graph.services import fair
from accr_graph.services.fair import RegistrationSpec, ScheduleRun
from accr_graph.services.uow import Actor, Database, unit_of_work


async def register(
    db: Database, actor: Actor, fair_id: int, spec: RegistrationSpec
) -> m.FairRegistration:
    async with unit_of_work(db, actor, "registerForFair") as uow:
        row = await fair.register_for_fair(uow.session, actor.viewer, fair_id, None, spec)
        uow.changed(row, ["representatives", "maxMeetings"])
        uow.emit("fair.registered", row, centre_ids=[row.centre_id])
    return row


async def request_meeting(
    db: Database, actor: Actor, fair_id: int, to_centre: int, priority: int, message: str | None
) -> m.FairMeetingRequest:
    async with unit_of_work(db, actor, "requestMeeting") as uow:
        row = await fair.request_meeting(
            uow.session, actor.viewer, fair_id, None, to_centre, None, priority, message
        )
        uow.changed(row, ["status"])
        centres = [row.requester_id, *([row.target_id] if row.target_id else [])]
        uow.emit(f"fair.request.{row.status.value}", row, centre_ids=centres)
    return row


async def respond(
    db: Database, actor: Actor, request_id: int, accept: bool
) -> m.FairMeetingRequest:
    async with unit_of_work(db, actor, "respondToMeetingRequest") as uow:
        row = await fair.respond_to_meeting_request(uow.session, actor.viewer, request_id, accept)
        uow.changed(row, ["status"])
        centres = [row.requester_id, *([row.target_id] if row.target_id else [])]
        uow.emit(f"fair.request.{row.status.value}", row, centre_ids=centres)
    return row


async def set_registration_open(db: Database, actor: Actor, fair_id: int, is_open: bool) -> m.Fair:
    async with unit_of_work(db, actor, "setFairRegistrationOpen") as uow:
        row = await fair.set_registration_open(uow.session, actor.viewer, fair_id, is_open)
        uow.changed(row, ["registrationOpen"])
    return row


async def schedule(db: Database, actor: Actor, fair_id: int) -> ScheduleRun:
    async with unit_of_work(db, actor, "scheduleFair") as uow:
        run = await fair.schedule_fair(uow.session, actor.viewer, fair_id)
        uow.changed(run, ["schedule"])
    return run


async def publish(db: Database, actor: Actor, fair_id: int) -> m.Fair:
    async with unit_of_work(db, actor, "publishFairSchedule") as uow:
        row = await fair.publish_schedule(uow.session, actor.viewer, fair_id)
        uow.changed(row, ["publishedAt"])
        uow.emit("fair.schedule_published", row, centre_ids=[])
    return row
