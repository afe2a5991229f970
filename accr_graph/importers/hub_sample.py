"""Sample meetings (two past, three upcoming, dated relative to today) and 30 resources in
French and English, from ``accr_graph/sample/hub.json``: the pages have something to show on
``scripts/serve``. Loaded by ``accr-graph load-sample`` after the network, in the same
transaction; rows carry ``external_key`` so a second load is a no-op."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from importlib import resources as package_files
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m

Json = dict[str, Any]


def read_hub_sample() -> Json:
    text = package_files.files("accr_graph.sample").joinpath("hub.json").read_text("utf-8")
    data: Json = json.loads(text)
    return data


async def _by_slug(session: AsyncSession, model: Any) -> dict[str, Any]:
    return {row.slug: row for row in await session.scalars(select(model))}


def _start(item: Json, today: datetime) -> datetime:
    zone = ZoneInfo(item["timezone"])
    day = (today + timedelta(days=item["days"])).date()
    return datetime(day.year, day.month, day.day, item["hour"], tzinfo=zone).astimezone(UTC)


def _meeting(item: Json, centres: dict[str, m.Centre], themes: dict[str, m.Theme]) -> m.Meeting:
    start = _start(item, datetime.now(UTC))
    past = start < datetime.now(UTC)
    venue = centres.get(item.get("venue", ""))
    return m.Meeting(
        kind=m.ProgrammeKind(item["kind"]),
        title=item["title"],
        description=item["description"],
        online=item.get("online", False),
        join_url=item.get("join_url"),
        venue_centre_id=venue.id if venue else None,
        host_centre_id=venue.id if venue else None,
        latitude=venue.latitude if venue else None,
        longitude=venue.longitude if venue else None,
        timezone=item["timezone"],
        starts_at=start,
        ends_at=start + timedelta(hours=item["hours"]),
        capacity=item["capacity"],
        status=m.ProgrammeStatus.HELD if past else m.ProgrammeStatus.OPEN,
        published_at=start - timedelta(days=30),
        confirmed_count=0,
        themes=[themes[s] for s in item["themes"]],
        agenda=[
            m.AgendaItem(position=i, title=title, resource_ids=[])
            for i, title in enumerate(item["agenda"])
        ],
    )


def _registrations(
    item: Json, meeting: m.Meeting, centres: dict[str, m.Centre]
) -> list[m.MeetingRegistration]:
    """Seats first come, first served; the rest wait. Past meetings get their attendance."""
    past = meeting.status is m.ProgrammeStatus.HELD
    found = []
    for order, slug in enumerate(item["registered"]):
        seated = meeting.capacity is None or meeting.confirmed_count < meeting.capacity
        status = m.RegistrationStatus.CONFIRMED if seated else m.RegistrationStatus.WAITING
        meeting.confirmed_count += seated
        reg = m.MeetingRegistration(
            meeting_id=meeting.id,
            centre_id=centres[slug].id,
            representatives=["Représentant·e"],
            status=status,
            queued_at=meeting.starts_at - timedelta(days=20 - order),
            attended=True if past and seated else None,
            attendees=2 if past and seated else None,
        )
        found.append(reg)
    if meeting.capacity is not None and meeting.confirmed_count >= meeting.capacity and not past:
        meeting.status = m.ProgrammeStatus.FULL
    return found


def _resource(item: Json, themes: dict[str, m.Theme], centres: dict[str, m.Centre]) -> m.Resource:
    return m.Resource(
        kind=m.ResourceKind(item["kind"]),
        title=item["title"],
        abstract=item["abstract"],
        languages=item["languages"],
        authors=item["authors"],
        countries=[],
        year=item["year"],
        licence=item.get("licence"),
        visibility=m.ResourceVisibility(item["visibility"]),
        link=item.get("link"),
        themes=[themes[s] for s in item["themes"]],
        centres=[centres[s] for s in item["centres"]],
        source="sample",
        external_key=f"sample:{item['key']}",
    )


async def load_hub_sample(session: AsyncSession, data: Json | None = None) -> tuple[int, int]:
    """Meetings and resources of the sample; (meetings, resources) added (0, 0 when loaded)."""
    data = data if data is not None else read_hub_sample()
    known = set(await session.scalars(select(m.Resource.external_key)))
    if any(f"sample:{r['key']}" in known for r in data["resources"]):
        return 0, 0
    centres, themes = await _by_slug(session, m.Centre), await _by_slug(session, m.Theme)
    added = {r["key"]: _resource(r, themes, centres) for r in data["resources"]}
    session.add_all(added.values())
    meetings = []
    for item in data["meetings"]:
        meeting = _meeting(item, centres, themes)
        session.add(meeting)
        await session.flush()
        session.add_all(_registrations(item, meeting, centres))
        for key in item.get("documents", []):  # its minutes, presentations...
            added[key].meeting_id = meeting.id
        meetings.append(meeting)
    await session.flush()
    return len(meetings), len(added)
