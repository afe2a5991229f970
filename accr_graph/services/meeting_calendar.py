"""Calendars: one meeting as plain data for its ``.ics``, and each user's private subscription
feed (every programme meeting their centre holds a seat at, plus their centre's published Fair
meetings). A feed URL carries a secret; only its hash is stored, and the user can revoke it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import calendar_feeds, centres, meetings
from accr_graph.repositories import fair as fair_repo
from accr_graph.security.secrets import digest, new_secret
from accr_graph.services.errors import Missing, ServiceFailure, fail
from accr_graph.services.fair_agenda import Agenda, centre_agenda
from accr_graph.services.permissions import require_scope
from accr_graph.services.uow import Actor, Database, unit_of_work
from accr_graph.viewer import Viewer

FEED_PREFIX = "cal_"


@dataclass(frozen=True, slots=True)
class MeetingEntry:
    meeting: m.Meeting
    venue: m.Centre | None
    join_url: str | None  # only for those who may see it


@dataclass(frozen=True, slots=True)
class Feed:
    user: m.User
    meetings: list[MeetingEntry]
    fair_agendas: list[Agenda]


async def meeting_for_ics(db: Database, viewer: Viewer, meeting_id: int) -> MeetingEntry:
    """A meeting the caller may see (drafts: staff), with the join link only for participants."""
    async with db() as session:
        meeting = (await meetings.by_ids(session, [meeting_id], viewer)).get(meeting_id)
        if meeting is None:
            raise fail(Missing("No such meeting.", "Meeting", meeting_id))
        seated = await _seated(session, viewer, meeting.id)
        return await _entry(session, meeting, seated or viewer.is_staff)


async def _seated(session: AsyncSession, viewer: Viewer, meeting_id: int) -> bool:
    if viewer.centre_id is None:
        return False
    reg = await meetings.registration(session, meeting_id, viewer.centre_id)
    return reg is not None and reg.status is m.RegistrationStatus.CONFIRMED


async def _entry(session: AsyncSession, meeting: m.Meeting, with_link: bool) -> MeetingEntry:
    venue = None
    if meeting.venue_centre_id is not None:
        venue = (await centres.by_ids(session, [meeting.venue_centre_id])).get(
            meeting.venue_centre_id
        )
    return MeetingEntry(meeting, venue, meeting.join_url if with_link else None)


# --- private feeds --------------------------------------------------------------------------


async def create_feed(db: Database, actor: Actor) -> tuple[m.CalendarFeed, str]:
    """A new feed secret for the caller (shown once); any earlier feed URL stops working."""
    async with unit_of_work(db, actor, "createCalendarFeed") as uow:
        require_scope(uow.viewer, "read")
        user_id = uow.viewer.user_id
        assert user_id is not None
        await calendar_feeds.revoke_all(uow.session, user_id, utcnow())
        secret = new_secret(FEED_PREFIX)
        feed = m.CalendarFeed(user_id=user_id, secret_hash=digest(secret))
        uow.session.add(feed)
        uow.changed(feed, [])
    return feed, secret


async def revoke_feed(db: Database, actor: Actor) -> int:
    """Revoke the caller's feed URLs; how many were active."""
    async with unit_of_work(db, actor, "revokeCalendarFeed") as uow:
        require_scope(uow.viewer, "read")
        assert uow.viewer.user_id is not None
        revoked = await calendar_feeds.revoke_all(uow.session, uow.viewer.user_id, utcnow())
        uow.changed(None, [])
    return revoked


async def feed(db: Database, secret: str) -> Feed:
    """What a feed URL shows; Missing for an unknown or revoked secret."""
    async with db() as session:
        user = await calendar_feeds.user_of(session, digest(secret))
        if user is None or not user.is_active:
            raise fail(Missing("No such calendar feed (revoked or mistyped)."))
        viewer = Viewer(user_id=user.id, role=user.role, centre_id=user.centre_id)
        if user.centre_id is None:
            return Feed(user, [], [])
        rows = await meetings.attended_by_centre(session, user.centre_id)
        entries = [await _entry(session, row, True) for row in rows]
        agendas = await _fair_agendas(session, viewer, user.centre_id)
    return Feed(user, entries, agendas)


async def _fair_agendas(session: AsyncSession, viewer: Viewer, centre_id: int) -> list[Agenda]:
    centre = (await centres.by_ids(session, [centre_id])).get(centre_id)
    if centre is None:
        return []
    agendas = []
    for fair in await fair_repo.list_fairs(session):
        if fair.published_at is None:
            continue
        try:
            agenda = await centre_agenda(session, viewer, fair.id, centre.slug)
        except ServiceFailure:
            continue
        if agenda.entries:
            agendas.append(agenda)
    return agendas
