from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import strawberry
from graphql import GraphQLError

from accr_graph.services import network_export, network_map
from accr_graph.services.matching import MatchingService, RequestMatching
from schema.context import Info
from schema.network.graph import (
    NetworkExport,
    NetworkExportFormat,
    NetworkGraph,
    NetworkGraphFilter,
    NetworkStatistics,
)
from schema.network.types import Clustering, MissingLink, NetworkMetrics
from schema.permissions import IsStaff
from schema.validation import check_first, known_slugs


def matching_service(info: Info) -> RequestMatching:
    """The matching service for this request (it reads the network version once)."""
    scoped = info.context.extra.get("matching")
    if scoped is None:
        service = info.context.services
        assert isinstance(service, MatchingService)
        scoped = info.context.extra["matching"] = service.for_request()
    assert isinstance(scoped, RequestMatching)
    return scoped


def check_years(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise GraphQLError("`yearFrom` must not be after `yearTo`.")


@strawberry.type(description="The cooperation network as a whole (computed off the data, cached).")
class Network:
    @strawberry.field(description="Communities of centres that cooperate, for a year range.")
    async def clusters(
        self, info: Info, year_from: int | None = None, year_to: int | None = None
    ) -> Clustering:
        check_years(year_from, year_to)
        return Clustering.of(await matching_service(info).clusters(year_from, year_to))

    @strawberry.field(description="Degree, PageRank, betweenness, brokers, isolated centres.")
    async def metrics(
        self, info: Info, year_from: int | None = None, year_to: int | None = None, first: int = 100
    ) -> NetworkMetrics:
        check_years(year_from, year_to)
        check_first(first, 1000)
        return NetworkMetrics.of(await matching_service(info).metrics(year_from, year_to), first)

    @strawberry.field(description="Strongest suggested pairs that never cooperated.")
    async def missing_links(self, info: Info, first: int = 20) -> list[MissingLink]:
        links = await matching_service(info).missing_links(check_first(first))
        return [MissingLink.of(link) for link in links]

    @strawberry.field(
        description="The filtered network for the map: centres with metrics, partnerships "
        "(staff; tokens need the 'read' scope)."
    )
    async def graph(self, info: Info, filter: NetworkGraphFilter | None = None) -> NetworkGraph:
        graph = await _graph(info, filter)
        return NetworkGraph.of(graph)

    @strawberry.field(
        description="The filtered network as a file: GEXF, GraphML, JSON or CSV (zip, base64)."
    )
    async def export(
        self, info: Info, format: NetworkExportFormat, filter: NetworkGraphFilter | None = None
    ) -> NetworkExport:
        graph = await _graph(info, filter)
        kind = network_export.ExportFormat(format.value)
        body = await asyncio.to_thread(network_export.render, graph, kind)
        return NetworkExport.of(format, body, _query_string(filter))

    @strawberry.field(description="Counts for the staff dashboard (centres, projects, pool).")
    async def statistics(self, info: Info) -> NetworkStatistics:
        stats = await network_map.statistics(
            info.context.sessionmaker, matching_service(info), info.context.lang
        )
        return NetworkStatistics.of(stats)


async def _graph(info: Info, filter: NetworkGraphFilter | None) -> network_map.MapGraph:
    if not info.context.viewer.can("read"):
        raise GraphQLError(
            "This needs a token with the 'read' scope.", extensions={"code": "FORBIDDEN"}
        )
    flt = (filter or NetworkGraphFilter()).to_service()
    problem = flt.check()
    if problem:
        raise GraphQLError(problem)
    await known_slugs(info, [flt.theme] if flt.theme else [])
    return await network_map.network_graph(info.context.sessionmaker, matching_service(info), flt)


def _query_string(filter: NetworkGraphFilter | None) -> str:
    if filter is None:
        return ""
    flt = filter.to_service()
    params = {
        "yearFrom": flt.year_from,
        "yearTo": flt.year_to,
        "theme": flt.theme,
        "country": flt.country,
        "cluster": flt.cluster,
        "labelStatus": flt.label_status.value if flt.label_status else None,
    }
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"?{query}" if query else ""


@strawberry.type
class NetworkQuery:
    @strawberry.field(
        description="Network analytics: clusters, metrics, missing links (ACCR staff only).",
        permission_classes=[IsStaff],
    )
    def network(self) -> Network | None:
        return Network()
