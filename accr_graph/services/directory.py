"""Reads behind the member pages: the home page, the centre directory and a centre's profile.

Visibility is decided here (never in a page): contact details only for signed-in readers,
proposals through the proposals row filter (others' drafts do not exist for the reader).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.repositories import (
    catalogue,
    centres,
    data_version,
    fair,
    partnerships,
    proposals,
)
from accr_graph.repositories.centres import CentreFilter, CentreOrder, CompetencyEntry
from accr_graph.repositories.common import Window
from accr_graph.repositories.proposals import ProposalFilter, ProposalOrder
from accr_graph.services import reads
from accr_graph.services.uow import Database
from accr_graph.viewer import Viewer

PER_PAGE = 20
OPEN = (m.ProposalStatus.OPEN, m.ProposalStatus.IN_DISCUSSION)


@dataclass(frozen=True, slots=True)
class Paged:
    """Where a page of results is: 1-based page number, and how many pages in all."""

    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def window(self) -> Window:
        return Window((self.number - 1) * self.per_page, self.per_page)


@dataclass(frozen=True, slots=True)
class CentreCard:
    centre: m.Centre
    themes: list[m.Theme]
    offers: list[CompetencyEntry]


@dataclass(frozen=True, slots=True)
class CentreResults:
    cards: list[CentreCard]
    paged: Paged


@dataclass(frozen=True, slots=True)
class Catalogue:
    themes: Sequence[m.Theme]
    competencies: Sequence[m.Competency]
    countries: list[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class ProposalCard:
    proposal: m.Proposal
    owner: m.Centre
    themes: list[m.Theme]


@dataclass(frozen=True, slots=True)
class Partner:
    centre: centres.CentreRef
    joint_projects: int
    last_year: int | None


@dataclass(frozen=True, slots=True)
class JointProject:
    partnership: m.Partnership
    members: list[centres.CentreRef]


@dataclass(frozen=True, slots=True)
class CentreProfile:
    centre: m.Centre
    themes: list[m.Theme]
    offers: list[CompetencyEntry]
    seeks: list[CompetencyEntry]
    partners: list[Partner]
    projects: list[JointProject]
    proposals: list[m.Proposal]
    show_contact: bool
    can_edit: bool


@dataclass(frozen=True, slots=True)
class Overview:
    centres: int
    countries: int
    joint_projects: int
    open_proposals: int
    latest: list[ProposalCard]
    fairs: list[m.Fair]


def clamp_page(number: int, total: int, per_page: int = PER_PAGE) -> Paged:
    pages = max(1, math.ceil(total / per_page))
    return Paged(min(max(number, 1), pages), total, per_page)


# The filters' choices change with the data, not with the reader: one read per data version
# (every list page showed them: three statements and a count over all centres per request).
_CATALOGUES: weakref.WeakKeyDictionary[Any, tuple[int, Catalogue]] = weakref.WeakKeyDictionary()


async def catalogue_of(db: Database) -> Catalogue:
    """What the filters offer: themes, competencies, countries with centres."""
    async with db() as session:
        version = await data_version.current(session)
        cached = _CATALOGUES.get(db)
        if cached is not None and cached[0] == version:
            return cached[1]
        found = Catalogue(
            await catalogue.themes(session),
            await catalogue.competencies(session, None),
            await catalogue.centre_counts_by_country(session),
        )
    _CATALOGUES[db] = (version, found)
    return found


async def search_centres(db: Database, flt: CentreFilter, page_number: int) -> CentreResults:
    async with db() as session:
        paged = clamp_page(page_number, await centres.count_centres(session, flt))
        rows = await centres.list_centres(session, flt, CentreOrder(), paged.window)
        ids = [c.id for c in rows]
        themes = await centres.themes_of(session, ids)
        competencies = await centres.competencies_of(session, ids)
    cards = [
        CentreCard(
            c, themes.get(c.id, []), _kind(competencies.get(c.id, []), m.CompetencyKind.OFFERS)
        )
        for c in rows
    ]
    return CentreResults(cards, paged)


def _kind(entries: list[CompetencyEntry], kind: m.CompetencyKind) -> list[CompetencyEntry]:
    return [e for e in entries if e.kind is kind]


async def centre_profile(db: Database, viewer: Viewer, slug: str) -> CentreProfile | None:
    async with db() as session:
        centre = (await centres.by_slugs(session, [slug[:160]])).get(slug[:160])
        if centre is None:
            return None
        competencies = (await centres.competencies_of(session, [centre.id])).get(centre.id, [])
        themes = (await centres.themes_of(session, [centre.id])).get(centre.id, [])
        partners, projects = await _partners_and_projects(session, centre.id)
        owned = (await proposals.by_owner_ids(session, [centre.id], viewer)).get(centre.id, [])
    return CentreProfile(
        centre=centre,
        themes=themes,
        offers=_kind(competencies, m.CompetencyKind.OFFERS),
        seeks=_kind(competencies, m.CompetencyKind.SEEKS),
        partners=partners,
        projects=projects,
        proposals=[p for p in owned if p.status is not m.ProposalStatus.CLOSED],
        show_contact=reads.may_see_contacts(viewer),
        can_edit=not viewer.is_anonymous and viewer.acts_for(centre.id) and viewer.can("write"),
    )


async def _partners_and_projects(
    session: AsyncSession, centre_id: int
) -> tuple[list[Partner], list[JointProject]]:
    """The centre's partners and joint projects, with one look-up of every centre they name."""
    entries = (await centres.partners_of(session, [centre_id])).get(centre_id, [])
    rows = (await partnerships.by_centre_ids(session, [centre_id])).get(centre_id, [])
    members = await partnerships.members_of(session, [p.id for p in rows])
    ids = {e.partner_id for e in entries} | {mb.centre_id for ms in members.values() for mb in ms}
    found = await centres.refs_by_ids(session, list(ids))
    partners = [
        Partner(found[e.partner_id], e.joint_projects, e.last_year)
        for e in entries
        if e.partner_id in found
    ]
    projects = [
        JointProject(
            p, [found[mb.centre_id] for mb in members.get(p.id, []) if mb.centre_id in found]
        )
        for p in rows
    ]
    return partners, projects


async def proposal_cards(session: AsyncSession, rows: Sequence[m.Proposal]) -> list[ProposalCard]:
    owners = await centres.by_ids(session, list({p.owner_id for p in rows}))
    themes = await proposals.themes_of(session, [p.id for p in rows])
    return [ProposalCard(p, owners[p.owner_id], themes.get(p.id, [])) for p in rows]


async def overview(db: Database, viewer: Viewer, today: date) -> Overview:
    """The home page: key figures, the latest open proposals, the fairs to come."""
    open_filter = ProposalFilter(statuses=OPEN)
    async with db() as session:
        countries = await catalogue.centre_counts_by_country(session)
        joint = await partnerships.count_partnerships(session, partnerships.PartnershipFilter())
        open_count = await proposals.count_proposals(session, open_filter, viewer)
        latest = await proposals.list_proposals(
            session, open_filter, ProposalOrder(), viewer, Window(0, 5)
        )
        cards = await proposal_cards(session, latest)
        fairs = await fair.list_fairs(session)
    upcoming = [f for f in fairs if f.days and date.fromisoformat(f.days[-1]) >= today]
    return Overview(
        centres=sum(n for _, n in countries),
        countries=len(countries),
        joint_projects=joint,
        open_proposals=open_count,
        latest=cards,
        fairs=sorted(upcoming, key=lambda f: f.days[0])[:3],
    )


async def centre_choices(db: Database, limit: int = 500) -> list[m.Centre]:
    """Every centre by name, for the forms' "which centre" selects (host, venue)."""
    async with db() as session:
        return list(
            await centres.list_centres(session, CentreFilter(), CentreOrder(), Window(0, limit))
        )
