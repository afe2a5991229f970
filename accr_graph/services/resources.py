"""The resource hub: adding, editing, deleting (softly) and restoring documents and links.

Members add resources about their own centre (it must be among the centres concerned) and edit
the ones their centre added; staff do anything, including STAFF-only visibility and restoring
deleted resources. A file is checked (type from its content, size) and its text extracted before
the transaction opens; it is stored first and removed again if the transaction fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.countries import is_country
from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import resources
from accr_graph.services import checks, search_index
from accr_graph.services.errors import Conflict, Invalid, Missing, Refused, fail
from accr_graph.services.files import extract_text, sniff
from accr_graph.services.permissions import require_scope, require_staff
from accr_graph.services.uow import Actor, Database, UnitOfWork, unit_of_work
from accr_graph.storage import Storage
from accr_graph.viewer import Viewer

Texts = list[tuple[str, str]]
MAX_ABSTRACT = 20_000


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as received: its name and bytes (the declared type is ignored)."""

    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    name: str
    media_type: str
    size: int
    text: str


@dataclass(frozen=True, slots=True)
class ResourceSpec:
    """Fields to set; None leaves a field as it is (on update)."""

    kind: m.ResourceKind | None = None
    title: Texts | None = None
    abstract: Texts | None = None
    languages: list[str] | None = None
    authors: list[str] | None = None
    countries: list[str] | None = None
    year: int | None = None
    licence: str | None = None
    visibility: m.ResourceVisibility | None = None
    themes: list[str] | None = None
    centre_ids: list[int] | None = None
    link: str | None = None
    meeting_id: int | None = None
    proposal_id: int | None = None
    partnership_id: int | None = None
    file: Upload | None = None
    remove_file: bool = False
    clear_year: bool = False  # on update: no year any more (``year=None`` leaves it as it is)
    expected_version: int | None = None
    changed: list[str] = field(default_factory=list)


# --- files ------------------------------------------------------------------------------------


def _file_name(name: str, extension: str) -> str:
    """A safe download name: the given stem, the extension of the real type."""
    stem = "".join(c for c in name.rsplit(".", 1)[0] if c.isalnum() or c in " -_()")[:120]
    return f"{stem.strip() or 'document'}.{extension}"


async def store_file(storage: Storage, upload: Upload, max_bytes: int) -> StoredFile:
    """Check the type and size, extract the text, then store the bytes."""
    size = len(upload.content)
    if size == 0:
        raise fail(Invalid("file", "the file is empty"))
    if size > max_bytes:
        raise fail(Invalid("file", f"the file is {size} bytes; the limit is {max_bytes}"))
    sniffed = sniff(upload.content)
    text = await asyncio.to_thread(extract_text, upload.content, sniffed.media_type)
    key = await storage.put(upload.content)
    name = _file_name(upload.filename, sniffed.extension)
    return StoredFile(key, name, sniffed.media_type, size, text)


def _attach(resource: m.Resource, stored: StoredFile) -> None:
    resource.file_key, resource.file_name = stored.key, stored.name
    resource.file_media_type, resource.file_size = stored.media_type, stored.size
    resource.body_text = stored.text or None


def _detach(resource: m.Resource) -> None:
    resource.file_key = resource.file_name = resource.file_media_type = None
    resource.file_size, resource.body_text = None, None


# --- applying a spec --------------------------------------------------------------------------


def _names(values: Sequence[str], field_name: str) -> list[str]:
    cleaned = [v for v in (checks.text(x, field_name, 200) for x in values) if v]
    if len(cleaned) > 50:
        raise fail(Invalid(field_name, "at most 50 names"))
    return list(dict.fromkeys(cleaned))


def _countries(codes: Sequence[str]) -> list[str]:
    result = [c.strip().upper() for c in codes]
    bad = [c for c in result if not is_country(c)]
    if bad:
        raise fail(Invalid("countries", f"not ISO 3166-1 alpha-2 codes: {', '.join(bad)}"))
    return list(dict.fromkeys(result))


def _apply_texts(resource: m.Resource, spec: ResourceSpec) -> None:
    if spec.kind is not None:
        resource.kind = spec.kind
    if spec.title is not None:
        resource.title = checks.translations(spec.title, "title", checks.MAX_TITLE, True)
    if spec.abstract is not None:
        resource.abstract = checks.translations(spec.abstract, "abstract", MAX_ABSTRACT)
    if spec.languages is not None:
        resource.languages = checks.languages(spec.languages, "languages")
    if spec.authors is not None:
        resource.authors = _names(spec.authors, "authors")
    if spec.countries is not None:
        resource.countries = _countries(spec.countries)
    if spec.year is not None and spec.clear_year:
        raise fail(Invalid("year", "give a year or clear it, not both"))
    if spec.year is not None:
        resource.year = checks.int_range(spec.year, "year", 1000, 2999)
    if spec.clear_year:
        resource.year = None
    if spec.licence is not None:
        resource.licence = checks.text(spec.licence, "licence", 120)
    if spec.link is not None:
        resource.link = checks.web_address(spec.link, "link")


async def _check_links(session: AsyncSession, resource: m.Resource, spec: ResourceSpec) -> None:
    for value, model, name, attr in (
        (spec.meeting_id, m.Meeting, "meetingId", "meeting_id"),
        (spec.proposal_id, m.Proposal, "proposalId", "proposal_id"),
        (spec.partnership_id, m.Partnership, "partnershipId", "partnership_id"),
    ):
        if value is None:
            continue
        if await session.get(model, value) is None:
            raise fail(Missing(f"The {name} given does not exist.", model.__name__, value))
        setattr(resource, attr, value)


async def _apply(
    session: AsyncSession, viewer: Viewer, resource: m.Resource, spec: ResourceSpec
) -> None:
    _apply_texts(resource, spec)
    if spec.visibility is not None:
        if spec.visibility is m.ResourceVisibility.STAFF and not viewer.is_staff:
            raise fail(Invalid("visibility", "only ACCR staff may make a resource staff-only"))
        resource.visibility = spec.visibility
    if spec.themes is not None:
        resource.themes = await checks.themes(session, spec.themes, "themes")
    if spec.centre_ids is not None:
        resource.centres = await _centres(session, viewer, spec.centre_ids)
    await _check_links(session, resource, spec)


async def _centres(session: AsyncSession, viewer: Viewer, ids: Sequence[int]) -> list[m.Centre]:
    unique = list(dict.fromkeys(ids))
    found = {c.id: c for c in await resources.centres_by_ids(session, unique)}
    missing = [i for i in unique if i not in found]
    if missing:
        raise fail(Missing("A centre given in centreIds does not exist.", "Centre", missing[0]))
    if not viewer.is_staff and viewer.centre_id not in found:
        raise fail(Refused("Members add resources about their own centre: include it."))
    return [found[i] for i in unique]


# --- use cases --------------------------------------------------------------------------------


async def _load(uow: UnitOfWork, resource_id: int) -> m.Resource:
    found = await resources.for_update(uow.session, resource_id)
    visible = found is not None and (found.deleted_at is None or uow.viewer.is_staff)
    if found is None or not visible:
        raise fail(Missing("No such resource.", "Resource", resource_id))
    uow.guard(found)
    return found


def may_edit(viewer: Viewer, resource: m.Resource) -> bool:
    """Who may change or delete a resource: staff, and members of the centre that added it
    (pages ask this to show their links; the use cases below enforce it)."""
    if viewer.is_staff:
        return True
    return resource.owner_centre_id is not None and resource.owner_centre_id == viewer.centre_id


def _may_edit(viewer: Viewer, resource: m.Resource) -> None:
    if not may_edit(viewer, resource):
        raise fail(Refused("Only members of the centre that added it, or staff, may change it."))


def _check_version(resource: m.Resource, expected: int | None) -> None:
    if expected is not None and expected != resource.version:
        raise fail(
            Conflict(
                f"The resource changed since version {expected}; it is now at version "
                f"{resource.version}. Reload it and apply your change again.",
                resource.version,
            )
        )


async def create_resource(
    db: Database, actor: Actor, storage: Storage, spec: ResourceSpec, max_bytes: int
) -> m.Resource:
    require_scope(actor.viewer, "write")
    if spec.kind is None or spec.title is None:
        raise fail(Invalid("kind" if spec.kind is None else "title", "is required"))
    stored = await store_file(storage, spec.file, max_bytes) if spec.file else None
    try:
        return await _create(db, actor, spec, stored)
    except BaseException:
        if stored is not None:
            await storage.delete(stored.key)  # the row was not written: no orphan file
        raise


async def _create(
    db: Database, actor: Actor, spec: ResourceSpec, stored: StoredFile | None
) -> m.Resource:
    async with unit_of_work(db, actor, "createResource") as uow:
        viewer = uow.viewer
        centre_ids = spec.centre_ids
        if centre_ids is None and not viewer.is_staff:
            centre_ids = [viewer.centre_id] if viewer.centre_id else []
        resource = m.Resource(title={}, abstract={}, themes=[], centres=[], kind=spec.kind)
        resource.owner_centre_id = None if viewer.is_staff else viewer.centre_id
        resource.created_by_id = viewer.user_id
        resource.visibility = m.ResourceVisibility.MEMBERS
        with uow.session.no_autoflush:
            await _apply(uow.session, viewer, resource, _with_centres(spec, centre_ids or []))
        if stored is not None:
            _attach(resource, stored)
        uow.session.add(resource)
        await uow.session.flush()
        await search_index.index_resource(uow.session, resource)
        uow.changed(resource, spec.changed)
        uow.emit("resource.created", resource, centre_ids=[c.id for c in resource.centres])
    return resource


def _with_centres(spec: ResourceSpec, centre_ids: list[int]) -> ResourceSpec:
    from dataclasses import replace

    return replace(spec, centre_ids=centre_ids)


async def update_resource(
    db: Database,
    actor: Actor,
    storage: Storage,
    resource_id: int,
    spec: ResourceSpec,
    max_bytes: int,
) -> m.Resource:
    require_scope(actor.viewer, "write")
    stored = await store_file(storage, spec.file, max_bytes) if spec.file else None
    try:
        resource, old_key = await _update(db, actor, resource_id, spec, stored)
    except BaseException:
        if stored is not None:
            await storage.delete(stored.key)
        raise
    if old_key is not None:
        await storage.delete(old_key)  # replaced or removed, and committed
    return resource


async def _update(
    db: Database, actor: Actor, resource_id: int, spec: ResourceSpec, stored: StoredFile | None
) -> tuple[m.Resource, str | None]:
    async with unit_of_work(db, actor, "updateResource") as uow:
        resource = await _load(uow, resource_id)
        _may_edit(uow.viewer, resource)
        _check_version(resource, spec.expected_version)
        old_key = resource.file_key if (stored is not None or spec.remove_file) else None
        with uow.session.no_autoflush:
            await _apply(uow.session, uow.viewer, resource, spec)
        if spec.remove_file:
            _detach(resource)
        if stored is not None:
            _attach(resource, stored)
        resource.updated_at = utcnow()
        await uow.session.flush()
        await search_index.index_resource(uow.session, resource)
        uow.changed(resource, spec.changed)
    return resource, old_key


async def delete_resource(db: Database, actor: Actor, resource_id: int) -> m.Resource:
    """Soft delete: hidden from everyone but staff, who can restore it; the file is kept."""
    async with unit_of_work(db, actor, "deleteResource") as uow:
        require_scope(uow.viewer, "write")
        resource = await _load(uow, resource_id)
        _may_edit(uow.viewer, resource)
        if resource.deleted_at is not None:
            raise fail(Invalid("resourceId", "the resource is already deleted"))
        resource.deleted_at = utcnow()
        await uow.session.flush()
        await search_index.index_resource(uow.session, resource)
        uow.changed(resource, ["deletedAt"])
    return resource


async def restore_resource(db: Database, actor: Actor, resource_id: int) -> m.Resource:
    async with unit_of_work(db, actor, "restoreResource") as uow:
        require_staff(uow.viewer, "restore deleted resources")
        resource = await _load(uow, resource_id)
        if resource.deleted_at is None:
            raise fail(Invalid("resourceId", "the resource is not deleted"))
        resource.deleted_at = None
        await uow.session.flush()
        await search_index.index_resource(uow.session, resource)
        uow.changed(resource, ["deletedAt"])
    return resource


async def visible_by_ids(db: Database, viewer: Viewer, ids: list[int]) -> dict[int, m.Resource]:
    """The resources the caller may see among ``ids`` (deleted ones left out)."""
    async with db() as session:
        found = await resources.by_ids(session, ids, viewer)
    return {k: v for k, v in found.items() if v.deleted_at is None}


# --- downloads --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Download:
    name: str
    media_type: str
    content: bytes
    public: bool


async def download(db: Database, viewer: Viewer, storage: Storage, resource_id: int) -> Download:
    """The file of a resource the caller may see; Missing otherwise (never "forbidden": a
    hidden resource's existence is not revealed)."""
    async with db() as session:
        resource = (await resources.by_ids(session, [resource_id], viewer)).get(resource_id)
    if resource is None or resource.file_key is None or resource.deleted_at is not None:
        raise fail(Missing("No such file.", "Resource", resource_id))
    try:
        content = await storage.get(resource.file_key)
    except FileNotFoundError:
        raise fail(Missing("The file is no longer in the storage.")) from None
    public = resource.visibility is m.ResourceVisibility.PUBLIC
    assert resource.file_name is not None and resource.file_media_type is not None
    return Download(resource.file_name, resource.file_media_type, content, public)
