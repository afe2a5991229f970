"""Calendar downloads of the meetings programme: ``/meetings/{id}.ics`` (anyone who may see the
meeting; the join link only for participants and staff) and the private subscription feed
``/calendar/{secret}.ics`` (no cookie: calendar apps fetch it on their own)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from accr_graph.i18n import pick
from accr_graph.ids import MAX_PK, pk_of
from accr_graph.services.errors import Missing, ServiceFailure
from accr_graph.services.fair_agenda import Agenda
from accr_graph.services.meeting_calendar import MeetingEntry, feed, meeting_for_ics
from accr_graph.services.meeting_seats import effective_status
from accr_graph.web import ical
from accr_graph.web.auth import resolve_viewer
from accr_graph.web.graphql_request import RequestError

PRODID = "-//ACCR//ACCR Graph meetings//EN"
CALENDAR = "text/calendar; charset=utf-8"


def meeting_pk(raw: str) -> int | None:
    """A meeting's number (ASCII digits in range), or its GraphQL global ID."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 10:
        return int(raw) if 0 < int(raw) <= MAX_PK else None
    return pk_of(raw, "Meeting")


def _location(entry: MeetingEntry) -> str:
    meeting = entry.meeting
    parts = [entry.venue.name if entry.venue else None, meeting.address]
    if meeting.online:
        parts.append("Online")
    return ", ".join(p for p in parts if p)


def meeting_event(entry: MeetingEntry, link: str, now: datetime, lang: str | None) -> list[str]:
    meeting = entry.meeting
    tz = ZoneInfo(meeting.timezone)
    description = pick(meeting.description, lang)
    if entry.join_url:
        description = f"{description}\n\nJoin: {entry.join_url}".strip()
    cancelled = effective_status(meeting, now).value == "cancelled"
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.id}@accr-graph",
        f"DTSTAMP:{ical.utc_stamp(now)}",
        f"DTSTART;TZID={tz.key}:{ical.local_stamp(meeting.starts_at, tz)}",
        f"DTEND;TZID={tz.key}:{ical.local_stamp(meeting.ends_at, tz)}",
        f"SEQUENCE:{max(meeting.version - 1, 0)}",
        f"SUMMARY:{ical.escape(pick(meeting.title, lang))}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"URL:{link}",
    ]
    if _location(entry):
        lines.append(f"LOCATION:{ical.escape(_location(entry))}")
    if meeting.latitude is not None and meeting.longitude is not None:
        lines.append(f"GEO:{meeting.latitude:.6f};{meeting.longitude:.6f}")
    if description:
        lines.append(f"DESCRIPTION:{ical.escape(description)}")
    return [*lines, "END:VEVENT"]


def _fair_events(agenda: Agenda, base: str, now: datetime) -> list[str]:
    lines: list[str] = []
    assert agenda.centre is not None
    for entry in agenda.entries:
        partners = [n for n in entry.centres if n != agenda.centre.name] or list(entry.centres)
        place = f"Table {entry.table}" + (f", {agenda.fair.venue}" if agenda.fair.venue else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:fair-{agenda.fair.id}-meeting-{entry.meeting_id}-{agenda.centre.id}@accr-graph",
            f"DTSTAMP:{ical.utc_stamp(now)}",
            f"DTSTART:{ical.utc_stamp(entry.starts_at)}",
            f"DTEND:{ical.utc_stamp(entry.ends_at)}",
            f"SUMMARY:{ical.escape(agenda.fair.name + ': ' + ', '.join(partners))}",
            f"LOCATION:{ical.escape(place)}",
            f"URL:{base}/fairs/{agenda.fair.id}/agenda/{agenda.centre.slug}.ics",
            "END:VEVENT",
        ]
    return lines


def meetings_calendar(
    entries: Sequence[MeetingEntry],
    base: str,
    lang: str | None,
    name: str | None = None,
    agendas: Sequence[Agenda] = (),
    now: datetime | None = None,
) -> str:
    now = now or datetime.now(UTC)
    lines: list[str] = []
    zones: dict[str, list[datetime]] = {}
    for entry in entries:
        zones.setdefault(entry.meeting.timezone, []).extend(
            [entry.meeting.starts_at, entry.meeting.ends_at]
        )
    for zone_name, moments in sorted(zones.items()):
        lines += ical.vtimezone(ZoneInfo(zone_name), moments)
    for entry in entries:
        lines += meeting_event(entry, f"{base}/meetings/{entry.meeting.id}", now, lang)
    for agenda in agendas:
        lines += _fair_events(agenda, base, now)
    return ical.calendar(lines, PRODID, name)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _lang(request: Request) -> str | None:
    from accr_graph.i18n import parse_accept_language

    return request.query_params.get("lang") or parse_accept_language(
        request.headers.get("accept-language")
    )


async def meeting_ics(request: Request) -> Response:
    state = request.app.state
    meeting_id = meeting_pk(request.path_params["meeting_id"])
    if meeting_id is None:
        return PlainTextResponse("No such meeting.", 404)
    try:
        viewer = await resolve_viewer(request, state.sessionmaker, state.cookies)
        entry = await meeting_for_ics(state.sessionmaker, viewer, meeting_id)
    except RequestError as error:
        return PlainTextResponse(error.message, error.status, headers=error.headers)
    except ServiceFailure as failure:
        if isinstance(failure.failure, Missing):
            return PlainTextResponse(failure.failure.message, 404)
        raise
    body = meetings_calendar([entry], _base(request), _lang(request))
    disposition = f'attachment; filename="meeting-{meeting_id}.ics"'
    return Response(body, media_type=CALENDAR, headers={"Content-Disposition": disposition})


async def feed_ics(request: Request) -> Response:
    secret = request.path_params["secret"]
    if not (secret.isascii() and 8 <= len(secret) <= 100):
        return PlainTextResponse("No such calendar feed.", 404)
    try:
        found = await feed(request.app.state.sessionmaker, secret)
    except ServiceFailure as failure:
        if isinstance(failure.failure, Missing):
            return PlainTextResponse(failure.failure.message, 404)
        raise
    name = f"ACCR – {found.user.display_name}"
    base, lang = _base(request), _lang(request)
    body = meetings_calendar(found.meetings, base, lang, name, found.fair_agendas)
    # A secret URL: keep it out of shared caches and referrers.
    headers = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
    return Response(body, media_type=CALENDAR, headers=headers)


def routes() -> list[Route]:
    """Before the meeting pages, so ``/meetings/5.ics`` is not read as a meeting ``5.ics``."""
    return [
        Route("/meetings/{meeting_id}.ics", meeting_ics),
        Route("/calendar/{secret}.ics", feed_ics),
    ]
