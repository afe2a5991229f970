"""Survey answers on the sample network, small enough to check the pages' figures by hand.

The 2024 campaign (closed, the starter questionnaire): visitors submitted by three French
centres (100, 200, 400) and one Italian (1000); a Belgian draft (50) does not count. So 2024:
sum 1,700, median 300, quartiles 175 and 550 (interpolated like QUARTILE.INC); France sum 700
from 3 centres; Italy a single centre (withheld for members: "not enough answers").
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.services import survey_questions as sq
from accr_graph.services.survey_starter import STARTER
from tests.conftest import Database

YEAR = 2024
SUBMITTED = {
    "abbaye-de-fontclaire": 100,
    "abbaye-de-saint-aurel": 200,
    "abbaye-de-sainte-merance": 400,
    "castello-di-valmora": 1000,
}
DRAFT = {"abbaye-de-hautval": 50}


async def seed_survey(db: Database, year: int = YEAR) -> int:
    """The campaign above (or the same answers for another year); returns its id."""
    async with db.sessionmaker.begin() as session:
        slugs = [*SUBMITTED, *DRAFT]
        ids = dict(
            (
                await session.execute(
                    select(m.Centre.slug, m.Centre.id).where(m.Centre.slug.in_(slugs))
                )
            )
            .tuples()
            .all()
        )
        campaign = m.SurveyCampaign(
            year=year,
            title={"en": f"Yearly statistics {year}", "fr": f"Statistiques annuelles {year}"},
            opens_on=date(year + 1, 1, 10),
            closes_on=date(year + 1, 3, 31),
            status=m.SurveyStatus.CLOSED,
            sections=sq.sections_to_json(STARTER),
        )
        session.add(campaign)
        await session.flush()
        for answers, status in (
            (SUBMITTED, m.ResponseStatus.SUBMITTED),
            (DRAFT, m.ResponseStatus.DRAFT),
        ):
            for slug, visitors in answers.items():
                session.add(
                    m.SurveyResponse(
                        campaign_id=campaign.id,
                        centre_id=ids[slug],
                        status=status,
                        answers={"visitors": visitors},
                    )
                )
        return campaign.id
