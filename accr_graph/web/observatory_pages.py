"""/observatory: the network's indicators over time, for members and staff (in the shell).

A plain GET form chooses the indicators, the grouping (none, country, label status, theme), the
year range and (staff) whose benchmark to show. Every figure is in a data table, so the page
works without JavaScript; ``static/observatory.js`` draws the same figures with the vendored
Chart.js from a ``<script type="application/json">`` block (no inline script). Figures come
from ``services.observatory`` with its disclosure control: a withheld survey aggregate reads
"not enough answers" here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from accr_graph.db import models as m
from accr_graph.i18n import pick
from accr_graph.services import directory, surveys
from accr_graph.services import observatory as obs
from accr_graph.services import observatory_benchmark as bench
from accr_graph.services import observatory_labels as labels
from accr_graph.services import survey_questions as sq
from accr_graph.services.errors import ServiceFailure
from accr_graph.viewer import Viewer
from accr_graph.web import params
from accr_graph.web.templating import gettext, page_lang, render, require_signed_in

DEFAULT_KEYS = (
    "network.partnerships_started",
    "network.new_links",
    "network.active_centres",
)
MAX_KEYS = 12  # charts drawn at once: enough to compare, few enough to read
CHART_GROUPS = 8  # lines on one chart; the table below it lists every group
LABEL_STATUS_WORDS = {
    "labelled": "Labelled centre",
    "candidate": "Candidate",
    "associate": "Associate",
    "partner": "Partner",
}


@dataclass
class Choices:
    """What the reader asked for, checked (unknown values dropped, bad years reported)."""

    keys: list[str]
    group: obs.GroupBy
    year_from: int | None
    year_to: int | None
    centre: str  # slug of the centre whose benchmark is shown ('' = the reader's own)
    errors: dict[str, str] = field(default_factory=dict)


def _year(query: QueryParams, name: str, errors: dict[str, str], lang: str) -> int | None:
    raw = (query.get(name) or "").strip()
    if not raw:
        return None
    year = params.digits(raw, 1900, 2100)
    if year is None:
        errors[name] = gettext(lang, "Enter a year between 1900 and 2100.")
    return year


def read_choices(query: QueryParams, known: Sequence[str], lang: str) -> Choices:
    allowed = set(known)
    chosen = [k for k in dict.fromkeys(query.getlist("key")) if k in allowed][:MAX_KEYS]
    group = params.one_of(query.get("group"), {g.value for g in obs.GroupBy}) or "none"
    errors: dict[str, str] = {}
    first, last = _year(query, "from", errors, lang), _year(query, "to", errors, lang)
    if first is not None and last is not None and first > last:
        errors["from"] = gettext(lang, "The first year must not be after the last one.")
    elif first is not None and last is not None and last - first >= obs.MAX_YEARS:
        errors["from"] = gettext(lang, "At most 60 years at once.")
    if errors:  # the default range rather than an empty page; the message says why
        first = last = None
    this_year = datetime.now(UTC).year
    if last is None and (first is None or first < this_year):
        # Up to last year unless asked: the year under way has barely begun to be recorded, and
        # its near-zero figures at the end of every line read as a collapse of the network.
        last = this_year - 1
    centre = params.text(query.get("centre"), 120)
    return Choices(chosen or list(DEFAULT_KEYS), obs.GroupBy(group), first, last, centre, errors)


# --- figures as tables and chart data -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # formatted in the reader's language, or "not enough answers"
    value: float | None  # for the chart: None is a gap
    n: int
    withheld: bool


@dataclass
class Series:
    key: str
    label: str
    explanation: str
    share: bool  # a share (0 to 1), shown as a percentage
    years: list[int]
    groups: list[tuple[str | None, str]]  # (group, its name), largest first
    cells: dict[tuple[str | None, int], Cell]
    whole_only: bool  # grouping asked, but this indicator exists for the whole network only

    @property
    def counts(self) -> bool:
        return self.key in obs.COUNT_KEYS


def is_share(key: str) -> bool:
    return key.endswith(("yes_share", "isolated_share")) or ".share." in key


def format_value(value: float, share: bool, lang: str) -> str:
    if share:
        return str(format_percent(value, "#,##0.#%", locale=lang))
    return str(format_decimal(value, "#,##0.##", locale=lang))


def _cell(item: obs.Indicator, share: bool, lang: str) -> Cell:
    if item.withheld or item.value is None:
        return Cell(labels.not_enough(lang), None, item.n, True)
    return Cell(format_value(item.value, share, lang), item.value, item.n, False)


def group_namer(by: obs.GroupBy, lang: str, themes: Mapping[str, str]) -> Any:
    territories = Locale.parse(lang).territories

    def name(group: str | None) -> str:
        if group is None:
            return gettext(lang, "The network")
        if by is obs.GroupBy.COUNTRY:
            return str(territories.get(group.upper(), group))
        if by is obs.GroupBy.LABEL_STATUS:
            return gettext(lang, LABEL_STATUS_WORDS.get(group, group))
        return themes.get(group, group)

    return name


def build_series(
    items: Iterable[obs.Indicator],
    choices: Choices,
    years: range,
    lang: str,
    questions: Mapping[str, sq.Question],
    namer: Any,
) -> list[Series]:
    by_key: dict[str, list[obs.Indicator]] = defaultdict(list)
    for item in items:
        by_key[item.key].append(item)
    grouped = choices.group is not obs.GroupBy.NONE
    found = []
    for key in choices.keys:
        share = is_share(key)
        rows = by_key.get(key, [])
        totals: dict[str | None, float] = defaultdict(float)
        for row in rows:
            totals[row.group] += row.value or 0.0
        order = sorted(totals, key=lambda g: (-totals[g], namer(g)))
        cells = {(r.group, r.year): _cell(r, share, lang) for r in rows}
        if key in obs.COUNT_KEYS:  # nothing counted in a group's year is a zero, not a gap
            zero = Cell(format_value(0, False, lang), 0.0, 0, False)
            cells = {(g, y): cells.get((g, y), zero) for g in order for y in years}
        found.append(
            Series(
                key,
                labels.label(key, lang, questions),
                labels.explanation(key, lang, questions),
                share,
                list(years),
                [(g, namer(g)) for g in order],
                cells,
                grouped and key in obs.STRUCTURE_KEYS,
            )
        )
    return found


def chart_of(index: int, series: Series) -> dict[str, Any]:
    """What observatory.js draws: years, one line per group (the largest CHART_GROUPS)."""
    shown = series.groups[:CHART_GROUPS]
    lines = [
        {
            "label": name,
            "data": [_point(series.cells.get((group, year))) for year in series.years],
        }
        for group, name in shown
    ]
    return {
        "id": f"chart-{index}",
        "label": series.label,
        "share": series.share,
        "integer": series.counts,
        "years": series.years,
        "lines": lines,
    }


def _point(cell: Cell | None) -> float | None:
    return None if cell is None else cell.value


# --- a centre's benchmark ------------------------------------------------------------------------


@dataclass
class BenchmarkTable:
    key: str
    label: str
    unit: str
    rows: list[dict[str, Any]]  # year, own, median, q1, q3 (formatted), n, withheld


def benchmark_tables(
    rows: Sequence[bench.BenchmarkRow], lang: str, questions: Mapping[str, sq.Question]
) -> list[BenchmarkTable]:
    tables: dict[str, BenchmarkTable] = {}
    for row in rows:
        q = questions.get(row.key)
        table = tables.get(row.key)
        if table is None:
            unit = gettext(lang, q.unit) if q and q.unit else ""
            name = pick(q.label, lang) if q else row.key
            table = tables[row.key] = BenchmarkTable(row.key, name, unit, [])
        table.rows.append(_benchmark_row(row, lang))
    return list(tables.values())


def _benchmark_row(row: bench.BenchmarkRow, lang: str) -> dict[str, Any]:
    def shown(value: float | None) -> str:
        return "–" if value is None else format_value(value, False, lang)

    return {
        "year": row.year,
        "own": shown(row.own),
        "median": labels.not_enough(lang) if row.withheld else shown(row.median),
        "q1": "" if row.withheld else shown(row.q1),
        "q3": "" if row.withheld else shown(row.q3),
        "values": (row.own, row.median, row.q1, row.q3),
        "n": row.n,
        "withheld": row.withheld,
    }


def benchmark_chart(index: int, table: BenchmarkTable, lang: str) -> dict[str, Any]:
    years = [r["year"] for r in table.rows]
    names = (
        gettext(lang, "My centre"),
        gettext(lang, "Network median"),
        gettext(lang, "First quartile"),
        gettext(lang, "Third quartile"),
    )
    lines = [
        {"label": name, "role": role, "data": [r["values"][i] for r in table.rows]}
        for i, (name, role) in enumerate(zip(names, ("own", "median", "q1", "q3"), strict=True))
    ]
    return {
        "id": f"bench-{index}",
        "label": table.label,
        "share": False,
        "years": years,
        "lines": lines,
    }


async def _benchmark(
    request: Request,
    viewer: Viewer,
    choices: Choices,
    lang: str,
    questions: Mapping[str, sq.Question],
) -> tuple[list[m.Centre], m.Centre | None, list[BenchmarkTable]]:
    db = request.app.state.sessionmaker
    centres = await bench.benchmark_centres(db, viewer)
    own = next((c for c in centres if c.id == viewer.centre_id), None)
    chosen = next((c for c in centres if c.slug == choices.centre), None) or own
    if chosen is None:
        return centres, None, []
    rows = await bench.benchmark(db, viewer, chosen.id, choices.year_from, choices.year_to)
    return centres, chosen, benchmark_tables(rows, lang, questions)


# --- the page ------------------------------------------------------------------------------------


def _catalogue(
    questions: Mapping[str, sq.Question], lang: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(key, name) of the network's indicators and of the survey's, in catalogue order."""
    entries = [(k, labels.label(k, lang, questions)) for k, _ in obs.catalogue(questions.values())]
    network = [e for e in entries if e[0].startswith("network.")]
    return network, [e for e in entries if e[0].startswith("survey.")]


def _checked_query(choices: Choices, lang: str) -> obs.Query:
    """The service's query; a range it refuses (e.g. only a first year after this one) falls
    back to the default range, with the reason beside the field."""
    query = obs.Query(tuple(choices.keys), choices.year_from, choices.year_to, choices.group)
    try:
        obs.years_of(query)
    except ServiceFailure:
        choices.errors["from"] = gettext(lang, "The first year must not be after the last one.")
        choices.year_from = choices.year_to = None
        query = obs.Query(tuple(choices.keys), None, None, choices.group)
    return query


async def observatory_page(request: Request) -> Response:
    viewer = await require_signed_in(request)
    db = request.app.state.sessionmaker
    lang = await page_lang(request)
    questions = await obs.latest_questions(db)
    network, survey = _catalogue(questions, lang)
    choices = read_choices(request.query_params, [k for k, _ in network + survey], lang)
    query = _checked_query(choices, lang)
    years = obs.years_of(query)
    try:
        items = await obs.indicators_for(db, viewer, query)
    except ServiceFailure as failure:  # a key the service refuses: say so, show nothing
        choices.errors["key"] = gettext(lang, getattr(failure.failure, "message", ""))
        items = []
    themes = {t.slug: pick(t.name, lang) for t in (await directory.catalogue_of(db)).themes}
    namer = group_namer(choices.group, lang, themes)
    series = build_series(items, choices, years, lang, questions, namer)
    centres, centre, tables = await _benchmark(request, viewer, choices, lang, questions)
    open_surveys = (  # a centre's invitation to answer; staff have none (no query for them)
        [c for c in await surveys.campaigns(db, viewer) if c.status is m.SurveyStatus.OPEN]
        if viewer.centre_id is not None
        else []
    )
    charts = [chart_of(i, s) for i, s in enumerate(series) if not s.whole_only]
    charts += [benchmark_chart(i, t, lang) for i, t in enumerate(tables)]
    context = {
        "choices": choices,
        "open_surveys": open_surveys,
        "years": years,
        "network_keys": network,
        "survey_keys": survey,
        "series": series,
        "chart_groups": CHART_GROUPS,
        "benchmark_centres": centres,
        "benchmark_centre": centre,
        "benchmark_tables": tables,
        "chart_data": {
            "lang": lang,
            "charts": charts,
            "texts": {"notEnough": labels.not_enough(lang)},
        },
    }
    return await render(request, "observatory.html", context)
