"""Centres and what hangs off them: themes, competencies, partners."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from accr_graph.db.models import (
    Centre,
    CentreCompetency,
    Competency,
    CompetencyKind,
    LabelStatus,
    Partnership,
    PartnershipMember,
    Theme,
    centre_themes,
)
from accr_graph.repositories.common import Window, count, page, text_matches


class CentreOrderField(StrEnum):
    NAME = "name"
    COUNTRY = "country"
    CREATED_AT = "created_at"
    FOUNDED_YEAR = "founded_year"


@dataclass(frozen=True, slots=True)
class CentreFilter:
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # slugs; a centre matches when it has any of them
    offers: tuple[str, ...] = ()  # competency slugs
    seeks: tuple[str, ...] = ()
    label_statuses: tuple[LabelStatus, ...] = ()
    search: str | None = None


@dataclass(frozen=True, slots=True)
class CentreOrder:
    field: CentreOrderField = CentreOrderField.NAME
    descending: bool = False


@dataclass(frozen=True, slots=True)
class CompetencyEntry:
    centre_id: int
    competency: Competency
    kind: CompetencyKind
    level: int
    note: str | None


@dataclass(frozen=True, slots=True)
class PartnerEntry:
    centre_id: int
    partner_id: int
    joint_projects: int
    last_year: int | None


def _has_competency(kind: CompetencyKind, slugs: Sequence[str]) -> Select[Any]:
    return (
        select(CentreCompetency.centre_id)
        .join(Competency, Competency.id == CentreCompetency.competency_id)
        .where(CentreCompetency.kind == kind, Competency.slug.in_(slugs))
    )


def _filtered(flt: CentreFilter) -> Select[Any]:
    query = select(Centre)
    if flt.countries:
        query = query.where(Centre.country.in_(flt.countries))
    if flt.label_statuses:
        query = query.where(Centre.label_status.in_(flt.label_statuses))
    if flt.themes:
        with_theme = (
            select(centre_themes.c.centre_id)
            .join(Theme, Theme.id == centre_themes.c.theme_id)
            .where(Theme.slug.in_(flt.themes))
        )
        query = query.where(Centre.id.in_(with_theme))
    if flt.offers:
        query = query.where(Centre.id.in_(_has_competency(CompetencyKind.OFFERS, flt.offers)))
    if flt.seeks:
        query = query.where(Centre.id.in_(_has_competency(CompetencyKind.SEEKS, flt.seeks)))
    if flt.search:
        query = query.where(
            text_matches((Centre.name, Centre.city, Centre.description), flt.search)
        )
    return query


def _ordered(query: Select[Any], order: CentreOrder) -> Select[Any]:
    column = getattr(Centre, order.field.value)
    primary = column.desc() if order.descending else column.asc()
    tie = Centre.id.desc() if order.descending else Centre.id.asc()
    return query.order_by(primary, tie)


async def count_centres(session: AsyncSession, flt: CentreFilter) -> int:
    return await count(session, _filtered(flt))


async def list_centres(
    session: AsyncSession, flt: CentreFilter, order: CentreOrder, window: Window
) -> list[Centre]:
    return await page(session, _ordered(_filtered(flt), order), window)


async def by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Centre]:
    rows = await session.scalars(select(Centre).where(Centre.id.in_(ids)))
    return {c.id: c for c in rows}


@dataclass(frozen=True, slots=True)
class CentreRef:
    """What a link to a centre needs. Partner and project lists can run to hundreds of centres
    on big networks: three columns, no ORM objects to build."""

    id: int
    slug: str
    name: str


async def refs_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, CentreRef]:
    rows = await session.execute(
        select(Centre.id, Centre.slug, Centre.name).where(Centre.id.in_(ids))
    )
    return {row.id: CentreRef(row.id, row.slug, row.name) for row in rows}


async def all_ids(session: AsyncSession) -> list[int]:
    return list(await session.scalars(select(Centre.id).order_by(Centre.id)))


async def by_slugs(session: AsyncSession, slugs: Sequence[str]) -> dict[str, Centre]:
    rows = await session.scalars(select(Centre).where(Centre.slug.in_(slugs)))
    return {c.slug: c for c in rows}


async def themes_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[Theme]]:
    query = (
        select(centre_themes.c.centre_id, Theme)
        .join(Theme, Theme.id == centre_themes.c.theme_id)
        .where(centre_themes.c.centre_id.in_(ids))
        .order_by(Theme.slug)
    )
    grouped: dict[int, list[Theme]] = defaultdict(list)
    for centre_id, theme in await session.execute(query):
        grouped[centre_id].append(theme)
    return grouped


async def competencies_of(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[CompetencyEntry]]:
    """Offers and seeks of several centres in one statement."""
    query = (
        select(CentreCompetency, Competency)
        .join(Competency, Competency.id == CentreCompetency.competency_id)
        .where(CentreCompetency.centre_id.in_(ids))
        .order_by(CentreCompetency.level.desc(), Competency.slug)
    )
    grouped: dict[int, list[CompetencyEntry]] = defaultdict(list)
    for link, competency in await session.execute(query):
        entry = CompetencyEntry(link.centre_id, competency, link.kind, link.level, link.note)
        grouped[link.centre_id].append(entry)
    return grouped


async def partners_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[PartnerEntry]]:
    """Centres each centre has worked with: number of joint projects and the last year."""
    mine, theirs = aliased(PartnershipMember), aliased(PartnershipMember)
    last_year = func.max(func.coalesce(Partnership.end_year, Partnership.start_year))
    query = (
        select(mine.centre_id, theirs.centre_id, func.count(), last_year)
        .join(
            theirs,
            and_(theirs.partnership_id == mine.partnership_id, theirs.centre_id != mine.centre_id),
        )
        .join(Partnership, Partnership.id == mine.partnership_id)
        .where(mine.centre_id.in_(ids))
        .group_by(mine.centre_id, theirs.centre_id)
        .order_by(mine.centre_id, func.count().desc(), last_year.desc(), theirs.centre_id)
    )
    grouped: dict[int, list[PartnerEntry]] = defaultdict(list)
    for centre_id, partner_id, joint, last in await session.execute(query):
        grouped[centre_id].append(PartnerEntry(centre_id, partner_id, int(joint), last))
    return grouped


async def for_update(session: AsyncSession, centre_id: int) -> Centre | None:
    query = (
        select(Centre)
        .where(Centre.id == centre_id)
        .options(selectinload(Centre.themes), selectinload(Centre.competencies))
    )
    return (await session.scalars(query)).one_or_none()
