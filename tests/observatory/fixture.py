"""A five-centre network small enough to compute every indicator by hand.

Centres A, B (FR, labelled), C (DE, labelled), D (IT, candidate), E (IT, partner); themes:
A, B, D "music"; C "heritage". Joint projects: 2020 A+B+C, 2021 A+D, 2021–2022 D+E, and one
with no year (B+E, left out of every year). The 2021 survey: visitors A 100, B 200, C 400,
D 1000 submitted; E 50 only saved as a draft (not counted). Two proposals posted in 2021 (one
partnered) and a draft (not counted).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from accr_graph.db import models as m
from accr_graph.services import survey_questions as sq
from tests.conftest import Database

CENTRES = {
    "A": ("FR", m.LabelStatus.LABELLED, "music"),
    "B": ("FR", m.LabelStatus.LABELLED, "music"),
    "C": ("DE", m.LabelStatus.LABELLED, "heritage"),
    "D": ("IT", m.LabelStatus.CANDIDATE, "music"),
    "E": ("IT", m.LabelStatus.PARTNER, None),
}
PROJECTS = [(2020, None, "ABC"), (2021, None, "AD"), (2021, 2022, "DE"), (None, None, "BE")]
VISITORS = {"A": 100, "B": 200, "C": 400, "D": 1000}
QUESTIONS = [
    sq.Section(
        "activity",
        {"en": "Activity"},
        (
            sq.Question("visitors", sq.QuestionKind.INTEGER, {"en": "Visitors"}, min=0),
            sq.Question("open_all_year", sq.QuestionKind.YES_NO, {"en": "Open all year?"}),
        ),
    )
]
OPEN_ALL_YEAR = {"A": True, "B": False, "C": True, "D": True}


async def build(db: Database) -> dict[str, int]:
    """The network above; returns centre letter -> id."""
    async with db.sessionmaker.begin() as session:
        themes = {slug: m.Theme(slug=slug, name={"en": slug}) for slug in ("music", "heritage")}
        centres = {
            letter: m.Centre(
                slug=letter.lower(),
                name=f"Centre {letter}",
                country=country,
                label_status=status,
                themes=[themes[theme]] if theme else [],
                competencies=[],
            )
            for letter, (country, status, theme) in CENTRES.items()
        }
        session.add_all(centres.values())
        await session.flush()
        for start, end, letters in PROJECTS:
            session.add(
                m.Partnership(
                    title=letters,
                    start_year=start,
                    end_year=end,
                    members=[m.PartnershipMember(centre_id=centres[x].id) for x in letters],
                    themes=[],
                )
            )
        for status, created in (
            (m.ProposalStatus.OPEN, 2021),
            (m.ProposalStatus.PARTNERED, 2021),
            (m.ProposalStatus.DRAFT, 2021),
        ):
            session.add(
                m.Proposal(
                    owner_id=centres["A"].id,
                    title={"en": "idea"},
                    status=status,
                    created_at=datetime(created, 5, 1, tzinfo=UTC),
                    themes=[],
                    competencies=[],
                )
            )
        campaign = m.SurveyCampaign(
            year=2021,
            title={"en": "2021"},
            opens_on=date(2022, 1, 1),
            closes_on=date(2022, 3, 1),
            status=m.SurveyStatus.CLOSED,
            sections=sq.sections_to_json(QUESTIONS),
        )
        session.add(campaign)
        await session.flush()
        for letter, visitors in VISITORS.items():
            answers = {"visitors": visitors, "open_all_year": OPEN_ALL_YEAR[letter]}
            session.add(
                m.SurveyResponse(
                    campaign_id=campaign.id,
                    centre_id=centres[letter].id,
                    status=m.ResponseStatus.SUBMITTED,
                    answers=answers,
                )
            )
        session.add(
            m.SurveyResponse(
                campaign_id=campaign.id,
                centre_id=centres["E"].id,
                status=m.ResponseStatus.DRAFT,
                answers={"visitors": 50},
            )
        )
    return {letter: c.id for letter, c in centres.items()}
