"""What awaits the signed-in member's answer: interests in their centre's proposals and Fair
meeting requests to their centre. (The notifications work replaces this with the real inbox.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from accr_graph.db import models as m
from accr_graph.repositories import account
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer


@dataclass(frozen=True, slots=True)
class Awaiting:
    interests: list[tuple[m.Interest, m.Proposal, m.Centre]] = field(default_factory=list)
    meetings: list[tuple[m.FairMeetingRequest, m.Fair, m.Centre]] = field(default_factory=list)


async def awaiting(db: Database, viewer: Viewer) -> Awaiting:
    if viewer.centre_id is None:
        return Awaiting()
    async with db() as session:
        interests = await account.pending_interests(session, viewer.centre_id)
        meetings = await account.pending_meeting_requests(session, viewer.centre_id)
    return Awaiting(interests, meetings)
