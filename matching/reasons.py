"""Reasons: each factor's contribution to a suggestion, as structured data (no sentences here).

A reason's ``weight`` is the number of score points its factor brought (factor value times the
factor's weight in the score); when exposure re-ranking lowered a well-exposed centre, an
``exposure`` reason with a negative weight says by how much, so the weights of one suggestion's
reasons add up to its score. What a reason names (competencies, themes, partners, programmes,
countries, languages) are ``Item``s; the sentences are written by ``accr_graph.reason_text`` in the
reader's language. Which fields each factor fills is listed in docs/matching.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.index import MatchingIndex, cell, row_items
from matching.scoring import QueryBatch, Scores

# Below this many score points a factor is not worth a reason.
MIN_REASON_WEIGHT = 1e-4
# A competency counts as rare when at most this share of centres (or 5) offer it.
RARE_SHARE = 0.1
RARE_MIN = 5
MAX_LISTED = 3


@dataclass(frozen=True, slots=True)
class Item:
    """One thing a reason names."""

    kind: str  # competency | theme | centre | owner | programme | country | language
    key: str  # slug, ISO code, programme name, or the centre id written in digits
    name: str = ""  # the engine's display name (centres, competencies, themes); "" otherwise
    level: int | None = None  # competencies: the level offered (or sought)
    count: int | None = None  # projects (programme, past cooperation)
    year: int | None = None  # past cooperation: latest joint year


@dataclass(frozen=True, slots=True)
class Reason:
    factor: str
    weight: float  # score points brought (negative for exposure)
    # "proposal": about a proposal's needs; "centre": about the asking centre's own; "match": the
    # candidate is the reader, looking at how it fits someone else's proposal.
    about: str = "centre"
    items: tuple[Item, ...] = ()  # best first, at most MAX_LISTED of `total`
    total: int = 0  # how many such items there are in all
    count: int | None = None  # a figure of the factor (see docs/matching.md)
    value: float | None = None  # a share of the factor (see docs/matching.md)
    have: int | None = None  # countries the team has
    needed: int | None = None  # countries the team needs
    parts: tuple[Reason, ...] = ()  # consortium `fit`: the suggestion's own best reasons


@dataclass(frozen=True, slots=True)
class QueryContext:
    """What the reasons need to know about the query beyond its matrices."""

    for_proposal: bool
    seeks: Mapping[str, int]
    offers: Mapping[str, int]
    programmes: tuple[str, ...]  # the proposal's programme, or the centre's past ones
    team_rows: tuple[int, ...]  # owner first
    batch_row: int = 0
    reverse: bool = False  # a centre reading how it fits someone else's proposal

    @property
    def about(self) -> str:
        if self.reverse:
            return "match"
        return "proposal" if self.for_proposal else "centre"


def explain(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int
) -> tuple[Reason, ...]:
    """The reasons of one candidate, by contribution (largest first); weights add up to its
    score (the exposure reason, if any, is negative and comes last)."""
    b = ctx.batch_row
    reasons = []
    for k, factor in enumerate(s.names):
        weight = float(s.share[b, k] * s.factors[factor][b, row])
        if weight > MIN_REASON_WEIGHT:
            reasons.append(_DETAILS[factor](index, q, s, ctx, row, round(weight, 6)))
    penalty = float(s.final[b, row] - s.base[b, row])
    if penalty < -MIN_REASON_WEIGHT:
        reasons.append(_exposure(index, s, ctx, row, round(penalty, 6)))
    return tuple(sorted(reasons, key=lambda r: (-r.weight, r.factor)))


def _reason(
    factor: str, weight: float, ctx: QueryContext, items: Sequence[Item] = (), **extra: object
) -> Reason:
    return Reason(
        factor,
        weight,
        ctx.about,
        tuple(items[:MAX_LISTED]),
        len(items),
        **extra,  # type: ignore[arg-type]
    )


def competency_item(index: MatchingIndex, slug: str, level: int | None = None) -> Item:
    return Item("competency", slug, index.competency_name(slug), level=level)


def centre_item(
    index: MatchingIndex,
    row: int,
    kind: str = "centre",
    count: int | None = None,
    year: int | None = None,
) -> Item:
    centre = index.centres[row]
    return Item(kind, str(centre.id), centre.name, count=count, year=year)


def _matches(
    index: MatchingIndex, wants: Mapping[str, int], have: Mapping[str, int]
) -> list[tuple[float, str, int]]:
    """(credit, slug, level had) for wanted competencies the other side has, best first."""
    out = []
    for slug, wanted in wants.items():
        level = have.get(slug, 0)
        col = index.competencies.col.get(slug)
        if level > 0 and col is not None:
            credit = float(index.competency_idf[col]) * min(level, wanted) / max(wanted, 1)
            out.append((credit, slug, level))
    return sorted(out, key=lambda m: (-m[0], m[1]))


def rare_count(index: MatchingIndex, slug: str) -> int | None:
    """How many centres offer a competency, when few enough to be worth saying."""
    col = index.competencies.col.get(slug)
    count = 0 if col is None else int(index.offer_count[col])
    return count if 0 < count <= max(RARE_MIN, RARE_SHARE * index.size) else None


def _complementarity(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    matches = _matches(index, ctx.seeks, index.centres[row].offers)
    items = [competency_item(index, slug, level) for _, slug, level in matches]
    rare = rare_count(index, matches[0][1]) if matches else None
    return _reason("complementarity", weight, ctx, items, count=rare)


def _reciprocity(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    matches = _matches(index, index.centres[row].seeks, ctx.offers)
    items = [competency_item(index, slug, level) for _, slug, level in matches]
    return _reason("reciprocity", weight, ctx, items)


def _theme_affinity(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    wanted = q.themes[ctx.batch_row]
    cols, values = row_items(index.theme_profile, row)
    shared = sorted(
        (-float(wanted[c] * v), index.themes.slugs[c])
        for c, v in zip(cols, values, strict=True)
        if wanted[c] > 0
    )
    items = [Item("theme", slug, index.theme_name(slug)) for _, slug in shared]
    return _reason("theme_affinity", weight, ctx, items)


def _common_partners(index: MatchingIndex, ctx: QueryContext, row: int) -> list[int]:
    team_neighbours: set[int] = set()
    for t in ctx.team_rows:
        team_neighbours.update(row_items(index.binary_adjacency, t)[0])
    mine = row_items(index.binary_adjacency, row)[0]
    # Small shared partners first: they carry most of the resource-allocation score.
    return sorted(team_neighbours.intersection(mine), key=lambda r: (index.degree[r], r))


def _proximity(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    items = [centre_item(index, r) for r in _common_partners(index, ctx, row)]
    return _reason("network_proximity", weight, ctx, items, count=len(ctx.team_rows))


def _global_proximity(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    steps = int(s.hops[ctx.batch_row, row]) or None
    return _reason("global_proximity", weight, ctx, count=steps, have=len(ctx.team_rows))


def _past_cooperation(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    items = []
    for position, t in enumerate(ctx.team_rows):
        count = int(cell(index.joint_count, t, row))
        if count:
            year = int(cell(index.joint_last_year, t, row))
            kind = "owner" if position == 0 else "centre"
            items.append(centre_item(index, t, kind, count=count, year=max(year, 0) or None))
    return _reason("past_cooperation", weight, ctx, items)


def _activity(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    recent = int(index.recent_projects[row])
    return _reason("activity", weight, ctx, count=recent, have=int(index.degree[row]))


def _country(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    country = index.centres[row].country
    have = len({index.centres[t].country for t in ctx.team_rows})
    wanted = int(q.min_countries[ctx.batch_row])
    short = ctx.for_proposal and have < wanted
    return _reason(
        "country_diversity",
        weight,
        ctx,
        [Item("country", country)],
        have=have if short else None,
        needed=wanted if short else None,
    )


def _language(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    owner = set(index.centres[ctx.team_rows[0]].languages)
    shared = sorted(owner.intersection(index.centres[row].languages))
    return _reason("shared_language", weight, ctx, [Item("language", code) for code in shared])


def _programme_counts(index: MatchingIndex, ctx: QueryContext, row: int) -> list[tuple[str, int]]:
    mine = dict(zip(*row_items(index.programme_count, row), strict=True))
    out = []
    for name in ctx.programmes:
        col = index.programmes.col.get(name)
        if col is not None and col in mine:
            out.append((name, int(mine[col])))
    return sorted(out, key=lambda p: (-p[1], p[0]))


def _programme(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    counts = _programme_counts(index, ctx, row)
    items = [Item("programme", name, count=count) for name, count in counts]
    return _reason("programme_experience", weight, ctx, items)


def _programme_area(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    country = index.centres[row].country
    k = index.countries.col[country]
    shares = [
        (float(index.programme_country_share[index.programmes.col[p], k]), p)
        for p in ctx.programmes
        if p in index.programmes.col
    ]
    share, name = max(shares)
    items = [Item("country", country), Item("programme", name)]
    return Reason("programme_area", weight, ctx.about, tuple(items), 1, value=round(share, 4))


def _exposure(
    index: MatchingIndex, s: Scores, ctx: QueryContext, row: int, weight: float
) -> Reason:
    base = float(s.base[ctx.batch_row, row])
    cut = -weight / base if base > 0 else 0.0
    return Reason(
        "exposure",
        weight,
        ctx.about,
        count=int(index.degree[row]),
        value=round(float(np.clip(cut, 0.0, 1.0)), 4),
    )


_DETAILS = {
    "complementarity": _complementarity,
    "reciprocity": _reciprocity,
    "theme_affinity": _theme_affinity,
    "network_proximity": _proximity,
    "global_proximity": _global_proximity,
    "past_cooperation": _past_cooperation,
    "activity": _activity,
    "country_diversity": _country,
    "shared_language": _language,
    "programme_experience": _programme,
    "programme_area": _programme_area,
}
