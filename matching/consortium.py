"""Consortium builder: a team of partners covering what a proposal needs.

The team value of a set S of partners added to the proposal's team T (owner + accepted partners):

    F(S) = COVER * coverage + FIT * fit + SPREAD * spread
    coverage = sum over sought competencies of idf * best min(offered, wanted)/wanted in T+S,
               over the total idf of what is sought (1.0 = everything covered at the wanted level)
    fit      = mean suggestion score of the picks over the wanted team size
    spread   = countries in T+S (each beyond the minimum counts half) over the team size

Coverage and spread have diminishing returns and fit adds up, so F is monotone submodular and the
lazy greedy (CELF: re-evaluate only the candidate on top of the heap) gives the same team as plain
greedy with far fewer evaluations. The country minimum is a hard constraint: once the open slots
are no more than the countries still missing, only centres from new countries may be picked.
``exhaustive_consortium`` enumerates every team of a small pool, to measure how far greedy is.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from matching.graph import FloatArray, IntArray
from matching.index import MatchingIndex, row_items
from matching.reasons import Item, Reason, competency_item, explain
from matching.scoring import QueryBatch, Scores, proposal_query, score, top_rows
from matching.snapshot import ProposalData
from matching.suggest import proposal_context

COVER, FIT, SPREAD = 0.45, 0.35, 0.20
EXTRA_COUNTRY_VALUE = 0.5
POOL_BY_SCORE = 200
POOL_PER_COMPETENCY = 10
MAX_COMBINATIONS = 3_000_000


@dataclass(frozen=True, slots=True)
class Note:
    """Why a consortium constraint cannot be met (structured; ``accr_graph.reason_text`` words it).

    kinds: ``partners_short`` (count partners found of `needed`), ``team_too_small`` (count
    partners cannot come from `needed` countries), ``countries_short`` (the team spans `count`
    countries of `needed`; `items` are every country reachable), ``nobody_offers`` and
    ``offerers_not_picked`` (a sought competency; `count` centres offer it)."""

    kind: str
    items: tuple[Item, ...] = ()
    count: int = 0
    needed: int = 0


@dataclass(frozen=True, slots=True)
class Pick:
    centre_id: int
    score: float  # its suggestion score for the proposal
    gain: float  # what it added to the team value F
    reasons: tuple[Reason, ...]  # coverage / country_spread / fit; weights add up to gain


@dataclass(frozen=True, slots=True)
class Consortium:
    members: tuple[Pick, ...]  # in the order they were picked
    countries: tuple[str, ...]  # of the whole team, owner and accepted partners included
    covered: tuple[str, ...]  # sought competencies someone in the team offers
    uncovered: tuple[str, ...]  # sought competencies nobody in the team offers
    value: float  # F of the team
    meets_size: bool
    meets_countries: bool
    notes: tuple[Note, ...]  # why a constraint cannot be met, and what was done instead


@dataclass(frozen=True, slots=True)
class _Targets:
    least: int  # picks to make whatever happens
    most: int  # picks allowed while they still cover something new
    min_countries: int
    team_size: int  # partners in the final team, for normalising fit and spread


@dataclass(slots=True)
class _Problem:
    """Everything the team value needs, over a pool of candidate rows."""

    rows: IntArray
    match: FloatArray  # pool x sought: min(offered, wanted) / wanted
    credit: FloatArray  # sought: idf / total idf
    score: FloatArray  # pool: suggestion score
    country: IntArray  # pool: country code
    base_cover: FloatArray  # sought: best match in the existing team
    base_countries: frozenset[int]
    targets: _Targets


@dataclass(slots=True)
class _State:
    cover: FloatArray
    countries: set[int]
    chosen: list[int] = field(default_factory=list)


def suggest_consortium(
    index: MatchingIndex,
    proposal: ProposalData,
    size: int | None = None,
    min_countries: int | None = None,
) -> Consortium:
    """Pick partners greedily. ``size`` is the number of partners besides the owner (accepted
    partners included); by default between max(partners_min, min_countries - 1) and partners_max,
    stopping early once extra partners cover nothing new. ``min_countries`` counts the owner's
    country; it defaults to the proposal's."""
    q, scores = _scored(index, proposal)
    problem = _problem(
        index, proposal, q, scores, _pool(index, proposal, scores), size, min_countries
    )
    state = _greedy(problem)
    return _consortium(index, proposal, q, scores, problem, state.chosen)


def exhaustive_consortium(
    index: MatchingIndex,
    proposal: ProposalData,
    size: int,
    min_countries: int | None = None,
    pool: int = 30,
) -> Consortium:
    """The best team of exactly ``size`` partners among the ``pool`` best-scored candidates, by
    trying every combination (refused above MAX_COMBINATIONS)."""
    q, scores = _scored(index, proposal)
    rows = top_rows(index, scores.final[0], pool)
    problem = _problem(index, proposal, q, scores, rows, size, min_countries)
    picks = problem.targets.least
    if math.comb(len(rows), picks) > MAX_COMBINATIONS:
        raise ValueError(f"C({len(rows)}, {picks}) teams is too many to enumerate")
    best = max(itertools.combinations(range(len(rows)), picks), key=lambda c: _rank(problem, c))
    return _consortium(index, proposal, q, scores, problem, list(best))


def team_value(problem: _Problem, chosen: Sequence[int]) -> float:
    state = _State(problem.base_cover.copy(), set(problem.base_countries))
    total = 0.0
    for position in chosen:
        total += _add(problem, state, position)
    return total + _base_value(problem)


def _rank(problem: _Problem, chosen: Sequence[int]) -> tuple[bool, int, float]:
    countries = problem.base_countries | {int(problem.country[c]) for c in chosen}
    meets = len(countries) >= problem.targets.min_countries
    return (meets, min(len(countries), problem.targets.min_countries), team_value(problem, chosen))


def _scored(index: MatchingIndex, proposal: ProposalData) -> tuple[QueryBatch, Scores]:
    q = proposal_query(index, proposal)
    return q, score(index, q)


def _pool(index: MatchingIndex, proposal: ProposalData, scores: Scores) -> IntArray:
    """Best-scored candidates, plus the best offerers of each sought competency and the best
    centre of each country, so that coverage and the country minimum stay reachable."""
    final = scores.final[0]
    chosen = set(top_rows(index, final, POOL_BY_SCORE).tolist())
    offers = index.offers.tocsc()
    for slug in proposal.seeks:
        col = index.competencies.col.get(slug)
        if col is not None:
            chosen.update(_best_offerers(index, offers, col, final))
    chosen.update(_best_per_country(index, final))
    return np.asarray(sorted(chosen), dtype=np.int64)


def _best_offerers(index: MatchingIndex, offers: object, col: int, final: FloatArray) -> list[int]:
    column = offers[:, [col]]  # type: ignore[index]
    rows = [r for r in column.indices.tolist() if final[r] >= 0]
    level = dict(zip(column.indices.tolist(), column.data.tolist(), strict=True))
    rows.sort(key=lambda r: (-level[r], -final[r], int(index.ids[r])))
    return rows[:POOL_PER_COMPETENCY]


def _best_per_country(index: MatchingIndex, final: FloatArray) -> list[int]:
    eligible = np.flatnonzero(final >= 0)
    order = eligible[np.lexsort((index.ids[eligible], -final[eligible]))]
    _, first = np.unique(index.country_code[order], return_index=True)
    return [int(r) for r in order[first]]


def _targets(
    proposal: ProposalData, size: int | None, min_countries: int | None, accepted: int
) -> _Targets:
    countries = proposal.min_countries if min_countries is None else min_countries
    if size is not None:
        return _Targets(max(0, size - accepted), max(0, size - accepted), countries, max(size, 1))
    low = max(proposal.partners_min, countries - 1)
    high = max(low, proposal.partners_max)
    return _Targets(max(0, low - accepted), max(0, high - accepted), countries, high)


def _problem(
    index: MatchingIndex,
    proposal: ProposalData,
    q: QueryBatch,
    scores: Scores,
    pool: IntArray,
    size: int | None,
    min_countries: int | None,
) -> _Problem:
    sought = sorted(proposal.seeks)
    team = np.asarray(row_items(q.team, 0)[0], dtype=np.int64)
    total_idf = float(q.seek_total_idf[0])
    return _Problem(
        rows=pool,
        match=_match(index, proposal, sought, pool),
        credit=np.asarray([_idf(index, s) / total_idf for s in sought]) if sought else np.zeros(0),
        score=np.asarray(scores.final[0, pool]),
        country=index.country_code[pool],
        base_cover=_match(index, proposal, sought, team).max(axis=0, initial=0.0),
        base_countries=frozenset(index.country_code[team].tolist()),
        targets=_targets(proposal, size, min_countries, len(team) - 1),
    )


def _idf(index: MatchingIndex, slug: str) -> float:
    col = index.competencies.col.get(slug)
    return float(index.competency_idf[col]) if col is not None else math.log(1 + index.size) + 1


def _match(
    index: MatchingIndex, proposal: ProposalData, sought: Sequence[str], rows: IntArray
) -> FloatArray:
    """rows x sought: min(offered, wanted) / wanted."""
    out = np.zeros((len(rows), len(sought)))
    for j, slug in enumerate(sought):
        wanted = max(proposal.seeks[slug], 1)
        for i, row in enumerate(rows.tolist()):
            out[i, j] = min(index.centres[row].offers.get(slug, 0), wanted) / wanted
    return out


def _country_value(count: int, minimum: int) -> float:
    return min(count, minimum) + EXTRA_COUNTRY_VALUE * max(0, count - minimum)


def _base_value(problem: _Problem) -> float:
    t = problem.targets
    countries = _country_value(len(problem.base_countries), t.min_countries)
    return COVER * float(problem.credit @ problem.base_cover) + SPREAD * countries / (
        t.team_size + 1
    )


def _parts(problem: _Problem, state: _State, position: int) -> tuple[float, float, float]:
    """(coverage, fit, spread) gains of adding the pool candidate at `position`."""
    t = problem.targets
    cover = float(problem.credit @ np.maximum(problem.match[position] - state.cover, 0.0))
    country = int(problem.country[position])
    before = _country_value(len(state.countries), t.min_countries)
    after = _country_value(len(state.countries | {country}), t.min_countries)
    return (
        COVER * cover,
        FIT * float(problem.score[position]) / t.team_size,
        SPREAD * (after - before) / (t.team_size + 1),
    )


def _add(problem: _Problem, state: _State, position: int) -> float:
    gain = sum(_parts(problem, state, position))
    state.cover = np.maximum(state.cover, problem.match[position])
    state.countries.add(int(problem.country[position]))
    state.chosen.append(position)
    return gain


def _must_add_country(problem: _Problem, state: _State) -> bool:
    missing = problem.targets.min_countries - len(state.countries)
    return missing > 0 and missing >= problem.targets.least - len(state.chosen)


def _greedy(problem: _Problem) -> _State:
    state = _State(problem.base_cover.copy(), set(problem.base_countries))
    heap = [
        (-sum(_parts(problem, state, p)), int(problem.rows[p]), p, 0)
        for p in range(len(problem.rows))
    ]
    heapq.heapify(heap)
    while len(state.chosen) < problem.targets.most:
        position = _next(problem, state, heap)
        if position is None or not _worth_adding(problem, state, position):
            break
        _add(problem, state, position)
    return state


def _worth_adding(problem: _Problem, state: _State, position: int) -> bool:
    """Past the least team size, only partners that still cover something are added."""
    return len(state.chosen) < problem.targets.least or _parts(problem, state, position)[0] > 0


def _next(problem: _Problem, state: _State, heap: list[tuple[float, int, int, int]]) -> int | None:
    if _must_add_country(problem, state):
        found = _lazy_pop(problem, state, heap, lambda p: problem.country[p] not in state.countries)
        if found is not None:
            return found
    return _lazy_pop(problem, state, heap, lambda p: True)


def _lazy_pop(
    problem: _Problem,
    state: _State,
    heap: list[tuple[float, int, int, int]],
    allowed: Callable[[int], bool],
) -> int | None:
    """Best allowed candidate; stale gains (computed before the last pick) are re-evaluated and
    pushed back, which is enough because gains only shrink as the team grows."""
    step = len(state.chosen)
    skipped = []
    found = None
    while heap:
        entry = heapq.heappop(heap)
        _, key, position, stamp = entry
        if not allowed(position):
            skipped.append(entry)
        elif stamp == step:
            found = position
            break
        else:
            heapq.heappush(heap, (-sum(_parts(problem, state, position)), key, position, step))
    for entry in skipped:
        heapq.heappush(heap, entry)
    return found


def _consortium(
    index: MatchingIndex,
    proposal: ProposalData,
    q: QueryBatch,
    scores: Scores,
    problem: _Problem,
    chosen: Sequence[int],
) -> Consortium:
    state, picks = _replay(index, proposal, q, scores, problem, chosen)
    sought = sorted(proposal.seeks)
    covered = tuple(s for s, c in zip(sought, state.cover.tolist(), strict=True) if c > 0)
    countries = tuple(sorted(index.countries.slugs[c] for c in state.countries))
    return Consortium(
        members=tuple(picks),
        countries=countries,
        covered=covered,
        uncovered=tuple(s for s in sought if s not in covered),
        value=round(team_value(problem, chosen), 6),
        meets_size=len(picks) >= problem.targets.least,
        meets_countries=len(countries) >= problem.targets.min_countries,
        notes=tuple(_notes(index, proposal, problem, state, covered)),
    )


def _replay(
    index: MatchingIndex,
    proposal: ProposalData,
    q: QueryBatch,
    scores: Scores,
    problem: _Problem,
    chosen: Sequence[int],
) -> tuple[_State, list[Pick]]:
    """Add the chosen partners in order again, explaining what each brought when it came."""
    state = _State(problem.base_cover.copy(), set(problem.base_countries))
    ctx = proposal_context(index, proposal)
    picks = []
    for position in chosen:
        row = int(problem.rows[position])
        suggestion = explain(index, q, scores, ctx, row)
        reasons = _pick_reasons(index, proposal, problem, state, position, suggestion)
        gain = _add(problem, state, position)
        score = round(float(problem.score[position]), 6)
        picks.append(Pick(int(index.ids[row]), score, round(gain, 6), reasons))
    return state, picks


def _pick_reasons(
    index: MatchingIndex,
    proposal: ProposalData,
    problem: _Problem,
    state: _State,
    position: int,
    suggestion: Sequence[Reason],
) -> tuple[Reason, ...]:
    cover, fit, spread = _parts(problem, state, position)
    parts: tuple[tuple[float, Callable[[float], Reason]], ...] = (
        (cover, lambda w: _coverage(index, proposal, problem, state, position, w)),
        (spread, lambda w: _spread(index, problem, state, position, w)),
        (fit, lambda w: _fit(problem, position, suggestion, w)),
    )
    reasons = [detail(round(w, 6)) for w, detail in parts if w > 0]
    return tuple(sorted(reasons, key=lambda r: (-r.weight, r.factor)))


def _fit(problem: _Problem, position: int, suggestion: Sequence[Reason], weight: float) -> Reason:
    # The team's own country count is in country_spread; the suggestion's view of it is stale.
    kept = [r for r in suggestion if r.weight > 0 and r.factor != "country_diversity"]
    value = round(float(problem.score[position]), 4)
    return Reason("fit", weight, "proposal", value=value, parts=tuple(kept[:2]))


def _coverage(
    index: MatchingIndex,
    proposal: ProposalData,
    problem: _Problem,
    state: _State,
    position: int,
    weight: float,
) -> Reason:
    """Items: sought competencies nobody in the team offered yet (kind ``competency``), then
    those this pick offers at a higher level than the team did (kind ``competency_raised``)."""
    new: list[Item] = []
    raised: list[Item] = []
    offers = index.centres[int(problem.rows[position])].offers
    for j, slug in enumerate(sorted(proposal.seeks)):
        if problem.match[position, j] > state.cover[j]:
            item = competency_item(index, slug, offers[slug])
            if state.cover[j] > 0:
                raised.append(dataclasses.replace(item, kind="competency_raised"))
            else:
                new.append(item)
    items = (*new, *raised)
    return Reason("coverage", weight, "proposal", items, len(items))


def _spread(
    index: MatchingIndex, problem: _Problem, state: _State, position: int, weight: float
) -> Reason:
    country = index.countries.slugs[int(problem.country[position])]
    return Reason(
        "country_spread",
        weight,
        "proposal",
        (Item("country", country),),
        1,
        have=len(state.countries) + 1,
        needed=problem.targets.min_countries,
    )


def _notes(
    index: MatchingIndex,
    proposal: ProposalData,
    problem: _Problem,
    state: _State,
    covered: Sequence[str],
) -> list[Note]:
    notes = []
    t = problem.targets
    if len(state.chosen) < t.least:
        notes.append(Note("partners_short", count=len(state.chosen), needed=t.least))
    if len(state.countries) < t.min_countries:
        notes.append(_country_note(index, problem, state))
    for slug in sorted(set(proposal.seeks) - set(covered)):
        notes.append(_uncovered_note(index, slug))
    return notes


def _country_note(index: MatchingIndex, problem: _Problem, state: _State) -> Note:
    t = problem.targets
    if t.team_size + 1 < t.min_countries:
        return Note("team_too_small", count=t.team_size, needed=t.min_countries)
    reachable = set(problem.base_countries) | set(problem.country.tolist())
    names = sorted(index.countries.slugs[c] for c in reachable)
    return Note(
        "countries_short",
        items=tuple(Item("country", c) for c in names),
        count=len(state.countries),
        needed=t.min_countries,
    )


def _uncovered_note(index: MatchingIndex, slug: str) -> Note:
    col = index.competencies.col.get(slug)
    count = 0 if col is None else int(index.offer_count[col])
    kind = "nobody_offers" if count == 0 else "offerers_not_picked"
    return Note(kind, items=(competency_item(index, slug),), count=count)
