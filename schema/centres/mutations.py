from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.services import centres as service
from accr_graph.services.centres import CompetencyLine, ProfileChanges
from schema.centres.types import Centre
from schema.context import Info
from schema.mutations import TranslationInput, payload, required_pk, run, texts


@strawberry.input(description="Changes to a centre's profile; omitted fields stay as they are.")
class UpdateCentreProfileInput:
    centre_id: strawberry.ID
    name: str | None = None
    city: str | None = None
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")
    latitude: float | None = None
    longitude: float | None = None
    site_type: str | None = None
    website: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    languages: list[str] | None = strawberry.field(default=None, description="ISO 639-1 codes.")
    founded_year: int | None = None
    description: list[TranslationInput] | None = None
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
    competency: str
    level: int = 2
    note: str | None = None


@strawberry.input(description="The centre's complete lists of offered and sought competencies.")
class SetCentreCompetenciesInput:
    centre_id: strawberry.ID
    offers: list[CentreCompetencyInput]
    seeks: list[CentreCompetencyInput]


@strawberry.type(description="The centre as saved.")
class CentreSuccess:
    centre: Centre


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
        async def work(session: AsyncSession) -> m.Centre:
            centre = required_pk(input.centre_id, "Centre", "centreId")
            return await service.update_profile(
                session, info.context.viewer, centre, input.changes()
            )

        return await run(info, work, _success)

    @strawberry.mutation(description="Replace what a centre offers to and seeks from the pool.")
    async def set_centre_competencies(
        self, info: Info, input: SetCentreCompetenciesInput
    ) -> CentrePayload:
        async def work(session: AsyncSession) -> m.Centre:
            centre = required_pk(input.centre_id, "Centre", "centreId")
            return await service.set_competencies(
                session, info.context.viewer, centre, _lines(input.offers), _lines(input.seeks)
            )

        return await run(info, work, _success)
