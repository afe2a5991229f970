"""A small iCalendar (RFC 5545) writer: escaping, line folding, and VTIMEZONE components.

Events are written in their own zone (``DTSTART;TZID=Europe/Paris:...``), so calendar clients
show the local time the organisers announced even after a DST rule change; the VTIMEZONE lists
every UTC-offset change of the zone over the years the events span, found from ``zoneinfo``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

EPOCH_LOCAL = "19700101T000000"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
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


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def local_stamp(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


@dataclass(frozen=True, slots=True)
class Transition:
    at: datetime  # UTC instant of the change
    before: timedelta
    after: timedelta
    name: str
    dst: bool


def _state(tz: ZoneInfo, moment: datetime) -> tuple[timedelta, str, bool]:
    local = moment.astimezone(tz)
    return local.utcoffset() or timedelta(), local.tzname() or "", bool(local.dst())


def _bisect(tz: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first minute in (low, high] whose offset differs from low's."""
    start = _state(tz, low)[0]
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        low, high = (middle, high) if _state(tz, middle)[0] == start else (low, middle)
    return high


def transitions(tz: ZoneInfo, first_year: int, last_year: int) -> Iterator[Transition]:
    """Every offset change of the zone from 1 January of ``first_year`` to the end of
    ``last_year`` (day steps, then bisection to the minute)."""
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    current = _state(tz, moment)
    while moment < end:
        following = moment + timedelta(days=1)
        state = _state(tz, following)
        if state[0] != current[0]:
            at = _bisect(tz, moment, following)
            yield Transition(at, current[0], state[0], state[1], state[2])
        current, moment = state, following


def vtimezone(tz: ZoneInfo, moments: Iterable[datetime]) -> list[str]:
    """A VTIMEZONE for the zone, covering the years of the given instants (± one year)."""
    years = [m.astimezone(tz).year for m in moments] or [datetime.now(UTC).year]
    first, last = min(years) - 1, max(years) + 1
    offset, name, dst = _state(tz, datetime(first, 1, 1, tzinfo=UTC))
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tz.key}"]
    # The offset in force at the start of the range, as the base observance.
    lines += _observance(dst, EPOCH_LOCAL, offset, offset, name)
    for change in transitions(tz, first, last):
        onset = (change.at + change.before).replace(tzinfo=None)  # local time before the change
        lines += _observance(
            change.dst, onset.strftime("%Y%m%dT%H%M%S"), change.before, change.after, change.name
        )
    lines.append("END:VTIMEZONE")
    return lines


def _observance(dst: bool, start: str, before: timedelta, after: timedelta, name: str) -> list[str]:
    kind = "DAYLIGHT" if dst else "STANDARD"
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{start}",
        f"TZOFFSETFROM:{_offset(before)}",
        f"TZOFFSETTO:{_offset(after)}",
        *([f"TZNAME:{escape(name)}"] if name else []),
        f"END:{kind}",
    ]


def calendar(lines: Iterable[str], prodid: str, name: str | None = None) -> str:
    """A VCALENDAR around the given components, folded and CRLF-terminated."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", "CALSCALE:GREGORIAN"]
    head += ["METHOD:PUBLISH"] + ([f"X-WR-CALNAME:{escape(name)}"] if name else [])
    return "".join(fold(line) + "\r\n" for line in [*head, *lines, "END:VCALENDAR"])
