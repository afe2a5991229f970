"""Fair downloads: a centre's agenda as iCalendar (RFC 5545, written by hand) and the printable
venue schedule (plain HTML with print CSS). Callers authenticate by cookie or bearer token."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from accr_graph.ids import parse_pk, pk_of
from accr_graph.services.errors import Missing, Refused, ServiceFailure
from accr_graph.services.fair_agenda import Agenda, AgendaEntry, centre_agenda, venue_schedule
from accr_graph.viewer import Viewer
from accr_graph.web.auth import resolve_viewer
from accr_graph.web.graphql_request import RequestError

PRODID = "-//ACCR//ACCR Graph Project Fair//EN"


def _fair_pk(raw: str) -> int | None:
    """A fair's number, or its GraphQL global ID."""
    return parse_pk(raw) if raw.isascii() and raw.isdigit() else pk_of(raw, "Fair")


async def _serve(request: Request, build: Callable[[Viewer, int], Awaitable[Response]]) -> Response:
    state = request.app.state
    try:
        viewer = await resolve_viewer(request, state.sessionmaker, state.cookies)
    except RequestError as error:
        return PlainTextResponse(error.message, error.status, headers=error.headers)
    if viewer.is_anonymous:
        return PlainTextResponse(
            "Sign in or send an API token.", 401, headers={"WWW-Authenticate": "Bearer"}
        )
    fair_id = _fair_pk(request.path_params["fair_id"])
    if fair_id is None:
        return PlainTextResponse("No such fair.", 404)
    try:
        return await build(viewer, fair_id)
    except ServiceFailure as failure:
        match failure.failure:
            case Refused(message=message):
                return PlainTextResponse(message, 403)
            case Missing(message=message):
                return PlainTextResponse(message, 404)
        raise


async def fair_agenda_ics(request: Request) -> Response:
    slug = request.path_params["centre_slug"]

    async def build(viewer: Viewer, fair_id: int) -> Response:
        async with request.app.state.sessionmaker() as session:
            agenda = await centre_agenda(session, viewer, fair_id, slug)
        body = to_ics(agenda, str(request.url))
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{slug}.ics"'},
        )

    return await _serve(request, build)


async def fair_schedule_page(request: Request) -> Response:
    async def build(viewer: Viewer, fair_id: int) -> Response:
        async with request.app.state.sessionmaker() as session:
            agenda = await venue_schedule(session, viewer, fair_id)
        return HTMLResponse(schedule_html(agenda))

    return await _serve(request, build)


# --- iCalendar ------------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon and comma escaped; every line break (CRLF, a lone
    CR or LF, and Unicode separators) becomes \\n; other control characters are dropped, so a
    name can never start a new property line."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n")
    text = "".join("\n" if c in LINE_BREAKS else c for c in text)
    text = "".join(c for c in text if c == "\n" or (c >= " " and c != "\x7f"))
    return text.replace("\n", "\\n")


LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (RFC 5545 §3.1)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _summary(entry: AgendaEntry, centre_name: str) -> str:
    partners = [n for n in entry.centres if n != centre_name] or list(entry.centres)
    if len(entry.centres) > 2:
        return "Consortium table: " + ", ".join(partners)
    return "Meeting with " + partners[0]


def _event(agenda: Agenda, entry: AgendaEntry, link: str, now: datetime) -> list[str]:
    assert agenda.centre is not None
    place = f"Table {entry.table}" + (f", {agenda.fair.venue}" if agenda.fair.venue else "")
    about = f"About: {entry.proposal}\n" if entry.proposal else ""
    description = f"{about}With: {', '.join(entry.centres)}\n{agenda.fair.name}\n{link}"
    return [
        "BEGIN:VEVENT",
        f"UID:fair-{agenda.fair.id}-meeting-{entry.meeting_id}-{agenda.centre.id}@accr-graph",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(entry.starts_at)}",
        f"DTEND:{_stamp(entry.ends_at)}",
        f"SUMMARY:{_escape(_summary(entry, agenda.centre.name))}",
        f"LOCATION:{_escape(place)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{link}",
        "END:VEVENT",
    ]


def to_ics(agenda: Agenda, link: str, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    assert agenda.centre is not None
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(f'{agenda.fair.name} – {agenda.centre.name}')}",
    ]
    for entry in agenda.entries:
        lines += _event(agenda, entry, link, now)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


# --- printable schedule ---------------------------------------------------------------------

PRINT_CSS = """
body { font: 11pt/1.3 system-ui, sans-serif; margin: 1.5em; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #888; padding: 3px 5px; vertical-align: top; }
th { background: #eee; } .draft { color: #777; font-style: italic; }
.about { font-size: 9pt; color: #333; }
@media print { body { margin: 0; } section { break-after: page; } th { background: none; } }
"""


def _cell(entries: list[AgendaEntry]) -> str:
    parts = []
    for e in entries:
        css = ' class="draft"' if e.status.value == "draft" else ""
        about = f'<div class="about">{html.escape(e.proposal)}</div>' if e.proposal else ""
        names = html.escape(" · ".join(e.centres))
        parts.append(f"<div{css}>{names}{about}</div>")
    return "".join(parts)


def schedule_html(agenda: Agenda) -> str:
    fair = agenda.fair
    by_place: dict[tuple[int, int], list[AgendaEntry]] = {}
    for entry in agenda.entries:
        by_place.setdefault((entry.slot_id, entry.table_id), []).append(entry)
    heads = "".join(f"<th>{html.escape(t.name)}</th>" for t in agenda.tables)
    sections = []
    zone = ZoneInfo(fair.timezone)
    for day_index, day in enumerate(fair.days):
        rows = []
        for slot in (s for s in agenda.slots if s.day == day_index):
            start, end = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
            times = f"{start:%H:%M}–{end:%H:%M}"
            cells = "".join(
                f"<td>{_cell(by_place.get((slot.id, t.id), []))}</td>" for t in agenda.tables
            )
            rows.append(f"<tr><th>{times}</th>{cells}</tr>")
        sections.append(
            f"<section><h2>{html.escape(day)}</h2><table><thead><tr><th>Time</th>{heads}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></section>"
        )
    title = html.escape(f"{fair.name} – schedule")
    venue = html.escape(f"{fair.venue or ''} (times in {fair.timezone})")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{PRINT_CSS}</style></head><body><h1>{title}</h1><p>{venue}</p>"
        f"<p>Drafts (not yet published) are in grey italics.</p>{''.join(sections)}</body></html>"
    )
