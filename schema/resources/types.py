"""The resource hub in the API: documents and links, their files, search highlights, facets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from accr_graph.db import models as m
from schema import nodes
from schema.catalogue.types import Theme
from schema.centres.types import Centre, centres_by_ids
from schema.context import Info
from schema.i18n import LangArg, Translation, localise, translations
from schema.meetings.loaders import ProgrammeMeetingByIdLoader
from schema.relay import Edge, Node, PageInfo, to_global_id
from schema.resources.loaders import CentreIdsByResourceIdLoader, ThemesByResourceIdLoader

if TYPE_CHECKING:
    from schema.meetings.types import Meeting

ResourceKind = strawberry.enum(
    m.ResourceKind,
    name="ResourceKind",
    description="What a resource is: study, report, guide, initiative, minutes, presentation, "
    "dataset, other.",
)
ResourceVisibility = strawberry.enum(
    m.ResourceVisibility,
    name="ResourceVisibility",
    description="Who may see a resource and its file: everyone (PUBLIC), signed-in users "
    "(MEMBERS), ACCR staff (STAFF).",
)


@strawberry.type(description="A resource's file. Download it from `url` (access-checked).")
class ResourceFile:
    url: str = strawberry.field(description="Path of the download (`/resources/<n>/file`).")
    name: str = strawberry.field(description="File name offered for saving.")
    media_type: str = strawberry.field(description="Type read from the content (e.g. PDF).")
    size: int = strawberry.field(description="Size in bytes.")


@strawberry.type(description="A document or link in the resource hub.")
class Resource(Node):
    kind: m.ResourceKind = strawberry.field(description="What the resource is.")
    languages: list[str] = strawberry.field(description="Languages of the content (ISO 639-1).")
    authors: list[str] = strawberry.field(description="Authors, in order.")
    countries: list[str] = strawberry.field(description="Countries concerned (ISO 3166-1).")
    year: int | None = strawberry.field(description="Year of the document; null if unknown.")
    licence: str | None = strawberry.field(description="Licence (e.g. CC BY 4.0); null if none.")
    visibility: m.ResourceVisibility = strawberry.field(description="Who may see it.")
    link: str | None = strawberry.field(description="External link; null when none.")
    created_at: datetime = strawberry.field(description="When it was added (ISO 8601, UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (ISO 8601, UTC).")
    deleted_at: datetime | None = strawberry.field(
        description="When it was deleted (staff see deleted resources); null when not."
    )
    version: int = strawberry.field(
        description="Increases with every change; pass it as `expectedVersion` when updating."
    )
    highlights: list[str] = strawberry.field(
        description="With a search: matching title and text fragments as HTML, the matched "
        "words in <mark> (everything else escaped); empty otherwise."
    )
    _row: strawberry.Private[m.Resource]

    @classmethod
    def from_model(cls, row: m.Resource, highlights: list[str] | None = None) -> Resource:
        return cls(
            id=to_global_id("Resource", row.id),
            kind=row.kind,
            languages=list(row.languages),
            authors=list(row.authors),
            countries=list(row.countries),
            year=row.year,
            licence=row.licence,
            visibility=row.visibility,
            link=row.link,
            created_at=row.created_at,
            updated_at=row.updated_at,
            deleted_at=row.deleted_at,
            version=row.version,
            highlights=highlights or [],
            _row=row,
        )

    @strawberry.field(description="Title.")
    def title(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.title, info, lang)

    @strawberry.field(description="The title in every language it exists in.")
    def title_translations(self) -> list[Translation]:
        return translations(self._row.title)

    @strawberry.field(name="abstract", description="Abstract.")
    def abstract_text(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.abstract, info, lang)

    @strawberry.field(description="The abstract in every language it exists in.")
    def abstract_translations(self) -> list[Translation]:
        return translations(self._row.abstract)

    @strawberry.field(description="The file; null when the resource is only a link.")
    def file(self) -> ResourceFile | None:
        row = self._row
        if row.file_key is None or row.file_name is None or row.file_media_type is None:
            return None
        url = f"/resources/{row.id}/file"
        return ResourceFile(
            url=url, name=row.file_name, media_type=row.file_media_type, size=row.file_size or 0
        )

    @strawberry.field(description="Themes.")
    async def themes(self, info: Info) -> list[Theme]:
        rows = await info.context.loaders.get(ThemesByResourceIdLoader).load(self._row.id)
        return [Theme.from_model(t) for t in rows]

    @strawberry.field(description="Centres the resource is about.")
    async def centres(self, info: Info) -> list[Centre]:
        ids = await info.context.loaders.get(CentreIdsByResourceIdLoader).load(self._row.id)
        return await centres_by_ids(info, ids)

    @strawberry.field(description="The meeting it documents (minutes, presentations); or null.")
    async def meeting(
        self, info: Info
    ) -> Annotated[Meeting, strawberry.lazy("schema.meetings.types")] | None:
        if self._row.meeting_id is None:
            return None
        row = await info.context.loaders.get(ProgrammeMeetingByIdLoader).load(self._row.meeting_id)
        return nodes.builder("ProgrammeMeeting")(row) if row else None


@strawberry.type(description="One value of a facet and how many results carry it.")
class FacetValue:
    value: str = strawberry.field(
        description="The value: a kind, theme slug, year, language code or centre global ID."
    )
    count: int = strawberry.field(description="Matching resources with this value.")


@strawberry.type(
    description="Counts of the matching resources per facet value; each facet counts without its "
    "own filter (a chosen kind still lists the other kinds) and with the others."
)
class ResourceFacets:
    kind: list[FacetValue] = strawberry.field(description="Per resource kind (lower case).")
    theme: list[FacetValue] = strawberry.field(description="Per theme slug.")
    year: list[FacetValue] = strawberry.field(description="Per year.")
    language: list[FacetValue] = strawberry.field(description="Per content language.")
    centre: list[FacetValue] = strawberry.field(description="Per centre (global ID).")

    @classmethod
    def of(cls, found: dict[str, list[tuple[str, int]]]) -> ResourceFacets:
        def values(name: str) -> list[FacetValue]:
            pairs = found.get(name, [])
            if name == "centre":
                pairs = [(str(to_global_id("Centre", int(v))), n) for v, n in pairs]
            return [FacetValue(value=v, count=n) for v, n in pairs]

        return cls(
            **{name: values(name) for name in ("kind", "theme", "year", "language", "centre")}
        )


@strawberry.type(description="A page of resources (Relay connection), with facet counts.")
class ResourceConnection:
    edges: list[Edge[Resource]] = strawberry.field(description="The page's items.")
    page_info: PageInfo = strawberry.field(description="Where this page sits.")
    total_count: int = strawberry.field(description="Number of items in the whole list.")
    _facets: strawberry.Private[Callable[[], Awaitable[dict[str, list[tuple[str, int]]]]]]

    @strawberry.field(
        description="Counts per kind, theme, year, language and centre over the whole list."
    )
    async def facets(self) -> ResourceFacets:
        return ResourceFacets.of(await self._facets())

    @strawberry.field(description="The page's items without cursors (shortcut for edges.node).")
    def nodes(self) -> list[Resource]:
        return [edge.node for edge in self.edges]
