"""Proposals and interests, with the visibility rule applied as a row filter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from accr_graph.db.models import (
    Centre,
    Competency,
    CompetencyKind,
    Interest,
    Proposal,
    ProposalCompetency,
    ProposalStatus,
    Theme,
    proposal_themes,
)
from accr_graph.repositories.common import Window, count, page, text_matches, translated_text
from accr_graph.viewer import Viewer


class ProposalOrderField(StrEnum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    TITLE = "title"


@dataclass(frozen=True, slots=True)
class ProposalFilter:
    statuses: tuple[ProposalStatus, ...] = ()
    themes: tuple[str, ...] = ()
    seeks: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    owner_countries: tuple[str, ...] = ()
    owner_id: int | None = None
    search: str | None = None
    programmes: tuple[str, ...] = ()  # funding programmes, exactly as written


@dataclass(frozen=True, slots=True)
class ProposalOrder:
    field: ProposalOrderField = ProposalOrderField.CREATED_AT
    descending: bool = True


@dataclass(frozen=True, slots=True)
class ProposalCompetencyEntry:
    proposal_id: int
    competency: Competency
    kind: CompetencyKind
    level: int


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """Drafts are seen by their own centre and by staff only."""
    if viewer.is_staff:
        return Proposal.id.is_not(None)
    not_draft = Proposal.status != ProposalStatus.DRAFT
    if viewer.centre_id is None:
        return not_draft
    return or_(not_draft, Proposal.owner_id == viewer.centre_id)


def is_visible(proposal: Proposal, viewer: Viewer) -> bool:
    """:func:`visible_to` for a row already loaded (the same rule, for writes that lock it)."""
    own = viewer.centre_id is not None and proposal.owner_id == viewer.centre_id
    return viewer.is_staff or own or proposal.status != ProposalStatus.DRAFT


def _with_competency(kind: CompetencyKind, slugs: Sequence[str]) -> Select[Any]:
    return (
        select(ProposalCompetency.proposal_id)
        .join(Competency, Competency.id == ProposalCompetency.competency_id)
        .where(ProposalCompetency.kind == kind, Competency.slug.in_(slugs))
    )


def _filtered(flt: ProposalFilter, viewer: Viewer) -> Select[Any]:
    query = select(Proposal).where(visible_to(viewer))
    if flt.statuses:
        query = query.where(Proposal.status.in_(flt.statuses))
    if flt.owner_id is not None:
        query = query.where(Proposal.owner_id == flt.owner_id)
    if flt.themes:
        with_theme = (
            select(proposal_themes.c.proposal_id)
            .join(Theme, Theme.id == proposal_themes.c.theme_id)
            .where(Theme.slug.in_(flt.themes))
        )
        query = query.where(Proposal.id.in_(with_theme))
    if flt.seeks:
        query = query.where(Proposal.id.in_(_with_competency(CompetencyKind.SEEKS, flt.seeks)))
    if flt.offers:
        query = query.where(Proposal.id.in_(_with_competency(CompetencyKind.OFFERS, flt.offers)))
    if flt.owner_countries:
        owners = select(Centre.id).where(Centre.country.in_(flt.owner_countries))
        query = query.where(Proposal.owner_id.in_(owners))
    if flt.search:
        query = query.where(text_matches((Proposal.title, Proposal.summary), flt.search))
    if flt.programmes:
        query = query.where(Proposal.funding_programme.in_(flt.programmes))
    return query


async def funding_programmes(session: AsyncSession, viewer: Viewer) -> list[str]:
    """The funding programmes named by the proposals the viewer may see, alphabetically."""
    query = (
        select(Proposal.funding_programme)
        .where(visible_to(viewer), Proposal.funding_programme.is_not(None))
        .distinct()
        .order_by(Proposal.funding_programme)
    )
    return [p for p in await session.scalars(query) if p]


def _ordered(query: Select[Any], order: ProposalOrder) -> Select[Any]:
    column = getattr(Proposal, order.field.value)
    if order.field is ProposalOrderField.TITLE:
        column = func.lower(translated_text(Proposal.title))
    primary = column.desc() if order.descending else column.asc()
    tie = Proposal.id.desc() if order.descending else Proposal.id.asc()
    return query.order_by(primary, tie)


async def count_proposals(session: AsyncSession, flt: ProposalFilter, viewer: Viewer) -> int:
    return await count(session, _filtered(flt, viewer))


async def list_proposals(
    session: AsyncSession, flt: ProposalFilter, order: ProposalOrder, viewer: Viewer, window: Window
) -> list[Proposal]:
    return await page(session, _ordered(_filtered(flt, viewer), order), window)


async def by_ids(session: AsyncSession, ids: Sequence[int], viewer: Viewer) -> dict[int, Proposal]:
    rows = await session.scalars(select(Proposal).where(Proposal.id.in_(ids), visible_to(viewer)))
    return {p.id: p for p in rows}


async def by_owner_ids(
    session: AsyncSession, owner_ids: Sequence[int], viewer: Viewer
) -> dict[int, list[Proposal]]:
    query = (
        select(Proposal)
        .where(Proposal.owner_id.in_(owner_ids), visible_to(viewer))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    )
    grouped: dict[int, list[Proposal]] = defaultdict(list)
    for proposal in await session.scalars(query):
        grouped[proposal.owner_id].append(proposal)
    return grouped


async def themes_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[Theme]]:
    query = (
        select(proposal_themes.c.proposal_id, Theme)
        .join(Theme, Theme.id == proposal_themes.c.theme_id)
        .where(proposal_themes.c.proposal_id.in_(ids))
        .order_by(Theme.slug)
    )
    grouped: dict[int, list[Theme]] = defaultdict(list)
    for proposal_id, theme in await session.execute(query):
        grouped[proposal_id].append(theme)
    return grouped


async def competencies_of(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[ProposalCompetencyEntry]]:
    query = (
        select(ProposalCompetency, Competency)
        .join(Competency, Competency.id == ProposalCompetency.competency_id)
        .where(ProposalCompetency.proposal_id.in_(ids))
        .order_by(ProposalCompetency.level.desc(), Competency.slug)
    )
    grouped: dict[int, list[ProposalCompetencyEntry]] = defaultdict(list)
    for link, competency in await session.execute(query):
        entry = ProposalCompetencyEntry(link.proposal_id, competency, link.kind, link.level)
        grouped[link.proposal_id].append(entry)
    return grouped


def interests_visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """An interest (its message and status) is seen by the two centres concerned, the
    interested one and the proposal's owner, and by staff; by nobody else, anonymous included."""
    if viewer.is_staff:
        return Interest.id.is_not(None)
    if viewer.centre_id is None:
        return false()
    owned = select(Proposal.id).where(Proposal.owner_id == viewer.centre_id)
    return or_(Interest.centre_id == viewer.centre_id, Interest.proposal_id.in_(owned))


async def interests_of(
    session: AsyncSession, ids: Sequence[int], viewer: Viewer | None = None
) -> dict[int, list[Interest]]:
    """Interests per proposal; with a viewer, only those it may see (None: a service's rule
    check, which sees every row)."""
    query = (
        select(Interest)
        .where(Interest.proposal_id.in_(ids))
        .order_by(Interest.created_at, Interest.id)
    )
    if viewer is not None:
        query = query.where(interests_visible_to(viewer))
    grouped: dict[int, list[Interest]] = defaultdict(list)
    for interest in await session.scalars(query):
        grouped[interest.proposal_id].append(interest)
    return grouped


async def interests_by_ids(
    session: AsyncSession, ids: Sequence[int], viewer: Viewer | None = None
) -> dict[int, Interest]:
    query = select(Interest).where(Interest.id.in_(ids))
    if viewer is not None:
        query = query.where(interests_visible_to(viewer))
    return {i.id: i for i in await session.scalars(query)}


async def for_update(session: AsyncSession, proposal_id: int) -> Proposal | None:
    """One proposal with its themes and competencies loaded, for editing.

    Row-locked (PostgreSQL) until the transaction ends, so concurrent writers about one
    proposal (edits, interests) take turns. No row filter: the service applies the rule.
    """
    query = (
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .options(selectinload(Proposal.themes), selectinload(Proposal.competencies))
        .with_for_update(of=Proposal)
    )
    return (await session.scalars(query)).one_or_none()


async def interest_of(session: AsyncSession, proposal_id: int, centre_id: int) -> Interest | None:
    query = select(Interest).where(
        Interest.proposal_id == proposal_id, Interest.centre_id == centre_id
    )
    return (await session.scalars(query)).one_or_none()
