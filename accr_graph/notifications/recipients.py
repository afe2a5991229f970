"""Who receives an event, by its kind's audience; never another centre's drafts.

Recipients of a whole batch are read in at most three queries (members of every centre named,
staff, named users), then picked per event in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import OutboxEvent
from accr_graph.notifications.kinds import Audience, kind_of
from accr_graph.notifications.subjects import Subject
from accr_graph.repositories import notifications as repo
from accr_graph.repositories.notifications import Recipient


@dataclass
class Directory:
    """The possible recipients of one batch of events."""

    members: dict[int, list[Recipient]]  # by centre
    staff: list[Recipient]
    users: dict[int, Recipient]


def _named_user(event: OutboxEvent) -> int | None:
    value = event.payload.get("user_id")
    return value if isinstance(value, int) else None


async def directory(session: AsyncSession, events: Sequence[OutboxEvent]) -> Directory:
    audiences = {kind_of(e.kind).audience for e in events}
    centre_ids = {c for e in events for c in e.centre_ids}
    members: dict[int, list[Recipient]] = {}
    for person in await repo.members_of(session, centre_ids):
        members.setdefault(person.centre_id or 0, []).append(person)
    staff = await repo.staff(session) if Audience.STAFF in audiences else []
    named = {u for e in events if (u := _named_user(e)) is not None}
    users = {u.id: u for u in await repo.users(session, named)}
    return Directory(members, staff, users)


def recipients(event: OutboxEvent, subject: Subject, found: Directory) -> list[Recipient]:
    """The users an event reaches, each once, the one who acted left out."""
    audience = kind_of(event.kind).audience
    if audience is Audience.USER:
        user = found.users.get(_named_user(event) or 0)
        return [user] if user else []
    if audience is Audience.STAFF:
        people = found.staff
    else:
        people = [p for c in event.centre_ids for p in found.members.get(c, [])]
    if subject.draft_owner is not None:
        # A draft exists only for its own centre: nobody else hears of it, staff included.
        people = [p for p in people if p.centre_id == subject.draft_owner]
    unique = {p.id: p for p in people if p.id != event.actor_user_id}
    return list(unique.values())
