"""Fair administration pages (staff): /fairs/new creates an edition (the fields of GraphQL
`createFair`), /fairs/{id}/grid adds and removes slots and tables (`addFairSlot`...). Each form
calls one service; a mistake re-displays the form with the input kept and a message per field."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accr_graph.services import directory, fair_editions, fair_grid, fair_views
from accr_graph.services.errors import Invalid, ServiceFailure
from accr_graph.services.fair_editions import BreakSpec, DaySpec, FairSpec, TableSpec
from accr_graph.web import params
from accr_graph.web.form_errors import errors_of
from accr_graph.web.messages import N_
from accr_graph.web.page_errors import status_of
from accr_graph.web.templating import (
    error_page,
    gettext,
    page_actor,
    page_lang,
    path_object,
    read_form,
    render,
    require_staff,
)

DAY_ROWS = 3  # days offered by the form; a fair of more days adds them by GraphQL
DAY_FIELDS = ("date", "start", "minutes", "slots", "break_after", "break_minutes")
FAIR_FIELDS = ("name", "venue", "host", "timezone", "max_idle", "tables_one", "tables_group")
DEFAULTS = {"timezone": "Europe/Paris", "max_idle": "2", "tables_one": "10", "tables_group": "2"}
DAY_DEFAULTS = {"start": "09:00", "minutes": "30", "slots": "12"}
GRID_DONE = {"created", "slot-added", "slot-removed", "table-added", "table-removed"}
# Service field names (API spelling) -> the grid forms' field names.
GRID_NAMES = {"slotId": "slot", "tableId": "table"}


def _db(request: Request) -> Any:
    return request.app.state.sessionmaker


# --- /fairs/new -------------------------------------------------------------------------------


def _blank() -> dict[str, str]:
    values = {name: DEFAULTS.get(name, "") for name in FAIR_FIELDS}
    for row in range(DAY_ROWS):
        for name in DAY_FIELDS:
            values[f"day{row}_{name}"] = DAY_DEFAULTS.get(name, "") if row == 0 else ""
    return values


async def _new_form(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "rows": range(DAY_ROWS),
        "centres": await directory.centre_choices(_db(request)),
    }
    return await render(request, "fair_new.html", context, status)


async def new_fair_page(request: Request) -> Response:
    viewer = await require_staff(request)
    if request.method == "GET":
        return await _new_form(request, _blank(), {})
    form = await read_form(request)
    values = {name: params.text(form.get(name), 300) for name in _blank()}
    lang = await page_lang(request)
    errors: dict[str, str] = {}
    spec, rows = _fair_spec(values, errors)
    if spec is None:
        translated = {k: gettext(lang, v) for k, v in errors.items()}
        return await _new_form(request, values, translated, 400)
    try:
        fair = await fair_editions.create_fair(_db(request), page_actor(request, viewer), spec)
    except ServiceFailure as failure:
        found = await errors_of(request, failure, _spec_names(rows))
        return await _new_form(request, values, found, status_of(failure.failure))
    return RedirectResponse(f"/fairs/{fair.id}/grid?done=created", status_code=303)


def _spec_names(rows: list[int]) -> dict[str, str]:
    """Where the service's fields are on the form: day i of the spec is form row rows[i]."""
    first = f"day{rows[0]}_date" if rows else "day0_date"
    names = {
        "hostCentreId": "host",
        "maxIdle": "max_idle",
        "year": first,
        "days": first,
        "tables": "tables_one",
    }
    for index, row in enumerate(rows):
        where = f"days[{index}]"
        names[f"{where}.date"] = f"day{row}_date"
        names[f"{where}.slotMinutes"] = f"day{row}_minutes"
        names[f"{where}.slots"] = f"day{row}_slots"
        names[f"{where}.breaks.afterSlot"] = f"day{row}_break_after"
        names[f"{where}.breaks.minutes"] = f"day{row}_break_minutes"
    return names


def _number(values: dict[str, str], name: str, errors: dict[str, str], default: int = 0) -> int:
    raw = values[name]
    if not raw:
        return default
    found = params.digits(raw, 0, 100_000)
    if found is None:
        errors[name] = N_("enter a whole number")
        return default
    return found


def _day(values: dict[str, str], row: int, errors: dict[str, str]) -> DaySpec | None:
    key = f"day{row}_"
    day = _parse_date(values[key + "date"])
    if day is None:
        errors[key + "date"] = N_("enter a date (YYYY-MM-DD)")
    start = _parse_time(values[key + "start"])
    if start is None:
        errors[key + "start"] = N_("enter a time (HH:MM)")
    minutes = _number(values, key + "minutes", errors, 30)
    slots = _number(values, key + "slots", errors, 12)
    after = _number(values, key + "break_after", errors)
    pause = _number(values, key + "break_minutes", errors)
    if day is None or start is None:
        return None
    breaks = (BreakSpec(after, pause),) if after or pause else ()
    return DaySpec(day, start, minutes, slots, breaks)


def _fair_spec(values: dict[str, str], errors: dict[str, str]) -> tuple[FairSpec | None, list[int]]:
    """The form as a FairSpec, or None with ``errors`` filled (every field checked at once)."""
    rows = [r for r in range(DAY_ROWS) if values[f"day{r}_date"] or r == 0]
    days = [_day(values, row, errors) for row in rows]
    one = _number(values, "tables_one", errors, 0)
    group = _number(values, "tables_group", errors, 0)
    if one + group > fair_editions.MAX_TABLES:
        errors["tables_one"] = N_("give between 1 and 500 tables")
    host = None
    if values["host"]:
        host = params.pk(values["host"])
        if host is None:
            errors["host"] = N_("choose a centre")
    max_idle = _number(values, "max_idle", errors, 2)
    if errors or any(d is None for d in days):
        return None, rows
    tables = [TableSpec(f"{n + 1}", 2) for n in range(min(one, 500))]
    tables += [TableSpec(f"G{n + 1}", 8) for n in range(min(group, 500))]
    chosen = [d for d in days if d is not None]
    spec = FairSpec(
        name=values["name"],
        year=chosen[0].day.year,
        host_centre_id=host,
        days=tuple(chosen),
        tables=tuple(tables),
        venue=values["venue"] or None,
        timezone=values["timezone"] or "Europe/Paris",
        max_idle=max_idle,
    )
    return spec, rows


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if len(raw) == 10 and raw.isascii() else None
    except ValueError:
        return None


def _parse_time(raw: str) -> time | None:
    try:
        return time.fromisoformat(raw) if 4 <= len(raw) <= 8 and raw.isascii() else None
    except ValueError:
        return None


# --- /fairs/{id}/grid -------------------------------------------------------------------------


async def _grid(request: Request) -> fair_views.FairGrid:
    viewer = await require_staff(request)
    return await path_object(
        request, "fair_id", lambda pk: fair_views.grid(_db(request), viewer, pk)
    )


async def _grid_page(
    request: Request,
    grid: fair_views.FairGrid,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "g": grid,
        "values": values or {"minutes": "30", "capacity": "2"},
        "errors": errors or {},
        "done": params.one_of(request.query_params.get("done"), GRID_DONE),
    }
    return await render(request, "fair_grid.html", context, status)


async def fair_grid_page(request: Request) -> Response:
    return await _grid_page(request, await _grid(request))


async def fair_grid_action(request: Request) -> Response:
    """POST /fairs/{id}/grid/{action}: add-slot, remove-slot, add-table, remove-table."""
    grid = await _grid(request)
    form = await read_form(request)
    action = request.path_params["action"]
    values = {k: params.text(form.get(k), 100) for k in ("day", "start", "minutes", "name")}
    values.update({k: params.text(form.get(k), 100) for k in ("capacity", "language")})
    try:
        done = await _grid_act(request, grid.fair.id, action, form)
    except ServiceFailure as failure:
        errors = await errors_of(request, failure, GRID_NAMES)
        fresh = await _grid(request)
        return await _grid_page(request, fresh, values, errors, status_of(failure.failure))
    if done is None:
        return await error_page(request, 404)
    anchor = "slots" if "slot" in done else "tables"
    return RedirectResponse(f"/fairs/{grid.fair.id}/grid?done={done}#{anchor}", status_code=303)


async def _grid_act(request: Request, fair_id: int, action: str, form: FormData) -> str | None:
    actor = page_actor(request, await require_staff(request))
    db = _db(request)
    if action == "add-slot":
        day = params.digits(form.get("day"), 0, 100)
        start = _parse_time(params.text(form.get("start"), 10))
        minutes = params.digits(form.get("minutes"), 0, 100_000)
        if day is None:
            raise ServiceFailure(Invalid("day", "choose one of the fair's days"))
        if start is None:
            raise ServiceFailure(Invalid("start", "enter a time (HH:MM)"))
        if minutes is None:
            raise ServiceFailure(Invalid("minutes", "enter a whole number"))
        await fair_grid.add_slot(db, actor, fair_id, day, start, minutes)
        return "slot-added"
    if action == "add-table":
        capacity = params.digits(form.get("capacity"), 0, 100)
        if capacity is None:
            raise ServiceFailure(Invalid("capacity", "enter a whole number"))
        language = params.text(form.get("language"), 10) or None
        spec = TableSpec(params.text(form.get("name"), 200), capacity, language)
        await fair_grid.add_table(db, actor, fair_id, spec)
        return "table-added"
    if action in ("remove-slot", "remove-table"):
        return await _remove(request, fair_id, action, form)
    return None


async def _remove(request: Request, fair_id: int, action: str, form: FormData) -> str:
    actor = page_actor(request, await require_staff(request))
    field = "slot" if action == "remove-slot" else "table"
    ident = params.pk(form.get(field))
    if ident is None:
        raise ServiceFailure(Invalid(f"{field}Id", "choose what to remove"))
    if field == "slot":
        await fair_grid.remove_slot(_db(request), actor, fair_id, ident)
        return "slot-removed"
    await fair_grid.remove_table(_db(request), actor, fair_id, ident)
    return "table-removed"


def routes() -> list[Route]:
    """Registered before /fairs/{fair_id}, so "new" is not read as a fair's number."""
    return [
        Route("/fairs/new", new_fair_page, methods=["GET", "POST"]),
        Route("/fairs/{fair_id}/grid", fair_grid_page),
        Route("/fairs/{fair_id}/grid/{action}", fair_grid_action, methods=["POST"]),
    ]
