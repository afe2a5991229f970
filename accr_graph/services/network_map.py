"""The cooperation map: the filtered network (nodes with metrics, edges with counts) and its
statistics. Used by the GraphQL `network { graph export statistics }` fields and the downloads.

Node metrics (weighted degree, PageRank, betweenness, cluster) are those of the whole network in
the year range, computed and cached by the matching service; the profile filters (theme, country,
label status, cluster) only choose which centres are shown, so a centre keeps its size and colour
whichever filter is on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from accr_graph.countries import is_country
from accr_graph.db.models import LabelStatus
from accr_graph.i18n import pick
from accr_graph.repositories import network as repo
from accr_graph.repositories.network import CentreFilter, MapCentre
from accr_graph.services.matching import MatchingQueries

YEAR_MIN, YEAR_MAX = 1900, 2100


def year_range_problem(year_from: int | None, year_to: int | None, prefix: str = "") -> str | None:
    """The one rule for a year range argument, wherever it is taken (graph, clusters, metrics,
    partnerships): each year in YEAR_MIN..YEAR_MAX, and from <= to. None when fine."""
    if any(y is not None and not YEAR_MIN <= y <= YEAR_MAX for y in (year_from, year_to)):
        return (
            f"`{prefix}yearFrom` and `{prefix}yearTo` must be years between "
            f"{YEAR_MIN} and {YEAR_MAX}."
        )
    if year_from is not None and year_to is not None and year_from > year_to:
        return f"`{prefix}yearFrom` must not be after `{prefix}yearTo`."
    return None


@dataclass(frozen=True, slots=True)
class GraphFilter:
    year_from: int | None = None
    year_to: int | None = None
    theme: str | None = None
    country: str | None = None
    cluster: int | None = None
    label_status: LabelStatus | None = None

    def check(self) -> str | None:
        """Why the filter is invalid, or None."""
        problem = year_range_problem(self.year_from, self.year_to)
        if problem:
            return problem
        if self.country is not None and not is_country(self.country):
            return f"`country`: unknown country code {self.country} (ISO 3166-1 alpha-2)."
        if self.cluster is not None and self.cluster < 0:
            return "`cluster` must not be negative."
        return None


@dataclass(frozen=True, slots=True)
class MapNode:
    centre: MapCentre
    cluster_id: int | None
    degree: int
    weighted_degree: float
    pagerank: float
    betweenness: float


@dataclass(frozen=True, slots=True)
class MapEdge:
    source: int  # centre ids, source < target
    target: int
    joint_projects: int
    last_year: int | None


@dataclass(frozen=True, slots=True)
class MapGraph:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]


async def network_graph(
    sessionmaker: async_sessionmaker[AsyncSession], service: MatchingQueries, flt: GraphFilter
) -> MapGraph:
    async with sessionmaker() as session:
        centres = await repo.map_centres(
            session, CentreFilter(flt.theme, flt.country, flt.label_status)
        )
        pairs = await repo.pair_edges(session, flt.year_from, flt.year_to)
    metrics = {m.centre_id: m for m in (await service.metrics(flt.year_from, flt.year_to)).centres}
    nodes = []
    for centre in centres:
        m = metrics.get(centre.id)
        node = MapNode(
            centre=centre,
            cluster_id=m.cluster_id if m else None,
            degree=m.degree if m else 0,
            weighted_degree=round(m.weighted_degree, 4) if m else 0.0,
            pagerank=round(m.pagerank, 6) if m else 0.0,
            betweenness=round(m.betweenness, 6) if m else 0.0,
        )
        if flt.cluster is None or node.cluster_id == flt.cluster:
            nodes.append(node)
    keep = {n.centre.id for n in nodes}
    edges = tuple(
        MapEdge(p.a, p.b, p.joint_projects, p.last_year)
        for p in pairs
        if p.a in keep and p.b in keep
    )
    return MapGraph(tuple(nodes), edges)


@dataclass(frozen=True, slots=True)
class Tally:
    key: str
    label: str
    count: int
    group: str | None = None


@dataclass(frozen=True, slots=True)
class CompetencyBalance:
    slug: str
    name: str
    offered: int  # centres offering it
    sought: int  # centres seeking it + live proposals seeking it

    @property
    def gap(self) -> int:
        return self.sought - self.offered


@dataclass(frozen=True, slots=True)
class ClusterSize:
    id: int
    name: str
    size: int


@dataclass(frozen=True, slots=True)
class Statistics:
    centres_by_country: tuple[Tally, ...]  # key: country, group: label status
    partnerships_per_year: tuple[Tally, ...]  # key: year
    proposals_by_status: tuple[Tally, ...]
    proposals_by_theme: tuple[Tally, ...]
    competencies: tuple[CompetencyBalance, ...]  # largest gap first
    cluster_sizes: tuple[ClusterSize, ...]
    unclustered: int


async def statistics(
    sessionmaker: async_sessionmaker[AsyncSession], service: MatchingQueries, lang: str | None
) -> Statistics:
    async with sessionmaker() as session:
        by_country = await repo.centres_by_country_and_label(session)
        per_year = await repo.partnerships_per_year(session)
        by_status = await repo.proposals_by_status(session)
        by_theme = await repo.proposals_by_theme(session)
        balance = await repo.competency_balance(session)
    clusters = await service.clusters(None, None)
    competencies = sorted(
        (
            CompetencyBalance(slug, pick(name, lang), offered, sought + wanted)
            for slug, name, offered, sought, wanted in balance
        ),
        key=lambda c: (-c.gap, c.slug),
    )
    return Statistics(
        centres_by_country=tuple(Tally(c, c, n, s) for c, s, n in by_country),
        partnerships_per_year=tuple(Tally(str(y), str(y), n) for y, n in per_year),
        proposals_by_status=_ranked((s, s, n) for s, n in by_status),
        proposals_by_theme=_ranked((slug, pick(name, lang), n) for slug, name, n in by_theme),
        competencies=tuple(competencies),
        cluster_sizes=tuple(ClusterSize(c.id, c.name, c.size) for c in clusters.clusters),
        unclustered=len(clusters.unclustered),
    )


def _ranked(rows: Iterable[tuple[str, str, int]]) -> tuple[Tally, ...]:
    tallies = [Tally(key, label, n) for key, label, n in rows]
    return tuple(sorted(tallies, key=lambda t: (-t.count, t.key)))
