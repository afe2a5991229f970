"""The cooperation map over GraphQL: the filtered graph, its exports, dashboard statistics."""

from __future__ import annotations

import base64
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from accr_graph.db import models as m
from accr_graph.services import network_export, network_filter, network_map
from schema.context import Info
from schema.network.types import load_centre
from schema.relay import to_global_id

if TYPE_CHECKING:
    from schema.centres.types import Centre

CentreRef = Annotated["Centre", strawberry.lazy("schema.centres.types")]


@strawberry.input(description="Which part of the network to show; every field is optional.")
class NetworkGraphFilter:
    year_from: int | None = strawberry.field(
        default=None, description="Partnerships whose years reach this year or later."
    )
    year_to: int | None = strawberry.field(
        default=None, description="Partnerships that started this year or earlier."
    )
    theme: str | None = strawberry.field(
        default=None, description="Only centres working on this theme (slug)."
    )
    country: str | None = strawberry.field(
        default=None, description="Only centres in this country (ISO 3166-1 alpha-2)."
    )
    cluster: int | None = strawberry.field(
        default=None, description="Only centres of this cluster (as in `clusters` for the years)."
    )
    label_status: m.LabelStatus | None = strawberry.field(
        default=None, description="Only centres with this label status."
    )

    def to_service(self) -> network_filter.GraphFilter:
        status = m.LabelStatus(self.label_status).value if self.label_status else None
        return network_filter.build(
            self.year_from, self.year_to, self.theme, self.country, self.cluster, status
        )


@strawberry.type(description="A centre on the map, with its metrics for the year range.")
class NetworkGraphNode:
    cluster_id: int | None = strawberry.field(description="Its cluster; null when unclustered.")
    degree: int = strawberry.field(description="Distinct partners in the year range.")
    weighted_degree: float = strawberry.field(
        description="Partners weighted by joint projects and recency."
    )
    pagerank: float = strawberry.field(description="PageRank on the weighted cooperation graph.")
    betweenness: float = strawberry.field(description="Share of shortest paths through it (0–1).")
    _centre_id: strawberry.Private[int]

    @strawberry.field(description="The centre's global ID (what edges refer to).")
    def id(self) -> strawberry.ID:
        return to_global_id("Centre", self._centre_id)

    @strawberry.field(description="The centre.")
    def centre(self, info: Info) -> CentreRef:
        return load_centre(info, self._centre_id)

    @classmethod
    def of(cls, node: network_map.MapNode) -> NetworkGraphNode:
        return cls(
            cluster_id=node.cluster_id,
            degree=node.degree,
            weighted_degree=node.weighted_degree,
            pagerank=node.pagerank,
            betweenness=node.betweenness,
            _centre_id=node.centre.id,
        )


@strawberry.type(description="Two centres that worked together in the year range.")
class NetworkGraphEdge:
    source: strawberry.ID = strawberry.field(description="Global ID of one centre.")
    target: strawberry.ID = strawberry.field(description="Global ID of the other centre.")
    joint_projects: int = strawberry.field(description="Partnerships they share in the range.")
    last_year: int | None = strawberry.field(description="Most recent year they worked together.")


@strawberry.type(description="The filtered cooperation network: centres and partnerships.")
class NetworkGraph:
    nodes: list[NetworkGraphNode] = strawberry.field(
        description="Every centre that passes the filters, isolated ones included."
    )
    edges: list[NetworkGraphEdge] = strawberry.field(
        description="Partnerships between those centres in the year range, one per pair."
    )

    @classmethod
    def of(cls, graph: network_map.MapGraph) -> NetworkGraph:
        return cls(
            nodes=[NetworkGraphNode.of(n) for n in graph.nodes],
            edges=[
                NetworkGraphEdge(
                    source=to_global_id("Centre", e.source),
                    target=to_global_id("Centre", e.target),
                    joint_projects=e.joint_projects,
                    last_year=e.last_year,
                )
                for e in graph.edges
            ],
        )


@strawberry.enum(description="File formats of the network export.")
class NetworkExportFormat(Enum):
    GEXF = "gexf"
    GRAPHML = "graphml"
    JSON = "json"
    CSV = "csv"


@strawberry.type(description="An export of the filtered network.")
class NetworkExport:
    format: NetworkExportFormat = strawberry.field(description="The file format.")
    file_name: str = strawberry.field(description="A file name for saving it.")
    media_type: str = strawberry.field(description="Its MIME type.")
    encoding: str = strawberry.field(description="utf-8 (text) or base64 (the CSV zip).")
    content: str = strawberry.field(description="The file itself.")
    url: str = strawberry.field(description="Where to download the same file over HTTP.")

    @classmethod
    def of(cls, fmt: NetworkExportFormat, body: bytes, query: str) -> NetworkExport:
        kind = network_export.ExportFormat(fmt.value)
        binary = kind is network_export.ExportFormat.CSV
        return cls(
            format=fmt,
            file_name=network_export.FILE_NAMES[kind],
            media_type=network_export.MEDIA_TYPES[kind],
            encoding="base64" if binary else "utf-8",
            content=base64.b64encode(body).decode() if binary else body.decode(),
            url=f"/export/network.{fmt.value}{query}",
        )


@strawberry.type(description="A count of something, by a key.")
class Tally:
    key: str = strawberry.field(description="What is counted: a code, slug or year.")
    label: str = strawberry.field(description="The key in words.")
    count: int = strawberry.field(description="How many.")
    group: str | None = strawberry.field(description="A sub-group (centres: the label status).")


@strawberry.type(description="Supply and demand of one competency in the shared pool.")
class CompetencyBalance:
    slug: str = strawberry.field(description="The competency slug.")
    name: str = strawberry.field(description="The competency name.")
    offered: int = strawberry.field(description="Centres offering it.")
    sought: int = strawberry.field(
        description="Centres seeking it plus open or in-discussion proposals seeking it."
    )
    gap: int = strawberry.field(description="sought - offered; positive means short supply.")


@strawberry.type(description="Size of one cluster of the whole network.")
class ClusterSize:
    id: int = strawberry.field(description="The cluster id (0 is the largest).")
    name: str = strawberry.field(description="Named by its dominant themes and countries.")
    size: int = strawberry.field(description="Number of centres.")


@strawberry.type(description="The network at a glance, for the staff dashboard.")
class NetworkStatistics:
    centres_by_country: list[Tally] = strawberry.field(
        description="Centres per country (key) and label status (group)."
    )
    partnerships_per_year: list[Tally] = strawberry.field(
        description="Joint projects by the year they started."
    )
    proposals_by_status: list[Tally] = strawberry.field(description="Proposals per status.")
    proposals_by_theme: list[Tally] = strawberry.field(description="Proposals per theme.")
    competencies: list[CompetencyBalance] = strawberry.field(
        description="Every competency, the largest gap (sought minus offered) first."
    )
    cluster_sizes: list[ClusterSize] = strawberry.field(description="Clusters, largest first.")
    unclustered: int = strawberry.field(description="Centres with no cooperation at all.")

    @classmethod
    def of(cls, stats: network_map.Statistics) -> NetworkStatistics:
        def tallies(items: tuple[network_map.Tally, ...]) -> list[Tally]:
            return [Tally(key=t.key, label=t.label, count=t.count, group=t.group) for t in items]

        return cls(
            centres_by_country=tallies(stats.centres_by_country),
            partnerships_per_year=tallies(stats.partnerships_per_year),
            proposals_by_status=tallies(stats.proposals_by_status),
            proposals_by_theme=tallies(stats.proposals_by_theme),
            competencies=[
                CompetencyBalance(
                    slug=c.slug, name=c.name, offered=c.offered, sought=c.sought, gap=c.gap
                )
                for c in stats.competencies
            ],
            cluster_sizes=[
                ClusterSize(id=c.id, name=c.name, size=c.size) for c in stats.cluster_sizes
            ],
            unclustered=stats.unclustered,
        )
