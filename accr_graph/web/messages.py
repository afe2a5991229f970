"""Texts that reach pages from elsewhere (services, auth), marked for the `web` catalog.

Services speak English to every adapter; the pages translate the messages they show through
the catalog, so each such message is listed here for ``pybabel extract`` (keyword ``N_``).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """The gettext convention for "mark for extraction, do not translate here"."""
    return message


SERVICE_MESSAGES = (
    # The survey's questionnaire editor (staff)
    N_("a questionnaire needs at least one question"),
    N_("choice keys must be different"),
    N_("is longer than 40 characters"),
    N_("No such section: the questionnaire changed, reload it."),
    N_("No such question: the questionnaire changed, reload it."),
    N_("move or remove its questions first"),
    N_("questions can change only while the campaign is a draft"),
    N_("a closed campaign cannot be edited"),
    # Project Fair administration, consortium tables and the meetings programme
    N_("choose what to remove"),
    N_("choose one of the fair's days"),
    N_("must be after startsAt"),
    N_("a day keeps at least one slot"),
    N_("a fair keeps at least one table"),
    N_("another table of this fair has this name"),
    N_("a published meeting is held here; cancel it before removing this"),
    N_("No such slot in this fair."),
    N_("No such table in this fair."),
    N_("give the days in date order"),
    N_("a date is given twice"),
    N_("choose a proposal"),
    N_("choose a meeting"),
    N_("the owner sits at the table anyway; do not list it"),
    N_("a consortium table seats the owner and 2 to 7 centres"),
    N_("this table was already asked for"),
    N_("the proposal must belong to one of the two centres"),
    N_("Only centres taking part or ACCR staff may cancel this meeting."),
    N_("No such meeting."),
    N_("No such fair."),
    N_("the meeting is already cancelled"),
    N_("A proposal given does not exist."),
    N_("A centre given does not exist."),
    N_("Wrong e-mail or password."),
    N_("must not be empty"),
    N_("needs a text in at least one language"),
    N_("The object changed while you were saving it."),
    N_("Sign in (or send an API token) to make changes."),
    N_("enter a whole number"),
    N_("choose a competency and a side"),
    N_("choose a level"),
    N_("choose accept or decline"),
    N_("must be an http:// or https:// address"),
    N_("a closed proposal cannot be edited"),
    N_("a centre cannot express interest in its own proposal"),
    N_("this centre already expressed interest in this proposal"),
    N_("a centre cannot offer and seek the same competency"),
    N_("accept at least one interest first"),
    N_("only a pending interest can be withdrawn"),
    N_("only an open proposal can become partnered"),
    N_("Your centre has no interest in this proposal."),
    N_("Only members of this centre or ACCR staff may edit this proposal."),
    N_("Only members of this centre or ACCR staff may mark this proposal partnered."),
    N_("Only members of this centre or ACCR staff may change its competencies."),
    N_("Only members of this centre or ACCR staff may edit its profile."),
    N_("No such proposal."),
    N_("is not your current password"),
    N_("the two new passwords differ"),
    N_("must be at least 10 characters long"),
    N_("choose a token"),
    N_("No such API token."),
    N_("give at least one name"),
    N_("choose a centre"),
    N_("Registration for this fair is closed; ask ACCR staff."),
    N_("a centre cannot meet itself"),
    N_("schedule the fair before publishing"),
    N_("Only ACCR staff may schedule the fair."),
    N_("Only ACCR staff may publish the schedule."),
    N_("Only ACCR staff may open or close registration."),
)


# A centre's kind of heritage site as stored (sample data, imports) -> its name on pages; a value
# not listed here is shown as stored.
SITE_TYPES = {
    "abbey": N_("Abbey"),
    "castle": N_("Castle"),
    "charterhouse": N_("Charterhouse"),
    "convent": N_("Convent"),
    "fortress": N_("Fortress"),
    "garden": N_("Garden"),
    "industrial": N_("Industrial heritage"),
    "manor": N_("Manor"),
    "palace": N_("Palace"),
    "priory": N_("Priory"),
    "saline": N_("Saltworks"),
}

ZONE_TIME = N_("%(city)s time")  # a meeting's time zone by its city (templating.zone_name)
