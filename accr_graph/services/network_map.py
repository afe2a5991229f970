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

from accr_graph.i18n import pick
from accr_graph.repositories import network as repo
from accr_graph.repositories.network import CentreFilter, MapCentre
from accr_graph.services import network_filter
from accr_graph.services.matching import MatchingQueries
from accr_graph.services.network_filter import GraphFilter


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
    """The map for a filter, checked here (``network_filter.check``) whoever the caller is."""
    async with sessionmaker() as session:
        await network_filter.check(session, flt)
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
