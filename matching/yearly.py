"""The cooperation network year by year, and the summary statistics of the observatory.

The network *as of year y* has every centre as a node and a link between two centres that had a
joint project starting in year y or before (projects with no start year are left out: they
cannot be placed in time). Its structure (density, average degree, isolated share, clusters) is
computed once per year asked; clusters are communities of two or more centres found by the
same seeded Leiden run as the map's clusters (``matching.clusters.leiden_membership``).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from matching.clusters import leiden_membership

Pair = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Project:
    """A joint project as the observatory sees it: its years and member centres."""

    start_year: int | None
    end_year: int | None
    members: tuple[int, ...]

    def active_in(self, year: int) -> bool:
        if self.start_year is None:
            return False
        return self.start_year <= year <= (self.end_year or self.start_year)


@dataclass(frozen=True, slots=True)
class Structure:
    year: int
    centres: int
    links: int
    density: float
    average_degree: float
    isolated_share: float
    clusters: int
    mean_cluster_size: float
    largest_cluster: int


def first_link_years(projects: Iterable[Project]) -> dict[Pair, int]:
    """Each pair of centres -> the year of their first joint project."""
    first: dict[Pair, int] = {}
    for project in projects:
        if project.start_year is None:
            continue
        for a, b in combinations(sorted(set(project.members)), 2):
            known = first.get((a, b))
            if known is None or project.start_year < known:
                first[(a, b)] = project.start_year
    return first


def _cluster_sizes(links: Sequence[Pair], seed: int) -> list[int]:
    """Sizes of the communities of two or more centres among the linked ones, largest first."""
    nodes = sorted({c for pair in links for c in pair})
    if not nodes:
        return []
    position = {c: i for i, c in enumerate(nodes)}
    pairs = np.asarray([(position[a], position[b]) for a, b in sorted(links)], dtype=np.int64)
    membership = leiden_membership(
        len(nodes), pairs[:, 0], pairs[:, 1], np.ones(len(pairs)), seed=seed
    )
    return sorted((s for s in Counter(membership.tolist()).values() if s > 1), reverse=True)


def _structure(year: int, centre_ids: Sequence[int], links: Sequence[Pair], seed: int) -> Structure:
    n = len(set(centre_ids))
    edges = sorted(set(links))
    e = len(edges)
    linked = {c for pair in edges for c in pair}
    sizes = _cluster_sizes(edges, seed)
    return Structure(
        year=year,
        centres=n,
        links=e,
        density=2 * e / (n * (n - 1)) if n > 1 else 0.0,
        average_degree=2 * e / n if n else 0.0,
        isolated_share=(n - len(linked)) / n if n else 0.0,
        clusters=len(sizes),
        mean_cluster_size=statistics.fmean(sizes) if sizes else 0.0,
        largest_cluster=sizes[0] if sizes else 0,
    )


def yearly_structure(
    centre_ids: Sequence[int], projects: Sequence[Project], years: Iterable[int], seed: int = 42
) -> dict[int, Structure]:
    """The network's structure as of each year (see the module docstring)."""
    first = first_link_years(projects)
    known = set(centre_ids)
    result: dict[int, Structure] = {}
    for year in sorted(set(years)):
        links = [p for p, y in first.items() if y <= year and p[0] in known and p[1] in known]
        result[year] = _structure(year, centre_ids, links, seed)
    return result


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile), interpolated between ranks as spreadsheets'
    QUARTILE.INC does; one value is its own quartiles."""
    if not values:
        raise ValueError("quartiles of no values")
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3
