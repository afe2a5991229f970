"""The meetings programme for staff: /meetings/new and /meetings/{id}/edit (one form: kind,
title and description in French and English side by side, local times in the meeting's zone,
place or online link, capacity, agenda), publish and cancel, and /meetings/{id}/attendance.
Each form calls one service (`services/meetings.py`, `meeting_registrations.record_attendance`),
the same as the GraphQL mutations; a mistake re-displays the form with the input kept."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accr_graph.db import models as m
from accr_graph.services import directory, hub_reads, meeting_registrations, meetings
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.meeting_registrations import AttendanceEntry
from accr_graph.services.meeting_times import to_utc, zone
from accr_graph.services.meetings import AgendaSpec, MeetingSpec
from accr_graph.web import params
from accr_graph.web.form_errors import errors_of, translate
from accr_graph.web.page_errors import service_failure, status_of
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

LANGS = ("fr", "en")
TEXT_FIELDS = (
    "kind",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "timezone",
    "starts",
    "ends",
    "deadline",
    "join_url",
    "venue",
    "address",
    "capacity",
    "agenda",
    "version",
)
KINDS = [k.value for k in m.ProgrammeKind]
# What a saved form sets, in API spelling (the audit entry's fields).
CHANGED = (
    "kind",
    "title",
    "description",
    "themes",
    "online",
    "timeZone",
    "startsAt",
    "endsAt",
    "capacity",
    "registrationDeadline",
    "agenda",
    "address",
    "joinUrl",
)
# Service field names (API spelling) -> the form's field names.
NAMES = {
    "title": "title_fr",
    "description": "description_fr",
    "startsAt": "starts",
    "endsAt": "ends",
    "registrationDeadline": "deadline",
    "timeZone": "timezone",
    "joinUrl": "join_url",
    "venueCentreId": "venue",
    "meetingId": "form",
}


def _db(request: Request) -> Any:
    return request.app.state.sessionmaker


def _local(moment: datetime | None, zone: str) -> str:
    return "" if moment is None else moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _values_of(detail: hub_reads.MeetingDetail) -> dict[str, Any]:
    meeting, zone = detail.meeting, detail.meeting.timezone
    values: dict[str, Any] = {
        "kind": meeting.kind.value,
        "timezone": zone,
        "starts": _local(meeting.starts_at, zone),
        "ends": _local(meeting.ends_at, zone),
        "deadline": _local(meeting.registration_deadline, zone),
        "online": meeting.online,
        "join_url": meeting.join_url or "",
        "venue": str(meeting.venue_centre_id or ""),
        "address": meeting.address or "",
        "capacity": str(meeting.capacity or ""),
        "themes": [t.slug for t in detail.themes],
        "agenda": "\n".join(_agenda_line(item, zone) for item in detail.agenda),
        "version": str(meeting.version),
    }
    for lang in LANGS:
        values[f"title_{lang}"] = meeting.title.get(lang, "")
        values[f"description_{lang}"] = meeting.description.get(lang, "")
    return values


def _agenda_line(item: m.AgendaItem, zone: str) -> str:
    at = item.starts_at.astimezone(ZoneInfo(zone)).strftime("%H:%M") if item.starts_at else ""
    parts = [at, item.title.get("fr", ""), item.title.get("en", ""), item.speaker or ""]
    return " | ".join(parts).rstrip(" |")


async def _form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str],
    detail: hub_reads.MeetingDetail | None = None,
    status: int = 200,
) -> Response:
    db = _db(request)
    context = {
        "values": values,
        "errors": errors,
        "d": detail,
        "kinds": KINDS,
        "centres": await directory.centre_choices(db),
        "catalogue": await directory.catalogue_of(db),
    }
    return await render(request, "hub/meeting_form.html", context, status)


def _read(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: params.text(form.get(name), 20_000) for name in TEXT_FIELDS}
    values["online"] = form.get("online") == "1"
    values["themes"] = [params.text(t, 120) for t in form.getlist("themes")][:30]
    return values


def _when(raw: str, field: str, errors: dict[str, str]) -> datetime | None:
    """A datetime-local value (the meeting's local time); '' is None."""
    if not raw:
        return None
    try:
        if raw.isascii() and 10 < len(raw) <= 19:
            return datetime.fromisoformat(raw).replace(tzinfo=None)
    except ValueError:
        pass
    errors[field] = "enter a date and a time"
    return None


def _agenda(raw: str, day: date | None, errors: dict[str, str]) -> list[AgendaSpec]:
    """One item per line: 'HH:MM | title in French | title in English | speaker'."""
    items = []
    for line in (x.strip() for x in raw.splitlines()):
        if not line:
            continue
        at, fr, en, speaker = ([p.strip() for p in line.split("|")] + ["", "", "", ""])[:4]
        starts = None
        if at:
            try:
                clock = time.fromisoformat(at) if at.isascii() and len(at) <= 8 else None
            except ValueError:
                clock = None
            if clock is None or day is None:
                errors["agenda"] = "write each time as HH:MM, on the line's start"
                continue
            starts = datetime.combine(day, clock)
        titles = [(lang, text) for lang, text in (("fr", fr), ("en", en)) if text]
        items.append(AgendaSpec(titles, starts, speaker or None))
    return items


def _times(values: dict[str, Any], errors: dict[str, str]) -> list[datetime | None]:
    """Start, end and deadline, with every mistake about them noted at once: a missing start
    or end, an end before the start, a deadline after it, a time the zone skips (DST)."""
    starts, ends, deadline = (
        _when(values[name], name, errors) for name in ("starts", "ends", "deadline")
    )
    for name, value in (("starts", starts), ("ends", ends)):
        if value is None and name not in errors:
            errors[name] = "is required"
    try:
        tz = zone(values["timezone"] or "Europe/Paris")
    except ServiceFailure as failure:
        errors["timezone"] = getattr(failure.failure, "message", "")
        return [starts, ends, deadline]
    for name, value in (("starts", starts), ("ends", ends), ("deadline", deadline)):
        try:
            if value is not None:
                to_utc(value, tz, name)
        except ServiceFailure as failure:
            errors[name] = getattr(failure.failure, "message", "")
    if starts and ends and ends <= starts:
        errors.setdefault("ends", "must be after startsAt")
    if starts and deadline and deadline > starts:
        errors.setdefault("deadline", "must not be after the start")
    return [starts, ends, deadline]


def _spec(values: dict[str, Any], errors: dict[str, str], update: bool) -> MeetingSpec:
    """The meeting the form describes; ``errors`` gets every mistake the form can see (the
    service checks the rest, one at a time)."""
    if not any(values[f"title_{lang}"].strip() for lang in LANGS):  # first, as on the form
        errors["title_fr"] = "needs a text in at least one language"
    starts, ends, deadline = _times(values, errors)
    capacity = params.digits(values["capacity"], 0, 1_000_000) if values["capacity"] else None
    if values["capacity"] and capacity is None:
        errors["capacity"] = "enter a whole number"
    venue = params.pk(values["venue"]) if values["venue"] else None
    kind = values["kind"] if values["kind"] in KINDS else None
    if kind is None:
        errors["kind"] = "choose a kind of meeting"
    version = params.digits(values["version"], 1, 10**9) if update else None
    return MeetingSpec(
        kind=m.ProgrammeKind(kind) if kind else None,
        title=[(lang, values[f"title_{lang}"]) for lang in LANGS],
        description=[(lang, values[f"description_{lang}"]) for lang in LANGS],
        themes=values["themes"],
        online=values["online"],
        venue_centre_id=venue,
        address=values["address"],
        join_url=values["join_url"] or None,
        timezone=values["timezone"] or "Europe/Paris",
        starts_at=starts,
        ends_at=ends,
        capacity=capacity,
        # An edit with the field emptied means "no limit" (the service's "leave it" is None).
        clear_capacity=update and not values["capacity"],
        registration_deadline=deadline,
        agenda=_agenda(values["agenda"], starts.date() if starts else None, errors),
        expected_version=version,
        changed=list(CHANGED),
    )


async def _save(
    request: Request, values: dict[str, Any], detail: hub_reads.MeetingDetail | None
) -> Response:
    errors: dict[str, str] = {}
    spec = _spec(values, errors, detail is not None)
    if errors:
        lang = await page_lang(request)
        shown = {k: translate(lang, v) for k, v in errors.items()}
        return await _form(request, values, shown, detail, 400)
    actor = page_actor(request, await require_staff(request))
    try:
        if detail is None:
            saved = await meetings.create_meeting(_db(request), actor, spec)
        else:
            saved = await meetings.update_meeting(_db(request), actor, detail.meeting.id, spec)
    except ServiceFailure as failure:
        found = await errors_of(request, failure, NAMES)
        return await _form(request, values, found, detail, status_of(failure.failure))
    done = "created" if detail is None else "saved"
    return RedirectResponse(f"/meetings/{saved.id}?done={done}", status_code=303)


async def new_meeting_page(request: Request) -> Response:
    await require_staff(request)
    if request.method == "GET":
        blank: dict[str, Any] = {name: "" for name in TEXT_FIELDS}
        blank.update({"kind": "technical", "timezone": "Europe/Paris", "online": False})
        return await _form(request, {**blank, "themes": []}, {})
    return await _save(request, _read(await read_form(request)), None)


async def _staff_detail(request: Request) -> hub_reads.MeetingDetail:
    viewer = await require_staff(request)
    return await path_object(
        request, "meeting_id", lambda pk: hub_reads.meeting_detail(_db(request), viewer, pk)
    )


async def edit_meeting_page(request: Request) -> Response:
    detail = await _staff_detail(request)
    if request.method == "GET":
        return await _form(request, _values_of(detail), {}, detail)
    return await _save(request, _read(await read_form(request)), detail)


async def meeting_staff_action(request: Request) -> Response:
    """POST /meetings/{id}/publish or /cancel."""
    detail = await _staff_detail(request)
    await read_form(request)
    actor = page_actor(request, await require_staff(request))
    action = request.url.path.rsplit("/", 1)[-1]
    try:
        if action == "publish":
            await meetings.publish_meeting(_db(request), actor, detail.meeting.id)
        elif action == "cancel":
            await meetings.cancel_meeting(_db(request), actor, detail.meeting.id)
        else:
            return await error_page(request, 404)
    except ServiceFailure as failure:
        return await service_failure(request, failure)
    done = "published" if action == "publish" else "meeting-cancelled"
    return RedirectResponse(f"/meetings/{detail.meeting.id}?done={done}", status_code=303)


async def attendance_page(request: Request) -> Response:
    detail = await _staff_detail(request)
    seated = [
        (reg, centre)
        for reg, centre in detail.registrations
        if reg.status is m.RegistrationStatus.CONFIRMED
    ]
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        entries = _attendance(form, seated, errors, await page_lang(request))
        if not errors:
            actor = page_actor(request, await require_staff(request))
            try:
                await meeting_registrations.record_attendance(
                    _db(request), actor, detail.meeting.id, entries
                )
            except ServiceFailure as failure:
                errors = await errors_of(request, failure, NAMES)
                status = status_of(failure.failure)
            else:
                url = f"/meetings/{detail.meeting.id}/attendance?done=recorded"
                return RedirectResponse(url, status_code=303)
        status = status if status != 200 else 400
    done = params.one_of(request.query_params.get("done"), {"recorded"})
    context = {"d": detail, "seated": seated, "errors": errors, "done": done}
    return await render(request, "hub/meeting_attendance.html", context, status)


def _attendance(
    form: FormData,
    seated: list[tuple[m.MeetingRegistration, m.Centre]],
    errors: dict[str, str],
    lang: str,
) -> list[AttendanceEntry]:
    """What staff ticked and typed; mistakes in ``errors``, in the reader's language."""
    came = set(form.getlist("attended"))
    entries = []
    for _reg, centre in seated:
        raw = params.text(form.get(f"people_{centre.id}"), 10)
        people = params.digits(raw, 0, 50) if raw else None
        if raw and people is None:
            between = gettext(lang, "must be between %(low)s and %(high)s")
            errors[f"people_{centre.id}"] = between % {"low": 0, "high": 50}
        entries.append(AttendanceEntry(centre.id, str(centre.id) in came, people))
    if errors:
        errors.setdefault("form", gettext(lang, "Please correct the following:"))
    return entries


def routes() -> list[Route]:
    """Before the hub's /meetings/{meeting_id}, so "new" is not read as a meeting's number."""
    return [
        Route("/meetings/new", new_meeting_page, methods=["GET", "POST"]),
        Route("/meetings/{meeting_id}/edit", edit_meeting_page, methods=["GET", "POST"]),
        Route("/meetings/{meeting_id}/attendance", attendance_page, methods=["GET", "POST"]),
        Route("/meetings/{meeting_id}/publish", meeting_staff_action, methods=["POST"]),
        Route("/meetings/{meeting_id}/cancel", meeting_staff_action, methods=["POST"]),
    ]
