"""Read the whole network as plain records for the matching engine (a handful of statements)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.i18n import pick
from matching.snapshot import CentreData, NetworkSnapshot, PartnershipData, ProposalData

Levels = dict[int, dict[str, dict[str, int]]]  # owner id -> kind -> competency slug -> level


def _group(pairs: Iterable[tuple[int, str]]) -> dict[int, tuple[str, ...]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return {k: tuple(sorted(v)) for k, v in grouped.items()}


async def _competency_levels(session: AsyncSession, link: type, owner: str) -> Levels:
    rows = await session.execute(
        select(getattr(link, owner), link.kind, m.Competency.slug, link.level).join(  # type: ignore[attr-defined]
            m.Competency,
            m.Competency.id == link.competency_id,  # type: ignore[attr-defined]
        )
    )
    levels: Levels = defaultdict(lambda: {"offers": {}, "seeks": {}})
    for owner_id, kind, slug, level in rows:
        levels[owner_id][kind.value][slug] = level
    return levels


async def _centres(session: AsyncSession) -> tuple[CentreData, ...]:
    themes = _group(
        await session.execute(
            select(m.centre_themes.c.centre_id, m.Theme.slug).join(
                m.Theme, m.Theme.id == m.centre_themes.c.theme_id
            )
        )
    )
    levels = await _competency_levels(session, m.CentreCompetency, "centre_id")
    rows = await session.scalars(select(m.Centre).order_by(m.Centre.id))
    return tuple(
        CentreData(
            id=c.id,
            name=c.name,
            country=c.country,
            languages=tuple(c.languages),
            themes=themes.get(c.id, ()),
            offers=levels[c.id]["offers"] if c.id in levels else {},
            seeks=levels[c.id]["seeks"] if c.id in levels else {},
            label_status=c.label_status.value,
            latitude=c.latitude,
            longitude=c.longitude,
        )
        for c in rows
    )


async def _partnerships(session: AsyncSession) -> tuple[PartnershipData, ...]:
    members: dict[int, list[int]] = defaultdict(list)
    for pid, cid in await session.execute(
        select(m.PartnershipMember.partnership_id, m.PartnershipMember.centre_id)
    ):
        members[pid].append(cid)
    themes = _group(
        await session.execute(
            select(m.partnership_themes.c.partnership_id, m.Theme.slug).join(
                m.Theme, m.Theme.id == m.partnership_themes.c.theme_id
            )
        )
    )
    rows = await session.execute(
        select(
            m.Partnership.id,
            m.Partnership.lead_id,
            m.Partnership.start_year,
            m.Partnership.end_year,
            m.Partnership.programme,
        ).order_by(m.Partnership.id)
    )
    return tuple(
        PartnershipData(
            pid,
            tuple(sorted(members.get(pid, ()))),
            lead,
            start,
            end,
            themes.get(pid, ()),
            programme,
        )
        for pid, lead, start, end, programme in rows
    )


async def _interests(session: AsyncSession) -> dict[int, dict[str, list[int]]]:
    grouped: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"accepted": [], "declined": []})
    rows = await session.execute(
        select(m.Interest.proposal_id, m.Interest.centre_id, m.Interest.status).where(
            m.Interest.status != m.InterestStatus.PENDING
        )
    )
    for pid, cid, status in rows:
        grouped[pid][status.value].append(cid)
    return grouped


async def _proposals(session: AsyncSession) -> tuple[ProposalData, ...]:
    themes = _group(
        await session.execute(
            select(m.proposal_themes.c.proposal_id, m.Theme.slug).join(
                m.Theme, m.Theme.id == m.proposal_themes.c.theme_id
            )
        )
    )
    levels = await _competency_levels(session, m.ProposalCompetency, "proposal_id")
    interests = await _interests(session)
    rows = await session.scalars(select(m.Proposal).order_by(m.Proposal.id))
    return tuple(
        ProposalData(
            id=p.id,
            owner=p.owner_id,
            themes=themes.get(p.id, ()),
            seeks=levels[p.id]["seeks"] if p.id in levels else {},
            offers=levels[p.id]["offers"] if p.id in levels else {},
            partners_min=p.partners_min,
            partners_max=p.partners_max,
            min_countries=p.min_countries,
            current_partners=tuple(sorted(interests[p.id]["accepted"]))
            if p.id in interests
            else (),
            declined=tuple(sorted(interests[p.id]["declined"])) if p.id in interests else (),
            text=f"{pick(p.title, 'en')} {pick(p.summary, 'en')}",
            programme=p.funding_programme,
            status=p.status.value,
        )
        for p in rows
    )


async def network_snapshot(session: AsyncSession) -> NetworkSnapshot:
    theme_names = {t.slug: pick(t.name, "en") for t in await session.scalars(select(m.Theme))}
    competency_names = {
        c.slug: pick(c.name, "en") for c in await session.scalars(select(m.Competency))
    }
    return NetworkSnapshot(
        centres=await _centres(session),
        partnerships=await _partnerships(session),
        proposals=await _proposals(session),
        theme_names=theme_names,
        competency_names=competency_names,
    )


Labels = dict[tuple[str, str], dict[str, str]]  # (kind, slug) -> language -> name


async def catalogue_labels(session: AsyncSession) -> Labels:
    """Theme and competency names in every language, for reasons written in the reader's."""
    labels: Labels = {}
    for theme in await session.scalars(select(m.Theme)):
        labels[("theme", theme.slug)] = dict(theme.name or {})
    for competency in await session.scalars(select(m.Competency)):
        labels[("competency", competency.slug)] = dict(competency.name or {})
    return labels
