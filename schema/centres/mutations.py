from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from accr_graph.db import models as m
from accr_graph.services import centre_edits as edits
from accr_graph.services import centres as service
from accr_graph.services.centres import CompetencyLine, ProfileChanges
from accr_graph.services.errors import ServiceFailure
from schema.centres.types import Centre
from schema.context import Info
from schema.errors import to_graphql_error
from schema.mutations import TranslationInput, payload, required_pk, texts


@strawberry.input(description="Changes to a centre's profile; omitted fields stay as they are.")
class UpdateCentreProfileInput:
    centre_id: strawberry.ID = strawberry.field(description="Global ID of the centre to edit.")
    name: str | None = strawberry.field(default=None, description="Official name.")
    city: str | None = strawberry.field(default=None, description="City or town.")
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")
    latitude: float | None = strawberry.field(
        default=None, description="Latitude in decimal degrees (WGS 84, -90 to 90)."
    )
    longitude: float | None = strawberry.field(
        default=None, description="Longitude in decimal degrees (WGS 84, -180 to 180)."
    )
    site_type: str | None = strawberry.field(
        default=None, description="Kind of site: abbey, castle, saline, charterhouse..."
    )
    website: str | None = strawberry.field(
        default=None, description="Website URL (at most 300 characters)."
    )
    contact_email: str | None = strawberry.field(
        default=None, description="Contact e-mail (at most 300 characters)."
    )
    contact_phone: str | None = strawberry.field(
        default=None, description="Contact telephone (at most 60 characters)."
    )
    languages: list[str] | None = strawberry.field(default=None, description="ISO 639-1 codes.")
    founded_year: int | None = strawberry.field(
        default=None, description="Year the centre was founded (800 to 2100)."
    )
    description: list[TranslationInput] | None = strawberry.field(
        default=None,
        description="What the centre is and does, one text per language; replaces all languages.",
    )
    themes: list[str] | None = strawberry.field(default=None, description="Theme slugs.")

    def changes(self) -> ProfileChanges:
        return ProfileChanges(
            name=self.name,
            city=self.city,
            latitude=self.latitude,
            longitude=self.longitude,
            site_type=self.site_type,
            website=self.website,
            contact_email=self.contact_email,
            contact_phone=self.contact_phone,
            country=self.country,
            languages=self.languages,
            founded_year=self.founded_year,
            description=texts(self.description),
            themes=self.themes,
        )


@strawberry.input(description="A competency (by slug) with a level (1–3) and an optional note.")
class CentreCompetencyInput:
    competency: str = strawberry.field(description="Competency slug.")
    level: int = strawberry.field(default=2, description="1 basic, 2 confirmed, 3 expert.")
    note: str | None = strawberry.field(
        default=None, description="Free-text detail; null for none."
    )


@strawberry.input(description="The centre's complete lists of offered and sought competencies.")
class SetCentreCompetenciesInput:
    centre_id: strawberry.ID = strawberry.field(description="Global ID of the centre.")
    offers: list[CentreCompetencyInput] = strawberry.field(
        description="Every competency the centre offers; replaces the current list."
    )
    seeks: list[CentreCompetencyInput] = strawberry.field(
        description="Every competency the centre seeks; replaces the current list."
    )


@strawberry.enum(description="Whether a centre offers a competency to the pool or seeks it.")
class CompetencySide(Enum):
    OFFERS = "offers"
    SEEKS = "seeks"


@strawberry.input(description="One offered or sought competency to add, or whose level to change.")
class SetCentreCompetencyInput:
    centre_id: strawberry.ID = strawberry.field(description="Global ID of the centre.")
    side: CompetencySide = strawberry.field(description="Offered or sought.")
    competency: str = strawberry.field(description="Competency slug.")
    level: int = strawberry.field(default=2, description="1 basic, 2 confirmed, 3 expert.")
    note: str | None = strawberry.field(
        default=None, description="Free-text detail (at most 500 characters); null for none."
    )


@strawberry.input(description="One offered or sought competency to remove from a centre.")
class RemoveCentreCompetencyInput:
    centre_id: strawberry.ID = strawberry.field(description="Global ID of the centre.")
    side: CompetencySide = strawberry.field(description="Offered or sought.")
    competency: str = strawberry.field(description="Competency slug.")


@strawberry.type(description="The centre as saved.")
class CentreSuccess:
    centre: Centre = strawberry.field(description="The centre after the change.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    CentrePayload = CentreSuccess | MutationError
else:
    CentrePayload = payload("CentrePayload", CentreSuccess, "A centre, or why not.")


def _success(row: m.Centre) -> CentreSuccess:
    return CentreSuccess(centre=Centre.from_model(row))


def _lines(items: list[CentreCompetencyInput]) -> list[CompetencyLine]:
    return [CompetencyLine(i.competency, i.level, i.note) for i in items]


@strawberry.type
class CentreMutation:
    @strawberry.mutation(description="Edit a centre's public profile.")
    async def update_centre_profile(
        self, info: Info, input: UpdateCentreProfileInput
    ) -> CentrePayload:
        context = info.context
        try:
            centre = required_pk(input.centre_id, "Centre", "centreId")
            row = await service.update_profile(context.db, context.actor, centre, input.changes())
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _success(row)

    @strawberry.mutation(description="Replace what a centre offers to and seeks from the pool.")
    async def set_centre_competencies(
        self, info: Info, input: SetCentreCompetenciesInput
    ) -> CentrePayload:
        context = info.context
        try:
            centre = required_pk(input.centre_id, "Centre", "centreId")
            row = await service.set_competencies(
                context.db, context.actor, centre, _lines(input.offers), _lines(input.seeks)
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _success(row)

    @strawberry.mutation(
        description="Add one competency a centre offers or seeks, or change its level and note."
    )
    async def set_centre_competency(
        self, info: Info, input: SetCentreCompetencyInput
    ) -> CentrePayload:
        context = info.context
        try:
            centre = required_pk(input.centre_id, "Centre", "centreId")
            kind = m.CompetencyKind(input.side.value)
            row = await edits.set_centre_competency(
                context.db, context.actor, centre, input.competency, kind, input.level, input.note
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _success(row)

    @strawberry.mutation(description="Remove one competency a centre offers or seeks.")
    async def remove_centre_competency(
        self, info: Info, input: RemoveCentreCompetencyInput
    ) -> CentrePayload:
        context = info.context
        try:
            centre = required_pk(input.centre_id, "Centre", "centreId")
            kind = m.CompetencyKind(input.side.value)
            row = await edits.remove_centre_competency(
                context.db, context.actor, centre, input.competency, kind
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return _success(row)
