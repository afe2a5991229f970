"""What the Project Fair use cases share: the `fair` scope, loading a fair, who takes part.

The use cases live by what changes together: ``fair_editions`` (editions and registration),
``fair_requests`` (meeting requests and consortium tables), ``fair_schedule`` (scheduling,
publishing, cancelling), ``fair_agenda`` (reading agendas). Fair changes need the `fair` token
scope. Staff create fairs, run and publish the schedule and act for any centre; a centre's
members register it, ask for and answer meetings for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import fair as repo
from accr_graph.services.errors import Invalid, Missing, fail

SCOPE = "fair"


async def load_fair(session: AsyncSession, fair_id: int, lock: bool = False) -> m.Fair:
    """The fair; ``lock`` holds its row until the transaction ends, so the writers of one fair
    (registrations, requests, scheduling) take turns instead of racing past each other's checks."""
    if lock:
        found = await repo.fair_for_update(session, fair_id)
    else:
        found = (await repo.fairs_by_ids(session, [fair_id])).get(fair_id)
    if found is None:
        raise fail(Missing("No such fair.", "Fair", fair_id))
    return found


async def registration(
    session: AsyncSession, fair_id: int, centre: m.Centre, field: str
) -> m.FairRegistration:
    found = await repo.registration_of(session, fair_id, centre.id)
    if found is None:
        raise fail(Invalid(field, f"{centre.name} is not registered for this fair"))
    return found


async def participants(session: AsyncSession, request: m.FairMeetingRequest) -> list[int]:
    members = (await repo.members_of(session, [request.id])).get(request.id, [])
    return participant_ids(request, members)


def participant_ids(request: m.FairMeetingRequest, members: Sequence[int]) -> list[int]:
    ids = [request.requester_id]
    if request.target_id is not None:
        ids.append(request.target_id)
    return ids + [c for c in members if c not in ids]
