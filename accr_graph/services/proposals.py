"""Proposals and interests: creating, editing with optimistic concurrency, status changes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import proposals
from accr_graph.services import checks
from accr_graph.services.errors import Conflict, Invalid, Missing, fail
from accr_graph.services.fields import named, provided
from accr_graph.services.permissions import require_centre, require_scope
from accr_graph.services.uow import Actor, Database, unit_of_work
from accr_graph.viewer import Viewer

OPEN_FOR_INTEREST = (m.ProposalStatus.OPEN, m.ProposalStatus.IN_DISCUSSION)
Texts = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class ProposalChanges:
    """Fields to set; None leaves a field as it is (for updates)."""

    title: Texts | None = None
    summary: Texts | None = None
    themes: list[str] | None = None
    seeks: checks.Levels | None = None
    offers: checks.Levels | None = None
    partners_min: int | None = None
    partners_max: int | None = None
    min_countries: int | None = None
    timeframe: str | None = None
    funding_programme: str | None = None


async def _apply_competencies(
    session: AsyncSession, proposal: m.Proposal, changes: ProposalChanges
) -> None:
    for kind, levels in (
        (m.CompetencyKind.SEEKS, changes.seeks),
        (m.CompetencyKind.OFFERS, changes.offers),
    ):
        if levels is None:
            continue
        checked = await checks.competency_levels(session, levels, kind.value)
        kept = [c for c in proposal.competencies if c.kind is not kind]
        proposal.competencies = kept + [
            m.ProposalCompetency(competency_id=cid, kind=kind, level=level)
            for cid, level in checked.items()
        ]
    _sought_or_offered(proposal)


def _sought_or_offered(proposal: m.Proposal) -> None:
    """A proposal cannot both seek and offer one competency: matching would pair it with itself."""
    by_kind: dict[m.CompetencyKind, set[int]] = {k: set() for k in m.CompetencyKind}
    for link in proposal.competencies:
        by_kind[link.kind].add(link.competency_id)
    both = by_kind[m.CompetencyKind.SEEKS] & by_kind[m.CompetencyKind.OFFERS]
    if both:
        raise checks.invalid("offers", "a competency cannot be both sought and offered")


def _apply_counts(proposal: m.Proposal, changes: ProposalChanges) -> None:
    low = changes.partners_min if changes.partners_min is not None else proposal.partners_min
    high = changes.partners_max if changes.partners_max is not None else proposal.partners_max
    checks.int_range(low, "partnersMin", 1, 50)
    checks.int_range(high, "partnersMax", 1, 50)
    if high < low:
        raise fail(Invalid("partnersMax", f"must not be below partnersMin ({low})"))
    proposal.partners_min, proposal.partners_max = low, high
    if changes.min_countries is not None:
        proposal.min_countries = checks.int_range(changes.min_countries, "minCountries", 1, 50)


async def _apply(session: AsyncSession, proposal: m.Proposal, changes: ProposalChanges) -> None:
    if changes.title is not None:
        proposal.title = checks.translations(changes.title, "title", checks.MAX_TITLE, True)
    if changes.summary is not None:
        proposal.summary = checks.translations(changes.summary, "summary", checks.MAX_TEXT)
    if changes.themes is not None:
        proposal.themes = await checks.themes(session, changes.themes, "themes")
    _apply_counts(proposal, changes)
    if changes.timeframe is not None:
        proposal.timeframe = checks.text(changes.timeframe, "timeframe", 120)
    if changes.funding_programme is not None:
        proposal.funding_programme = checks.text(changes.funding_programme, "fundingProgramme", 200)
    await _apply_competencies(session, proposal, changes)


async def _load_for_update(session: AsyncSession, viewer: Viewer, proposal_id: int) -> m.Proposal:
    """The proposal, row-locked; another centre's draft is missing, exactly like a wrong ID
    (so nobody can probe for drafts by their answers)."""
    found = await proposals.for_update(session, proposal_id)
    if found is None or not proposals.is_visible(found, viewer):
        raise fail(Missing("No such proposal.", "Proposal", proposal_id))
    return found


def _check_version(proposal: m.Proposal, expected: int | None) -> None:
    if expected is not None and expected != proposal.version:
        raise fail(
            Conflict(
                f"The proposal changed since version {expected}; it is now at version "
                f"{proposal.version}. Reload it and apply your change again.",
                proposal.version,
            )
        )


async def create_proposal(
    db: Database, actor: Actor, owner_id: int | None, changes: ProposalChanges
) -> m.Proposal:
    async with unit_of_work(db, actor, "createProposal") as uow:
        viewer, session = uow.viewer, uow.session
        require_scope(viewer, "write")
        owner = await checks.acting_centre(session, viewer, owner_id, "ownerId")
        require_centre(viewer, owner.id, "post proposals for it")
        if changes.title is None:
            raise fail(Invalid("title", "needs a text in at least one language"))
        proposal = m.Proposal(
            owner_id=owner.id,
            title={},
            summary={},
            themes=[],
            competencies=[],
            partners_min=2,  # the defaults of the API's input, for callers that leave them out
            partners_max=5,
            min_countries=1,
        )
        with session.no_autoflush:
            await _apply(session, proposal, changes)
        session.add(proposal)
        uow.changed(proposal, named(owner_id=owner_id) + provided(changes))
        uow.network_changed()
    return proposal


async def update_proposal(
    db: Database, actor: Actor, proposal_id: int, expected_version: int, changes: ProposalChanges
) -> m.Proposal:
    async with unit_of_work(db, actor, "updateProposal") as uow:
        viewer, session = uow.viewer, uow.session
        require_scope(viewer, "write")
        proposal = await _load_for_update(session, viewer, proposal_id)
        uow.guard(proposal)
        require_centre(viewer, proposal.owner_id, "edit this proposal")
        _check_version(proposal, expected_version)
        if proposal.status is m.ProposalStatus.CLOSED:
            raise fail(Invalid("id", "a closed proposal cannot be edited"))
        with session.no_autoflush:  # one UPDATE (one version step) for the whole change
            await _apply(session, proposal, changes)
        proposal.updated_at = utcnow()  # a change to related rows only must still bump the version
        uow.changed(proposal, provided(changes))
        uow.network_changed()
    return proposal


async def publish_proposal(
    db: Database, actor: Actor, proposal_id: int, expected_version: int | None
) -> m.Proposal:
    """Open a draft to the network."""
    return await _set_status(
        db, actor, "publishProposal", proposal_id, expected_version, m.ProposalStatus.OPEN
    )


async def close_proposal(
    db: Database, actor: Actor, proposal_id: int, expected_version: int | None
) -> m.Proposal:
    """No more interests."""
    return await _set_status(
        db, actor, "closeProposal", proposal_id, expected_version, m.ProposalStatus.CLOSED
    )


_ALLOWED_BEFORE = {
    m.ProposalStatus.OPEN: (m.ProposalStatus.DRAFT,),
    m.ProposalStatus.CLOSED: tuple(s for s in m.ProposalStatus if s is not m.ProposalStatus.CLOSED),
}


async def _set_status(
    db: Database,
    actor: Actor,
    action: str,
    proposal_id: int,
    expected_version: int | None,
    target: m.ProposalStatus,
) -> m.Proposal:
    async with unit_of_work(db, actor, action) as uow:
        require_scope(uow.viewer, "write")
        proposal = await _load_for_update(uow.session, uow.viewer, proposal_id)
        uow.guard(proposal)
        require_centre(uow.viewer, proposal.owner_id, f"make this proposal {target.value}")
        _check_version(proposal, expected_version)
        if proposal.status not in _ALLOWED_BEFORE[target]:
            raise fail(
                Invalid(
                    "id", f"a proposal that is {proposal.status.value} cannot become {target.value}"
                )
            )
        proposal.status = target
        uow.changed(proposal)
        uow.network_changed()
    return proposal


async def express_interest(
    db: Database, actor: Actor, proposal_id: int, centre_id: int | None, message: str | None
) -> m.Interest:
    async with unit_of_work(db, actor, "expressInterest") as uow:
        viewer, session = uow.viewer, uow.session
        require_scope(viewer, "write")
        proposal = await _load_for_update(session, viewer, proposal_id)
        centre = await checks.acting_centre(session, viewer, centre_id, "centreId")
        require_centre(viewer, centre.id, "express interest on its behalf")
        _check_open_to(proposal, centre.id)
        # The proposal row is locked, so two identical calls cannot both pass this check; the
        # unique constraint on (proposal, centre) backs it up.
        if await proposals.interest_of(session, proposal.id, centre.id) is not None:
            raise fail(
                Invalid("centreId", "this centre already expressed interest in this proposal")
            )
        interest = m.Interest(
            proposal_id=proposal.id,
            centre_id=centre.id,
            message=checks.text(message, "message", checks.MAX_TEXT),
            status=m.InterestStatus.PENDING,
        )
        session.add(interest)
        uow.changed(interest, ["proposalId", *named(centre_id=centre_id, message=message)])
        uow.network_changed()
        uow.emit(
            "interest.expressed",
            interest,
            centre_ids=[proposal.owner_id],
            payload={"proposal_id": proposal.id, "centre_id": centre.id},
        )
    return interest


def _check_open_to(proposal: m.Proposal, centre_id: int) -> None:
    if proposal.status not in OPEN_FOR_INTEREST:
        raise fail(Invalid("proposalId", f"the proposal is {proposal.status.value}, not open"))
    if centre_id == proposal.owner_id:
        raise fail(Invalid("centreId", "a centre cannot express interest in its own proposal"))


async def respond_to_interest(
    db: Database, actor: Actor, interest_id: int, accept: bool, message: str | None = None
) -> m.Interest:
    """Accept or decline; ``message`` (optional) travels to the interested centre in the event."""
    async with unit_of_work(db, actor, "respondToInterest") as uow:
        viewer, session = uow.viewer, uow.session
        require_scope(viewer, "write")
        interest = (await proposals.interests_by_ids(session, [interest_id])).get(interest_id)
        if interest is None:
            raise fail(Missing("No such interest.", "Interest", interest_id))
        proposal = await _load_for_update(session, viewer, interest.proposal_id)
        require_centre(viewer, proposal.owner_id, "answer interests in this proposal")
        if proposal.status not in OPEN_FOR_INTEREST:
            raise fail(Invalid("interestId", f"the proposal is {proposal.status.value}, not open"))
        interest.status = m.InterestStatus.ACCEPTED if accept else m.InterestStatus.DECLINED
        if accept and proposal.status is m.ProposalStatus.OPEN:
            proposal.status = m.ProposalStatus.IN_DISCUSSION
        note = checks.text(message, "message", checks.MAX_TEXT)
        uow.changed(interest, ["interestId", "accept", *named(message=note)])
        uow.network_changed()
        uow.emit(
            "interest.accepted" if accept else "interest.declined",
            interest,
            centre_ids=[interest.centre_id],
            payload={"proposal_id": proposal.id, "centre_id": interest.centre_id}
            | ({"message": note} if note else {}),
        )
    return interest
