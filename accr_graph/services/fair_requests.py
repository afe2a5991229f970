"""Fair meeting requests (one-to-one) and consortium tables, and meeting suggestions.

Each writer locks the fair's row first: two identical requests at once make one request, and
A asking C while C asks A ends as one accepted request (the second sees the first and accepts
it), on PostgreSQL (row lock) as on SQLite (one writer at a time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import centres, proposals
from accr_graph.repositories import fair as repo
from accr_graph.services import checks
from accr_graph.services.errors import Invalid, Missing, fail
from accr_graph.services.fair_common import SCOPE, load_fair, registration
from accr_graph.services.fields import named
from accr_graph.services.permissions import require_centre, require_scope
from accr_graph.services.uow import Actor, Database, UnitOfWork, unit_of_work
from accr_graph.viewer import Viewer
from matching import Suggestion


async def _about(
    session: AsyncSession, viewer: Viewer, proposal_id: int | None, owners: Sequence[int]
) -> None:
    if proposal_id is None:
        return
    # Looked up as the caller sees it: another centre's draft is "no such proposal".
    proposal = (await proposals.by_ids(session, [proposal_id], viewer)).get(proposal_id)
    if proposal is None:
        raise fail(Missing("No such proposal.", "Proposal", proposal_id))
    if proposal.owner_id not in owners:
        raise fail(Invalid("proposalId", "the proposal must belong to one of the two centres"))


async def request_meeting(
    db: Database,
    actor: Actor,
    fair_id: int,
    from_centre_id: int | None,
    to_centre_id: int,
    proposal_id: int | None,
    priority: int,
    message: str | None,
) -> m.FairMeetingRequest:
    """Ask another centre for a one-to-one meeting. If that centre already asked this one and
    waits for an answer, its request is accepted instead: accepting a suggestion is one step."""
    async with unit_of_work(db, actor, "requestMeeting") as uow:
        viewer, session = uow.viewer, uow.session
        require_scope(viewer, SCOPE)
        fair = await load_fair(session, fair_id, lock=True)
        asker = await checks.acting_centre(session, viewer, from_centre_id, "fromCentreId")
        require_centre(viewer, asker.id, "ask for meetings on its behalf", SCOPE)
        target = await checks.centre(session, to_centre_id, "toCentreId")
        if target.id == asker.id:
            raise fail(Invalid("toCentreId", "a centre cannot meet itself"))
        await registration(session, fair.id, asker, "fromCentreId")
        await registration(session, fair.id, target, "toCentreId")
        checks.int_range(priority, "priority", 1, 5)
        await _about(session, viewer, proposal_id, (asker.id, target.id))
        fields = _request_fields(from_centre_id, proposal_id, message)
        if await repo.open_request_between(session, fair.id, asker.id, target.id):
            raise fail(Invalid("toCentreId", f"{asker.name} already asked {target.name}"))
        reverse = await repo.open_request_between(session, fair.id, target.id, asker.id)
        if reverse is not None:
            return _accept_reverse(uow, reverse, fields)
        request = m.FairMeetingRequest(
            fair_id=fair.id,
            kind=m.MeetingKind.ONE_TO_ONE,
            requester_id=asker.id,
            target_id=target.id,
            proposal_id=proposal_id,
            priority=priority,
            message=checks.text(message, "message", checks.MAX_TEXT),
            status=m.MeetingRequestStatus.PENDING,
        )
        session.add(request)
        await session.flush()  # its id, for the event
        uow.changed(request, fields)
        uow.emit(
            "fair.meeting_request.received", request, centre_ids=[target.id], payload=_ids(request)
        )
    return request


def _request_fields(
    from_centre: int | None, proposal: int | None, message: str | None
) -> list[str]:
    before = named(from_centre_id=from_centre)
    after = named(proposal_id=proposal)
    return ["fairId", *before, "toCentreId", *after, "priority", *named(message=message)]


def _accept_reverse(
    uow: UnitOfWork, reverse: m.FairMeetingRequest, fields: list[str]
) -> m.FairMeetingRequest:
    """The other centre asked first: its pending request is accepted (an accepted one stays)."""
    uow.changed(reverse, fields)
    if reverse.status is m.MeetingRequestStatus.PENDING:
        _answer(reverse, True)
        _announce_answer(uow, reverse, True)
    return reverse


def _ids(request: m.FairMeetingRequest) -> dict[str, int | None]:
    return {
        "fair_id": request.fair_id,
        "request_id": request.id,
        "requester_id": request.requester_id,
        "target_id": request.target_id,
    }


def _announce_answer(uow: UnitOfWork, request: m.FairMeetingRequest, accept: bool) -> None:
    kind = "fair.meeting_request.accepted" if accept else "fair.meeting_request.declined"
    uow.emit(kind, request, centre_ids=[request.requester_id], payload=_ids(request))


def _answer(request: m.FairMeetingRequest, accept: bool) -> None:
    request.status = m.MeetingRequestStatus.ACCEPTED if accept else m.MeetingRequestStatus.DECLINED
    request.responded_at = utcnow()


async def respond_to_meeting_request(
    db: Database, actor: Actor, request_id: int, accept: bool
) -> m.FairMeetingRequest:
    async with unit_of_work(db, actor, "respondToMeetingRequest") as uow:
        viewer = uow.viewer
        require_scope(viewer, SCOPE)
        request = await _request_for_answer(uow.session, viewer, request_id)
        assert request.target_id is not None
        require_centre(viewer, request.target_id, "answer this request", SCOPE)
        if request.status is not m.MeetingRequestStatus.PENDING:
            raise fail(Invalid("requestId", f"the request is already {request.status.value}"))
        _answer(request, accept)
        uow.changed(request, ["requestId", "accept"])
        _announce_answer(uow, request, accept)
    return request


async def _request_for_answer(
    session: AsyncSession, viewer: Viewer, request_id: int
) -> m.FairMeetingRequest:
    found = (await repo.requests_by_ids(session, [request_id])).get(request_id)
    if found is None or (found.target_id is None and not viewer.is_staff):
        raise fail(Missing("No such meeting request.", "MeetingRequest", request_id))
    if found.target_id is None:
        raise fail(Invalid("requestId", "a consortium table needs no answer"))
    # The fair's writers take turns (see the module docstring); then read it again as it is now.
    await load_fair(session, found.fair_id, lock=True)
    locked = await repo.request_for_update(session, found.id)
    assert locked is not None
    return locked


async def _consortium_members(
    session: AsyncSession, fair: m.Fair, proposal: m.Proposal, centre_ids: Sequence[int]
) -> list[int]:
    members = list(dict.fromkeys(centre_ids))
    if proposal.owner_id in members:
        raise fail(Invalid("centreIds", "the owner sits at the table anyway; do not list it"))
    if not 2 <= len(members) <= 7:
        raise fail(Invalid("centreIds", "a consortium table seats the owner and 2 to 7 centres"))
    registered = await repo.registered_centre_ids(session, fair.id)
    interests = (await proposals.interests_of(session, [proposal.id])).get(proposal.id, [])
    interested = {i.centre_id for i in interests if i.status is not m.InterestStatus.DECLINED}
    found = await centres.by_ids(session, members)  # one query for the whole table
    for centre_id in members:
        centre = found.get(centre_id)
        if centre is None:
            raise fail(Missing("A centre given does not exist.", "Centre", centre_id))
        if centre_id not in registered:
            raise fail(Invalid("centreIds", f"{centre.name} is not registered for this fair"))
        if centre_id not in interested:
            raise fail(Invalid("centreIds", f"{centre.name} has not shown interest in it"))
    tables = (await repo.tables_of(session, [fair.id])).get(fair.id, [])
    if not any(t.capacity >= len(members) + 1 for t in tables):
        raise fail(Invalid("centreIds", f"no table of this fair seats {len(members) + 1}"))
    return members


async def request_consortium_table(
    db: Database,
    actor: Actor,
    fair_id: int,
    proposal_id: int,
    centre_ids: Sequence[int],
    priority: int,
    message: str | None,
) -> m.FairMeetingRequest:
    """A proposal owner's group meeting with centres interested in the proposal. The members
    said they were interested, so the table is accepted at once (a member may cancel)."""
    async with unit_of_work(db, actor, "requestConsortiumTable") as uow:
        viewer, session = uow.viewer, uow.session
        require_scope(viewer, SCOPE)
        fair = await load_fair(session, fair_id, lock=True)
        proposal = (await proposals.by_ids(session, [proposal_id], viewer)).get(proposal_id)
        if proposal is None:
            raise fail(Missing("No such proposal.", "Proposal", proposal_id))
        require_centre(viewer, proposal.owner_id, "ask for a table about this proposal", SCOPE)
        owner = await checks.centre(session, proposal.owner_id, "proposalId")
        await registration(session, fair.id, owner, "proposalId")
        checks.int_range(priority, "priority", 1, 5)
        members = await _consortium_members(session, fair, proposal, centre_ids)
        if await repo.open_table_about(session, fair.id, proposal.id, members):
            raise fail(Invalid("centreIds", "this table was already asked for"))
        request = _table(fair, owner, proposal, priority, message)
        session.add(request)
        await session.flush()
        await repo.add_members(session, request.id, members)
        fields = ["fairId", "proposalId", "centreIds", "priority", *named(message=message)]
        uow.changed(request, fields)
        uow.emit(
            "fair.consortium_table.requested", request, centre_ids=members, payload=_ids(request)
        )
    return request


def _table(
    fair: m.Fair, owner: m.Centre, proposal: m.Proposal, priority: int, message: str | None
) -> m.FairMeetingRequest:
    return m.FairMeetingRequest(
        fair_id=fair.id,
        kind=m.MeetingKind.CONSORTIUM,
        requester_id=owner.id,
        target_id=None,
        proposal_id=proposal.id,
        priority=priority,
        message=checks.text(message, "message", checks.MAX_TEXT),
        status=m.MeetingRequestStatus.ACCEPTED,
        responded_at=utcnow(),
    )


# --- suggestions ----------------------------------------------------------------------------


class SuggestionSource(Protocol):
    async def for_centre(self, centre_id: int, first: int) -> list[Suggestion]: ...


async def suggested_meetings(
    session: AsyncSession,
    source: SuggestionSource,
    fair_id: int,
    centre_id: int,
    first: int,
) -> list[Suggestion]:
    """The matching engine's best partners for a centre among the centres registered for the
    fair, leaving out itself and centres it already asked or was asked by."""
    registered = await repo.registered_centre_ids(session, fair_id)
    if centre_id not in registered:
        return []
    skip = await repo.requested_partners(session, fair_id, centre_id) | {centre_id}
    wanted = registered - skip
    found = await source.for_centre(centre_id, min(len(registered) + len(skip) + first, 500))
    return [s for s in found if s.centre_id in wanted][:first]
