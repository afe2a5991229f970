"""What staff read to run the yearly survey: each campaign with its completion, and a campaign's
answers centre by centre (individual answers: staff only, like every other read of them)."""

from __future__ import annotations

from dataclasses import dataclass

from accr_graph.db import models as m
from accr_graph.repositories import centres as centre_repo
from accr_graph.repositories import surveys as repo
from accr_graph.services import survey_questions as sq
from accr_graph.services import surveys
from accr_graph.services.permissions import require_staff
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    campaign: m.SurveyCampaign
    completion: surveys.Completion


@dataclass(frozen=True, slots=True)
class AnswerRow:
    response: m.SurveyResponse
    centre: m.Centre


@dataclass(frozen=True, slots=True)
class AnswerSheet:
    campaign: m.SurveyCampaign
    completion: surveys.Completion
    sections: list[sq.Section]
    rows: list[AnswerRow]  # by centre name


async def campaign_summaries(db: Database, viewer: Viewer) -> list[CampaignSummary]:
    """Every campaign, latest year first, with its completion (staff only)."""
    require_staff(viewer, "run the yearly survey", "read")
    found = sorted(await surveys.campaigns(db, viewer), key=lambda c: -c.year)
    return [CampaignSummary(c, await surveys.completion(db, viewer, c.id)) for c in found]


async def answer_sheet(db: Database, viewer: Viewer, campaign_id: int) -> AnswerSheet | None:
    """A campaign's responses with their centres (staff only); None for an unknown campaign."""
    require_staff(viewer, "read every centre's answers", "read")
    campaign = await surveys.campaign(db, viewer, campaign_id)
    if campaign is None:
        return None
    completion = await surveys.completion(db, viewer, campaign_id)
    async with db() as session:
        responses = await repo.responses(session, repo.ResponseFilter(campaign_id, None), viewer)
        centres = await centre_repo.by_ids(session, [r.centre_id for r in responses])
    rows = [AnswerRow(r, centres[r.centre_id]) for r in responses if r.centre_id in centres]
    rows.sort(key=lambda row: row.centre.name.casefold())
    return AnswerSheet(campaign, completion, list(surveys.sections(campaign)), rows)
