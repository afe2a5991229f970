"""Themes, competencies and countries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import Centre, Competency, Theme


async def themes(session: AsyncSession) -> Sequence[Theme]:
    return (await session.scalars(select(Theme).order_by(Theme.slug))).all()


async def competencies(session: AsyncSession, category: str | None) -> Sequence[Competency]:
    query = select(Competency).order_by(Competency.category, Competency.slug)
    if category:
        query = query.where(Competency.category == category)
    return (await session.scalars(query)).all()


async def themes_by_slug(session: AsyncSession, slugs: Sequence[str]) -> dict[str, Theme]:
    rows = await session.scalars(select(Theme).where(Theme.slug.in_(slugs)))
    return {t.slug: t for t in rows}


async def competencies_by_slug(
    session: AsyncSession, slugs: Sequence[str]
) -> dict[str, Competency]:
    rows = await session.scalars(select(Competency).where(Competency.slug.in_(slugs)))
    return {c.slug: c for c in rows}


async def centre_counts_by_country(session: AsyncSession) -> list[tuple[str, int]]:
    query = select(Centre.country, func.count()).group_by(Centre.country).order_by(Centre.country)
    return [(code, int(n)) for code, n in (await session.execute(query)).all()]


async def themes_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Theme]:
    return {t.id: t for t in await session.scalars(select(Theme).where(Theme.id.in_(ids)))}


async def competencies_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Competency]:
    rows = await session.scalars(select(Competency).where(Competency.id.in_(ids)))
    return {c.id: c for c in rows}
