"""Resource hub mutations. Files come as `Upload` variables through a GraphQL multipart request
(https://github.com/jaydenseric/graphql-multipart-request-spec; see docs/resources.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from strawberry.file_uploads import Upload

from accr_graph.db import models as m
from accr_graph.services import resources
from accr_graph.services.errors import Invalid, fail
from accr_graph.services.fields import provided
from accr_graph.services.resources import ResourceSpec
from accr_graph.services.resources import Upload as UploadData
from accr_graph.storage import storage_for
from accr_graph.web.graphql_multipart import UploadedFile
from schema.context import Info
from schema.mutations import TranslationInput, attempt, payload, pk, required_pk, texts
from schema.resources.types import Resource


def _upload(value: object) -> UploadData | None:
    if value is None:
        return None
    if not isinstance(value, UploadedFile):
        raise fail(Invalid("file", "send the file in a multipart request (GraphQL multipart spec)"))
    return UploadData(value.filename, value.content)


@strawberry.input(description="A new resource. Members: about their own centre (included).")
class CreateResourceInput:
    kind: m.ResourceKind = strawberry.field(description="What the resource is.")
    title: list[TranslationInput] = strawberry.field(description="Title, in one or more languages.")
    abstract: list[TranslationInput] | None = strawberry.field(
        default=None, description="Abstract, in one or more languages."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="Languages of the content (ISO 639-1)."
    )
    visibility: m.ResourceVisibility = strawberry.field(
        default=m.ResourceVisibility.MEMBERS, description="Who may see it (STAFF: staff only)."
    )
    themes: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    centre_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Centres concerned; members: default and must include theirs."
    )
    countries: list[str] | None = strawberry.field(default=None, description="ISO country codes.")
    authors: list[str] | None = strawberry.field(default=None, description="Authors.")
    year: int | None = strawberry.field(default=None, description="Year of the document.")
    licence: str | None = strawberry.field(default=None, description="Licence, e.g. CC BY 4.0.")
    file: Upload | None = strawberry.field(
        default=None, description="The document (multipart upload): PDF, ODT, DOCX, image, CSV."
    )
    link: str | None = strawberry.field(default=None, description="External link (http/https).")
    meeting_id: strawberry.ID | None = strawberry.field(
        default=None, description="The meeting it documents (minutes, presentation)."
    )
    proposal_id: strawberry.ID | None = strawberry.field(default=None, description="A proposal.")
    partnership_id: strawberry.ID | None = strawberry.field(
        default=None, description="A partnership."
    )

    def spec(self) -> ResourceSpec:
        return ResourceSpec(
            kind=self.kind,
            title=texts(self.title),
            abstract=texts(self.abstract),
            languages=self.languages,
            authors=self.authors,
            countries=self.countries,
            year=self.year,
            licence=self.licence,
            visibility=self.visibility,
            themes=self.themes,
            centre_ids=None
            if self.centre_ids is None
            else [required_pk(c, "Centre", "centreIds") for c in self.centre_ids],
            link=self.link,
            meeting_id=pk(self.meeting_id, "Meeting", "meetingId"),
            proposal_id=pk(self.proposal_id, "Proposal", "proposalId"),
            partnership_id=pk(self.partnership_id, "Partnership", "partnershipId"),
            file=_upload(self.file),
            changed=provided(self),
        )


@strawberry.input(description="Changes to a resource; omitted fields stay as they are.")
class UpdateResourceInput:
    resource_id: strawberry.ID = strawberry.field(description="Global ID of the resource.")
    expected_version: int | None = strawberry.field(
        default=None, description="The version you read; a newer saved one is a Conflict."
    )
    kind: m.ResourceKind | None = strawberry.field(default=None, description="Kind.")
    title: list[TranslationInput] | None = strawberry.field(default=None, description="Title.")
    abstract: list[TranslationInput] | None = strawberry.field(
        default=None, description="Abstract."
    )
    languages: list[str] | None = strawberry.field(default=None, description="Languages.")
    visibility: m.ResourceVisibility | None = strawberry.field(
        default=None, description="Visibility."
    )
    themes: list[str] | None = strawberry.field(default=None, description="Theme slugs.")
    centre_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Centres concerned."
    )
    countries: list[str] | None = strawberry.field(default=None, description="Countries.")
    authors: list[str] | None = strawberry.field(default=None, description="Authors.")
    year: int | None = strawberry.field(default=None, description="Year.")
    clear_year: bool = strawberry.field(
        default=False,
        description="True: no year any more (`year: null` leaves it as it is). Not with `year`.",
    )
    licence: str | None = strawberry.field(default=None, description="Licence.")
    file: Upload | None = strawberry.field(
        default=None, description="A new file (multipart upload) replacing the current one."
    )
    remove_file: bool = strawberry.field(default=False, description="Remove the current file.")
    link: str | None = strawberry.field(default=None, description="External link.")
    meeting_id: strawberry.ID | None = strawberry.field(default=None, description="Meeting.")

    def spec(self) -> ResourceSpec:
        return ResourceSpec(
            kind=self.kind,
            title=texts(self.title),
            abstract=texts(self.abstract),
            languages=self.languages,
            authors=self.authors,
            countries=self.countries,
            year=self.year,
            licence=self.licence,
            visibility=self.visibility,
            themes=self.themes,
            centre_ids=None
            if self.centre_ids is None
            else [required_pk(c, "Centre", "centreIds") for c in self.centre_ids],
            link=self.link,
            meeting_id=pk(self.meeting_id, "Meeting", "meetingId"),
            file=_upload(self.file),
            remove_file=self.remove_file,
            clear_year=self.clear_year,
            expected_version=self.expected_version,
            changed=self._changed(),
        )

    def _changed(self) -> list[str]:
        """The fields set, in API spelling; clearing the year (removing the file) is a change
        of `year` (`file`)."""
        skip = ("resource_id", "expected_version", "remove_file", "clear_year")
        names = provided(self, skip=skip)
        cleared = [n for n, on in (("year", self.clear_year), ("file", self.remove_file)) if on]
        return names + [n for n in cleared if n not in names]


@strawberry.input(description="Which resource.")
class ResourceInput:
    resource_id: strawberry.ID = strawberry.field(description="Global ID of the resource.")


@strawberry.type(description="The resource as saved.")
class ResourceSuccess:
    resource: Resource = strawberry.field(description="The resource after the change.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    ResourcePayload = ResourceSuccess | MutationError
else:
    ResourcePayload = payload("ResourcePayload", ResourceSuccess, "A resource, or why not.")


def _resource(row: m.Resource) -> ResourceSuccess:
    return ResourceSuccess(resource=Resource.from_model(row))


@strawberry.type
class ResourceMutation:
    @strawberry.mutation(description="Add a resource (members: about their own centre).")
    async def create_resource(self, info: Info, input: CreateResourceInput) -> ResourcePayload:
        settings = info.context.settings

        async def work() -> m.Resource:
            return await resources.create_resource(
                info.context.sessionmaker,
                info.context.actor,
                storage_for(settings),
                input.spec(),
                settings.max_upload_bytes,
            )

        return await attempt(work, _resource)

    @strawberry.mutation(description="Change a resource (its centre's members, or staff).")
    async def update_resource(self, info: Info, input: UpdateResourceInput) -> ResourcePayload:
        settings = info.context.settings

        async def work() -> m.Resource:
            return await resources.update_resource(
                info.context.sessionmaker,
                info.context.actor,
                storage_for(settings),
                required_pk(input.resource_id, "Resource", "resourceId"),
                input.spec(),
                settings.max_upload_bytes,
            )

        return await attempt(work, _resource)

    @strawberry.mutation(description="Delete a resource (softly: staff can restore it).")
    async def delete_resource(self, info: Info, input: ResourceInput) -> ResourcePayload:
        async def work() -> m.Resource:
            ident = required_pk(input.resource_id, "Resource", "resourceId")
            return await resources.delete_resource(info.context.db, info.context.actor, ident)

        return await attempt(work, _resource)

    @strawberry.mutation(description="Restore a deleted resource (staff).")
    async def restore_resource(self, info: Info, input: ResourceInput) -> ResourcePayload:
        async def work() -> m.Resource:
            ident = required_pk(input.resource_id, "Resource", "resourceId")
            return await resources.restore_resource(info.context.db, info.context.actor, ident)

        return await attempt(work, _resource)
