from __future__ import annotations

import asyncio

import strawberry
from graphql import GraphQLError

from accr_graph.services import matching, network_export, network_filter, network_map
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.matching import RequestMatching
from schema.context import Info
from schema.network.graph import (
    NetworkExport,
    NetworkExportFormat,
    NetworkGraph,
    NetworkGraphFilter,
    NetworkStatistics,
)
from schema.network.types import Clustering, MatchingModel, MissingLink, NetworkMetrics
from schema.permissions import IsStaff
from schema.validation import check_first


def matching_service(info: Info) -> RequestMatching:
    """The matching service for this request (it reads the network version once)."""
    return info.context.request_matching


def check_years(year_from: int | None, year_to: int | None) -> None:
    problem = network_filter.year_range_problem(year_from, year_to)
    if problem:
        raise GraphQLError(problem, extensions={"code": "BAD_USER_INPUT"})


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

    @strawberry.field(
        description="The fitted factor weights of partner suggestions; null before the first fit."
    )
    async def matching_model(self, info: Info) -> MatchingModel | None:
        row = await matching.current_model(info.context.sessionmaker, info.context.viewer)
        return MatchingModel.from_model(row) if row else None

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
    try:
        flt = (filter or NetworkGraphFilter()).to_service()
        return await network_map.network_graph(
            info.context.sessionmaker, matching_service(info), flt
        )
    except ServiceFailure as failure:  # the filter's checks: the same words as /export/*
        raise GraphQLError(getattr(failure.failure, "message", "invalid filter")) from None


def _query_string(filter: NetworkGraphFilter | None) -> str:
    return "" if filter is None else filter.to_service().query_string()


@strawberry.type
class NetworkQuery:
    @strawberry.field(
        description="Network analytics: clusters, metrics, missing links (ACCR staff only).",
        permission_classes=[IsStaff],
    )
    def network(self) -> Network | None:
        return Network()
