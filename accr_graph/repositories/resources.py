"""Resources of the hub, with the visibility rule as a row filter (so nested lists obey it too).

PUBLIC: everyone; MEMBERS: signed-in users; STAFF: staff. Deleted resources (soft delete) are
seen by staff only, and only when asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, exists, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from accr_graph.db.models import (
    Centre,
    Resource,
    ResourceKind,
    ResourceVisibility,
    Theme,
    resource_centres,
    resource_themes,
)
from accr_graph.repositories.common import Window, count, page, translated_text
from accr_graph.viewer import Viewer


class ResourceOrderField(StrEnum):
    CREATED_AT = "created_at"
    YEAR = "year"
    TITLE = "title"


@dataclass(frozen=True, slots=True)
class ResourceFilter:
    kinds: tuple[ResourceKind, ...] = ()
    themes: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    centre_ids: tuple[int, ...] = ()
    visibilities: tuple[ResourceVisibility, ...] = ()
    meeting_id: int | None = None
    deleted: bool = False  # staff only: the deleted ones instead
    ids: tuple[int, ...] | None = None  # restrict to these (search hits)


@dataclass(frozen=True, slots=True)
class ResourceOrder:
    field: ResourceOrderField = ResourceOrderField.CREATED_AT
    descending: bool = True


def visibilities_for(viewer: Viewer) -> tuple[ResourceVisibility, ...]:
    if viewer.is_staff:
        return tuple(ResourceVisibility)
    if viewer.is_anonymous:
        return (ResourceVisibility.PUBLIC,)
    return (ResourceVisibility.PUBLIC, ResourceVisibility.MEMBERS)


def visible_to(viewer: Viewer, deleted: bool = False) -> ColumnElement[bool]:
    alive = (
        Resource.deleted_at.is_not(None)
        if deleted and viewer.is_staff
        else (Resource.deleted_at.is_(None))
    )
    return alive & Resource.visibility.in_(visibilities_for(viewer))


def json_has_any(column: Any, values: Sequence[str], dialect: str) -> ColumnElement[bool]:
    """A JSON array column holds one of the values (JSONB ?| on PostgreSQL, json_each else)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import array

        return column.op("?|")(array(list(values)))  # type: ignore[no-any-return]
    items = func.json_each(column).table_valued("value")
    return exists(select(1).select_from(items).where(literal_column("value").in_(values)))


def _filtered(flt: ResourceFilter, viewer: Viewer, dialect: str) -> Select[Any]:
    query = select(Resource).where(visible_to(viewer, flt.deleted))
    if flt.ids is not None:
        query = query.where(Resource.id.in_(flt.ids))
    if flt.kinds:
        query = query.where(Resource.kind.in_(flt.kinds))
    if flt.years:
        query = query.where(Resource.year.in_(flt.years))
    if flt.visibilities:
        query = query.where(Resource.visibility.in_(flt.visibilities))
    if flt.meeting_id is not None:
        query = query.where(Resource.meeting_id == flt.meeting_id)
    if flt.languages:
        query = query.where(json_has_any(Resource.languages, flt.languages, dialect))
    if flt.themes:
        themed = (
            select(resource_themes.c.resource_id)
            .join(Theme, Theme.id == resource_themes.c.theme_id)
            .where(Theme.slug.in_(flt.themes))
        )
        query = query.where(Resource.id.in_(themed))
    if flt.centre_ids:
        about = select(resource_centres.c.resource_id).where(
            resource_centres.c.centre_id.in_(flt.centre_ids)
        )
        query = query.where(Resource.id.in_(about))
    return query


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


async def count_resources(session: AsyncSession, flt: ResourceFilter, viewer: Viewer) -> int:
    return await count(session, _filtered(flt, viewer, _dialect(session)))


def _ordering(order: ResourceOrder) -> list[Any]:
    column: Any = {
        ResourceOrderField.CREATED_AT: Resource.created_at,
        ResourceOrderField.YEAR: Resource.year,
        ResourceOrderField.TITLE: translated_text(Resource.title),
    }[order.field]
    first = column.desc().nulls_last() if order.descending else column.asc().nulls_last()
    return [first, Resource.id.desc() if order.descending else Resource.id]


async def list_resources(
    session: AsyncSession,
    flt: ResourceFilter,
    order: ResourceOrder,
    viewer: Viewer,
    window: Window,
) -> list[Resource]:
    query = _filtered(flt, viewer, _dialect(session)).order_by(*_ordering(order))
    return await page(session, query, window)


async def list_deleted(session: AsyncSession, viewer: Viewer, window: Window) -> list[Resource]:
    """Deleted resources (staff; nobody else sees any), most recently deleted first."""
    flt = ResourceFilter(deleted=True)
    query = _filtered(flt, viewer, _dialect(session))
    return await page(session, query.order_by(Resource.deleted_at.desc(), Resource.id), window)


async def matching_ids(session: AsyncSession, flt: ResourceFilter, viewer: Viewer) -> set[int]:
    """The ids a filter lets through (for intersecting with search hits)."""
    query = _filtered(flt, viewer, _dialect(session)).with_only_columns(Resource.id)
    return set(await session.scalars(query))


async def by_ids(session: AsyncSession, ids: Sequence[int], viewer: Viewer) -> dict[int, Resource]:
    """Visible resources; staff also get deleted ones (to restore them)."""
    rule: ColumnElement[bool] = Resource.visibility.in_(visibilities_for(viewer))
    if not viewer.is_staff:
        rule = rule & Resource.deleted_at.is_(None)
    rows = await session.scalars(select(Resource).where(Resource.id.in_(ids), rule))
    return {row.id: row for row in rows}


async def for_update(session: AsyncSession, resource_id: int) -> Resource | None:
    query = (
        select(Resource)
        .where(Resource.id == resource_id)
        .options(selectinload(Resource.themes), selectinload(Resource.centres))
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).one_or_none()


async def themes_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[Theme]]:
    query = (
        select(resource_themes.c.resource_id, Theme)
        .join(Theme, Theme.id == resource_themes.c.theme_id)
        .where(resource_themes.c.resource_id.in_(ids))
        .order_by(Theme.slug)
    )
    found: dict[int, list[Theme]] = defaultdict(list)
    for resource_id, theme in await session.execute(query):
        found[resource_id].append(theme)
    return found


async def centre_ids_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[int]]:
    query = (
        select(resource_centres.c.resource_id, resource_centres.c.centre_id)
        .where(resource_centres.c.resource_id.in_(ids))
        .order_by(resource_centres.c.centre_id)
    )
    found: dict[int, list[int]] = defaultdict(list)
    for resource_id, centre_id in await session.execute(query):
        found[resource_id].append(centre_id)
    return found


async def of_meetings(
    session: AsyncSession, meeting_ids: Sequence[int], viewer: Viewer
) -> dict[int, list[Resource]]:
    """Minutes and presentations attached to meetings, as the caller may see them."""
    query = (
        select(Resource)
        .where(Resource.meeting_id.in_(meeting_ids), visible_to(viewer))
        .order_by(Resource.created_at, Resource.id)
    )
    found: dict[int, list[Resource]] = defaultdict(list)
    for row in await session.scalars(query):
        assert row.meeting_id is not None
        found[row.meeting_id].append(row)
    return found


async def centres_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Centre]:
    return list(await session.scalars(select(Centre).where(Centre.id.in_(ids))))
