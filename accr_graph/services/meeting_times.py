"""Local wall-clock times in an IANA zone, checked: a time that does not exist is refused.

A meeting is entered as the local time people read on the invitation ("10:00 in Paris"); it is
stored in UTC. On the spring-forward night a local time such as 02:30 Europe/Paris never happens:
converting it silently would move the meeting by an hour, so it is refused. On the fall-back night
02:30 happens twice; the first one (``fold=0``, summer time) is taken.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accr_graph.services.errors import Invalid, fail


def zone(name: str, field: str = "timeZone") -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        message = f"'{name}' is not an IANA time zone (e.g. Europe/Paris)"
        raise fail(Invalid(field, message)) from None


def exists_locally(local: datetime, tz: ZoneInfo) -> bool:
    """Whether a naive local time happens in the zone (a round trip through UTC keeps it)."""
    aware = local.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back == local.replace(tzinfo=None)


FIRST_YEAR, LAST_YEAR = 1900, 2100  # a meeting's dates; beyond, converting zones overflows


def to_utc(value: datetime, tz: ZoneInfo, field: str) -> datetime:
    """A naive value is local time in ``tz``; an aware value is an instant as given."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise fail(
            Invalid(field, f"must be between {FIRST_YEAR} and {LAST_YEAR} (got {value.year})")
        )
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    if not exists_locally(value, tz):
        raise fail(
            Invalid(
                field,
                f"{value:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks jump forward "
                "that night (daylight saving time). Choose a time outside the gap.",
            )
        )
    return value.replace(tzinfo=tz, fold=0).astimezone(UTC)


def local(moment: datetime, tz_name: str) -> datetime:
    """A stored UTC instant as the meeting's local time (aware)."""
    return moment.astimezone(ZoneInfo(tz_name))
