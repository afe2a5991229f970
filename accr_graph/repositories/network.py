"""SQL for the cooperation map, the exports and the statistics dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from accr_graph.db.models import (
    Centre,
    CentreCompetency,
    Competency,
    CompetencyKind,
    LabelStatus,
    Partnership,
    PartnershipMember,
    Proposal,
    ProposalCompetency,
    ProposalStatus,
    Theme,
    centre_themes,
    proposal_themes,
)

# Proposals whose sought competencies count as demand on the shared pool.
LIVE_PROPOSALS = (ProposalStatus.OPEN, ProposalStatus.IN_DISCUSSION)


@dataclass(frozen=True, slots=True)
class CentreFilter:
    theme: str | None = None  # theme slug
    country: str | None = None  # ISO 3166-1 alpha-2
    label_status: LabelStatus | None = None


@dataclass(frozen=True, slots=True)
class MapCentre:
    id: int
    slug: str
    name: str
    country: str
    latitude: float | None
    longitude: float | None
    label_status: str


@dataclass(frozen=True, slots=True)
class PairEdge:
    a: int  # lower centre id
    b: int
    joint_projects: int
    last_year: int | None


async def map_centres(session: AsyncSession, flt: CentreFilter) -> list[MapCentre]:
    """Centres passing the profile filters, by id."""
    query = select(
        Centre.id,
        Centre.slug,
        Centre.name,
        Centre.country,
        Centre.latitude,
        Centre.longitude,
        Centre.label_status,
    ).order_by(Centre.id)
    if flt.country:
        query = query.where(Centre.country == flt.country.upper())
    if flt.label_status:
        query = query.where(Centre.label_status == flt.label_status)
    if flt.theme:
        themed = (
            select(centre_themes.c.centre_id)
            .join(Theme, Theme.id == centre_themes.c.theme_id)
            .where(Theme.slug == flt.theme)
        )
        query = query.where(Centre.id.in_(themed))
    rows = (await session.execute(query)).all()
    return [MapCentre(r[0], r[1], r[2], r[3], r[4], r[5], str(r[6])) for r in rows]


def _in_years(year_from: int | None, year_to: int | None) -> ColumnElement[bool]:
    """Years overlap [year_from, year_to]; undated partnerships always do (as in matching)."""
    start = func.coalesce(Partnership.start_year, Partnership.end_year)
    end = func.coalesce(Partnership.end_year, Partnership.start_year)
    conditions: list[ColumnElement[bool]] = []
    if year_from is not None:
        conditions.append(not_(and_(end.is_not(None), end < year_from)))
    if year_to is not None:
        conditions.append(not_(and_(start.is_not(None), start > year_to)))
    return and_(True, *conditions)


async def pair_edges(
    session: AsyncSession, year_from: int | None, year_to: int | None
) -> list[PairEdge]:
    """Every pair of centres that share a partnership in the year range, with counts."""
    one, two = aliased(PartnershipMember), aliased(PartnershipMember)
    last = func.max(func.coalesce(Partnership.end_year, Partnership.start_year))
    query = (
        select(
            one.centre_id,
            two.centre_id,
            func.count(func.distinct(Partnership.id)),
            last,
        )
        .join(two, and_(two.partnership_id == one.partnership_id, two.centre_id > one.centre_id))
        .join(Partnership, Partnership.id == one.partnership_id)
        .where(_in_years(year_from, year_to))
        .group_by(one.centre_id, two.centre_id)
        .order_by(one.centre_id, two.centre_id)
    )
    rows = (await session.execute(query)).all()
    return [PairEdge(r[0], r[1], r[2], r[3]) for r in rows]


async def _tally(session: AsyncSession, query: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in (await session.execute(query)).all()]


async def centres_by_country_and_label(session: AsyncSession) -> list[tuple[str, str, int]]:
    query = (
        select(Centre.country, Centre.label_status, func.count())
        .group_by(Centre.country, Centre.label_status)
        .order_by(Centre.country, Centre.label_status)
    )
    return [(c, str(s), n) for c, s, n in await _tally(session, query)]


async def partnerships_per_year(session: AsyncSession) -> list[tuple[int, int]]:
    """Joint projects by their first year (undated ones left out)."""
    year = func.coalesce(Partnership.start_year, Partnership.end_year)
    query = select(year, func.count()).where(year.is_not(None)).group_by(year).order_by(year)
    return [(y, n) for y, n in await _tally(session, query)]


async def proposals_by_status(session: AsyncSession) -> list[tuple[str, int]]:
    query = select(Proposal.status, func.count()).group_by(Proposal.status)
    return [(str(s), n) for s, n in await _tally(session, query)]


async def proposals_by_theme(session: AsyncSession) -> list[tuple[str, dict[str, str], int]]:
    query = (
        select(Theme.slug, Theme.name, func.count())
        .join(proposal_themes, proposal_themes.c.theme_id == Theme.id)
        .group_by(Theme.id, Theme.slug, Theme.name)
    )
    return [(slug, name, n) for slug, name, n in await _tally(session, query)]


async def competency_balance(
    session: AsyncSession,
) -> list[tuple[str, dict[str, str], int, int, int]]:
    """Per competency: centres offering it, centres seeking it, live proposals seeking it."""
    offered = await _counts(
        session,
        select(CentreCompetency.competency_id, func.count())
        .where(CentreCompetency.kind == CompetencyKind.OFFERS)
        .group_by(CentreCompetency.competency_id),
    )
    sought = await _counts(
        session,
        select(CentreCompetency.competency_id, func.count())
        .where(CentreCompetency.kind == CompetencyKind.SEEKS)
        .group_by(CentreCompetency.competency_id),
    )
    wanted = await _counts(
        session,
        select(ProposalCompetency.competency_id, func.count())
        .join(Proposal, Proposal.id == ProposalCompetency.proposal_id)
        .where(ProposalCompetency.kind == CompetencyKind.SEEKS)
        .where(Proposal.status.in_(LIVE_PROPOSALS))
        .group_by(ProposalCompetency.competency_id),
    )
    rows = await _tally(session, select(Competency.id, Competency.slug, Competency.name))
    return [
        (slug, name, offered.get(pk, 0), sought.get(pk, 0), wanted.get(pk, 0))
        for pk, slug, name in rows
    ]


async def _counts(session: AsyncSession, query: Any) -> dict[int, int]:
    return {pk: n for pk, n in await _tally(session, query)}
