"""The one home of the network filter (`/map`, `/export/*` and GraphQL `network.graph|export`):
its parameter names, strict parsing from a query string, its checks and their messages.

Every caller gets the same answer for the same mistake: an unknown theme or country, years out
of range or in the wrong order, a negative cluster, an unknown label status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.countries import is_country
from accr_graph.db.models import LabelStatus
from accr_graph.ids import parse_int
from accr_graph.repositories import catalogue
from accr_graph.services.errors import Invalid, fail
from accr_graph.services.fields import camel

MAX_INT = 2**31 - 1
YEAR_MIN, YEAR_MAX = 1900, 2100


def year_range_problem(year_from: int | None, year_to: int | None, prefix: str = "") -> str | None:
    """The one rule for a year range argument, wherever it is taken (graph, clusters, metrics,
    partnerships): each year in YEAR_MIN..YEAR_MAX, and from <= to. None when fine."""
    if any(y is not None and not YEAR_MIN <= y <= YEAR_MAX for y in (year_from, year_to)):
        return (
            f"`{prefix}yearFrom` and `{prefix}yearTo` must be years between "
            f"{YEAR_MIN} and {YEAR_MAX}."
        )
    if year_from is not None and year_to is not None and year_from > year_to:
        return f"`{prefix}yearFrom` must not be after `{prefix}yearTo`."
    return None


@dataclass(frozen=True, slots=True)
class GraphFilter:
    year_from: int | None = None
    year_to: int | None = None
    theme: str | None = None
    country: str | None = None
    cluster: int | None = None
    label_status: LabelStatus | None = None

    def check(self) -> str | None:
        """Why the filter is invalid (what needs no database), or None."""
        problem = year_range_problem(self.year_from, self.year_to)
        if problem:
            return problem
        if self.country is not None and not is_country(self.country):
            return f"`country`: unknown country code {self.country} (ISO 3166-1 alpha-2)."
        if self.cluster is not None and self.cluster < 0:
            return "`cluster` must not be negative."
        return None

    def query_string(self) -> str:
        """``?yearFrom=…&theme=…`` for the download links (the names `parse` reads)."""
        values = {camel(f.name): getattr(self, f.name) for f in fields(self)}
        present = {k: getattr(v, "value", v) for k, v in values.items() if v is not None}
        return f"?{urlencode(present)}" if present else ""


PARAMETERS = tuple(camel(f.name) for f in fields(GraphFilter))  # the API spelling of each field


def build(
    year_from: int | None = None,
    year_to: int | None = None,
    theme: str | None = None,
    country: str | None = None,
    cluster: int | None = None,
    label_status: str | None = None,
) -> GraphFilter:
    """A filter from loose values: blank is absent, country codes upper-cased."""
    return GraphFilter(
        year_from=year_from,
        year_to=year_to,
        theme=theme or None,
        country=country.strip().upper() if country and country.strip() else None,
        cluster=cluster,
        label_status=_label_status(label_status),
    )


def _label_status(raw: str | None) -> LabelStatus | None:
    value = (raw or "").strip().lower()
    if value and value not in {s.value for s in LabelStatus}:
        raise fail(Invalid("labelStatus", f"Unknown `labelStatus`: {value[:40]}."))
    return LabelStatus(value) if value else None


def parse(params: Mapping[str, str]) -> GraphFilter:
    """A filter from a query string (the pages and downloads), strictly."""
    return build(
        year_from=_int(params, "yearFrom"),
        year_to=_int(params, "yearTo"),
        theme=params.get("theme"),
        country=params.get("country"),
        cluster=_int(params, "cluster"),
        label_status=params.get("labelStatus"),
    )


def _int(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    assert raw is not None
    value = parse_int(raw.strip(), -MAX_INT, MAX_INT)
    if value is None:
        raise fail(Invalid(name, f"`{name}` must be an integer in ASCII digits, not out of range."))
    return value


async def check(session: AsyncSession, flt: GraphFilter) -> None:
    """Every check, the theme's existence included; a failure is ``Invalid`` with the message."""
    problem = flt.check()
    if problem:
        raise fail(Invalid("filter", problem))
    if flt.theme is not None and not await catalogue.themes_by_slug(session, [flt.theme]):
        raise fail(Invalid("theme", f"`theme`: unknown theme slug(s) {flt.theme[:80]}."))
