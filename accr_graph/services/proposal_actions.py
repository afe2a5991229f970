"""Proposal use cases as the member pages call them, all on the unit of work.

Creating, editing (optimistic concurrency: a stale edit is a ``Conflict`` with the current
version), publishing, closing, interests and answers are ``services/proposals``; withdrawing an
interest and marking a proposal partnered (which records the joint project with the accepted
centres) are new use cases here. Each emits its outbox event.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.i18n import pick
from accr_graph.repositories import proposals as repo
from accr_graph.services import proposals
from accr_graph.services.errors import Invalid, Missing, fail
from accr_graph.services.permissions import require_centre, require_scope
from accr_graph.services.proposals import ProposalChanges
from accr_graph.services.uow import Actor, Database, unit_of_work


async def create(
    db: Database, actor: Actor, owner_id: int | None, changes: ProposalChanges
) -> m.Proposal:
    return await proposals.create_proposal(db, actor, owner_id, changes)


async def update(
    db: Database, actor: Actor, proposal_id: int, version: int, changes: ProposalChanges
) -> m.Proposal:
    return await proposals.update_proposal(db, actor, proposal_id, version, changes)


async def set_status(
    db: Database, actor: Actor, proposal_id: int, version: int | None, target: m.ProposalStatus
) -> m.Proposal:
    """Publish (draft -> open) or close a proposal."""
    if target is m.ProposalStatus.OPEN:
        return await proposals.publish_proposal(db, actor, proposal_id, version)
    return await proposals.close_proposal(db, actor, proposal_id, version)


async def express_interest(
    db: Database, actor: Actor, proposal_id: int, message: str | None
) -> m.Interest:
    return await proposals.express_interest(db, actor, proposal_id, None, message)


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
    return await proposals.respond_to_interest(db, actor, interest_id, accept, message)


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
