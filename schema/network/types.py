"""Answers of the matching engine: suggestions with reasons, consortia, clusters, metrics."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

import matching
from accr_graph.db import models as m
from accr_graph.reason_text import note_text, reason_text
from schema import nodes
from schema.centres.loaders import CentreByIdLoader
from schema.context import Info
from schema.i18n import LangArg
from schema.loaders import resolved
from schema.proposals.loaders import ProposalByIdLoader
from schema.validation import check_first

if TYPE_CHECKING:
    from schema.centres.types import Centre
    from schema.proposals.types import Proposal

CentreRef = Annotated["Centre", strawberry.lazy("schema.centres.types")]
ProposalRef = Annotated["Proposal", strawberry.lazy("schema.proposals.types")]


def _centre(row: m.Centre | None) -> Centre:
    assert row is not None  # the index is built from the centres table
    built: Centre = nodes.builder("Centre")(row)
    return built


def load_centre(info: Info, centre_id: int) -> Centre:
    return resolved(info.context.loaders.get(CentreByIdLoader), centre_id, _centre)


async def load_centres(info: Info, centre_ids: tuple[int, ...]) -> list[Centre]:
    rows = await info.context.loaders.get(CentreByIdLoader).load_many(list(centre_ids))
    return [_centre(row) for row in rows]


@strawberry.type(description="Something a reason names: a competency, theme, centre, country...")
class ReasonItem:
    kind: str = strawberry.field(
        description="competency, competency_raised (a consortium pick offers it at a higher "
        "level), theme, centre, owner (the asking centre itself), programme, country or language."
    )
    key: str = strawberry.field(
        description="Slug (competency, theme), ISO code (country, language), programme name, or "
        "the centre's database id in digits."
    )
    name: str = strawberry.field(description="Display name known to the engine, or empty.")
    level: int | None = strawberry.field(description="Competency level (1-3), if any.")
    count: int | None = strawberry.field(description="Projects (programme, past cooperation).")
    year: int | None = strawberry.field(description="Past cooperation: the latest joint year.")

    @classmethod
    def of(cls, item: matching.Item) -> ReasonItem:
        return cls(
            kind=item.kind,
            key=item.key,
            name=item.name,
            level=item.level,
            count=item.count,
            year=item.year,
        )


@strawberry.type(
    description="One factor behind a score, how much it contributed and what it rests on. "
    "`text` says it in the reader's language; the other fields are the same facts as data "
    "(see docs/matching.md for what each factor fills)."
)
class Reason:
    factor: str = strawberry.field(
        description="Suggestions: complementarity, reciprocity, theme_affinity, network_proximity, "
        "global_proximity, past_cooperation, activity, country_diversity, shared_language, "
        "programme_experience, programme_area, exposure (negative: exposure re-ranking). "
        "Consortium picks: coverage, country_spread, fit."
    )
    weight: float = strawberry.field(description="Contribution to the score; they add up to it.")
    about: str = strawberry.field(
        description="proposal (the proposal's needs) or centre (the asking centre's own)."
    )
    items: list[ReasonItem] = strawberry.field(description="What it names, best first.")
    total: int = strawberry.field(description="How many such items in all (items lists a few).")
    count: int | None = strawberry.field(
        description="A figure of the factor: centres offering a rare competency "
        "(complementarity), team size (network_proximity), steps in the network "
        "(global_proximity), recent projects (activity), partners (exposure)."
    )
    value: float | None = strawberry.field(
        description="A share of the factor: the country's share of the programme "
        "(programme_area), the score cut (exposure), the suggestion score (fit)."
    )
    have: int | None = strawberry.field(
        description="Countries the team has (country_diversity, country_spread); partners of "
        "the candidate (activity); team size (global_proximity)."
    )
    needed: int | None = strawberry.field(description="Countries the team needs.")
    _reason: strawberry.Private[matching.Reason]

    @strawberry.field(
        description="The reason in words, in `lang`, else the request's Accept-Language, else "
        "English (languages with a catalog: see docs; others get English)."
    )
    async def text(self, info: Info, lang: LangArg = None) -> str:
        reader = await info.context.request_matching.words(lang or info.context.lang)
        return reason_text(self._reason, reader)

    @classmethod
    def of(cls, reason: matching.Reason) -> Reason:
        return cls(
            factor=reason.factor,
            weight=round(reason.weight, 4),
            about=reason.about,
            items=[ReasonItem.of(i) for i in reason.items],
            total=reason.total,
            count=reason.count,
            value=reason.value,
            have=reason.have,
            needed=reason.needed,
            _reason=reason,
        )


def _reasons(reasons: tuple[matching.Reason, ...]) -> list[Reason]:
    return [Reason.of(r) for r in reasons]


@strawberry.type(description="A ranked candidate partner, with a score in [0, 1] and its reasons.")
class Suggestion:
    score: float = strawberry.field(description="0 (no fit) to 1 (best possible fit).")
    reasons: list[Reason] = strawberry.field(description="Best first; empty when explain=false.")
    _centre_id: strawberry.Private[int]

    @strawberry.field(description="The suggested centre.")
    def centre(self, info: Info) -> CentreRef:
        return load_centre(info, self._centre_id)

    @classmethod
    def of(cls, suggestion: matching.Suggestion) -> Suggestion:
        return cls(
            score=round(suggestion.score, 4),
            reasons=_reasons(suggestion.reasons),
            _centre_id=suggestion.centre_id,
        )


@strawberry.type(
    description="An open proposal of another centre that fits this centre, with a score in "
    "[0, 1] (this centre's suggestion score as its partner) and reasons: what the centre brings."
)
class ProposalMatch:
    proposal: ProposalRef = strawberry.field(description="The open proposal.")
    score: float = strawberry.field(description="0 (no fit) to 1 (best possible fit).")
    reasons: list[Reason] = strawberry.field(description="By contribution, largest first.")


async def proposal_matches(info: Info, found: list[matching.ProposalMatch]) -> list[ProposalMatch]:
    """The matches with their proposals loaded in one batch (a proposal that became invisible
    meanwhile is left out)."""
    loader = info.context.loaders.get(ProposalByIdLoader)
    build = nodes.builder("Proposal")
    rows = await loader.load_many([match.proposal_id for match in found])
    return [
        ProposalMatch(
            proposal=build(row),
            score=round(match.score, 4),
            reasons=_reasons(match.reasons),
        )
        for match, row in zip(found, rows, strict=True)
        if row is not None
    ]


@strawberry.type(description="One member of a suggested consortium and why it was picked.")
class ConsortiumPick:
    score: float = strawberry.field(description="Its partner-suggestion score for the proposal.")
    gain: float = strawberry.field(description="What it added to the team's value.")
    reasons: list[Reason] = strawberry.field(description="Why it was picked.")
    _centre_id: strawberry.Private[int]

    @strawberry.field(description="The centre picked.")
    def centre(self, info: Info) -> CentreRef:
        return load_centre(info, self._centre_id)


@strawberry.type(
    description="A suggested team for a proposal: who, which countries, what is covered."
)
class Consortium:
    members: list[ConsortiumPick] = strawberry.field(description="Partners, in the order picked.")
    countries: list[str] = strawberry.field(description="Countries of the whole team (ISO codes).")
    covered: list[str] = strawberry.field(description="Sought competency slugs the team offers.")
    uncovered: list[str] = strawberry.field(description="Sought competency slugs nobody offers.")
    meets_size: bool = strawberry.field(description="The wanted partner count is reached.")
    meets_countries: bool = strawberry.field(description="The minimum country count is reached.")
    _notes: strawberry.Private[tuple[matching.Note, ...]]

    @strawberry.field(
        description="Why a constraint cannot be met, if so, in `lang`, else the request's "
        "Accept-Language, else English."
    )
    async def notes(self, info: Info, lang: LangArg = None) -> list[str]:
        reader = await info.context.request_matching.words(lang or info.context.lang)
        return [note_text(note, reader) for note in self._notes]

    @classmethod
    def of(cls, team: matching.Consortium) -> Consortium:
        return cls(
            members=[
                ConsortiumPick(
                    score=round(p.score, 4),
                    gain=round(p.gain, 4),
                    reasons=_reasons(p.reasons),
                    _centre_id=p.centre_id,
                )
                for p in team.members
            ],
            countries=list(team.countries),
            covered=list(team.covered),
            uncovered=list(team.uncovered),
            meets_size=team.meets_size,
            meets_countries=team.meets_countries,
            _notes=team.notes,
        )


@strawberry.type(description="One factor of the matching score and its fitted weight.")
class MatchingFactor:
    name: str = strawberry.field(description="The factor, as in Reason.factor.")
    weight: float = strawberry.field(description="Its weight; the weights add up to 1.")


@strawberry.type(
    description="The factor weights the engine uses, fitted on this network's own history "
    "(projects of the latest years as the new partners to predict), shrunk toward the priors "
    "when the history is thin."
)
class MatchingModel:
    fitted_at: datetime = strawberry.field(description="When it was fitted.")
    network_version: int = strawberry.field(description="Network version it was fitted on.")
    training_cases: int = strawberry.field(description="Projects (queries) it was fitted on.")
    validation_cases: int = strawberry.field(
        description="Projects of the latest year, never fitted on, that measure it."
    )
    validation_recall_at_10: float | None = strawberry.field(
        description="Share of those projects' new partners in the ten best suggestions."
    )
    prior_recall_at_10: float | None = strawberry.field(
        description="The same with the prior (unfitted) weights, for comparison."
    )
    factors: list[MatchingFactor] = strawberry.field(description="Weights, largest first.")

    @classmethod
    def from_model(cls, row: m.MatchingModel) -> MatchingModel:
        ranked = sorted(row.weights.items(), key=lambda kv: (-kv[1], kv[0]))
        return cls(
            fitted_at=row.fitted_at,
            network_version=row.network_version,
            training_cases=row.training_cases,
            validation_cases=row.validation_cases,
            validation_recall_at_10=_rounded(row.validation_recall_at_10),
            prior_recall_at_10=_rounded(row.prior_recall_at_10),
            factors=[MatchingFactor(name=f, weight=round(w, 4)) for f, w in ranked],
        )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@strawberry.type(description="A group of centres that cooperate (community detection).")
class Cluster:
    id: int = strawberry.field(description="0 is the largest cluster.")
    name: str = strawberry.field(description="Named by its dominant themes and countries.")
    size: int = strawberry.field(description="Number of centres.")
    top_themes: list[str] = strawberry.field(description="Most characteristic theme slugs.")
    top_countries: list[str] = strawberry.field(description="Most frequent countries.")
    _centre_ids: strawberry.Private[tuple[int, ...]]

    @strawberry.field(description="The member centres.")
    async def centres(self, info: Info) -> list[CentreRef]:
        return await load_centres(info, self._centre_ids)


@strawberry.type(description="The clusters of the cooperation network for a year range.")
class Clustering:
    clusters: list[Cluster] = strawberry.field(description="Clusters of 2+ centres, largest first.")
    modularity: float = strawberry.field(description="Quality of the partition (-0.5 to 1).")
    method: str = strawberry.field(
        description="leiden (the default), or louvain / label_propagation when asked for."
    )
    unclustered_count: int = strawberry.field(description="Centres with no cooperation in range.")

    @classmethod
    def of(cls, result: matching.ClusterResult) -> Clustering:
        return cls(
            clusters=[
                Cluster(
                    id=c.id,
                    name=c.name,
                    size=c.size,
                    top_themes=list(c.top_themes),
                    top_countries=list(c.top_countries),
                    _centre_ids=c.centre_ids,
                )
                for c in result.clusters
            ],
            modularity=result.modularity,
            method=result.method,
            unclustered_count=len(result.unclustered),
        )


@strawberry.type(description="Network metrics of one centre.")
class CentreMetrics:
    degree: int = strawberry.field(description="Number of distinct partners.")
    weighted_degree: float = strawberry.field(
        description="Partners weighted by joint projects and recency."
    )
    betweenness: float = strawberry.field(description="Share of shortest paths through it (0–1).")
    pagerank: float = strawberry.field(description="PageRank on the weighted cooperation graph.")
    participation: float = strawberry.field(description="How evenly its ties spread over clusters.")
    cluster_id: int | None = strawberry.field(description="Its cluster, null when unclustered.")
    _centre_id: strawberry.Private[int]

    @strawberry.field(description="The centre.")
    def centre(self, info: Info) -> CentreRef:
        return load_centre(info, self._centre_id)


@strawberry.type(description="Whole-network metrics for the cooperation map.")
class NetworkMetrics:
    centres: list[CentreMetrics] = strawberry.field(description="Per centre, by weighted degree.")
    betweenness_sources: int = strawberry.field(
        description="Sources used for betweenness: every centre when exact, else the sample size."
    )
    _brokers: strawberry.Private[tuple[int, ...]]
    _isolated: strawberry.Private[tuple[int, ...]]
    _peripheral: strawberry.Private[tuple[int, ...]]

    @strawberry.field(description="Centres that link clusters, best first.")
    async def brokers(self, info: Info, first: int = 20) -> list[CentreRef]:
        return await load_centres(info, self._brokers[: check_first(first, 100)])

    @strawberry.field(
        description="Centres with no partnership in the year range (none at all without one)."
    )
    async def isolated(self, info: Info) -> list[CentreRef]:
        return await load_centres(info, self._isolated)

    @strawberry.field(description="Centres at the edge of the network (a single partner).")
    async def peripheral(self, info: Info, first: int = 50) -> list[CentreRef]:
        return await load_centres(info, self._peripheral[: check_first(first, 100)])

    @classmethod
    def of(cls, result: matching.NetworkMetrics, first: int) -> NetworkMetrics:
        ranked = sorted(result.centres, key=lambda c: (-c.weighted_degree, c.centre_id))[:first]
        return cls(
            centres=[
                CentreMetrics(
                    degree=c.degree,
                    weighted_degree=round(c.weighted_degree, 4),
                    betweenness=round(c.betweenness, 6),
                    pagerank=round(c.pagerank, 6),
                    participation=round(c.participation, 4),
                    cluster_id=c.cluster_id,
                    _centre_id=c.centre_id,
                )
                for c in ranked
            ],
            betweenness_sources=result.betweenness_sources,
            _brokers=tuple(b.centre_id for b in result.brokers),
            _isolated=result.isolated,
            _peripheral=result.peripheral,
        )


@strawberry.type(description="Two centres with a high suggestion score that never cooperated.")
class MissingLink:
    score: float = strawberry.field(description="Suggestion score of b for a (0–1).")
    reasons: list[Reason] = strawberry.field(description="Why they would fit.")
    _a: strawberry.Private[int]
    _b: strawberry.Private[int]

    @strawberry.field(description="The centre the suggestion is for.")
    def a(self, info: Info) -> CentreRef:
        return load_centre(info, self._a)

    @strawberry.field(description="The suggested centre.")
    def b(self, info: Info) -> CentreRef:
        return load_centre(info, self._b)

    @classmethod
    def of(cls, link: matching.MissingLink) -> MissingLink:
        return cls(score=round(link.score, 4), reasons=_reasons(link.reasons), _a=link.a, _b=link.b)
