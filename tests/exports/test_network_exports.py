"""The map's graph over GraphQL and the network exports (GEXF, GraphML, JSON, CSV zip): parsed
back with networkx / json / csv, with the right nodes, edges and attributes; and who may read them.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from itertools import combinations
from typing import Any

import httpx
import networkx as nx
import pytest
from sqlalchemy import select

from accr_graph.db.models import Centre, Partnership, PartnershipMember
from accr_graph.settings import Settings
from tests.api.helpers import gql, post
from tests.conftest import STAFF_EMAIL, Database, app_client, issue_token

MEMBER_EMAIL = "marie.dubois@abbaye-de-saint-aurel.example.org"
GRAPH = """
query ($f: NetworkGraphFilter) { network { graph(filter: $f) {
  nodes { id clusterId degree weightedDegree pagerank betweenness
          centre { id slug name country { code } latitude longitude labelStatus } }
  edges { source target jointProjects lastYear }
} } }
"""
EXPORT = """
query ($format: NetworkExportFormat!, $f: NetworkGraphFilter) { network {
  export(format: $format, filter: $f) { fileName mediaType encoding content url }
} }
"""
STATISTICS = """
{ network { statistics {
  centresByCountry { key group count } partnershipsPerYear { key count }
  proposalsByStatus { key count } proposalsByTheme { key label count }
  competencies { slug offered sought gap } clusterSizes { id name size } unclustered
} } }
"""


async def expected_pairs(
    db: Database, year_from: int | None = None, year_to: int | None = None
) -> dict[tuple[str, str], int]:
    """Centre pairs (by slug) that share partnerships in the range, counted in plain Python."""
    async with db.sessionmaker() as session:
        slugs = {i: s for i, s in (await session.execute(select(Centre.id, Centre.slug))).all()}
        years = {
            p.id: (p.start_year, p.end_year)
            for p in (await session.execute(select(Partnership))).scalars()
        }
        members: dict[int, list[int]] = defaultdict(list)
        rows = await session.execute(
            select(PartnershipMember.partnership_id, PartnershipMember.centre_id)
        )
        for pid, cid in rows.all():
            members[pid].append(cid)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for pid, ids in members.items():
        start, end = years[pid]
        first, last = start if start is not None else end, end if end is not None else start
        if year_from is not None and last is not None and last < year_from:
            continue
        if year_to is not None and first is not None and first > year_to:
            continue
        for a, b in combinations(sorted(set(ids)), 2):
            pairs[tuple(sorted((slugs[a], slugs[b])))] += 1  # type: ignore[index]
    return dict(pairs)


def slug_edges(data: dict[str, Any]) -> dict[tuple[str, str], int]:
    slug = {n["id"]: n["centre"]["slug"] for n in data["nodes"]}
    return {
        tuple(sorted((slug[e["source"]], slug[e["target"]]))): e["jointProjects"]  # type: ignore[misc]
        for e in data["edges"]
    }


async def test_graph_has_every_centre_and_every_pair(
    staff_client: httpx.AsyncClient, sample_db: Database
) -> None:
    graph = (await gql(staff_client, GRAPH))["network"]["graph"]
    assert len(graph["nodes"]) == 44
    assert slug_edges(graph) == await expected_pairs(sample_db)
    isolated = {n["centre"]["slug"] for n in graph["nodes"] if n["degree"] == 0}
    assert "kilmora-priory-arts-centre" in isolated  # isolated centres are nodes too
    assert all(n["id"] == n["centre"]["id"] for n in graph["nodes"])


async def test_year_range_keeps_nodes_and_filters_edges(
    staff_client: httpx.AsyncClient, sample_db: Database
) -> None:
    f = {"yearFrom": 2011, "yearTo": 2015}
    graph = (await gql(staff_client, GRAPH, f=f))["network"]["graph"]
    assert len(graph["nodes"]) == 44
    expected = await expected_pairs(sample_db, 2011, 2015)
    assert slug_edges(graph) == expected
    assert len(expected) < len(await expected_pairs(sample_db))


async def test_profile_filters_choose_nodes(staff_client: httpx.AsyncClient) -> None:
    everything = (await gql(staff_client, GRAPH))["network"]["graph"]["nodes"]
    by_country = (await gql(staff_client, GRAPH, f={"country": "fr"}))["network"]["graph"]
    assert {n["centre"]["country"]["code"] for n in by_country["nodes"]} == {"FR"}
    assert len(by_country["nodes"]) == sum(
        n["centre"]["country"]["code"] == "FR" for n in everything
    )
    labelled = (await gql(staff_client, GRAPH, f={"labelStatus": "CANDIDATE"}))["network"]["graph"]
    assert labelled["nodes"] and {n["centre"]["labelStatus"] for n in labelled["nodes"]} == {
        "CANDIDATE"
    }
    cluster = (await gql(staff_client, GRAPH, f={"cluster": 0}))["network"]["graph"]
    assert cluster["nodes"] and {n["clusterId"] for n in cluster["nodes"]} == {0}
    kept = {n["id"] for n in cluster["nodes"]}
    assert all(e["source"] in kept and e["target"] in kept for e in cluster["edges"])
    themed = (await gql(staff_client, GRAPH, f={"theme": "music"}))["network"]["graph"]
    themes = await gql(
        staff_client, '{ centres(first: 100, filter: {theme: "music"}) { totalCount } }'
    )
    assert len(themed["nodes"]) == themes["centres"]["totalCount"] > 0


async def test_bad_year_range_is_an_error(staff_client: httpx.AsyncClient) -> None:
    body = await post(staff_client, GRAPH, f={"yearFrom": 2020, "yearTo": 2010})
    assert "yearFrom" in body["errors"][0]["message"]


async def _export(
    client: httpx.AsyncClient, fmt: str, f: dict[str, Any] | None = None
) -> dict[str, Any]:
    data = await gql(client, EXPORT, format=fmt, f=f)
    export: dict[str, Any] = data["network"]["export"]
    return export


async def test_gexf_parses_back_with_attributes(
    staff_client: httpx.AsyncClient, sample_db: Database
) -> None:
    export = await _export(staff_client, "GEXF")
    g = nx.read_gexf(io.BytesIO(export["content"].encode()))
    assert g.number_of_nodes() == 44
    pairs = await expected_pairs(sample_db)
    assert {tuple(sorted(e)) for e in g.edges()} == set(pairs)
    node = g.nodes["kloster-lindenau"]
    assert node["label"] and node["country"] == "DE"
    assert {"cluster", "pagerank", "betweenness", "weighted_degree"} <= set(node)
    assert g.nodes["kilmora-priory-arts-centre"]["cluster"] == -1
    a, b, attrs = next(iter(g.edges(data=True)))
    assert attrs["weight"] == pairs[tuple(sorted((a, b)))]  # type: ignore[index]


async def test_graphml_parses_back_with_attributes(
    staff_client: httpx.AsyncClient, sample_db: Database
) -> None:
    export = await _export(staff_client, "GRAPHML")
    assert export["mediaType"] == "application/graphml+xml"
    g = nx.read_graphml(io.BytesIO(export["content"].encode()))
    assert g.number_of_nodes() == 44
    assert {tuple(sorted(e)) for e in g.edges()} == set(await expected_pairs(sample_db))
    node = g.nodes["kloster-lindenau"]
    assert isinstance(node["pagerank"], float) and isinstance(node["cluster"], int)
    assert all("joint_projects" in d for _, _, d in g.edges(data=True))


async def test_json_export(staff_client: httpx.AsyncClient, sample_db: Database) -> None:
    f = {"yearFrom": 2011, "yearTo": 2015}
    export = await _export(staff_client, "JSON", f)
    assert export["url"] == "/export/network.json?yearFrom=2011&yearTo=2015"
    document = json.loads(export["content"])
    assert len(document["nodes"]) == 44
    assert {"id", "name", "cluster", "pagerank", "latitude"} <= set(document["nodes"][0])
    pairs = {
        tuple(sorted((e["source"], e["target"]))): e["joint_projects"] for e in document["edges"]
    }
    assert pairs == await expected_pairs(sample_db, 2011, 2015)


async def test_csv_zip_export(staff_client: httpx.AsyncClient, sample_db: Database) -> None:
    export = await _export(staff_client, "CSV")
    assert export["encoding"] == "base64"
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(export["content"])))
    assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
    nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode())))
    edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode())))
    assert len(nodes) == 44 and {"Id", "Label", "cluster", "pagerank"} <= set(nodes[0])
    pairs = {tuple(sorted((e["Source"], e["Target"]))): int(e["Weight"]) for e in edges}
    assert pairs == await expected_pairs(sample_db)


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("gexf", "application/gexf+xml"),
        ("graphml", "application/graphml+xml"),
        ("json", "application/json"),
        ("csv", "application/zip"),
    ],
)
async def test_http_download_with_filters(
    staff_client: httpx.AsyncClient, fmt: str, media: str
) -> None:
    response = await staff_client.get(f"/export/network.{fmt}?country=FR&yearTo=2018")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers["content-disposition"]
    export = await _export(staff_client, fmt.upper(), {"country": "FR", "yearTo": 2018})
    body = base64.b64decode(export["content"]) if fmt == "csv" else export["content"].encode()
    if fmt == "csv":

        def read(raw: bytes) -> dict[str, bytes]:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            return {n: archive.read(n) for n in archive.namelist()}

        assert read(response.content) == read(body)
    else:
        assert response.content == body


async def test_http_download_rejects_bad_filters(staff_client: httpx.AsyncClient) -> None:
    assert (await staff_client.get("/export/network.json?yearFrom=x")).status_code == 400
    assert (await staff_client.get("/export/network.json?labelStatus=nope")).status_code == 400
    assert (await staff_client.get("/export/network.pdf")).status_code == 404


async def test_statistics(staff_client: httpx.AsyncClient) -> None:
    stats = (await gql(staff_client, STATISTICS))["network"]["statistics"]
    assert sum(t["count"] for t in stats["centresByCountry"]) == 44
    assert len({t["key"] for t in stats["centresByCountry"]}) == 20
    assert sum(t["count"] for t in stats["partnershipsPerYear"]) == 60
    assert {t["key"]: t["count"] for t in stats["proposalsByStatus"]} == {
        "open": 17,
        "draft": 3,
        "in_discussion": 2,
        "partnered": 1,
        "closed": 2,
    }
    assert stats["proposalsByTheme"] and stats["clusterSizes"]
    gaps = [c["gap"] for c in stats["competencies"]]
    assert gaps == sorted(gaps, reverse=True) and len(gaps) == 31
    assert stats["unclustered"] == 3


# --- who may read ---


async def test_anonymous_and_members_get_no_graph(
    client: httpx.AsyncClient, sample_db: Database, settings: Any
) -> None:
    body = await post(client, GRAPH)
    assert body["data"]["network"] is None and body["errors"]
    token = await issue_token(sample_db, MEMBER_EMAIL, ("read",))
    async with app_client(settings, token) as member:
        body = await post(member, EXPORT, format="JSON")
        assert body["data"]["network"] is None and "staff" in body["errors"][0]["message"]


async def test_staff_token_needs_read_scope(sample_db: Database, settings: Any) -> None:
    token = await issue_token(sample_db, STAFF_EMAIL, ("write",))
    async with app_client(settings, token) as http:
        response = await http.post(
            "/graphql", json={"query": EXPORT, "variables": {"format": "JSON"}}
        )
        assert "read" in response.json()["errors"][0]["message"]
        assert (await http.get("/export/network.json")).status_code == 403
    token = await issue_token(sample_db, STAFF_EMAIL, ("read",))
    async with app_client(settings, token) as http:
        assert (await http.get("/export/network.json")).status_code == 200


async def test_http_permissions(
    client: httpx.AsyncClient, sample_db: Database, settings: Any
) -> None:
    for path in ("/export/network.gexf?country=FR", "/map?theme=music", "/dashboard"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=%2F")
    bad = await client.get("/export/network.gexf", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    token = await issue_token(sample_db, MEMBER_EMAIL, ("read",))
    async with app_client(settings, token) as member:
        for path in ("/export/network.gexf", "/map", "/dashboard"):
            assert (await member.get(path)).status_code == 403, path


async def test_staff_session_cookie_opens_pages(client: httpx.AsyncClient) -> None:
    page = await client.get("/login?next=/map")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    form = {
        "csrf": csrf.group(1),
        "next": "/map",
        "email": STAFF_EMAIL,
        "password": "demo-staff-2026",
    }
    response = await client.post("/login", data=form)
    assert response.status_code == 303 and response.headers["location"] == "/map"
    for path in ("/map", "/dashboard"):
        page = await client.get(path)
        assert (
            page.status_code == 200
            and "script-src 'self'" in page.headers["content-security-policy"]
        )
    assert (await client.get("/export/network.json")).status_code == 200


async def test_the_map_reads_the_graph_as_json_even_above_the_query_cost_limit(
    sample_db: Database, settings: Settings
) -> None:
    """/map/graph.json is GraphQL's network.graph (same service, filter words and IDs) for the
    map page; its GraphQL twin is refused above the per-query cost limit (keep.eu: ~172,000
    against 100,000), the page's data is not."""
    tight = settings.model_copy(update={"max_query_cost": 2_000})
    token = await issue_token(sample_db, STAFF_EMAIL, ("read",))
    async with app_client(tight, token) as staff:
        refused = await staff.post(
            "/graphql", json={"query": GRAPH, "variables": {"f": {"country": "FR"}}}
        )
        assert "cost" in refused.text.lower() and "errors" in refused.json()
        page = await staff.get("/map/graph.json?country=FR", headers={"accept-encoding": "gzip"})
        assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    async with app_client(settings, token) as staff:
        wanted = (await gql(staff, GRAPH, f={"country": "FR"}))["network"]["graph"]
    got = page.json()
    fields = ("id", "clusterId", "weightedDegree", "pagerank", "betweenness")
    assert got["nodes"] == [{k: n[k] for k in fields} for n in wanted["nodes"]]
    assert got["edges"] == wanted["edges"] and len(got["edges"]) > 10


async def test_the_maps_graph_is_for_staff_and_checks_its_filter(
    client: httpx.AsyncClient, staff_client: httpx.AsyncClient
) -> None:
    assert (await client.get("/map/graph.json")).status_code == 303  # sign in first
    bad = await staff_client.get("/map/graph.json?yearFrom=x")
    assert bad.status_code == 400 and "yearFrom" in bad.text
    assert (await staff_client.get("/map/graph.json?labelStatus=nope")).status_code == 400
