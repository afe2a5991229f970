"""Short names of the notification kinds and of the e-mail frequencies, for /account.

The kinds' own texts (``accr_graph/notifications/kinds.py``) are whole sentences about one
event; a settings form needs a short name per kind, marked here for the `web` catalog.
"""

from __future__ import annotations

from accr_graph.web.messages import N_

KIND_LABELS = {
    "interest.expressed": N_("Interest in your proposals"),
    "interest.accepted": N_("Your interest accepted"),
    "interest.declined": N_("Your interest declined"),
    "fair.meeting_request.received": N_("Project Fair: meeting requests received"),
    "fair.meeting_request.accepted": N_("Project Fair: your meeting requests accepted"),
    "fair.meeting_request.declined": N_("Project Fair: your meeting requests declined"),
    "fair.consortium_table.requested": N_("Project Fair: consortium table invitations"),
    "fair.registration.opened": N_("Project Fair: registration open"),
    "fair.schedule.published": N_("Project Fair: schedule published"),
    "fair.meeting.moved": N_("Project Fair: meeting moved"),
    "fair.meeting.cancelled": N_("Project Fair: meeting cancelled"),
    "meeting.cancelled": N_("Meetings: cancelled"),
    "meeting.registration.confirmed": N_("Meetings: registration confirmed"),
    "meeting.registration.waiting": N_("Meetings: on the waiting list"),
    "meeting.registration.promoted": N_("Meetings: seat freed up"),
    "meeting.registration.cancelled": N_("Meetings: registration cancelled"),
    "proposal.matched": N_("New proposals that fit your centre"),
    "survey.opened": N_("Yearly survey: open"),
    "survey.reminder": N_("Yearly survey: reminders"),
    "survey.submitted": N_("Yearly survey: answers submitted"),
    "survey.reopened": N_("Yearly survey: answers sent back"),
    "webhook.disabled": N_("Your webhook disabled"),
}

FREQUENCY_LABELS = {
    "immediately": N_("Immediately"),
    "daily": N_("Daily digest"),
    "weekly": N_("Weekly digest"),
    "off": N_("Off"),
}


def kind_label(kind: str) -> str:
    """The msgid naming a kind (the kind's code for one added without a label here)."""
    return KIND_LABELS.get(kind, kind)


BAD_FREQUENCY = N_("choose one of the offered frequencies")
