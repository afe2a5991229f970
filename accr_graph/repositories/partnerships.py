"""Partnerships (joint projects) and their members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import (
    Partnership,
    PartnershipMember,
    PartnershipRole,
    Theme,
    partnership_themes,
)
from accr_graph.repositories.common import Window, count, escape_like, page

# Role order for lists: the lead, then partners, then associates.
_LEAD_FIRST = case(
    (PartnershipMember.role == PartnershipRole.LEAD, 0),
    (PartnershipMember.role == PartnershipRole.PARTNER, 1),
    else_=2,
)


@dataclass(frozen=True, slots=True)
class PartnershipFilter:
    year_from: int | None = None
    year_to: int | None = None
    centre_id: int | None = None
    programme: str | None = None  # case-insensitive substring
    themes: tuple[str, ...] = ()


def _filtered(flt: PartnershipFilter) -> Select[Any]:
    query = select(Partnership)
    # A project belongs to a year range when its years overlap it.
    if flt.year_from is not None:
        ends = func.coalesce(Partnership.end_year, Partnership.start_year)
        query = query.where(ends >= flt.year_from)
    if flt.year_to is not None:
        query = query.where(Partnership.start_year <= flt.year_to)
    if flt.centre_id is not None:
        members = select(PartnershipMember.partnership_id).where(
            PartnershipMember.centre_id == flt.centre_id
        )
        query = query.where(Partnership.id.in_(members))
    if flt.programme:
        pattern = f"%{escape_like(flt.programme.lower())}%"
        query = query.where(func.lower(Partnership.programme).like(pattern, escape="\\"))
    if flt.themes:
        with_theme = (
            select(partnership_themes.c.partnership_id)
            .join(Theme, Theme.id == partnership_themes.c.theme_id)
            .where(Theme.slug.in_(flt.themes))
        )
        query = query.where(Partnership.id.in_(with_theme))
    return query


def _ordered(query: Select[Any]) -> Select[Any]:
    return query.order_by(Partnership.start_year.desc(), Partnership.id.desc())


async def count_partnerships(session: AsyncSession, flt: PartnershipFilter) -> int:
    return await count(session, _filtered(flt))


async def list_partnerships(
    session: AsyncSession, flt: PartnershipFilter, window: Window
) -> list[Partnership]:
    return await page(session, _ordered(_filtered(flt)), window)


async def by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Partnership]:
    rows = await session.scalars(select(Partnership).where(Partnership.id.in_(ids)))
    return {p.id: p for p in rows}


async def by_centre_ids(
    session: AsyncSession, centre_ids: Sequence[int]
) -> dict[int, list[Partnership]]:
    query = (
        select(PartnershipMember.centre_id, Partnership)
        .join(Partnership, Partnership.id == PartnershipMember.partnership_id)
        .where(PartnershipMember.centre_id.in_(centre_ids))
        .order_by(Partnership.start_year.desc(), Partnership.id.desc())
    )
    grouped: dict[int, list[Partnership]] = defaultdict(list)
    for centre_id, partnership in await session.execute(query):
        grouped[centre_id].append(partnership)
    return grouped


async def members_of(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[PartnershipMember]]:
    query = (
        select(PartnershipMember)
        .where(PartnershipMember.partnership_id.in_(ids))
        .order_by(PartnershipMember.partnership_id, _LEAD_FIRST, PartnershipMember.centre_id)
    )
    grouped: dict[int, list[PartnershipMember]] = defaultdict(list)
    for member in await session.scalars(query):
        grouped[member.partnership_id].append(member)
    return grouped


async def themes_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[Theme]]:
    query = (
        select(partnership_themes.c.partnership_id, Theme)
        .join(Theme, Theme.id == partnership_themes.c.theme_id)
        .where(partnership_themes.c.partnership_id.in_(ids))
        .order_by(Theme.slug)
    )
    grouped: dict[int, list[Theme]] = defaultdict(list)
    for partnership_id, theme in await session.execute(query):
        grouped[partnership_id].append(theme)
    return grouped
