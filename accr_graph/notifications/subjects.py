"""What an event is about, read once per dispatched batch: the names and titles its texts need,
whether it concerns a draft (then only the owner centre may hear of it), and the main public
fields a webhook body carries.

Events name their object (``object_type``, ``object_id``); the related rows are read in a few
bulk queries per batch, never one per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.ids import to_global_id


@dataclass
class Subject:
    names: dict[str, Any] = field(default_factory=dict)  # text placeholders
    draft_owner: int | None = None  # a draft proposal's owner centre: nobody else may hear of it
    fields: dict[str, Any] = field(default_factory=dict)  # webhook body: public fields only
    global_id: str | None = None


@dataclass
class _Rows:
    interests: dict[int, m.Interest] = field(default_factory=dict)
    proposals: dict[int, m.Proposal] = field(default_factory=dict)
    requests: dict[int, m.FairMeetingRequest] = field(default_factory=dict)
    meetings: dict[int, m.FairMeeting] = field(default_factory=dict)
    fairs: dict[int, m.Fair] = field(default_factory=dict)
    centres: dict[int, m.Centre] = field(default_factory=dict)


def _ids(events: Sequence[m.OutboxEvent], type_name: str, key: str) -> set[int]:
    found = {e.object_id for e in events if e.object_type == type_name and e.object_id}
    found |= {int(e.payload[key]) for e in events if isinstance(e.payload.get(key), int)}
    return {i for i in found if i is not None}


async def _by_id(session: AsyncSession, model: Any, ids: Iterable[int]) -> dict[int, Any]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.scalars(select(model).where(model.id.in_(wanted)))
    return {row.id: row for row in rows}


async def _load(session: AsyncSession, events: Sequence[m.OutboxEvent]) -> _Rows:
    rows = _Rows()
    rows.meetings = await _by_id(session, m.FairMeeting, _ids(events, "FairMeeting", "meeting_id"))
    request_ids = _ids(events, "FairMeetingRequest", "request_id")
    rows.requests = await _by_id(
        session, m.FairMeetingRequest, request_ids | {x.request_id for x in rows.meetings.values()}
    )
    rows.interests = await _by_id(session, m.Interest, _ids(events, "Interest", "interest_id"))
    proposal_ids = _ids(events, "Proposal", "proposal_id")
    proposal_ids |= {i.proposal_id for i in rows.interests.values()}
    proposal_ids |= {r.proposal_id for r in rows.requests.values() if r.proposal_id}
    rows.proposals = await _by_id(session, m.Proposal, proposal_ids)
    fair_ids = _ids(events, "Fair", "fair_id") | {r.fair_id for r in rows.requests.values()}
    rows.fairs = await _by_id(session, m.Fair, fair_ids)
    rows.centres = await _by_id(session, m.Centre, _centre_ids(events, rows))
    return rows


def _centre_ids(events: Sequence[m.OutboxEvent], rows: _Rows) -> set[int]:
    ids = {c for e in events for c in e.centre_ids}
    ids |= {i.centre_id for i in rows.interests.values()}
    ids |= {p.owner_id for p in rows.proposals.values()}
    ids |= {r.requester_id for r in rows.requests.values()}
    ids |= {r.target_id for r in rows.requests.values() if r.target_id}
    return ids


async def subjects(session: AsyncSession, events: Sequence[m.OutboxEvent]) -> dict[int, Subject]:
    """Each event's subject, keyed by event id."""
    rows = await _load(session, events)
    return {event.id: _subject(event, rows) for event in events}


def _subject(event: m.OutboxEvent, rows: _Rows) -> Subject:
    subject = Subject(names={"kind": event.kind})
    if event.object_type and event.object_id:
        subject.global_id = to_global_id(_api_type(event.object_type), event.object_id)
    meeting = rows.meetings.get(_ref(event, "FairMeeting", "meeting_id") or 0)
    request_id = meeting.request_id if meeting else _ref(event, "FairMeetingRequest", "request_id")
    request = rows.requests.get(request_id or 0)
    interest = rows.interests.get(_ref(event, "Interest", "interest_id") or 0)
    proposal_id = _ref(event, "Proposal", "proposal_id")
    proposal_id = interest.proposal_id if interest else proposal_id
    proposal_id = request.proposal_id if request and not proposal_id else proposal_id
    fair_id = request.fair_id if request else _ref(event, "Fair", "fair_id")
    _describe_interest(subject, interest, rows)
    _describe_proposal(subject, rows.proposals.get(proposal_id or 0), rows)
    _describe_request(subject, request, rows)
    _describe_fair(subject, rows.fairs.get(fair_id or 0))
    if meeting is not None and "fair" in subject.names:
        subject.names["title"] = subject.names["fair"]
    for key, value in event.payload.items():
        subject.names.setdefault(key, value)
    return subject


def _api_type(object_type: str) -> str:
    """Model names are the API type names, except where the API spells them differently."""
    return {"FairMeetingRequest": "MeetingRequest", "FairMeeting": "Meeting"}.get(
        object_type, object_type
    )


def _ref(event: m.OutboxEvent, type_name: str, key: str) -> int | None:
    if event.object_type == type_name and event.object_id:
        return event.object_id
    value = event.payload.get(key)
    return value if isinstance(value, int) else None


def _centre(rows: _Rows, centre_id: int | None) -> str:
    centre = rows.centres.get(centre_id or 0)
    return centre.name if centre else ""


def _describe_interest(subject: Subject, interest: m.Interest | None, rows: _Rows) -> None:
    if interest is None:
        return
    subject.names["centre"] = _centre(rows, interest.centre_id)
    subject.fields["interest"] = {
        "id": to_global_id("Interest", interest.id),
        "status": interest.status.value,
        "centre": _public_centre(rows, interest.centre_id),
    }


def _describe_proposal(subject: Subject, proposal: m.Proposal | None, rows: _Rows) -> None:
    if proposal is None:
        return
    subject.names["proposal"] = dict(proposal.title)
    subject.names["owner"] = _centre(rows, proposal.owner_id)
    if proposal.status is m.ProposalStatus.DRAFT:
        subject.draft_owner = proposal.owner_id
        return  # a draft's fields never leave its centre
    subject.fields["proposal"] = {
        "id": to_global_id("Proposal", proposal.id),
        "title": dict(proposal.title),
        "status": proposal.status.value,
        "owner": _public_centre(rows, proposal.owner_id),
    }


def _describe_request(subject: Subject, request: m.FairMeetingRequest | None, rows: _Rows) -> None:
    if request is None:
        return
    subject.names["centre"] = _centre(rows, request.requester_id)
    subject.names["target"] = _centre(rows, request.target_id)
    subject.fields["meetingRequest"] = {
        "id": to_global_id("MeetingRequest", request.id),
        "kind": request.kind.value,
        "status": request.status.value,
        "requester": _public_centre(rows, request.requester_id),
        "target": _public_centre(rows, request.target_id) if request.target_id else None,
    }


def _describe_fair(subject: Subject, fair: m.Fair | None) -> None:
    if fair is None:
        return
    subject.names["fair"] = fair.name
    subject.fields["fair"] = {"id": to_global_id("Fair", fair.id), "name": fair.name}


def _public_centre(rows: _Rows, centre_id: int | None) -> dict[str, Any] | None:
    """Name, slug and country: what anyone may read (never contact details)."""
    centre = rows.centres.get(centre_id or 0)
    if centre is None:
        return None
    return {
        "id": to_global_id("Centre", centre.id),
        "slug": centre.slug,
        "name": centre.name,
        "country": centre.country,
    }
