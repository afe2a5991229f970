"""The event kinds notifications know: who gets them, how they read, how often by e-mail.

Texts are gettext msgids (domain ``notifications``); ``N_`` only marks them for extraction, they
are translated when rendered in the reader's language. Placeholders are filled from the
notification's payload (names and titles read when the event was dispatched).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accr_graph.db.models import Frequency


def N_(message: str) -> str:
    return message


class Audience(StrEnum):
    CENTRES = "centres"  # active users of the event's centres (not the one who acted)
    STAFF = "staff"  # ACCR staff and admins
    USER = "user"  # the one user named in the payload (password reset, webhook owner)


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    text: str  # msgid, one sentence
    audience: Audience = Audience.CENTRES
    default: Frequency = Frequency.IMMEDIATELY
    inbox: bool = True
    private: bool = False  # never sent to webhooks (secrets, personal messages)
    forced: bool = False  # e-mail sent whatever the preferences (password reset)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "interest.expressed",
            N_("%(centre)s expressed interest in your proposal “%(proposal)s”."),
        ),
        Kind("interest.accepted", N_("%(owner)s accepted your interest in “%(proposal)s”.")),
        Kind("interest.declined", N_("%(owner)s declined your interest in “%(proposal)s”.")),
        Kind(
            "fair.meeting_request.received",
            N_("%(centre)s asks to meet your centre at %(fair)s."),
        ),
        Kind(
            "fair.meeting_request.accepted",
            N_("%(target)s accepted your meeting request at %(fair)s."),
        ),
        Kind(
            "fair.meeting_request.declined",
            N_("%(target)s declined your meeting request at %(fair)s."),
        ),
        Kind(
            "fair.consortium_table.requested",
            N_("%(centre)s invites your centre to a consortium table at %(fair)s."),
        ),
        Kind("fair.registration.opened", N_("Registration for %(fair)s is open.")),
        Kind("fair.schedule.published", N_("The meeting schedule of %(fair)s is published.")),
        Kind("fair.meeting.moved", N_("One of your meetings at %(fair)s has moved.")),
        Kind("fair.meeting.cancelled", N_("One of your meetings at %(fair)s is cancelled.")),
        Kind("meeting.cancelled", N_("A meeting you take part in is cancelled: %(title)s.")),
        Kind(
            "meeting.registration.confirmed",
            N_("Your registration for %(title)s is confirmed."),
        ),
        Kind(
            "meeting.registration.waiting",
            N_("Your centre is on the waiting list of %(title)s."),
        ),
        Kind(
            "meeting.registration.promoted",
            N_("A seat freed up: your registration for %(title)s is confirmed."),
        ),
        Kind(
            "meeting.registration.cancelled",
            N_("Your registration for %(title)s is cancelled."),
        ),
        Kind(
            "proposal.matched",
            N_("A new open proposal fits your centre: “%(proposal)s”."),
            default=Frequency.WEEKLY,
        ),
        Kind("survey.opened", N_("The yearly survey %(year)s is open.")),
        Kind("survey.reminder", N_("Reminder: the yearly survey %(year)s awaits your answers.")),
        Kind("survey.submitted", N_("Your answers to the yearly survey %(year)s were submitted.")),
        Kind(
            "survey.reopened",
            N_("Your answers to the yearly survey %(year)s were sent back to you for changes."),
        ),
        Kind(
            "account.password_reset",
            N_("A link to choose a new password was requested for your account."),
            audience=Audience.USER,
            inbox=False,
            private=True,
            forced=True,
        ),
        Kind(
            "webhook.disabled",
            N_("Your webhook %(url)s was disabled after failing for a day."),
            audience=Audience.USER,
            private=True,
        ),
    )
}

# Other spellings of the same events (used by the services for a while).
ALIASES = {
    "meeting_request.received": "fair.meeting_request.received",
    "meeting_request.accepted": "fair.meeting_request.accepted",
    "meeting_request.declined": "fair.meeting_request.declined",
    "consortium_table.requested": "fair.consortium_table.requested",
    "fair.registration_opened": "fair.registration.opened",
    "fair.schedule_published": "fair.schedule.published",
    "meeting.moved": "fair.meeting.moved",
}

FALLBACK = N_("Something happened in the ACCR network (%(kind)s).")


def kind_of(name: str) -> Kind:
    """The kind's rules; an unknown kind reaches its centres' inboxes with a generic text."""
    return KINDS.get(canonical(name)) or Kind(name, FALLBACK)


def canonical(name: str) -> str:
    return ALIASES.get(name, name)


def configurable() -> list[Kind]:
    """Kinds a user may set an e-mail frequency for."""
    return [k for k in KINDS.values() if not k.forced]
