"""A sample Project Fair for ``accr-graph load-sample``: the next edition, about four months
ahead, registration open, eight centres already registered (none of the demo users' centres, so
each demo member can register theirs and try requests, suggestions and the agenda).

Dated relative to today like the hub sample; built through ``fair_editions.build_fair`` (the
same checks as ``createFair``). A second load finds the edition by name and adds nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.services.fair_editions import BreakSpec, DaySpec, FairSpec, TableSpec, build_fair

HOST = "abbaye-de-saint-aurel"
DAYS_AHEAD = 120
# Registered already, with who comes (centres without a demo user).
REGISTERED = {
    "domaine-de-mirval": ("Claire Vasseur",),
    "filature-du-val-brechon": ("Hugo Marchal", "Inès Girard"),
    "chartreuse-de-sainte-croix-des-monts": ("Bernard Lacoste",),
    "zamek-sokolica": ("Agnieszka Wróbel",),
    "chateau-de-bellevigne": ("Sophie Renard",),
    "couvent-des-capucins-de-valmont": ("Lukas Meier",),
    "giardini-di-villa-ombrosa": ("Chiara Conti",),
    "grad-zlatolesje": ("Matej Kovač",),
}


def name_of(year: int) -> str:
    # Not "Foire aux projets <year>": tests and staff create editions named that way.
    return f"Foire aux projets de Saintes {year}"


def _first_tuesday(after: date) -> date:
    return after + timedelta(days=(1 - after.weekday()) % 7)


def spec(host_id: int, today: date) -> FairSpec:
    first = _first_tuesday(today + timedelta(days=DAYS_AHEAD))
    days = tuple(
        DaySpec(first + timedelta(days=i), time(9, 30), 30, 6, (BreakSpec(3, 30),))
        for i in range(2)
    )
    tables = tuple(TableSpec(f"Table {n}") for n in range(1, 7))
    tables += (TableSpec("Salle capitulaire", 6), TableSpec("Cloître", 8, "fr"))
    return FairSpec(
        name=name_of(first.year),
        year=first.year,
        host_centre_id=host_id,
        days=days,
        tables=tables,
        venue="Abbaye de Saint-Aurel, Saintes",
    )


async def load_fair_sample(session: AsyncSession) -> int:
    """The sample edition and its registrations; 0 when already there (or the host is absent)."""
    centres = {c.slug: c for c in await session.scalars(select(m.Centre))}
    host = centres.get(HOST)
    if host is None:
        return 0
    wanted = spec(host.id, datetime.now(UTC).date())
    if await session.scalar(select(m.Fair.id).where(m.Fair.name == wanted.name)) is not None:
        return 0
    fair = await build_fair(session, wanted)
    slots = len(wanted.days) * wanted.days[0].slots
    open_proposals = await _open_proposals(session)
    for slug, people in REGISTERED.items():
        centre = centres[slug]
        session.add(
            m.FairRegistration(
                fair_id=fair.id,
                centre_id=centre.id,
                representatives=list(people),
                languages=list(centre.languages),
                unavailable_slot_ids=[],
                proposal_ids=open_proposals.get(centre.id, [])[:3],
                max_meetings=min(8, slots),
            )
        )
    await session.flush()
    return 1


async def _open_proposals(session: AsyncSession) -> dict[int, list[int]]:
    rows = await session.execute(
        select(m.Proposal.owner_id, m.Proposal.id)
        .where(m.Proposal.status == m.ProposalStatus.OPEN)
        .order_by(m.Proposal.id)
    )
    found: dict[int, list[int]] = {}
    for owner_id, proposal_id in rows:
        found.setdefault(owner_id, []).append(proposal_id)
    return found
