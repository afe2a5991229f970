"""The Centre type and what hangs off it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry
from graphql import GraphQLError

from accr_graph.db import models as m
from accr_graph.repositories.centres import CompetencyEntry, PartnerEntry
from accr_graph.services.errors import ServiceFailure
from schema.catalogue.types import Competency, Country, Theme
from schema.centres.loaders import (
    CentreByIdLoader,
    CompetenciesByCentreIdLoader,
    PartnersByCentreIdLoader,
    ThemesByCentreIdLoader,
)
from schema.context import Info
from schema.i18n import LangArg, Translation, localise, translations
from schema.loaders import resolved
from schema.permissions import IsAuthenticated
from schema.relay import Connection, Node, paging, slice_connection, to_global_id

if TYPE_CHECKING:
    from schema.network.types import ProposalMatch, Suggestion
    from schema.partnerships.types import Partnership
    from schema.proposals.types import Proposal

LabelStatus = strawberry.enum(m.LabelStatus, description="A centre's standing in the network.")


@strawberry.type(description="A competency a centre offers or seeks, with its level (1–3).")
class CentreCompetency:
    competency: Competency = strawberry.field(description="The competency.")
    level: int = strawberry.field(description="1 basic, 2 confirmed, 3 expert.")
    note: str | None = strawberry.field(
        description="Free-text detail from the centre; null when none."
    )

    @classmethod
    def from_entry(cls, entry: CompetencyEntry) -> CentreCompetency:
        return cls(
            competency=Competency.from_model(entry.competency), level=entry.level, note=entry.note
        )


@strawberry.type(description="A centre this centre has worked with.")
class Partner:
    joint_projects: int = strawberry.field(description="Number of partnerships they share.")
    last_year: int | None = strawberry.field(description="Most recent year they worked together.")
    _partner_id: strawberry.Private[int]

    @strawberry.field(description="The partner centre.")
    def centre(self, info: Info) -> Centre:
        return centre_by_id(info, self._partner_id)

    @classmethod
    def from_entry(cls, entry: PartnerEntry) -> Partner:
        return cls(
            joint_projects=entry.joint_projects,
            last_year=entry.last_year,
            _partner_id=entry.partner_id,
        )


def _existing_centre(row: m.Centre | None) -> Centre:
    assert row is not None  # foreign keys: the centre exists
    return Centre.from_model(row)


def centre_by_id(info: Info, centre_id: int) -> Centre:
    """A centre that a foreign key points to, through the request's loader (synchronous when
    already loaded). Every type that links to a centre resolves it here."""
    return resolved(info.context.loaders.get(CentreByIdLoader), centre_id, _existing_centre)


async def centres_by_ids(info: Info, centre_ids: Sequence[int]) -> list[Centre]:
    """Several centres in one loader batch (awaiting them one by one would batch each alone)."""
    rows = await info.context.loaders.get(CentreByIdLoader).load_many(list(centre_ids))
    return [Centre.from_model(row) for row in rows if row is not None]


def _themes(rows: list[m.Theme]) -> list[Theme]:
    return [Theme.from_model(t) for t in rows]


def _offers(entries: list[CompetencyEntry]) -> list[CentreCompetency]:
    return [CentreCompetency.from_entry(e) for e in entries if e.kind is m.CompetencyKind.OFFERS]


def _seeks(entries: list[CompetencyEntry]) -> list[CentreCompetency]:
    return [CentreCompetency.from_entry(e) for e in entries if e.kind is m.CompetencyKind.SEEKS]


@strawberry.type(description="A member (or partner) organisation of the network.")
class Centre(Node):
    slug: str = strawberry.field(description="Stable, readable identifier.")
    name: str = strawberry.field(description="Official name.")
    city: str | None = strawberry.field(description="City or town; null when unknown.")
    latitude: float | None = strawberry.field(
        description="Latitude in decimal degrees (WGS 84, -90 to 90); null when unknown."
    )
    longitude: float | None = strawberry.field(
        description="Longitude in decimal degrees (WGS 84, -180 to 180); null when unknown."
    )
    site_type: str | None = strawberry.field(description="Abbey, castle, saline, charterhouse...")
    label_status: m.LabelStatus = strawberry.field(
        description="Standing in the network (labelled, candidate, associate, partner)."
    )
    languages: list[str] = strawberry.field(description="Working languages (ISO 639-1).")
    founded_year: int | None = strawberry.field(
        description="Year the centre was founded (e.g. 1998); null when unknown."
    )
    website: str | None = strawberry.field(description="Website URL; null when none.")
    _row: strawberry.Private[m.Centre]

    @classmethod
    def from_model(cls, row: m.Centre) -> Centre:
        return cls(
            id=to_global_id("Centre", row.id),
            slug=row.slug,
            name=row.name,
            city=row.city,
            latitude=row.latitude,
            longitude=row.longitude,
            site_type=row.site_type,
            label_status=row.label_status,
            languages=list(row.languages),
            founded_year=row.founded_year,
            website=row.website,
            _row=row,
        )

    @strawberry.field(description="Country (ISO 3166-1).")
    def country(self) -> Country:
        return Country.of(self._row.country)

    @strawberry.field(description="What the centre is and does.")
    def description(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.description, info, lang)

    @strawberry.field(description="The description in every language it exists in.")
    def description_translations(self) -> list[Translation]:
        return translations(self._row.description)

    @strawberry.field(description="Contact e-mail; signed-in users only.")
    def contact_email(self, info: Info) -> str | None:
        return None if info.context.viewer.is_anonymous else self._row.contact_email

    @strawberry.field(description="Contact telephone; signed-in users only.")
    def contact_phone(self, info: Info) -> str | None:
        return None if info.context.viewer.is_anonymous else self._row.contact_phone

    @strawberry.field(description="Themes the centre works on.")
    def themes(self, info: Info) -> list[Theme]:
        return resolved(info.context.loaders.get(ThemesByCentreIdLoader), self._row.id, _themes)

    @strawberry.field(description="Competencies the centre offers to the pool.")
    def offers(self, info: Info) -> list[CentreCompetency]:
        loader = info.context.loaders.get(CompetenciesByCentreIdLoader)
        return resolved(loader, self._row.id, _offers)

    @strawberry.field(description="Competencies the centre is looking for.")
    def seeks(self, info: Info) -> list[CentreCompetency]:
        loader = info.context.loaders.get(CompetenciesByCentreIdLoader)
        return resolved(loader, self._row.id, _seeks)

    @strawberry.field(description="Project ideas the centre posted (drafts: owner and staff only).")
    def proposals(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[Proposal, strawberry.lazy("schema.proposals.types")]]:
        from schema.proposals.loaders import ProposalsByOwnerIdLoader
        from schema.proposals.types import Proposal

        page = paging(info.context.settings, first, after, last, before)
        loader = info.context.loaders.get(ProposalsByOwnerIdLoader)
        return resolved(
            loader, self._row.id, lambda rows: slice_connection(rows, page, Proposal.from_model)
        )

    @strawberry.field(description="Joint projects the centre took part in, newest first.")
    async def partnerships(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[Partnership, strawberry.lazy("schema.partnerships.types")]]:
        from schema.partnerships.loaders import PartnershipsByCentreIdLoader
        from schema.partnerships.types import Partnership

        page = paging(info.context.settings, first, after, last, before)
        rows = await info.context.loaders.get(PartnershipsByCentreIdLoader).load(self._row.id)
        return slice_connection(rows, page, Partnership.from_model)

    @strawberry.field(
        description="Centres it has worked with, most joint projects first, then most recent."
    )
    def partners(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Partner]:
        page = paging(info.context.settings, first, after, last, before)
        loader = info.context.loaders.get(PartnersByCentreIdLoader)
        return resolved(
            loader, self._row.id, lambda rows: slice_connection(rows, page, Partner.from_entry)
        )

    @strawberry.field(
        description="Who this centre should talk to, with reasons (at most 50; signed-in users).",
        permission_classes=[IsAuthenticated],
    )
    async def suggested_partners(
        self,
        info: Info,
        first: int = 10,
        include_past_partners: Annotated[
            bool,
            strawberry.argument(
                description="Also suggest centres it already worked with (new partners only "
                "by default)."
            ),
        ] = False,
    ) -> list[Annotated[Suggestion, strawberry.lazy("schema.network.types")]]:
        from schema.network.queries import matching_service
        from schema.network.types import Suggestion
        from schema.validation import check_first

        found = await matching_service(info).for_centre(
            self._row.id, check_first(first), include_past_partners
        )
        return [Suggestion.of(s) for s in found]

    @strawberry.field(
        description="Open proposals of other centres that fit this centre, best first, with "
        "reasons (at most 50; the centre's members and staff)."
    )
    async def proposal_matches(
        self, info: Info, first: int = 10
    ) -> list[Annotated[ProposalMatch, strawberry.lazy("schema.network.types")]]:
        from accr_graph.services import matching as service
        from schema.network.queries import matching_service
        from schema.network.types import proposal_matches
        from schema.validation import check_first

        engine = matching_service(info)
        try:
            found = await service.proposal_matches(
                info.context.sessionmaker,
                info.context.viewer,
                self._row.id,
                check_first(first),
                engine=engine,
            )
        except ServiceFailure as failure:
            raise GraphQLError(
                f"PermissionDenied: {getattr(failure.failure, 'message', '')}",
                extensions={"code": "PERMISSION_DENIED"},
            ) from failure
        return await proposal_matches(info, found)
