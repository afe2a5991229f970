"""The yearly statistics survey: campaigns (staff) and responses (centres), on the unit of work.

A campaign goes draft → open → closed. While it is a draft staff edit its questionnaire; once
open, centres save answers (a draft, checked for types and bounds) and submit them (required
questions answered too); staff may reopen a submitted response. Opening, reminders, submitting
and reopening leave outbox events (``survey.*``) for the notifications worker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import surveys as repo
from accr_graph.services import checks
from accr_graph.services import survey_questions as sq
from accr_graph.services.errors import Conflict, Invalid, Missing, fail
from accr_graph.services.permissions import require_centre, require_staff
from accr_graph.services.survey_starter import STARTER
from accr_graph.services.uow import Actor, Database, UnitOfWork, unit_of_work
from accr_graph.viewer import Viewer

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, slots=True)
class CampaignChanges:
    """Fields to set; None leaves a field as it is."""

    title: list[tuple[str, str]] | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    sections: list[sq.Section] | None = None

    def fields(self) -> list[str]:
        names = {"title": "title", "opens_on": "opensOn", "closes_on": "closesOn"}
        chosen = [api for name, api in names.items() if getattr(self, name) is not None]
        return chosen + (["sections"] if self.sections is not None else [])


def _year(year: int) -> int:
    return checks.int_range(year, "year", FIRST_YEAR, LAST_YEAR)


def _dates(campaign: m.SurveyCampaign, changes: CampaignChanges) -> None:
    opens = changes.opens_on or campaign.opens_on
    closes = changes.closes_on or campaign.closes_on
    if opens is None or closes is None:
        raise fail(Invalid("opensOn" if opens is None else "closesOn", "is required"))
    if closes < opens:
        raise fail(Invalid("closesOn", f"must not be before the opening date ({opens})"))
    campaign.opens_on, campaign.closes_on = opens, closes


def _apply(campaign: m.SurveyCampaign, changes: CampaignChanges) -> None:
    if changes.title is not None:
        campaign.title = checks.translations(changes.title, "title", checks.MAX_TITLE)
    _dates(campaign, changes)
    if changes.sections is not None:
        campaign.sections = sq.sections_to_json(sq.check_sections(changes.sections))


def _default_title(year: int) -> dict[str, str]:
    return {"en": f"Yearly statistics {year}", "fr": f"Statistiques annuelles {year}"}


async def _starting_questionnaire(uow: UnitOfWork, year: int) -> list[dict[str, Any]]:
    """Last campaign's questionnaire (keys carry over, so series line up), else the starter."""
    previous = await repo.previous_campaign(uow.session, year)
    return list(previous.sections) if previous else sq.sections_to_json(STARTER)


async def create_campaign(
    db: Database, actor: Actor, year: int, changes: CampaignChanges
) -> m.SurveyCampaign:
    async with unit_of_work(db, actor, "createSurveyCampaign") as uow:
        require_staff(uow.viewer, "create survey campaigns")
        if await repo.campaign_by_year(uow.session, _year(year)) is not None:
            raise fail(Invalid("year", f"there is already a campaign for {year}"))
        campaign = m.SurveyCampaign(
            year=year, title=_default_title(year), status=m.SurveyStatus.DRAFT
        )
        _apply(campaign, changes)
        if changes.sections is None:
            campaign.sections = await _starting_questionnaire(uow, year)
        uow.session.add(campaign)
        uow.changed(campaign, ["year", *changes.fields()])
    return campaign


async def _campaign(
    uow: UnitOfWork, campaign_id: int, expected: int | None = None
) -> m.SurveyCampaign:
    campaign = await repo.campaign_for_update(uow.session, campaign_id)
    hidden = (
        campaign is not None and campaign.status is m.SurveyStatus.DRAFT and not uow.viewer.is_staff
    )
    if campaign is None or hidden:
        raise fail(Missing("No such survey campaign.", "SurveyCampaign", campaign_id))
    if expected is not None and expected != campaign.version:
        raise fail(
            Conflict(
                f"The campaign changed since version {expected}; it is now at version "
                f"{campaign.version}. Reload it and apply your change again.",
                campaign.version,
            )
        )
    uow.guard(campaign)
    return campaign


async def update_campaign(
    db: Database,
    actor: Actor,
    campaign_id: int,
    expected_version: int | None,
    changes: CampaignChanges,
) -> m.SurveyCampaign:
    async with unit_of_work(db, actor, "updateSurveyCampaign") as uow:
        campaign = await _editable(uow, campaign_id, expected_version, changes.sections is not None)
        _apply(campaign, changes)
        campaign.updated_at = utcnow()
        uow.changed(campaign, changes.fields())
    return campaign


async def change_questionnaire(
    db: Database,
    actor: Actor,
    campaign_id: int,
    expected_version: int | None,
    edit: Callable[[list[sq.Section]], list[sq.Section]],
) -> m.SurveyCampaign:
    """One edit of a draft's questionnaire (``survey_editing``: a question or a section added,
    changed, moved or removed), applied to the stored questionnaire and checked as a whole."""
    async with unit_of_work(db, actor, "updateSurveyCampaign") as uow:
        campaign = await _editable(uow, campaign_id, expected_version, True)
        _apply(campaign, CampaignChanges(sections=edit(list(sections(campaign)))))
        campaign.updated_at = utcnow()
        uow.changed(campaign, ["sections"])
    return campaign


async def _editable(
    uow: UnitOfWork, campaign_id: int, expected_version: int | None, questions: bool
) -> m.SurveyCampaign:
    require_staff(uow.viewer, "edit survey campaigns")
    campaign = await _campaign(uow, campaign_id, expected_version)
    if campaign.status is m.SurveyStatus.CLOSED:
        raise fail(Invalid("id", "a closed campaign cannot be edited"))
    if questions and campaign.status is not m.SurveyStatus.DRAFT:
        raise fail(Invalid("sections", "questions can change only while the campaign is a draft"))
    return campaign


async def _expected_ids(uow: UnitOfWork) -> list[int]:
    return [c.id for c in await repo.expected_centres(uow.session)]


async def open_campaign(db: Database, actor: Actor, campaign_id: int) -> m.SurveyCampaign:
    async with unit_of_work(db, actor, "openSurveyCampaign") as uow:
        require_staff(uow.viewer, "open survey campaigns")
        campaign = await _campaign(uow, campaign_id)
        if campaign.status is not m.SurveyStatus.DRAFT:
            raise fail(Invalid("id", f"the campaign is {campaign.status.value}, not a draft"))
        campaign.status = m.SurveyStatus.OPEN
        uow.changed(campaign, ["status"])
        uow.emit(
            "survey.opened", campaign, centre_ids=await _expected_ids(uow), payload=_about(campaign)
        )
    return campaign


async def close_campaign(db: Database, actor: Actor, campaign_id: int) -> m.SurveyCampaign:
    async with unit_of_work(db, actor, "closeSurveyCampaign") as uow:
        require_staff(uow.viewer, "close survey campaigns")
        campaign = await _campaign(uow, campaign_id)
        if campaign.status is not m.SurveyStatus.OPEN:
            raise fail(Invalid("id", f"the campaign is {campaign.status.value}, not open"))
        campaign.status = m.SurveyStatus.CLOSED
        uow.changed(campaign, ["status"])
        uow.emit("survey.closed", campaign, payload=_about(campaign))
    return campaign


def _about(campaign: m.SurveyCampaign) -> dict[str, Any]:
    return {
        "year": campaign.year,
        "campaignId": campaign.id,
        "opensOn": campaign.opens_on.isoformat(),
        "closesOn": campaign.closes_on.isoformat(),
    }


async def _missing_ids(uow: UnitOfWork, campaign: m.SurveyCampaign) -> list[int]:
    answered = await repo.statuses(uow.session, campaign.id)
    done = {cid for cid, status in answered.items() if status is m.ResponseStatus.SUBMITTED}
    return [cid for cid in await _expected_ids(uow) if cid not in done]


async def remind(db: Database, actor: Actor, campaign_id: int) -> tuple[m.SurveyCampaign, int]:
    """One ``survey.reminder`` event for the centres that have not submitted; their count."""
    async with unit_of_work(db, actor, "remindSurveyCampaign") as uow:
        require_staff(uow.viewer, "send survey reminders")
        campaign = await _campaign(uow, campaign_id)
        if campaign.status is not m.SurveyStatus.OPEN:
            raise fail(Invalid("id", f"the campaign is {campaign.status.value}, not open"))
        missing = await _missing_ids(uow, campaign)
        uow.changed(campaign, [])
        if missing:
            uow.emit("survey.reminder", campaign, centre_ids=missing, payload=_about(campaign))
    return campaign, len(missing)


# --- responses -----------------------------------------------------------------------------------


async def _open_campaign_for(uow: UnitOfWork, campaign_id: int) -> m.SurveyCampaign:
    campaign = await _campaign(uow, campaign_id)
    if campaign.status is not m.SurveyStatus.OPEN:
        state = "not open yet" if campaign.status is m.SurveyStatus.DRAFT else "closed"
        raise fail(Invalid("campaignId", f"the campaign is {state}; answers cannot change"))
    return campaign


async def _response(
    uow: UnitOfWork, campaign: m.SurveyCampaign, centre_id: int | None, expected: int | None
) -> m.SurveyResponse:
    centre = await checks.acting_centre(uow.session, uow.viewer, centre_id, "centreId")
    require_centre(uow.viewer, centre.id, "answer the survey for it")
    found = await repo.response_of(uow.session, campaign.id, centre.id)
    if found is None:
        found = m.SurveyResponse(campaign_id=campaign.id, centre_id=centre.id, answers={})
        uow.session.add(found)
    elif found.status is m.ResponseStatus.SUBMITTED:
        raise fail(Invalid("campaignId", "the response is submitted; ACCR staff can reopen it"))
    elif expected is not None and expected != found.version:
        raise fail(Conflict("The response changed since you read it; reload it.", found.version))
    uow.guard(found)
    return found


def _merge(current: Mapping[str, Any], given: Mapping[str, object]) -> dict[str, object]:
    """Given answers replace the saved ones; a null answer clears one."""
    merged: dict[str, object] = dict(current)
    merged.update(given)
    return merged


def _store(
    campaign: m.SurveyCampaign,
    response: m.SurveyResponse,
    given: Mapping[str, object],
    complete: bool,
) -> None:
    questions = sq.questions_of(sq.sections_from_json(campaign.sections))
    merged = _merge(response.answers or {}, given)
    cleaned, problems = sq.check_answers(questions, merged, complete)
    sq.raise_first(problems)
    response.answers = dict(cleaned)
    response.updated_at = utcnow()


async def save_response(
    db: Database,
    actor: Actor,
    campaign_id: int,
    centre_id: int | None,
    answers: Mapping[str, object],
    expected_version: int | None = None,
) -> m.SurveyResponse:
    """Save a draft: every answer given is checked (type, bounds); required ones may wait."""
    async with unit_of_work(db, actor, "saveSurveyResponse") as uow:
        campaign = await _open_campaign_for(uow, campaign_id)
        response = await _response(uow, campaign, centre_id, expected_version)
        _store(campaign, response, answers, complete=False)
        uow.changed(response, [f"answers.{k}" for k in answers])
    return response


async def submit_response(
    db: Database,
    actor: Actor,
    campaign_id: int,
    centre_id: int | None,
    answers: Mapping[str, object],
    expected_version: int | None = None,
) -> m.SurveyResponse:
    """Save and submit: every required question must be answered."""
    async with unit_of_work(db, actor, "submitSurveyResponse") as uow:
        campaign = await _open_campaign_for(uow, campaign_id)
        response = await _response(uow, campaign, centre_id, expected_version)
        _store(campaign, response, answers, complete=True)
        response.status = m.ResponseStatus.SUBMITTED
        response.submitted_at = utcnow()
        response.submitted_by = uow.viewer.user_id
        uow.changed(response, ["status", *(f"answers.{k}" for k in answers)])
        uow.emit(
            "survey.submitted", response, centre_ids=[response.centre_id], payload=_about(campaign)
        )
    return response


async def reopen_response(db: Database, actor: Actor, response_id: int) -> m.SurveyResponse:
    """Staff send a submitted response back to draft (the centre is told, through the outbox)."""
    async with unit_of_work(db, actor, "reopenSurveyResponse") as uow:
        require_staff(uow.viewer, "reopen survey responses")
        response = await repo.response_for_update(uow.session, response_id)
        if response is None:
            raise fail(Missing("No such survey response.", "SurveyResponse", response_id))
        if response.status is not m.ResponseStatus.SUBMITTED:
            raise fail(Invalid("id", "the response is not submitted"))
        campaign = await _campaign(uow, response.campaign_id)
        if campaign.status is m.SurveyStatus.CLOSED:
            raise fail(Invalid("id", "the campaign is closed; reopen answers while it is open"))
        uow.guard(response)
        response.status = m.ResponseStatus.DRAFT
        response.submitted_at = None
        uow.changed(response, ["status"])
        uow.emit(
            "survey.reopened", response, centre_ids=[response.centre_id], payload=_about(campaign)
        )
    return response


# --- reads ---------------------------------------------------------------------------------------


async def campaigns(db: Database, viewer: Viewer) -> list[m.SurveyCampaign]:
    async with db() as session:
        return await repo.campaigns(session, viewer)


async def campaign(db: Database, viewer: Viewer, campaign_id: int) -> m.SurveyCampaign | None:
    async with db() as session:
        return (await repo.campaigns_by_ids(session, [campaign_id], viewer)).get(campaign_id)


async def responses(
    db: Database, viewer: Viewer, campaign_id: int, status: m.ResponseStatus | None
) -> list[m.SurveyResponse]:
    """Staff see every response; a centre only its own; anonymous callers none."""
    if viewer.is_anonymous:
        return []
    async with db() as session:
        return await repo.responses(session, repo.ResponseFilter(campaign_id, status), viewer)


@dataclass(frozen=True, slots=True)
class Completion:
    expected: int
    submitted: int
    drafts: int
    missing: list[m.Centre]  # who has not submitted (staff only; empty for others)

    @property
    def rate(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0


async def completion(db: Database, viewer: Viewer, campaign_id: int) -> Completion:
    async with db() as session:
        expected = await repo.expected_centres(session)
        answered = await repo.statuses(session, campaign_id)
    ids = {c.id for c in expected}
    submitted = {
        cid for cid, s in answered.items() if s is m.ResponseStatus.SUBMITTED and cid in ids
    }
    drafts = sum(1 for cid, s in answered.items() if s is m.ResponseStatus.DRAFT and cid in ids)
    missing = [c for c in expected if c.id not in submitted] if viewer.is_staff else []
    return Completion(len(expected), len(submitted), drafts, missing)


async def previous_answers(
    db: Database, viewer: Viewer, campaign: m.SurveyCampaign, centre_id: int
) -> dict[str, Any]:
    """The centre's submitted answers to the previous campaign (shown beside each field)."""
    if not viewer.acts_for(centre_id):
        return {}
    async with db() as session:
        previous = await repo.previous_campaign(session, campaign.year)
        found = await repo.response_of(session, previous.id, centre_id) if previous else None
    submitted = found is not None and found.status is m.ResponseStatus.SUBMITTED
    return dict(found.answers) if submitted and found is not None else {}


async def response_of(
    db: Database, viewer: Viewer, campaign_id: int, centre_id: int
) -> m.SurveyResponse | None:
    """One centre's response: individual answers go to the centre itself and staff only."""
    if not viewer.acts_for(centre_id):
        return None
    async with db() as session:
        return await repo.response_of(session, campaign_id, centre_id)


def questions(campaign: m.SurveyCampaign) -> list[sq.Question]:
    return sq.questions_of(sq.sections_from_json(campaign.sections))


def sections(campaign: m.SurveyCampaign) -> Sequence[sq.Section]:
    return sq.sections_from_json(campaign.sections)
