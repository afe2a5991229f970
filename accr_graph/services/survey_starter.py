"""The starter questionnaire: what a first campaign asks when staff give no questions.

Its keys are the stable series of the observatory (``visitors`` in 2025 and 2026 line up);
later campaigns copy the previous year's questionnaire, so keys carry over.
"""

from __future__ import annotations

from accr_graph.services.survey_questions import Choice, Question, QuestionKind, Section

INT, DEC = QuestionKind.INTEGER, QuestionKind.DECIMAL


def _q(
    key: str,
    kind: QuestionKind,
    en: str,
    fr: str,
    help_en: str,
    help_fr: str,
    **extra: object,
) -> Question:
    return Question(key, kind, {"en": en, "fr": fr}, {"en": help_en, "fr": help_fr}, **extra)  # type: ignore[arg-type]


def _choice(key: str, en: str, fr: str) -> Choice:
    return Choice(key, {"en": en, "fr": fr})


ACTIVITY = Section(
    "activity",
    {"en": "Activity", "fr": "Activité"},
    (
        _q(
            "visitors",
            INT,
            "Visitors",
            "Visiteurs",
            "Everyone who came to the site in the year: visits, events, workshops.",
            "Toutes les personnes venues sur le site dans l'année : visites, événements, ateliers.",
            unit="people",
            min=0,
            max=5_000_000,
            required=True,
        ),
        _q(
            "events",
            INT,
            "Public events",
            "Événements publics",
            "Concerts, exhibitions, talks, festivals days… each counted once.",
            "Concerts, expositions, conférences, journées de festival… chacun compté une fois.",
            unit="events",
            min=0,
            max=20_000,
            required=True,
        ),
        _q(
            "artists_in_residence",
            INT,
            "Artists in residence",
            "Artistes en résidence",
            "Artists, researchers or collectives' members hosted in residence.",
            "Artistes, chercheurs ou membres de collectifs accueillis en résidence.",
            unit="people",
            min=0,
            max=10_000,
        ),
        _q(
            "residencies_hosted",
            INT,
            "Residencies hosted",
            "Résidences accueillies",
            "Residency periods, whatever their length.",
            "Périodes de résidence, quelle que soit leur durée.",
            unit="residencies",
            min=0,
            max=5_000,
        ),
    ),
)

RESOURCES = Section(
    "resources",
    {"en": "Team and resources", "fr": "Équipe et moyens"},
    (
        _q(
            "staff_fte",
            DEC,
            "Staff (full-time equivalent)",
            "Salariés (équivalent temps plein)",
            "Paid staff over the year, in full-time equivalents (two half-time posts = 1).",
            "Personnel salarié sur l'année, en équivalents temps plein (deux mi-temps = 1).",
            unit="FTE",
            min=0,
            max=2_000,
            required=True,
        ),
        _q(
            "volunteers",
            INT,
            "Volunteers",
            "Bénévoles",
            "People who gave their time without pay at least once.",
            "Personnes ayant donné de leur temps bénévolement au moins une fois.",
            unit="people",
            min=0,
            max=100_000,
        ),
        _q(
            "budget_band",
            QuestionKind.SINGLE_CHOICE,
            "Annual budget",
            "Budget annuel",
            "Total expenditure of the year.",
            "Total des dépenses de l'année.",
            required=True,
            choices=(
                _choice("under_250k", "Under €250,000", "Moins de 250 000 €"),
                _choice("250k_1m", "€250,000 to €1 million", "De 250 000 € à 1 million €"),
                _choice("1m_3m", "€1 to 3 million", "De 1 à 3 millions €"),
                _choice("over_3m", "Over €3 million", "Plus de 3 millions €"),
            ),
        ),
        _q(
            "european_funding_share",
            DEC,
            "Share of European funding",
            "Part des financements européens",
            "European Union funds as a share of the year's income.",
            "Fonds de l'Union européenne, en part des recettes de l'année.",
            unit="%",
            min=0,
            max=100,
        ),
    ),
)

COOPERATION = Section(
    "cooperation",
    {"en": "Cooperation", "fr": "Coopération"},
    (
        _q(
            "new_partnerships",
            INT,
            "New partnerships",
            "Nouveaux partenariats",
            "Joint projects started this year with other organisations.",
            "Projets communs commencés cette année avec d'autres structures.",
            unit="projects",
            min=0,
            max=1_000,
        ),
        _q(
            "languages_used",
            QuestionKind.MULTIPLE_CHOICE,
            "Languages used",
            "Langues utilisées",
            "Languages your team works in with the public and partners.",
            "Langues dans lesquelles votre équipe travaille avec le public et les partenaires.",
            choices=tuple(
                _choice(code, en, fr)
                for code, en, fr in (
                    ("fr", "French", "Français"),
                    ("en", "English", "Anglais"),
                    ("de", "German", "Allemand"),
                    ("it", "Italian", "Italien"),
                    ("es", "Spanish", "Espagnol"),
                    ("pt", "Portuguese", "Portugais"),
                    ("nl", "Dutch", "Néerlandais"),
                    ("pl", "Polish", "Polonais"),
                    ("ro", "Romanian", "Roumain"),
                    ("other", "Other", "Autre"),
                )
            ),
        ),
        _q(
            "highlight",
            QuestionKind.SHORT_TEXT,
            "Highlight of the year",
            "Temps fort de l'année",
            "One sentence the ACCR may quote in its annual report.",
            "Une phrase que l'ACCR pourra citer dans son rapport annuel.",
        ),
    ),
)

STARTER: tuple[Section, ...] = (ACTIVITY, RESOURCES, COOPERATION)
