"""Reads with their rules, for every adapter (GraphQL lists and `node(id:)`, pages, exports).

Each visibility rule has one home: drafts (``repositories.proposals.visible_to``), interests
(``interests_visible_to``), fair requests and registrations (``repositories.fair``), and here the
rules that are not row filters: tokens (``auth.can_see_token``), the audit log (staff with the
`admin` scope), users (themselves and staff). A list read takes ``window_of(total)``, the
adapter's paging, so the count and the page come from one short session.

The value types the adapters pass in (filters, orders, entries, windows) are re-exported here:
GraphQL reaches the repositories only through its loaders' batch functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from accr_graph.db import models as m
from accr_graph.repositories import audit, catalogue, centres, fair, partnerships, proposals
from accr_graph.repositories import auth as auth_repo
from accr_graph.repositories.audit import AuditFilter
from accr_graph.repositories.centres import (
    CentreFilter,
    CentreOrder,
    CentreOrderField,
    CompetencyEntry,
    PartnerEntry,
)
from accr_graph.repositories.common import Window
from accr_graph.repositories.partnerships import PartnershipFilter
from accr_graph.repositories.proposals import (
    ProposalCompetencyEntry,
    ProposalFilter,
    ProposalOrder,
    ProposalOrderField,
)
from accr_graph.services import fair_requests
from accr_graph.services.auth import can_see_token
from accr_graph.services.errors import Invalid, fail
from accr_graph.services.fair_requests import SuggestionSource
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer
from matching import Suggestion

T = TypeVar("T")
WindowOf = Callable[[int], Window]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: Sequence[T]
    window: Window
    total: int


# --- rules that are not row filters -------------------------------------------------------------


def may_read_audit_log(viewer: Viewer) -> bool:
    return viewer.is_staff and viewer.can("admin")


def may_see_contacts(viewer: Viewer) -> bool:
    """A centre's e-mail and telephone: signed-in readers only (GraphQL and pages alike)."""
    return not viewer.is_anonymous


def may_see_user(viewer: Viewer, user_id: int) -> bool:
    return viewer.is_staff or viewer.user_id == user_id


# --- lists ---------------------------------------------------------------------------------------


async def known_slugs(
    db: Database, themes: Sequence[str] = (), competencies: Sequence[str] = (), field: str = ""
) -> None:
    """Unknown theme or competency slugs in a filter are an ``Invalid``, not an empty answer."""
    if not themes and not competencies:
        return
    async with db() as session:
        found_themes = await catalogue.themes_by_slug(session, list(themes)) if themes else {}
        found = (
            await catalogue.competencies_by_slug(session, list(competencies))
            if competencies
            else {}
        )
    unknown_themes = sorted(set(themes) - set(found_themes))
    unknown_competencies = sorted(set(competencies) - set(found))
    if unknown_themes:
        raise fail(Invalid(field, f"unknown theme slug(s) {', '.join(unknown_themes)}."))
    if unknown_competencies:
        message = f"unknown competency slug(s) {', '.join(unknown_competencies)}."
        raise fail(Invalid(field, message))


async def centre_page(
    db: Database, flt: CentreFilter, order: CentreOrder, window_of: WindowOf
) -> Page[m.Centre]:
    await known_slugs(db, flt.themes, (*flt.offers, *flt.seeks), "filter")
    async with db() as session:
        total = await centres.count_centres(session, flt)
        window = window_of(total)
        rows = await centres.list_centres(session, flt, order, window)
    return Page(rows, window, total)


async def proposal_page(
    db: Database, viewer: Viewer, flt: ProposalFilter, order: ProposalOrder, window_of: WindowOf
) -> Page[m.Proposal]:
    await known_slugs(db, flt.themes, (*flt.offers, *flt.seeks), "filter")
    async with db() as session:
        total = await proposals.count_proposals(session, flt, viewer)
        window = window_of(total)
        rows = await proposals.list_proposals(session, flt, order, viewer, window)
    return Page(rows, window, total)


async def partnership_page(
    db: Database, flt: PartnershipFilter, window_of: WindowOf
) -> Page[m.Partnership]:
    await known_slugs(db, flt.themes, (), "filter")
    async with db() as session:
        total = await partnerships.count_partnerships(session, flt)
        window = window_of(total)
        rows = await partnerships.list_partnerships(session, flt, window)
    return Page(rows, window, total)


async def audit_page(
    db: Database, viewer: Viewer, flt: AuditFilter, window_of: WindowOf
) -> Page[m.AuditEntry]:
    if not may_read_audit_log(viewer):
        return Page((), Window(0, 0), 0)
    async with db() as session:
        total = await audit.count_entries(session, flt)
        window = window_of(total)
        rows = await audit.list_entries(session, flt, window)
    return Page(rows, window, total)


async def api_tokens(db: Database, viewer: Viewer, everyone: bool) -> Sequence[m.ApiToken]:
    """The caller's tokens; staff may ask for everyone's."""
    if viewer.user_id is None:
        return ()
    owner = None if everyone and viewer.is_staff else viewer.user_id
    async with db() as session:
        return await auth_repo.tokens_of(session, owner)


async def themes(db: Database) -> Sequence[m.Theme]:
    async with db() as session:
        return await catalogue.themes(session)


async def competencies(db: Database, category: str | None) -> Sequence[m.Competency]:
    async with db() as session:
        return await catalogue.competencies(session, category)


async def countries(db: Database) -> list[tuple[str, int]]:
    async with db() as session:
        return await catalogue.centre_counts_by_country(session)


async def fairs(db: Database) -> list[m.Fair]:
    async with db() as session:
        return await fair.list_fairs(session)


async def fair_by_id(db: Database, fair_id: int) -> m.Fair | None:
    async with db() as session:
        return (await fair.fairs_by_ids(session, [fair_id])).get(fair_id)


async def placed_meetings(
    db: Database, viewer: Viewer, fair_id: int, centre_id: int | None, table_id: int | None
) -> list[m.FairMeeting]:
    async with db() as session:
        found = await fair.placed_meetings(session, [fair_id], viewer, centre_id, table_id)
    return found.get(fair_id, [])


async def suggested_meetings(
    db: Database, source: SuggestionSource, fair_id: int, centre_id: int, first: int
) -> list[Suggestion]:
    async with db() as session:
        return await fair_requests.suggested_meetings(session, source, fair_id, centre_id, first)


# --- one object (node(id:)) ---------------------------------------------------------------------


async def api_token(db: Database, viewer: Viewer, token_id: int) -> m.ApiToken | None:
    async with db() as session:
        row = await auth_repo.token_by_id(session, token_id)
    return row if row is not None and can_see_token(viewer, row) else None


async def audit_entry(db: Database, viewer: Viewer, entry_id: int) -> m.AuditEntry | None:
    if not may_read_audit_log(viewer):
        return None
    async with db() as session:
        return await audit.entry_by_id(session, entry_id)


async def registration(
    db: Database, viewer: Viewer, registration_id: int
) -> m.FairRegistration | None:
    async with db() as session:
        return await fair.registration_by_id(session, registration_id, viewer)


__all__ = [
    "AuditFilter",
    "CentreFilter",
    "CentreOrder",
    "CentreOrderField",
    "CompetencyEntry",
    "Page",
    "PartnerEntry",
    "PartnershipFilter",
    "ProposalCompetencyEntry",
    "ProposalFilter",
    "ProposalOrder",
    "ProposalOrderField",
    "Window",
]
