"""What the observatory's indicators are computed from: light rows, no ORM objects.

Centres' profiles (for grouping), joint projects with their members, proposals by year, the
Project Fair meetings held (published and placed) by the fair's year, and the centres recorded
as present at the programme's meetings, by the meeting's year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from accr_graph.db.models import (
    Centre,
    Fair,
    FairMeeting,
    FairMeetingRequest,
    Meeting,
    MeetingRegistration,
    MeetingStatus,
    Partnership,
    PartnershipMember,
    ProgrammeStatus,
    Proposal,
    ProposalStatus,
    Theme,
    centre_themes,
    fair_request_members,
)
from matching.yearly import Project


@dataclass(frozen=True, slots=True)
class Profile:
    country: str
    label_status: str
    themes: tuple[str, ...]


async def profiles(session: AsyncSession) -> dict[int, Profile]:
    """Every centre's country, label status and theme slugs."""
    themes: dict[int, list[str]] = defaultdict(list)
    query = select(centre_themes.c.centre_id, Theme.slug).join(
        Theme, Theme.id == centre_themes.c.theme_id
    )
    for centre_id, slug in (await session.execute(query.order_by(Theme.slug))).all():
        themes[centre_id].append(slug)
    rows = await session.execute(select(Centre.id, Centre.country, Centre.label_status))
    return {
        cid: Profile(country, str(getattr(status, "value", status)), tuple(themes[cid]))
        for cid, country, status in rows.all()
    }


async def projects(session: AsyncSession) -> list[Project]:
    members: dict[int, list[int]] = defaultdict(list)
    rows = await session.execute(
        select(PartnershipMember.partnership_id, PartnershipMember.centre_id)
    )
    for pid, cid in rows.all():
        members[pid].append(cid)
    query = select(Partnership.id, Partnership.start_year, Partnership.end_year)
    return [
        Project(start, end, tuple(sorted(members[pid])))
        for pid, start, end in (await session.execute(query.order_by(Partnership.id))).all()
    ]


@dataclass(frozen=True, slots=True)
class ProposalRow:
    owner_id: int
    year: int
    partnered: bool


async def proposals(session: AsyncSession) -> list[ProposalRow]:
    """Proposals posted (drafts are not: nobody else has seen them), by creation year."""
    year = extract("year", Proposal.created_at)
    query = select(Proposal.owner_id, year, Proposal.status).where(
        Proposal.status != ProposalStatus.DRAFT
    )
    return [
        ProposalRow(owner, int(y), status == ProposalStatus.PARTNERED)
        for owner, y, status in (await session.execute(query)).all()
    ]


@dataclass(frozen=True, slots=True)
class MeetingRow:
    year: int
    centre_ids: tuple[int, ...]


async def fair_meetings(session: AsyncSession) -> list[MeetingRow]:
    """Meetings held at a Project Fair: published and placed at a slot, by the fair's year."""
    query = (
        select(
            FairMeeting.request_id,
            Fair.year,
            FairMeetingRequest.requester_id,
            FairMeetingRequest.target_id,
        )
        .join(Fair, Fair.id == FairMeeting.fair_id)
        .join(FairMeetingRequest, FairMeetingRequest.id == FairMeeting.request_id)
        .where(FairMeeting.status == MeetingStatus.PUBLISHED, FairMeeting.slot_id.is_not(None))
    )
    rows = (await session.execute(query)).all()
    extra: dict[int, list[int]] = defaultdict(list)
    ids = [row[0] for row in rows]
    if ids:
        members = select(fair_request_members.c.request_id, fair_request_members.c.centre_id).where(
            fair_request_members.c.request_id.in_(ids)
        )
        for rid, cid in (await session.execute(members)).all():
            extra[rid].append(cid)
    return [
        MeetingRow(year, tuple(sorted({c for c in (req, target, *extra[rid]) if c is not None})))
        for rid, year, req, target in rows
    ]


async def meeting_attendance(session: AsyncSession) -> list[MeetingRow]:
    """One row per centre recorded as present at a programme meeting (staff record attendance
    after the meeting; a cancelled meeting has none), by the year the meeting started."""
    year = extract("year", Meeting.starts_at)
    query = (
        select(year, MeetingRegistration.centre_id)
        .join(Meeting, Meeting.id == MeetingRegistration.meeting_id)
        .where(
            MeetingRegistration.attended.is_(True),
            Meeting.status != ProgrammeStatus.CANCELLED,
        )
    )
    return [MeetingRow(int(y), (cid,)) for y, cid in (await session.execute(query)).all()]


async def pair_first_years(session: AsyncSession) -> dict[tuple[int, int], int]:
    """(lower centre id, higher) -> the first year the two had a joint project."""
    one, two = aliased(PartnershipMember), aliased(PartnershipMember)
    query = (
        select(one.centre_id, two.centre_id, func.min(Partnership.start_year))
        .join(two, and_(two.partnership_id == one.partnership_id, two.centre_id > one.centre_id))
        .join(Partnership, Partnership.id == one.partnership_id)
        .where(Partnership.start_year.is_not(None))
        .group_by(one.centre_id, two.centre_id)
    )
    rows = (await session.execute(query)).all()
    return {(a, b): int(year) for a, b, year in rows if year is not None}
