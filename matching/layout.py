"""Positions for the cooperation map, computed once per network version on the server.

Each connected component is laid out on its own (Fruchterman–Reingold with igraph's grid
approximation: ≈1.5 s for keep.eu's 4,000-centre component, where ForceAtlas2 in the browser
took seconds per redraw), scaled so its area grows with its size, then the components are packed
in rows, largest first, and the centres without any partner in a grid underneath. Packing keeps
small groups readable instead of flung to the edges of one big force simulation.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import igraph as ig

Position = tuple[float, float]
GAP = 1.0  # space between packed components, in node units


def _component_layout(graph: ig.Graph, members: list[int], seed: int) -> list[Position]:
    if len(members) == 1:
        return [(0.0, 0.0)]
    sub = graph.subgraph(members)
    random.seed(seed)  # igraph draws its start positions from Python's random module
    weights = sub.es["weight"] if "weight" in sub.es.attributes() else None
    coords = sub.layout_fruchterman_reingold(weights=weights, niter=300, grid=len(members) > 1000)
    return _scaled([(float(x), float(y)) for x, y in coords], math.sqrt(len(members)))


def _scaled(points: list[Position], radius: float) -> list[Position]:
    """Centred on 0 and fitted into a disc of ``radius`` (so area grows with the node count)."""
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    far = max(math.hypot(x - cx, y - cy) for x, y in points) or 1.0
    return [((x - cx) * radius / far, (y - cy) * radius / far) for x, y in points]


def _pack(blocks: list[list[Position]], width: float) -> list[list[Position]]:
    """Place blocks (each centred on 0) in rows of ``width``, left to right, top to bottom."""
    placed: list[list[Position]] = []
    x = y = row_height = 0.0
    for block in blocks:
        r = max((math.hypot(px, py) for px, py in block), default=0.0) + GAP / 2
        if x > 0 and x + 2 * r > width:
            x, y, row_height = 0.0, y - row_height, 0.0
        placed.append([(px + x + r, py + y - r) for px, py in block])
        x += 2 * r
        row_height = max(row_height, 2 * r)
    return placed


def map_layout(
    ids: Sequence[int], pairs: Sequence[tuple[int, int, float]], seed: int = 42
) -> dict[int, Position]:
    """Centre id -> (x, y), y pointing up; ``pairs`` are (a, b, weight) cooperation links."""
    if not ids:
        return {}
    import igraph as ig  # imported when needed: the web process starts faster without it

    row = {cid: i for i, cid in enumerate(ids)}
    graph = ig.Graph(n=len(ids), edges=[(row[a], row[b]) for a, b, _ in pairs])
    graph.es["weight"] = [w for _, _, w in pairs]
    components = sorted(graph.connected_components(), key=lambda c: (-len(c), min(c)))
    linked = [list(c) for c in components if len(c) > 1]
    alone = [c[0] for c in components if len(c) == 1]
    blocks = [_component_layout(graph, members, seed) for members in linked]
    width = max([2 * math.sqrt(len(linked[0])) + GAP] if linked else [0.0]) * 1.6
    width = max(width, 2 * math.sqrt(max(len(alone), 1)))
    positions: dict[int, Position] = {}
    for members, block in zip(linked, _pack(blocks, width), strict=True):
        positions.update({ids[m]: p for m, p in zip(members, block, strict=True)})
    bottom = min((p[1] for p in positions.values()), default=0.0) - 2 * GAP
    columns = max(1, int(width / 0.9))
    for k, m in enumerate(alone):  # a tidy grid of centres without partners, underneath
        positions[ids[m]] = ((k % columns) * 0.9, bottom - (k // columns) * 0.9)
    return positions
