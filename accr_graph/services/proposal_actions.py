"""Proposal use cases on the unit of work, as the member pages call them.

Creating, editing (optimistic concurrency: a stale edit is a ``Conflict`` with the current
version), publishing and closing reuse the rules in ``services/proposals``; withdrawing an
interest, answering one with a message and marking a proposal partnered (which records the joint
project with the accepted centres) are new use cases. Each emits its outbox event.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.i18n import pick
from accr_graph.repositories import proposals as repo
from accr_graph.services import checks, proposals
from accr_graph.services.errors import Invalid, Missing, fail
from accr_graph.services.permissions import require_centre, require_scope
from accr_graph.services.proposals import ProposalChanges
from accr_graph.services.uow import Actor, Database, unit_of_work


async def create(
    db: Database, actor: Actor, owner_id: int | None, changes: ProposalChanges
) -> m.Proposal:
    async with unit_of_work(db, actor, "createProposal") as uow:
        proposal = await proposals.create_proposal(uow.session, actor.viewer, owner_id, changes)
        uow.changed(proposal, changes.changed)
        uow.network_changed()
        uow.emit("proposal.created", proposal, centre_ids=[proposal.owner_id])
    return proposal


async def update(
    db: Database, actor: Actor, proposal_id: int, version: int, changes: ProposalChanges
) -> m.Proposal:
    async with unit_of_work(db, actor, "updateProposal") as uow:
        proposal = await proposals.update_proposal(
            uow.session, actor.viewer, proposal_id, version, changes
        )
        uow.guard(proposal)
        uow.changed(proposal, changes.changed)
        uow.network_changed()
    return proposal


async def set_status(
    db: Database, actor: Actor, proposal_id: int, version: int | None, target: m.ProposalStatus
) -> m.Proposal:
    """Publish (draft -> open) or close a proposal."""
    action = "publishProposal" if target is m.ProposalStatus.OPEN else "closeProposal"
    async with unit_of_work(db, actor, action) as uow:
        proposal = await proposals.set_status(
            uow.session, actor.viewer, proposal_id, version, target
        )
        uow.guard(proposal)
        uow.changed(proposal, ["status"])
        uow.network_changed()
        uow.emit(f"proposal.{target.value}", proposal, centre_ids=[proposal.owner_id])
    return proposal


async def express_interest(
    db: Database, actor: Actor, proposal_id: int, message: str | None
) -> m.Interest:
    async with unit_of_work(db, actor, "expressInterest") as uow:
        interest = await proposals.express_interest(
            uow.session, actor.viewer, proposal_id, None, message
        )
        owner = await _owner_of(uow.session, proposal_id)
        uow.changed(interest, ["message"])
        uow.network_changed()
        uow.emit("interest.expressed", interest, centre_ids=[owner, interest.centre_id])
    return interest


async def withdraw_interest(db: Database, actor: Actor, proposal_id: int) -> None:
    """The interested centre takes back a pending interest."""
    async with unit_of_work(db, actor, "withdrawInterest") as uow:
        viewer = actor.viewer
        require_scope(viewer, "write")
        interest = None
        if viewer.centre_id is not None:
            interest = await repo.interest_of(uow.session, proposal_id, viewer.centre_id)
        if interest is None:
            raise fail(Missing("Your centre has no interest in this proposal."))
        require_centre(viewer, interest.centre_id, "withdraw its interest")
        if interest.status is not m.InterestStatus.PENDING:
            raise fail(Invalid("interest", "only a pending interest can be withdrawn"))
        owner = await _owner_of(uow.session, proposal_id)
        uow.changed(interest, ["status"])
        uow.emit("interest.withdrawn", interest, centre_ids=[owner, interest.centre_id])
        await uow.session.delete(interest)
        uow.network_changed()


async def respond(
    db: Database, actor: Actor, interest_id: int, accept: bool, message: str | None
) -> m.Interest:
    """Accept or decline an interest; the message goes to the interested centre."""
    async with unit_of_work(db, actor, "respondToInterest") as uow:
        interest = await proposals.respond_to_interest(
            uow.session, actor.viewer, interest_id, accept
        )
        note = checks.text(message, "message", checks.MAX_TEXT)
        owner = await _owner_of(uow.session, interest.proposal_id)
        uow.changed(interest, ["status"])
        uow.network_changed()
        kind = "interest.accepted" if accept else "interest.declined"
        payload = {"message": note} if note else {}
        uow.emit(kind, interest, centre_ids=[interest.centre_id, owner], payload=payload)
    return interest


async def mark_partnered(
    db: Database, actor: Actor, proposal_id: int, version: int | None
) -> m.Partnership:
    """The owner closes the life cycle: the proposal is partnered, and the joint project with
    every accepted centre is recorded (the network's new edges)."""
    async with unit_of_work(db, actor, "markProposalPartnered") as uow:
        session = uow.session
        proposal = await repo.for_update(session, proposal_id)
        if proposal is None:
            raise fail(Missing("No such proposal.", "Proposal", proposal_id))
        require_centre(actor.viewer, proposal.owner_id, "mark this proposal partnered")
        proposals._check_version(proposal, version)
        if proposal.status not in proposals.OPEN_FOR_INTEREST:
            raise fail(Invalid("status", "only an open proposal can become partnered"))
        accepted = await _accepted_centres(session, proposal.id)
        if not accepted:
            raise fail(Invalid("interests", "accept at least one interest first"))
        partnership = _partnership(proposal, accepted)
        session.add(partnership)
        proposal.status = m.ProposalStatus.PARTNERED
        uow.guard(proposal)
        uow.changed(proposal, ["status"])
        uow.network_changed()
        uow.emit(
            "proposal.partnered",
            proposal,
            centre_ids=[proposal.owner_id, *accepted],
        )
    return partnership


async def _owner_of(session: AsyncSession, proposal_id: int) -> int:
    proposal = await repo.for_update(session, proposal_id)
    assert proposal is not None
    return proposal.owner_id


async def _accepted_centres(session: AsyncSession, proposal_id: int) -> list[int]:
    interests = (await repo.interests_of(session, [proposal_id])).get(proposal_id, [])
    return [i.centre_id for i in interests if i.status is m.InterestStatus.ACCEPTED]


def _partnership(proposal: m.Proposal, accepted: list[int]) -> m.Partnership:
    year = datetime.now(UTC).year
    members = [m.PartnershipMember(centre_id=proposal.owner_id, role=m.PartnershipRole.LEAD)]
    members += [m.PartnershipMember(centre_id=cid) for cid in accepted]
    return m.Partnership(
        title=pick(proposal.title, "en")[:500],
        programme=proposal.funding_programme,
        start_year=year,
        lead_id=proposal.owner_id,
        source="api",
        members=members,
        themes=list(proposal.themes),
    )
