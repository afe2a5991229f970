"""The filtered network as files Gephi (and other tools) open: GEXF, GraphML, JSON, CSV (zip).

Node ids are centre slugs (stable and readable); cluster and metrics are node attributes, the
number of joint projects is the edge weight. Unknown values are left out (GEXF and GraphML have no
null): a centre without coordinates has no latitude/longitude attribute, an unclustered one has
cluster -1.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from enum import Enum
from typing import Any

import networkx as nx

from accr_graph.services.network_map import MapGraph, MapNode


class ExportFormat(Enum):
    GEXF = "gexf"
    GRAPHML = "graphml"
    JSON = "json"
    CSV = "csv"


MEDIA_TYPES = {
    ExportFormat.GEXF: "application/gexf+xml",
    ExportFormat.GRAPHML: "application/graphml+xml",
    ExportFormat.JSON: "application/json",
    ExportFormat.CSV: "application/zip",
}
FILE_NAMES = {
    ExportFormat.GEXF: "accr-network.gexf",
    ExportFormat.GRAPHML: "accr-network.graphml",
    ExportFormat.JSON: "accr-network.json",
    ExportFormat.CSV: "accr-network-csv.zip",
}
NODE_COLUMNS = (
    "country",
    "label_status",
    "latitude",
    "longitude",
    "cluster",
    "degree",
    "weighted_degree",
    "pagerank",
    "betweenness",
)


def node_attributes(node: MapNode) -> dict[str, Any]:
    c = node.centre
    values: dict[str, Any] = {
        "label": c.name,
        "country": c.country,
        "label_status": c.label_status,
        "latitude": c.latitude,
        "longitude": c.longitude,
        "cluster": node.cluster_id if node.cluster_id is not None else -1,
        "degree": node.degree,
        "weighted_degree": float(node.weighted_degree),
        "pagerank": float(node.pagerank),
        "betweenness": float(node.betweenness),
    }
    return {k: v for k, v in values.items() if v is not None}


def to_networkx(graph: MapGraph) -> nx.Graph:
    slug = {n.centre.id: n.centre.slug for n in graph.nodes}
    g = nx.Graph()
    for node in graph.nodes:
        g.add_node(node.centre.slug, **node_attributes(node))
    for e in graph.edges:
        attributes: dict[str, Any] = {
            "weight": float(e.joint_projects),
            "joint_projects": e.joint_projects,
        }
        if e.last_year is not None:
            attributes["last_year"] = e.last_year
        g.add_edge(slug[e.source], slug[e.target], **attributes)
    return g


def _xml(graph: MapGraph, fmt: ExportFormat) -> bytes:
    buffer = io.BytesIO()
    g = to_networkx(graph)
    if fmt is ExportFormat.GEXF:
        nx.write_gexf(g, buffer)
    else:
        nx.write_graphml(g, buffer)
    return buffer.getvalue()


def _json(graph: MapGraph) -> bytes:
    slug = {n.centre.id: n.centre.slug for n in graph.nodes}
    document = {
        "nodes": [
            {"id": n.centre.slug, "name": n.centre.name, **_row(n, json_nulls=True)}
            for n in graph.nodes
        ],
        "edges": [
            {
                "source": slug[e.source],
                "target": slug[e.target],
                "joint_projects": e.joint_projects,
                "last_year": e.last_year,
            }
            for e in graph.edges
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _row(node: MapNode, json_nulls: bool = False) -> dict[str, Any]:
    attributes = node_attributes(node)
    if json_nulls and node.cluster_id is None:
        attributes["cluster"] = None
    return {k: attributes.get(k, None if json_nulls else "") for k in NODE_COLUMNS}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV
    injection): a centre named `=HYPERLINK(...)` is shown, not evaluated. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_row(values: list[Any]) -> list[Any]:
    return [spreadsheet_cell(v) for v in values]


def _csv(graph: MapGraph) -> bytes:
    slug = {n.centre.id: n.centre.slug for n in graph.nodes}
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\r\n")
    writer.writerow(["Id", "Label", *NODE_COLUMNS])  # Gephi's CSV import names
    for n in graph.nodes:
        writer.writerow(_safe_row([n.centre.slug, n.centre.name, *_row(n).values()]))
    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\r\n")
    writer.writerow(["Source", "Target", "Type", "Weight", "joint_projects", "last_year"])
    for e in graph.edges:
        last = "" if e.last_year is None else e.last_year
        row = [slug[e.source], slug[e.target], "Undirected", e.joint_projects, e.joint_projects]
        writer.writerow(_safe_row([*row, last]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes.getvalue())
        archive.writestr("edges.csv", edges.getvalue())
    return buffer.getvalue()


def render(graph: MapGraph, fmt: ExportFormat) -> bytes:
    if fmt is ExportFormat.JSON:
        return _json(graph)
    if fmt is ExportFormat.CSV:
        return _csv(graph)
    return _xml(graph, fmt)
