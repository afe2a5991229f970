"""Proposals (project ideas) and interests (centres' answers to them)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from accr_graph.db import models as m
from accr_graph.services.reads import ProposalCompetencyEntry
from schema import nodes
from schema.catalogue.types import Competency, Theme
from schema.centres.types import Centre, centre_by_id
from schema.context import Info
from schema.i18n import LangArg, Translation, localise, translations
from schema.network.types import Consortium, Suggestion
from schema.permissions import IsAuthenticated
from schema.proposals.loaders import (
    CompetenciesByProposalIdLoader,
    InterestsByProposalIdLoader,
    ProposalByIdLoader,
    ThemesByProposalIdLoader,
)
from schema.relay import Connection, Node, paging, slice_connection, to_global_id
from schema.validation import check_first

ProposalStatus = strawberry.enum(m.ProposalStatus, description="Where a proposal stands.")
InterestStatus = strawberry.enum(m.InterestStatus, description="The owner's answer.")


@strawberry.type(description="How many partners a proposal wants.")
class PartnersWanted:
    min: int = strawberry.field(description="Minimum number of partners (at least 1).")
    max: int = strawberry.field(description="Maximum number of partners (at least `min`).")


@strawberry.type(description="A competency a proposal seeks or offers, with the level wanted.")
class ProposalCompetency:
    competency: Competency = strawberry.field(description="The competency.")
    level: int = strawberry.field(description="1 basic, 2 confirmed, 3 expert.")

    @classmethod
    def from_entry(cls, entry: ProposalCompetencyEntry) -> ProposalCompetency:
        return cls(competency=Competency.from_model(entry.competency), level=entry.level)


@strawberry.type(description="A centre's interest in joining a proposal.")
class Interest(Node):
    message: str | None = strawberry.field(
        description="Note from the interested centre to the owner; null when none."
    )
    status: m.InterestStatus = strawberry.field(
        description="Pending until the owner accepts or declines."
    )
    created_at: datetime = strawberry.field(
        description="When the interest was expressed (ISO 8601, UTC)."
    )
    _row: strawberry.Private[m.Interest]

    @classmethod
    def from_model(cls, row: m.Interest) -> Interest:
        return cls(
            id=to_global_id("Interest", row.id),
            message=row.message,
            status=row.status,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="The interested centre.")
    def centre(self, info: Info) -> Centre:
        return centre_by_id(info, self._row.centre_id)

    @strawberry.field(description="The proposal this interest is about.")
    async def proposal(self, info: Info) -> Proposal | None:
        row = await info.context.loaders.get(ProposalByIdLoader).load(self._row.proposal_id)
        return Proposal.from_model(row) if row else None


def _competencies(
    entries: list[ProposalCompetencyEntry], kind: m.CompetencyKind
) -> list[ProposalCompetency]:
    return [ProposalCompetency.from_entry(e) for e in entries if e.kind is kind]


@strawberry.type(description="A project idea posted by a centre, looking for partners.")
class Proposal(Node):
    status: m.ProposalStatus = strawberry.field(
        description="Draft, open, in discussion, partnered or closed."
    )
    version: int = strawberry.field(
        description="Increases with every change; pass it as `expectedVersion` when updating."
    )
    min_countries: int = strawberry.field(description="Minimum number of countries in the team.")
    timeframe: str | None = strawberry.field(
        description="When the project would run, free text (e.g. 2026–2027); null when unknown."
    )
    funding_programme: str | None = strawberry.field(
        description="Funding programme aimed at (e.g. Creative Europe); null when none."
    )
    created_at: datetime = strawberry.field(
        description="When the proposal was created (ISO 8601, UTC)."
    )
    updated_at: datetime = strawberry.field(
        description="When the proposal last changed (ISO 8601, UTC)."
    )
    _row: strawberry.Private[m.Proposal]

    @classmethod
    def from_model(cls, row: m.Proposal) -> Proposal:
        return cls(
            id=to_global_id("Proposal", row.id),
            status=row.status,
            version=row.version,
            min_countries=row.min_countries,
            timeframe=row.timeframe,
            funding_programme=row.funding_programme,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(description="Title.")
    def title(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.title, info, lang)

    @strawberry.field(description="The title in every language it exists in.")
    def title_translations(self) -> list[Translation]:
        return translations(self._row.title)

    @strawberry.field(description="Summary of the idea.")
    def summary(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._row.summary, info, lang)

    @strawberry.field(description="The summary in every language it exists in.")
    def summary_translations(self) -> list[Translation]:
        return translations(self._row.summary)

    @strawberry.field(description="Number of partners wanted (the owner not counted).")
    def partners_wanted(self) -> PartnersWanted:
        return PartnersWanted(min=self._row.partners_min, max=self._row.partners_max)

    @strawberry.field(description="The centre that posted it.")
    def owner(self, info: Info) -> Centre:
        return centre_by_id(info, self._row.owner_id)

    @strawberry.field(description="Themes of the project.")
    async def themes(self, info: Info) -> list[Theme]:
        rows = await info.context.loaders.get(ThemesByProposalIdLoader).load(self._row.id)
        return [Theme.from_model(t) for t in rows]

    @strawberry.field(description="Competencies the project needs from partners.")
    async def seeks(self, info: Info) -> list[ProposalCompetency]:
        entries = await info.context.loaders.get(CompetenciesByProposalIdLoader).load(self._row.id)
        return _competencies(entries, m.CompetencyKind.SEEKS)

    @strawberry.field(description="Competencies the owner brings.")
    async def offers(self, info: Info) -> list[ProposalCompetency]:
        entries = await info.context.loaders.get(CompetenciesByProposalIdLoader).load(self._row.id)
        return _competencies(entries, m.CompetencyKind.OFFERS)

    @strawberry.field(description="Centres' answers to this proposal, oldest first.")
    async def interests(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Interest]:
        page = paging(info.context.settings, first, after, last, before)
        rows = await info.context.loaders.get(InterestsByProposalIdLoader).load(self._row.id)
        return slice_connection(rows, page, Interest.from_model)

    @strawberry.field(
        description="Best partners for this proposal, with reasons (at most 50; signed-in users).",
        permission_classes=[IsAuthenticated],
    )
    async def suggested_partners(
        self, info: Info, first: int = 10, explain: bool = True
    ) -> list[Suggestion]:
        found = await info.context.request_matching.for_proposal(
            self._row.id, check_first(first), explain
        )
        return [Suggestion.of(s) for s in found]

    @strawberry.field(
        description="A suggested team reaching the wanted size and countries (signed-in users).",
        permission_classes=[IsAuthenticated],
    )
    async def suggested_consortium(
        self, info: Info, size: int | None = None, min_countries: int | None = None
    ) -> Consortium | None:
        if size is not None:
            check_first(size, argument="size")
        if min_countries is not None:
            check_first(min_countries, argument="minCountries")
        team = await info.context.request_matching.consortium(self._row.id, size, min_countries)
        return Consortium.of(team) if team else None


nodes.register("Proposal", Proposal.from_model)
