"""Write a parsed keep.eu data set into the database, idempotently, in the caller's transaction.

Organisations become centres (label status ``partner``, source ``keep-eu``), projects become
partnerships, project themes become themes. Rows are matched on ``external_key``, so a second
run inserts nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.importers.keep_eu import KeepEuDataset, KeepEuOrganisation, KeepEuProject
from accr_graph.text import slugify

Progress = Callable[[str], None]
BATCH = 1000
PROGRAMME_PREFIX = "keep-eu:"


@dataclass(frozen=True, slots=True)
class KeepEuReport:
    centres_added: int
    centres_existing: int
    partnerships_added: int
    partnerships_existing: int
    themes_added: int
    memberships_added: int
    skipped: tuple[str, ...]


def _batches(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


async def _existing(session: AsyncSession, column: Any, key_column: Any) -> dict[str, int]:
    rows = await session.execute(select(key_column, column).where(key_column.is_not(None)))
    return {key: ident for key, ident in rows}


async def _ensure_themes(
    session: AsyncSession, dataset: KeepEuDataset
) -> tuple[dict[str, int], int]:
    names = sorted({t for p in dataset.projects for t in p.themes})
    by_slug = await _existing(session, m.Theme.id, m.Theme.slug)
    spelling: dict[str, str] = {}
    for name in names:  # spellings that slugify alike ("Tourism", "TOURISM") are one theme
        spelling.setdefault(slugify(name), name)
    new = [{"slug": s, "name": {"en": n}} for s, n in spelling.items() if s not in by_slug]
    if new:
        await session.execute(insert(m.Theme), new)
        by_slug = await _existing(session, m.Theme.id, m.Theme.slug)
    return {n: by_slug[slugify(n)] for n in names}, len(new)


def _unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _centre_row(org: KeepEuOrganisation, taken: set[str]) -> dict[str, Any]:
    base = slugify(f"{org.name} {org.country}", max_length=150)
    return {
        "slug": _unique_slug(base, taken),
        "name": org.name[:300],
        "country": org.country,
        "city": (org.town or "")[:160] or None,
        "label_status": m.LabelStatus.PARTNER,
        "languages": [],
        "description": {},
        "source": "keep-eu",
        "external_key": PROGRAMME_PREFIX + org.key,
    }


async def _ensure_centres(
    session: AsyncSession, dataset: KeepEuDataset, progress: Progress
) -> tuple[dict[str, int], int]:
    known = await _existing(session, m.Centre.id, m.Centre.external_key)
    taken = set((await session.scalars(select(m.Centre.slug))).all())
    missing = [
        o for k, o in sorted(dataset.organisations.items()) if PROGRAMME_PREFIX + k not in known
    ]
    rows = [_centre_row(org, taken) for org in missing]
    for done, batch in enumerate(_batches(rows), start=1):
        await session.execute(insert(m.Centre), batch)
        progress(f"  centres: {min(done * BATCH, len(rows))}/{len(rows)}")
    if rows:
        known = await _existing(session, m.Centre.id, m.Centre.external_key)
    by_key = {k: known[PROGRAMME_PREFIX + k] for k in dataset.organisations}
    return by_key, len(rows)


def _partnership_row(project: KeepEuProject, centres: dict[str, int]) -> dict[str, Any]:
    return {
        "title": (project.name or project.acronym)[:500],
        "programme": project.programme[:300],
        "start_year": project.start_year,
        "end_year": project.end_year,
        "lead_id": centres[project.lead_key] if project.lead_key else None,
        "description": project.description or None,
        "source": "keep-eu",
        "external_key": PROGRAMME_PREFIX + project.key,
    }


def _member_rows(project: KeepEuProject, pid: int, centres: dict[str, int]) -> list[dict[str, Any]]:
    leads = set(project.lead_keys)
    return [
        {
            "partnership_id": pid,
            "centre_id": centres[key],
            "role": m.PartnershipRole.LEAD if key in leads else m.PartnershipRole.PARTNER,
        }
        for key in project.member_keys
    ]


async def _insert_partnerships(
    session: AsyncSession,
    projects: list[KeepEuProject],
    centres: dict[str, int],
    progress: Progress,
) -> dict[str, int]:
    ids: dict[str, int] = {}
    rows = [_partnership_row(p, centres) for p in projects]
    for done, batch in enumerate(_batches(rows), start=1):
        result = await session.execute(
            insert(m.Partnership).returning(
                m.Partnership.id, m.Partnership.external_key, sort_by_parameter_order=True
            ),
            batch,
        )
        ids.update({str(key): pid for pid, key in result})
        progress(f"  partnerships: {min(done * BATCH, len(rows))}/{len(rows)}")
    return ids


async def _insert_links(
    session: AsyncSession,
    projects: list[KeepEuProject],
    ids: dict[str, int],
    centres: dict[str, int],
    themes: dict[str, int],
) -> int:
    members = [r for p in projects for r in _member_rows(p, ids[PROGRAMME_PREFIX + p.key], centres)]
    links = [
        {"partnership_id": ids[PROGRAMME_PREFIX + p.key], "theme_id": tid}
        for p in projects
        for tid in dict.fromkeys(themes[t] for t in p.themes)
    ]
    for batch in _batches(members):
        await session.execute(insert(m.PartnershipMember), batch)
    for batch in _batches(links):
        await session.execute(insert(m.partnership_themes), batch)
    return len(members)


async def load_keep_eu(
    session: AsyncSession, dataset: KeepEuDataset, progress: Progress = lambda _: None
) -> KeepEuReport:
    themes, themes_added = await _ensure_themes(session, dataset)
    progress(f"themes: {len(themes)} ({themes_added} new)")
    centres, centres_added = await _ensure_centres(session, dataset, progress)
    progress(f"centres: {len(centres)} ({centres_added} new)")
    known = await _existing(session, m.Partnership.id, m.Partnership.external_key)
    new_projects = [p for p in dataset.projects if PROGRAMME_PREFIX + p.key not in known]
    ids = await _insert_partnerships(session, new_projects, centres, progress)
    memberships = await _insert_links(session, new_projects, ids, centres, themes)
    return KeepEuReport(
        centres_added=centres_added,
        centres_existing=len(centres) - centres_added,
        partnerships_added=len(new_projects),
        partnerships_existing=len(dataset.projects) - len(new_projects),
        themes_added=themes_added,
        memberships_added=memberships,
        skipped=tuple(dataset.skipped),
    )
