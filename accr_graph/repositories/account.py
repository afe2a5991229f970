"""The signed-in user's own rows: who they are, their centre, what awaits their answer."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import (
    Centre,
    Fair,
    FairMeetingRequest,
    Interest,
    InterestStatus,
    MeetingKind,
    MeetingRequestStatus,
    Proposal,
    User,
)
from accr_graph.repositories import notifications


async def user_with_centre(session: AsyncSession, user_id: int) -> tuple[User, Centre | None, int]:
    """The user, their centre and their unread notifications: one statement per page header."""
    query = (
        select(User, Centre, notifications.unread_count_column(user_id))
        .outerjoin(Centre, Centre.id == User.centre_id)
        .where(User.id == user_id)
    )
    row = (await session.execute(query)).one()
    return row[0], row[1], int(row[2] or 0)


async def pending_answers(session: AsyncSession, centre_id: int) -> int:
    """Interests in the centre's proposals and one-to-one meeting requests to it, unanswered."""
    interests = (
        select(func.count(Interest.id))
        .join(Proposal, Proposal.id == Interest.proposal_id)
        .where(Proposal.owner_id == centre_id, Interest.status == InterestStatus.PENDING)
        .scalar_subquery()
    )
    meetings = (
        select(func.count(FairMeetingRequest.id))
        .where(
            FairMeetingRequest.target_id == centre_id,
            FairMeetingRequest.kind == MeetingKind.ONE_TO_ONE,
            FairMeetingRequest.status == MeetingRequestStatus.PENDING,
        )
        .scalar_subquery()
    )
    return int(await session.scalar(select(interests + meetings)) or 0)


async def user_by_id(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def pending_interests(
    session: AsyncSession, centre_id: int
) -> list[tuple[Interest, Proposal, Centre]]:
    """Unanswered interests in the centre's proposals, oldest first, with who sent them."""
    query = (
        select(Interest, Proposal, Centre)
        .join(Proposal, Proposal.id == Interest.proposal_id)
        .join(Centre, Centre.id == Interest.centre_id)
        .where(Proposal.owner_id == centre_id, Interest.status == InterestStatus.PENDING)
        .order_by(Interest.created_at, Interest.id)
    )
    return [(i, p, c) for i, p, c in (await session.execute(query)).all()]


async def pending_meeting_requests(
    session: AsyncSession, centre_id: int
) -> list[tuple[FairMeetingRequest, Fair, Centre]]:
    """Unanswered one-to-one Fair meeting requests to the centre, with who asked."""
    query = (
        select(FairMeetingRequest, Fair, Centre)
        .join(Fair, Fair.id == FairMeetingRequest.fair_id)
        .join(Centre, Centre.id == FairMeetingRequest.requester_id)
        .where(
            FairMeetingRequest.target_id == centre_id,
            FairMeetingRequest.kind == MeetingKind.ONE_TO_ONE,
            FairMeetingRequest.status == MeetingRequestStatus.PENDING,
        )
        .order_by(FairMeetingRequest.created_at, FairMeetingRequest.id)
    )
    return [(r, f, c) for r, f, c in (await session.execute(query)).all()]
