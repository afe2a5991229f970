"""Survey campaigns and responses: the SQL, with the visibility rules as row filters.

Campaigns: staff see drafts too; everyone else only open and closed ones. Responses: a centre
sees its own, staff see all (individual answers are never shown to other centres).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import (
    Centre,
    LabelStatus,
    ResponseStatus,
    SurveyCampaign,
    SurveyResponse,
    SurveyStatus,
)
from accr_graph.viewer import Viewer

# Who is asked to answer: members of the network, not project partners (keep.eu imports).
MEMBER_STATUSES = (LabelStatus.LABELLED, LabelStatus.CANDIDATE, LabelStatus.ASSOCIATE)


def _visible_campaigns(viewer: Viewer) -> Select[Any]:
    query = select(SurveyCampaign)
    if not viewer.is_staff:
        query = query.where(SurveyCampaign.status != SurveyStatus.DRAFT)
    return query


async def campaigns(session: AsyncSession, viewer: Viewer) -> list[SurveyCampaign]:
    query = _visible_campaigns(viewer).order_by(SurveyCampaign.year.desc())
    return list(await session.scalars(query))


async def campaigns_by_ids(
    session: AsyncSession, ids: Sequence[int], viewer: Viewer
) -> dict[int, SurveyCampaign]:
    query = _visible_campaigns(viewer).where(SurveyCampaign.id.in_(ids))
    return {row.id: row for row in await session.scalars(query)}


async def campaign_for_update(session: AsyncSession, campaign_id: int) -> SurveyCampaign | None:
    return await session.get(SurveyCampaign, campaign_id)


async def campaign_by_year(session: AsyncSession, year: int) -> SurveyCampaign | None:
    found: SurveyCampaign | None = await session.scalar(
        select(SurveyCampaign).where(SurveyCampaign.year == year)
    )
    return found


async def previous_campaign(session: AsyncSession, year: int) -> SurveyCampaign | None:
    """The latest campaign before ``year`` (its questionnaire is copied, its answers shown)."""
    query = (
        select(SurveyCampaign)
        .where(SurveyCampaign.year < year)
        .order_by(SurveyCampaign.year.desc())
        .limit(1)
    )
    found: SurveyCampaign | None = await session.scalar(query)
    return found


async def response_of(
    session: AsyncSession, campaign_id: int, centre_id: int
) -> SurveyResponse | None:
    found: SurveyResponse | None = await session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.campaign_id == campaign_id, SurveyResponse.centre_id == centre_id
        )
    )
    return found


async def response_for_update(session: AsyncSession, response_id: int) -> SurveyResponse | None:
    return await session.get(SurveyResponse, response_id)


@dataclass(frozen=True, slots=True)
class ResponseFilter:
    campaign_id: int
    status: ResponseStatus | None = None


async def responses(
    session: AsyncSession, flt: ResponseFilter, viewer: Viewer
) -> list[SurveyResponse]:
    """The campaign's responses the viewer may see: all for staff, its own for a centre."""
    query = select(SurveyResponse).where(SurveyResponse.campaign_id == flt.campaign_id)
    if flt.status is not None:
        query = query.where(SurveyResponse.status == flt.status)
    if not viewer.is_staff:
        query = query.where(SurveyResponse.centre_id == (viewer.centre_id or -1))
    return list(await session.scalars(query.order_by(SurveyResponse.centre_id)))


async def expected_centres(session: AsyncSession) -> list[Centre]:
    """The centres a campaign asks to answer, by name."""
    query = select(Centre).where(Centre.label_status.in_(MEMBER_STATUSES)).order_by(Centre.name)
    return list(await session.scalars(query))


async def statuses(session: AsyncSession, campaign_id: int) -> dict[int, ResponseStatus]:
    """centre id -> status of its response to the campaign."""
    query = select(SurveyResponse.centre_id, SurveyResponse.status).where(
        SurveyResponse.campaign_id == campaign_id
    )
    return {centre_id: status for centre_id, status in (await session.execute(query)).all()}


@dataclass(frozen=True, slots=True)
class SubmittedAnswers:
    year: int
    centre_id: int
    answers: dict[str, Any]


async def submitted_answers(
    session: AsyncSession, year_from: int | None = None, year_to: int | None = None
) -> list[SubmittedAnswers]:
    """Every submitted response in the year range (what indicators are computed from)."""
    query = (
        select(SurveyCampaign.year, SurveyResponse.centre_id, SurveyResponse.answers)
        .join(SurveyCampaign, SurveyCampaign.id == SurveyResponse.campaign_id)
        .where(SurveyResponse.status == ResponseStatus.SUBMITTED)
    )
    if year_from is not None:
        query = query.where(SurveyCampaign.year >= year_from)
    if year_to is not None:
        query = query.where(SurveyCampaign.year <= year_to)
    rows = (await session.execute(query.order_by(SurveyCampaign.year))).all()
    return [SubmittedAnswers(year, centre_id, answers) for year, centre_id, answers in rows]


async def responses_by_ids(
    session: AsyncSession, ids: Sequence[int], viewer: Viewer
) -> dict[int, SurveyResponse]:
    """Responses by id, only those the viewer may see (its centre's, or all for staff)."""
    query = select(SurveyResponse).where(SurveyResponse.id.in_(ids))
    if not viewer.is_staff:
        query = query.where(SurveyResponse.centre_id == (viewer.centre_id or -1))
    return {row.id: row for row in await session.scalars(query)}


async def campaigns_in_years(
    session: AsyncSession, year_from: int, year_to: int
) -> list[SurveyCampaign]:
    query = select(SurveyCampaign).where(
        SurveyCampaign.year >= year_from, SurveyCampaign.year <= year_to
    )
    return list(await session.scalars(query.order_by(SurveyCampaign.year)))
