"""Reasons: each factor's contribution to a suggestion, in words a person understands.

A reason's ``weight`` is the number of score points its factor brought (factor value times the
factor's share of the score); when a hub was dampened, an ``exposure`` reason with a negative
weight says by how much, so the weights of one suggestion's reasons add up to its score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matching.index import FACTORS, MatchingIndex, row_items
from matching.scoring import QueryBatch, Scores

# Below this many score points a factor is not worth a sentence.
MIN_REASON_WEIGHT = 1e-4
# "only N centres offer it" is said when at most this share of centres (or 5) offer it.
RARE_SHARE = 0.1
RARE_MIN = 5
MAX_LISTED = 3


@dataclass(frozen=True, slots=True)
class Reason:
    factor: str
    weight: float
    text: str


@dataclass(frozen=True, slots=True)
class QueryContext:
    """What the texts need to know about the query beyond its matrices."""

    for_proposal: bool
    seeks: Mapping[str, int]
    offers: Mapping[str, int]
    programmes: tuple[str, ...]  # the proposal's programme, or the centre's past ones
    team_rows: tuple[int, ...]  # owner first
    batch_row: int = 0

    @property
    def subject(self) -> str:
        return "this proposal" if self.for_proposal else "you"


def explain(
    index: MatchingIndex, q: QueryBatch, s: Scores, ctx: QueryContext, row: int
) -> tuple[Reason, ...]:
    b = ctx.batch_row
    reasons = []
    for k, factor in enumerate(FACTORS):
        weight = float(s.share[b, k] * s.factors[factor][b, row])
        if weight > MIN_REASON_WEIGHT:
            reasons.append(Reason(factor, round(weight, 6), _TEXTS[factor](index, q, ctx, row)))
    penalty = float(s.base[b, row] * (s.damping[row] - 1.0))
    if penalty < -MIN_REASON_WEIGHT:
        reasons.append(Reason("exposure", round(penalty, 6), _exposure_text(index, row)))
    return tuple(sorted(reasons, key=lambda r: (-r.weight, r.factor)))


def _quote(name: str) -> str:
    return f"'{name}'"


def join_words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _listed(items: Sequence[str], total: int) -> str:
    more = total - len(items)
    return join_words([*items, f"{more} more"]) if more > 0 else join_words(items)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


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


def _complementarity_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    matches = _matches(index, ctx.seeks, index.centres[row].offers)
    parts = [
        f"{_quote(index.competency_name(slug))} (level {level})"
        for _, slug, level in matches[:MAX_LISTED]
    ]
    text = f"offers {_listed(parts, len(matches))}, which {ctx.subject} seek"
    text += "s" if ctx.for_proposal else ""
    rare = _rarity_note(index, matches[0][1], len(matches) > 1) if matches else ""
    return text + rare


def _rarity_note(index: MatchingIndex, slug: str, name_it: bool) -> str:
    count = int(index.offer_count[index.competencies.col[slug]])
    if count > max(RARE_MIN, RARE_SHARE * index.size):
        return ""
    who = "1 centre offers" if count == 1 else f"{count} centres offer"
    what = _quote(index.competency_name(slug)) if name_it else "it"
    return f", and only {who} {what}"


def _reciprocity_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    matches = _matches(index, index.centres[row].seeks, ctx.offers)
    names = [_quote(index.competency_name(slug)) for _, slug, _ in matches[:MAX_LISTED]]
    verb = "offers" if ctx.for_proposal else "offer"
    return f"seeks {_listed(names, len(matches))}, which {ctx.subject} {verb}"


def _theme_affinity_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    wanted = q.themes[ctx.batch_row]
    cols, values = row_items(index.theme_profile, row)
    shared = sorted(
        (-float(wanted[c] * v), index.themes.slugs[c])
        for c, v in zip(cols, values, strict=True)
        if wanted[c] > 0
    )
    names = [_quote(index.theme_name(slug)) for _, slug in shared[:MAX_LISTED]]
    noun = "themes" if len(shared) > 1 else "a theme"
    where = "of this proposal" if ctx.for_proposal else "of yours"
    return f"works on {_listed(names, len(shared))}, {noun} {where}"


def _common_partners(index: MatchingIndex, ctx: QueryContext, row: int) -> list[int]:
    team_neighbours: set[int] = set()
    for t in ctx.team_rows:
        team_neighbours.update(row_items(index.binary_adjacency, t)[0])
    mine = row_items(index.binary_adjacency, row)[0]
    # Small shared partners first: they carry most of the resource-allocation score.
    return sorted(team_neighbours.intersection(mine), key=lambda r: (index.degree[r], r))


def _proximity_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    common = _common_partners(index, ctx, row)
    names = [index.centres[r].name for r in common[:2]]
    who = "you" if len(ctx.team_rows) == 1 else "your team"
    return f"shares {_plural(len(common), 'partner')} with {who} ({_listed(names, len(common))})"


def _past_cooperation_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    parts = []
    for position, t in enumerate(ctx.team_rows):
        count = int(index.joint_count[t, row])
        if count:
            year = int(index.joint_last_year[t, row])
            who = "you" if position == 0 else f"your partner {index.centres[t].name}"
            when = f", latest in {year}" if year > 0 else ""
            parts.append(f"worked with {who} on {_plural(count, 'joint project')}{when}")
    return "; ".join(parts)


def _country_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    text = f"adds a new country: {index.centres[row].country}"
    have = len({index.centres[t].country for t in ctx.team_rows})
    wanted = int(q.min_countries[ctx.batch_row])
    if ctx.for_proposal and have < wanted:
        text += f" (the team has {have} of the {wanted} countries it needs)"
    return text


def _language_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    owner = set(index.centres[ctx.team_rows[0]].languages)
    shared = sorted(owner.intersection(index.centres[row].languages))
    noun = "working languages" if len(shared) > 1 else "a working language"
    return f"shares {noun} with you: {', '.join(shared)}"


def _programme_counts(index: MatchingIndex, ctx: QueryContext, row: int) -> list[tuple[str, int]]:
    mine = dict(zip(*row_items(index.programme_count, row), strict=True))
    out = []
    for name in ctx.programmes:
        col = index.programmes.col.get(name)
        if col is not None and col in mine:
            out.append((name, int(mine[col])))
    return sorted(out, key=lambda p: (-p[1], p[0]))


def _programme_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    counts = _programme_counts(index, ctx, row)
    if ctx.for_proposal and counts:
        name, count = counts[0]
        projects = _plural(count, "project")
        return f"took part in {projects} of {_quote(name)}, this proposal's programme"
    names = [_quote(name) for name, _ in counts[:MAX_LISTED]]
    return f"took part in projects of {_listed(names, len(counts))}, like you"


def _programme_area_text(index: MatchingIndex, q: QueryBatch, ctx: QueryContext, row: int) -> str:
    country = index.centres[row].country
    k = index.countries.col[country]
    shares = [
        (float(index.programme_country_share[index.programmes.col[p], k]), p)
        for p in ctx.programmes
        if p in index.programmes.col
    ]
    share, name = max(shares)
    if ctx.for_proposal:
        return (
            f"is based in {country}, where {_quote(name)} works "
            f"({share:.0%} of its past participations)"
        )
    return f"is based in {country}, a country of programmes you work in such as {_quote(name)}"


def _exposure_text(index: MatchingIndex, row: int) -> str:
    degree = int(index.degree[row])
    cut = 1.0 - index.weights.hub_dampening * float(index.hubness[row])
    return (
        f"one of the most connected centres ({_plural(degree, 'partner')}): its score is lowered "
        f"by {1.0 - cut:.0%} so that less connected centres also get seen"
    )


_TEXTS = {
    "complementarity": _complementarity_text,
    "reciprocity": _reciprocity_text,
    "theme_affinity": _theme_affinity_text,
    "network_proximity": _proximity_text,
    "past_cooperation": _past_cooperation_text,
    "country_diversity": _country_text,
    "shared_language": _language_text,
    "programme_experience": _programme_text,
    "programme_area": _programme_area_text,
}
