"""Names and explanations of the observatory's indicators, in the reader's language.

The English texts are gettext message ids of the ``observatory`` domain
(``accr_graph/locale/<lang>/LC_MESSAGES/observatory.po``); survey indicators are named after
their question (translated in the questionnaire itself) and the statistic.
"""

from __future__ import annotations

from collections.abc import Mapping

from accr_graph.i18n import pick
from accr_graph.services import survey_questions as sq
from accr_graph.translations import gettext

NETWORK: dict[str, tuple[str, str]] = {
    "network.partnerships_started": (
        "Joint projects started",
        "Joint projects whose first year is this year.",
    ),
    "network.new_links": (
        "New cooperation links",
        "Pairs of centres working together for the first time.",
    ),
    "network.active_centres": (
        "Active centres",
        "Centres in at least one joint project running this year.",
    ),
    "network.proposals_posted": ("Proposals posted", "Project ideas published this year."),
    "network.proposals_partnered": (
        "Proposals partnered",
        "Project ideas of this year that found their partners.",
    ),
    "network.fair_meetings": (
        "Project Fair meetings held",
        "Meetings scheduled and published at this year's Project Fair.",
    ),
    "network.meeting_attendance": (
        "Meeting attendance",
        "Centres present at the ACCR's meetings this year, counted once per meeting attended.",
    ),
    "network.density": (
        "Network density",
        "Share of all possible pairs of centres that have worked together (0 to 1).",
    ),
    "network.average_degree": (
        "Average partners per centre",
        "How many centres each centre has worked with, on average.",
    ),
    "network.isolated_share": (
        "Share of centres without partners",
        "Centres that have not yet had a joint project with another centre.",
    ),
    "network.clusters": (
        "Clusters",
        "Groups of centres that work more with each other than with the rest.",
    ),
    "network.mean_cluster_size": ("Average cluster size", "Centres per cluster, on average."),
    "network.largest_cluster": ("Largest cluster", "Centres in the largest cluster."),
}

STATISTICS = {
    "sum": "total",
    "median": "median",
    "q1": "first quartile",
    "q3": "third quartile",
    "yes_share": "share answering yes",
    "share": "share choosing",
}
NOT_ENOUGH = "not enough answers"


def _survey_label(key: str, questions: Mapping[str, sq.Question], lang: str) -> str:
    _, question_key, stat, *choice = key.split(".")
    q = questions.get(question_key)
    name = pick(q.label, lang) if q else question_key
    statistic = gettext(lang, STATISTICS.get(stat, stat))
    if choice and q is not None:
        picked = next((c for c in q.choices if c.key == choice[0]), None)
        return f"{name}: {statistic} “{pick(picked.label, lang) if picked else choice[0]}”"
    return f"{name} ({statistic})"


def label(key: str, lang: str, questions: Mapping[str, sq.Question]) -> str:
    if key in NETWORK:
        return gettext(lang, NETWORK[key][0])
    return _survey_label(key, questions, lang)


def explanation(key: str, lang: str, questions: Mapping[str, sq.Question]) -> str:
    if key in NETWORK:
        return gettext(lang, NETWORK[key][1])
    q = questions.get(key.split(".")[1]) if key.count(".") >= 2 else None
    return pick(q.help, lang) if q and q.help else ""


def not_enough(lang: str) -> str:
    return gettext(lang, NOT_ENOUGH)
