"""The observatory: indicators per year, from the yearly survey and from the network's own data.

Indicator keys:

* ``survey.<question>.sum|median|q1|q3`` for integer and decimal questions,
  ``survey.<question>.yes_share`` for yes/no ones, ``survey.<question>.share.<choice>`` for
  choice questions — computed from *submitted* responses of the year's campaign;
* ``network.partnerships_started|new_links|active_centres|proposals_posted|
  proposals_partnered|fair_meetings|meeting_attendance`` — counts from the data, per year;
* ``network.density|average_degree|isolated_share|clusters|mean_cluster_size|largest_cluster``
  — the structure of the network as of each year (``matching.yearly``), computed in a worker
  thread once per network version and cached (whole network only: no grouping).

Every figure comes with ``n``, the number of centres it is computed from. **Disclosure
control**: a survey aggregate from fewer than 3 centres is withheld ("not enough answers") for
everyone but staff; individual answers are only shown to the centre itself and staff (a centre's
benchmark).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from accr_graph.repositories import data_version, indicators
from accr_graph.repositories import surveys as survey_repo
from accr_graph.repositories.indicators import Profile
from accr_graph.services import survey_questions as sq
from accr_graph.services.errors import Invalid, fail
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer
from matching.yearly import Project, Structure, first_link_years, quartiles, yearly_structure

MIN_CENTRES = 3  # disclosure threshold
MAX_YEARS = 60
COUNT_KEYS = (
    "network.partnerships_started",
    "network.new_links",
    "network.active_centres",
    "network.proposals_posted",
    "network.proposals_partnered",
    "network.fair_meetings",
    "network.meeting_attendance",
)
STRUCTURE_KEYS = (
    "network.density",
    "network.average_degree",
    "network.isolated_share",
    "network.clusters",
    "network.mean_cluster_size",
    "network.largest_cluster",
)
NUMERIC_STATS = ("sum", "median", "q1", "q3")
KEY_FIGURES = (
    "network.active_centres",
    "network.partnerships_started",
    "network.new_links",
    "network.proposals_posted",
    "network.fair_meetings",
    "survey.visitors.sum",
    "survey.events.sum",
    "survey.artists_in_residence.sum",
)


class GroupBy(StrEnum):
    NONE = "none"
    COUNTRY = "country"
    LABEL_STATUS = "label_status"
    THEME = "theme"


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    year: int
    group: str | None  # country code, label status or theme slug; None: the whole network
    value: float | None  # None when withheld
    n: int  # centres the figure comes from
    withheld: bool = False  # fewer than MIN_CENTRES answers: "not enough answers"


@dataclass(frozen=True, slots=True)
class Query:
    keys: tuple[str, ...] = ()  # empty: every indicator
    year_from: int | None = None
    year_to: int | None = None
    group_by: GroupBy = GroupBy.NONE


def _this_year() -> int:
    return datetime.now(UTC).year


def years_of(query: Query) -> range:
    """The years asked: default the ten years up to this one; checked and bounded."""
    last = query.year_to if query.year_to is not None else _this_year()
    first = query.year_from if query.year_from is not None else last - 9
    for name, year in (("yearFrom", first), ("yearTo", last)):
        if not 1900 <= year <= 2100:
            raise fail(Invalid(name, f"must be a year between 1900 and 2100 (got {year})"))
    if first > last:
        raise fail(Invalid("yearFrom", f"must not be after yearTo ({last})"))
    if last - first >= MAX_YEARS:
        raise fail(Invalid("yearFrom", f"at most {MAX_YEARS} years at once"))
    return range(first, last + 1)


def _groups(profile: Profile | None, by: GroupBy) -> tuple[str | None, ...]:
    if by is GroupBy.NONE:
        return (None,)
    if profile is None:
        return ()
    if by is GroupBy.COUNTRY:
        return (profile.country,)
    if by is GroupBy.LABEL_STATUS:
        return (profile.label_status,)
    return profile.themes


# --- counts from the data -----------------------------------------------------------------------

Event = tuple[int, tuple[int, ...]]  # (year, centres involved)


def count_events(
    events: Iterable[Event], profiles: dict[int, Profile], by: GroupBy, years: range
) -> dict[tuple[int, str | None], tuple[int, int]]:
    """(year, group) -> (events touching a centre of the group, distinct centres of the group)."""
    counts: dict[tuple[int, str | None], int] = defaultdict(int)
    centres: dict[tuple[int, str | None], set[int]] = defaultdict(set)
    for year, involved in events:
        if year not in years:
            continue
        touched: set[str | None] = set()
        for cid in involved:
            for group in _groups(profiles.get(cid), by):
                touched.add(group)
                centres[(year, group)].add(cid)
        for group in touched:
            counts[(year, group)] += 1
    return {k: (counts[k], len(centres[k])) for k in counts}


def _events(source: str, data: _Data) -> list[Event]:
    if source == "network.partnerships_started":
        return [(p.start_year, p.members) for p in data.projects if p.start_year is not None]
    if source == "network.new_links":
        return [(year, pair) for pair, year in first_link_years(data.projects).items()]
    if source == "network.active_centres":
        active = {(y, c) for p in data.projects for y in _active_years(p) for c in p.members}
        return [(y, (c,)) for y, c in active]
    if source == "network.proposals_posted":
        return [(p.year, (p.owner_id,)) for p in data.proposals]
    if source == "network.proposals_partnered":
        return [(p.year, (p.owner_id,)) for p in data.proposals if p.partnered]
    rows = data.attendance if source == "network.meeting_attendance" else data.meetings
    return [(row.year, row.centre_ids) for row in rows]


def _active_years(project: Project) -> range:
    if project.start_year is None:
        return range(0)
    return range(project.start_year, (project.end_year or project.start_year) + 1)


def _counts(key: str, data: _Data, by: GroupBy, years: range) -> list[Indicator]:
    found = count_events(_events(key, data), data.profiles, by, years)
    if by is GroupBy.NONE:  # a year with nothing is a zero on the chart, not a gap
        for year in years:
            found.setdefault((year, None), (0, 0))
    return [
        Indicator(key, year, group, float(value), n) for (year, group), (value, n) in found.items()
    ]


# --- the network's structure, cached per network version -----------------------------------------


def _structure_values(s: Structure) -> dict[str, float]:
    return {
        "network.density": s.density,
        "network.average_degree": s.average_degree,
        "network.isolated_share": s.isolated_share,
        "network.clusters": float(s.clusters),
        "network.mean_cluster_size": s.mean_cluster_size,
        "network.largest_cluster": float(s.largest_cluster),
    }


@dataclass
class _Cached:
    version: int
    result: asyncio.Future[dict[int, Structure]]


_STRUCTURES: weakref.WeakKeyDictionary[Any, _Cached] = weakref.WeakKeyDictionary()


def _structure_years(projects: Sequence[Project]) -> range:
    starts = [p.start_year for p in projects if p.start_year is not None]
    last = max([_this_year(), *starts])
    first = max(min(starts, default=last), last - MAX_YEARS - 10)
    return range(first, last + 1)


async def structures(db: Database) -> dict[int, Structure]:
    """Every year's structure, computed once per network version in a worker thread and shared
    by the requests asking meanwhile (a request that goes away does not cancel it)."""
    async with db() as session:
        version = await data_version.current_network(session)
    cached = _STRUCTURES.get(db)
    if cached is None or cached.version != version:
        cached = _Cached(version, asyncio.ensure_future(_compute_structures(db)))
        _STRUCTURES[db] = cached
    return await asyncio.shield(cached.result)


async def _compute_structures(db: Database) -> dict[int, Structure]:
    async with db() as session:
        centre_ids = sorted(await indicators.profiles(session))
        projects = await indicators.projects(session)
    return await asyncio.to_thread(
        yearly_structure, centre_ids, projects, _structure_years(projects)
    )


async def _structure(keys: Sequence[str], db: Database, years: range) -> list[Indicator]:
    by_year = await structures(db)
    return [
        Indicator(key, year, None, _structure_values(s)[key], s.centres)
        for year, s in sorted(by_year.items())
        if year in years
        for key in keys
    ]


# --- survey aggregates ---------------------------------------------------------------------------


@dataclass
class _Data:
    profiles: dict[int, Profile]
    projects: list[Project] = field(default_factory=list)
    proposals: list[indicators.ProposalRow] = field(default_factory=list)
    meetings: list[indicators.MeetingRow] = field(default_factory=list)
    attendance: list[indicators.MeetingRow] = field(default_factory=list)
    answers: list[survey_repo.SubmittedAnswers] = field(default_factory=list)
    questions: dict[int, list[sq.Question]] = field(default_factory=dict)  # year -> questions


def survey_keys(q: sq.Question) -> list[str]:
    base = f"survey.{q.key}"
    if q.kind.numeric:
        return [f"{base}.{stat}" for stat in NUMERIC_STATS]
    if q.kind is sq.QuestionKind.YES_NO:
        return [f"{base}.yes_share"]
    if q.kind in (sq.QuestionKind.SINGLE_CHOICE, sq.QuestionKind.MULTIPLE_CHOICE):
        return [f"{base}.share.{c}" for c in q.choice_keys()]
    return []


def _numeric(key_base: str, values: list[float]) -> dict[str, float]:
    q1, median, q3 = quartiles(sorted(values))
    stats = {"sum": sum(values), "median": median, "q1": q1, "q3": q3}
    return {f"{key_base}.{name}": value for name, value in stats.items()}


def _shares(q: sq.Question, answers: list[Any]) -> dict[str, float]:
    base = f"survey.{q.key}"
    if q.kind is sq.QuestionKind.YES_NO:
        return {f"{base}.yes_share": sum(1 for a in answers if a is True) / len(answers)}
    chosen = [a if isinstance(a, list) else [a] for a in answers]
    return {
        f"{base}.share.{c}": sum(1 for picks in chosen if c in picks) / len(chosen)
        for c in q.choice_keys()
    }


def question_figures(q: sq.Question, answers: list[Any]) -> dict[str, float]:
    """Every figure of one question from the answers given (not empty)."""
    if q.kind.numeric:
        return _numeric(f"survey.{q.key}", [float(a) for a in answers])
    if q.kind is sq.QuestionKind.SHORT_TEXT:
        return {}
    return _shares(q, answers)


def survey_figures(
    data: _Data, by: GroupBy, years: range, wanted: Callable[[str], bool]
) -> list[Indicator]:
    grouped: dict[tuple[int, str | None, str], list[Any]] = defaultdict(list)
    for row in data.answers:
        for group in _groups(data.profiles.get(row.centre_id), by):
            for key, value in row.answers.items():
                grouped[(row.year, group, key)].append(value)
    questions = {(year, q.key): q for year, qs in data.questions.items() for q in qs}
    found: list[Indicator] = []
    for (year, group, key), answers in grouped.items():
        q = questions.get((year, key))
        if q is None or year not in years:
            continue
        figures = question_figures(q, answers)
        found += [
            Indicator(k, year, group, v, len(answers)) for k, v in figures.items() if wanted(k)
        ]
    return found


def disclose(items: Iterable[Indicator], privileged: bool) -> list[Indicator]:
    """Survey aggregates from fewer than MIN_CENTRES centres become "not enough answers"."""
    return [
        i
        if privileged or not i.key.startswith("survey.") or i.n >= MIN_CENTRES
        else Indicator(i.key, i.year, i.group, None, i.n, withheld=True)
        for i in items
    ]


# --- the use cases -------------------------------------------------------------------------------


async def load_data(db: Database, years: range) -> _Data:
    async with db() as session:
        data = _Data(await indicators.profiles(session))
        data.projects = await indicators.projects(session)
        data.proposals = await indicators.proposals(session)
        data.meetings = await indicators.fair_meetings(session)
        data.attendance = await indicators.meeting_attendance(session)
        data.answers = await survey_repo.submitted_answers(session, years.start, years.stop - 1)
        for campaign in await survey_repo.campaigns_in_years(session, years.start, years.stop - 1):
            data.questions[campaign.year] = sq.questions_of(
                sq.sections_from_json(campaign.sections)
            )
    return data


def _check_keys(keys: Sequence[str], data: _Data) -> None:
    known = set(COUNT_KEYS) | set(STRUCTURE_KEYS)
    known |= {k for qs in data.questions.values() for q in qs for k in survey_keys(q)}
    unknown = [k for k in keys if k not in known and not k.startswith("survey.")]
    if unknown:
        raise fail(Invalid("keys", f"unknown indicator(s): {', '.join(unknown)}"))


def _order(items: Iterable[Indicator]) -> list[Indicator]:
    return sorted(items, key=lambda i: (i.key, i.year, i.group or ""))


async def compute(db: Database, query: Query, privileged: bool) -> list[Indicator]:
    """The indicators asked, in key, year, group order (``privileged``: no disclosure control)."""
    years = years_of(query)
    data = await load_data(db, years)
    _check_keys(query.keys, data)
    chosen = set(query.keys)

    def wanted(key: str) -> bool:
        return not chosen or key in chosen

    found = [
        i for key in COUNT_KEYS if wanted(key) for i in _counts(key, data, query.group_by, years)
    ]
    structure = [k for k in STRUCTURE_KEYS if wanted(k)]
    if structure and query.group_by is GroupBy.NONE:
        found += await _structure(structure, db, years)
    found += survey_figures(data, query.group_by, years, wanted)
    return disclose(_order(found), privileged)


async def indicators_for(db: Database, viewer: Viewer, query: Query) -> list[Indicator]:
    """Everyone may read the observatory; staff see survey aggregates below the threshold."""
    return await compute(db, query, viewer.is_staff)


async def key_figures(db: Database, year: int | None) -> list[Indicator]:
    """The public headline figures of one year (aggregates only, disclosure always applied)."""
    chosen = year if year is not None else _this_year() - 1
    found = await compute(db, Query(KEY_FIGURES, chosen, chosen), privileged=False)
    by_key = {i.key: i for i in found}
    return [by_key[k] for k in KEY_FIGURES if k in by_key]


async def latest_questions(db: Database) -> dict[str, sq.Question]:
    """Questions by key, the latest campaign's wording winning (for indicator names)."""
    async with db() as session:
        found = await survey_repo.campaigns_in_years(session, 1900, 2100)
    return {q.key: q for c in found for q in sq.questions_of(sq.sections_from_json(c.sections))}


def catalogue(questions: Iterable[sq.Question]) -> list[tuple[str, bool]]:
    """(key, groupable) of every indicator, survey ones for the questions given."""
    keys = [(k, True) for k in COUNT_KEYS] + [(k, False) for k in STRUCTURE_KEYS]
    return keys + [(k, True) for q in questions for k in survey_keys(q)]
