"""The network as a graph: centres, themes, competencies and proposals, and cooperation edges.

Cooperation weight between two centres is the sum, over the joint projects they share, of the
project's *recency*: ``0.5 ** (age / HALF_LIFE_YEARS)`` where ``age`` is the number of years
between the project's last year (end year, else start year) and the reference year (the
snapshot's ``reference_year``, else the latest year seen). A project that ended this year counts
1.0, one that ended five years ago 0.5, ten years ago 0.25; an undated project counts
``UNDATED_WEIGHT``. So the weight grows with the number of joint projects and favours recent ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import networkx as nx
import numpy as np
import numpy.typing as npt

from matching.snapshot import NetworkSnapshot, PartnershipData

HALF_LIFE_YEARS = 5.0
UNDATED_WEIGHT = 0.5

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def last_year(partnership: PartnershipData) -> int | None:
    return partnership.end_year if partnership.end_year is not None else partnership.start_year


def reference_year(snapshot: NetworkSnapshot) -> int:
    """The "now" of recency weights: explicit, else the latest year any partnership mentions."""
    if snapshot.reference_year is not None:
        return snapshot.reference_year
    years = [y for p in snapshot.partnerships for y in (p.start_year, p.end_year) if y is not None]
    return max(years, default=0)


def recency_weight(year: int | None, reference: int) -> float:
    if year is None:
        return UNDATED_WEIGHT
    return float(0.5 ** (max(0, reference - year) / HALF_LIFE_YEARS))


def in_year_range(p: PartnershipData, year_from: int | None, year_to: int | None) -> bool:
    """A partnership is in range when its years overlap [year_from, year_to]; undated ones always
    are, because dropping them would silently shrink the network."""
    start = p.start_year if p.start_year is not None else p.end_year
    end = last_year(p)
    if year_from is not None and end is not None and end < year_from:
        return False
    return not (year_to is not None and start is not None and start > year_to)


@dataclass(frozen=True, slots=True)
class CooperationEdges:
    """Undirected centre-centre edges, one entry per pair (a < b, as rows of a centre table)."""

    a: IntArray
    b: IntArray
    weight: FloatArray  # sum of recency weights of joint projects
    count: IntArray  # number of joint projects
    last_year: IntArray  # latest year of a joint project, -1 when none is dated


@cache
def _pair_positions(k: int) -> tuple[IntArray, IntArray]:
    i, j = np.triu_indices(k, 1)
    return i.astype(np.int64), j.astype(np.int64)


@dataclass(frozen=True, slots=True)
class Memberships:
    """Every (partnership, member row) pair as arrays: partnerships in id order, each one's rows
    sorted and without repeats, members that are not centres left out. Built once, it lets the
    index aggregate over joint projects with array operations instead of a loop per project."""

    partnerships: tuple[PartnershipData, ...]  # sorted by id
    project: IntArray  # position in `partnerships`, ascending
    row: IntArray  # centre row, ascending within a project
    start: IntArray  # (P + 1,) first position of each project in `project` / `row`
    centres: int  # how many centre rows there are

    @property
    def sizes(self) -> IntArray:
        return np.asarray(np.diff(self.start), dtype=np.int64)

    def years(self) -> IntArray:
        """(P,) each project's last year, -1 when undated."""
        found = [last_year(p) for p in self.partnerships]
        return np.asarray([-1 if y is None else y for y in found], dtype=np.int64)

    def recency(self, reference: int) -> FloatArray:
        """(P,) ``recency_weight`` of each project, as one array operation."""
        years = self.years()
        age = np.maximum(0, reference - years) / HALF_LIFE_YEARS
        return np.where(years < 0, UNDATED_WEIGHT, np.power(0.5, age))


def memberships(partnerships: Iterable[PartnershipData], row_of: Mapping[int, int]) -> Memberships:
    ordered = tuple(sorted(partnerships, key=lambda q: q.id))
    project = np.fromiter((k for k, p in enumerate(ordered) for _ in p.members), dtype=np.int64)
    row = np.fromiter((row_of.get(m, -1) for p in ordered for m in p.members), dtype=np.int64)
    span = len(row_of) + 1
    keys = np.unique(project[row >= 0] * span + row[row >= 0])
    project, row = keys // span, keys % span
    start = np.searchsorted(project, np.arange(len(ordered) + 1), side="left")
    return Memberships(ordered, project, row, np.asarray(start, dtype=np.int64), len(row_of))


def cooperation_edges(
    partnerships: Iterable[PartnershipData] | Memberships,
    row_of: Mapping[int, int],
    reference: int,
    year_from: int | None = None,
    year_to: int | None = None,
) -> CooperationEdges:
    """Aggregate joint projects into weighted pairs. Members that are not centres are ignored.

    Projects of the same size are expanded into their member pairs together (one array
    operation per size); sums over a pair's projects run in partnership-id order."""
    m = partnerships if isinstance(partnerships, Memberships) else memberships(partnerships, row_of)
    weight = m.recency(reference)
    year = m.years()
    sizes = m.sizes
    use = sizes >= 2
    if year_from is not None or year_to is not None:
        use &= np.asarray([in_year_range(p, year_from, year_to) for p in m.partnerships], bool)
    parts: list[tuple[IntArray, IntArray, IntArray]] = []
    for k in np.unique(sizes[use]).tolist():
        projects = np.flatnonzero(use & (sizes == k))
        rows = m.row[m.start[projects][:, None] + np.arange(k)]
        i, j = _pair_positions(k)
        parts.append((rows[:, i].ravel(), rows[:, j].ravel(), np.repeat(projects, len(i))))
    if not parts:
        return _aggregate([], [], [], [])
    a, b, project = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.argsort(project, kind="stable")  # partnership-id order, as _aggregate expects
    a, b, project = a[order], b[order], project[order]
    return _aggregate([a], [b], [weight[project]], [year[project]])


def _aggregate(
    parts_a: Sequence[IntArray],
    parts_b: Sequence[IntArray],
    parts_w: Sequence[FloatArray],
    parts_y: Sequence[IntArray],
) -> CooperationEdges:
    if not parts_a:
        empty = np.zeros(0, dtype=np.int64)
        return CooperationEdges(empty, empty, np.zeros(0), empty, empty)
    a, b = np.concatenate(parts_a), np.concatenate(parts_b)
    w, y = np.concatenate(parts_w), np.concatenate(parts_y)
    # A stable sort keeps duplicate pairs in partnership-id order, so float sums are reproducible.
    order = np.lexsort((b, a))
    a, b, w, y = a[order], b[order], w[order], y[order]
    starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
    return CooperationEdges(
        a=a[starts],
        b=b[starts],
        weight=np.add.reduceat(w, starts),
        count=np.diff(np.r_[starts, len(a)]).astype(np.int64),
        last_year=np.maximum.reduceat(y, starts),
    )


def cooperation_graph(
    snapshot: NetworkSnapshot, year_from: int | None = None, year_to: int | None = None
) -> nx.Graph:
    """Centre-centre graph (nodes: centre ids, all centres included) with weight/count/last_year."""
    ids = sorted(c.id for c in snapshot.centres)
    edges = cooperation_edges(
        snapshot.partnerships,
        {cid: r for r, cid in enumerate(ids)},
        reference_year(snapshot),
        year_from,
        year_to,
    )
    return graph_from_edges(ids, edges)


def graph_from_edges(ids: Sequence[int], edges: CooperationEdges) -> nx.Graph:
    """Nodes and edges are added in sorted order so that seeded algorithms see the same graph
    whatever order the snapshot listed things in."""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(
        (ids[a], ids[b], {"weight": w, "count": c, "last_year": y})
        for a, b, w, c, y in zip(
            edges.a.tolist(),
            edges.b.tolist(),
            edges.weight.tolist(),
            edges.count.tolist(),
            edges.last_year.tolist(),
            strict=True,
        )
    )
    return graph


def build_graph(snapshot: NetworkSnapshot) -> nx.MultiGraph:
    """The whole network as one multigraph, for export, drawing and ad-hoc analysis.

    Nodes are ``("centre", id)``, ``("theme", slug)``, ``("competency", slug)`` and
    ``("proposal", id)``; edge keys name the relation: ``offers``/``seeks`` (with ``level``),
    ``works_on`` (centre or proposal to theme), ``owns`` (centre to proposal) and ``cooperates``
    (centre to centre, with ``weight``, ``count`` and ``last_year``). Scoring does not walk this
    graph: it uses the sparse matrices of ``MatchingIndex``, built from the same snapshot.
    """
    graph = nx.MultiGraph()
    _add_centres(graph, snapshot)
    _add_proposals(graph, snapshot)
    coop = cooperation_graph(snapshot)
    for a, b, data in sorted(coop.edges(data=True)):
        graph.add_edge(("centre", a), ("centre", b), key="cooperates", **data)
    return graph


def _add_centres(graph: nx.MultiGraph, snapshot: NetworkSnapshot) -> None:
    for c in sorted(snapshot.centres, key=lambda x: x.id):
        node = ("centre", c.id)
        graph.add_node(node, name=c.name, country=c.country, languages=c.languages)
        for slug in sorted(c.themes):
            graph.add_node(("theme", slug), name=snapshot.theme_names.get(slug, slug))
            graph.add_edge(node, ("theme", slug), key="works_on")
        _add_competency_edges(graph, snapshot, node, c.offers, "offers")
        _add_competency_edges(graph, snapshot, node, c.seeks, "seeks")


def _add_proposals(graph: nx.MultiGraph, snapshot: NetworkSnapshot) -> None:
    for p in sorted(snapshot.proposals, key=lambda x: x.id):
        node = ("proposal", p.id)
        graph.add_node(node, text=p.text)
        graph.add_edge(("centre", p.owner), node, key="owns")
        for slug in sorted(p.themes):
            graph.add_node(("theme", slug), name=snapshot.theme_names.get(slug, slug))
            graph.add_edge(node, ("theme", slug), key="works_on")
        _add_competency_edges(graph, snapshot, node, p.offers, "offers")
        _add_competency_edges(graph, snapshot, node, p.seeks, "seeks")


def _add_competency_edges(
    graph: nx.MultiGraph,
    snapshot: NetworkSnapshot,
    node: tuple[str, int],
    levels: Mapping[str, int],
    relation: str,
) -> None:
    for slug, level in sorted(levels.items()):
        name = snapshot.competency_names.get(slug, slug)
        graph.add_node(("competency", slug), name=name)
        graph.add_edge(node, ("competency", slug), key=relation, level=level)
