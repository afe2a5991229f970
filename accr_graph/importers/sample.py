"""Load the illustrative sample network shipped in ``accr_graph/sample/network.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import Base
from accr_graph.importers.errors import DataFileError
from accr_graph.security.passwords import hash_password

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SampleCounts:
    centres: int
    themes: int
    competencies: int
    proposals: int
    partnerships: int
    interests: int
    users: int


def read_sample() -> Json:
    text = resources.files("accr_graph.sample").joinpath("network.json").read_text("utf-8")
    data: Json = json.loads(text)
    return data


async def database_is_empty(session: AsyncSession) -> bool:
    return not await session.scalar(select(func.count()).select_from(m.Centre))


async def wipe(session: AsyncSession) -> None:
    """Delete every row but the data version, children first."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name != "data_version":
            await session.execute(delete(table))


class _Refs:
    """Slug -> row lookups while loading, with a clear error for a dangling reference."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {"theme": {}, "competency": {}, "centre": {}}

    def add(self, kind: str, slug: str, row: Any) -> None:
        if slug in self.tables[kind]:
            raise DataFileError(f"sample network: duplicate {kind} {slug!r}")
        self.tables[kind][slug] = row

    def get(self, kind: str, slug: str) -> Any:
        try:
            return self.tables[kind][slug]
        except KeyError:
            raise DataFileError(f"sample network: unknown {kind} {slug!r}") from None


def _centre(item: Json, refs: _Refs) -> m.Centre:
    centre = m.Centre(
        slug=item["slug"],
        name=item["name"],
        country=item["country"],
        city=item.get("city"),
        latitude=item.get("latitude"),
        longitude=item.get("longitude"),
        site_type=item.get("site_type"),
        label_status=m.LabelStatus(item.get("label_status", "labelled")),
        website=item.get("website"),
        contact_email=item.get("contact_email"),
        contact_phone=item.get("contact_phone"),
        languages=list(item.get("languages", [])),
        founded_year=item.get("founded_year"),
        description=dict(item.get("description", {})),
        source="sample",
        external_key=f"sample:{item['slug']}",
        themes=[refs.get("theme", slug) for slug in item.get("themes", [])],
    )
    centre.competencies = [
        m.CentreCompetency(
            competency=refs.get("competency", entry["competency"]),
            kind=kind,
            level=entry.get("level", 2),
            note=entry.get("note"),
        )
        for kind in m.CompetencyKind
        for entry in item.get(kind.value, [])
    ]
    return centre


def _proposal(item: Json, refs: _Refs) -> m.Proposal:
    proposal = m.Proposal(
        owner=refs.get("centre", item["owner"]),
        title=dict(item["title"]),
        summary=dict(item.get("summary", {})),
        partners_min=item.get("partners_min", 2),
        partners_max=item.get("partners_max", 5),
        min_countries=item.get("min_countries", 1),
        timeframe=item.get("timeframe"),
        funding_programme=item.get("funding_programme"),
        status=m.ProposalStatus(item.get("status", "open")),
        themes=[refs.get("theme", slug) for slug in item.get("themes", [])],
    )
    proposal.competencies = [
        m.ProposalCompetency(
            competency_id=refs.get("competency", entry["competency"]).id,
            kind=kind,
            level=entry.get("level", 2),
        )
        for kind in m.CompetencyKind
        for entry in item.get(kind.value, [])
    ]
    return proposal


def _interests(item: Json, proposal: m.Proposal, refs: _Refs) -> list[m.Interest]:
    return [
        m.Interest(
            proposal_id=proposal.id,
            centre_id=refs.get("centre", entry["centre"]).id,
            message=entry.get("message"),
            status=m.InterestStatus(entry.get("status", "pending")),
        )
        for entry in item.get("interests", [])
    ]


def _partnership(item: Json, refs: _Refs) -> m.Partnership:
    lead = refs.get("centre", item["lead"]) if item.get("lead") else None
    partnership = m.Partnership(
        title=item["title"],
        programme=item.get("programme"),
        start_year=item.get("start_year"),
        end_year=item.get("end_year"),
        lead_id=lead.id if lead else None,
        source="sample",
        themes=[refs.get("theme", slug) for slug in item.get("themes", [])],
    )
    partnership.members = [
        m.PartnershipMember(
            centre_id=refs.get("centre", entry["centre"]).id,
            role=m.PartnershipRole(entry.get("role", "partner")),
        )
        for entry in item.get("members", [])
    ]
    return partnership


@lru_cache(maxsize=16)
def _demo_hash(password: str) -> str:
    # The same few demo passwords are hashed once per process (argon2 is slow on purpose).
    return hash_password(password)


def _user(item: Json, refs: _Refs) -> m.User:
    centre = refs.get("centre", item["centre"]) if item.get("centre") else None
    return m.User(
        email=item["email"].lower(),
        display_name=item["display_name"],
        role=m.UserRole(item["role"]),
        centre_id=centre.id if centre else None,
        password_hash=_demo_hash(item["password"]),
    )


async def _load_catalogue(session: AsyncSession, data: Json, refs: _Refs) -> None:
    for item in data["themes"]:
        theme = m.Theme(slug=item["slug"], name=dict(item["name"]))
        refs.add("theme", item["slug"], theme)
    for item in data["competencies"]:
        competency = m.Competency(slug=item["slug"], category=item["category"], name=item["name"])
        refs.add("competency", item["slug"], competency)
    session.add_all([*refs.tables["theme"].values(), *refs.tables["competency"].values()])
    await session.flush()


async def _load_centres(session: AsyncSession, data: Json, refs: _Refs) -> None:
    for item in data["centres"]:
        refs.add("centre", item["slug"], _centre(item, refs))
    session.add_all(refs.tables["centre"].values())
    await session.flush()


async def _load_proposals(session: AsyncSession, data: Json, refs: _Refs) -> int:
    pairs = [(item, _proposal(item, refs)) for item in data["proposals"]]
    session.add_all(p for _, p in pairs)
    await session.flush()
    interests = [i for item, p in pairs for i in _interests(item, p, refs)]
    session.add_all(interests)
    return len(interests)


async def load_sample(session: AsyncSession, data: Json | None = None) -> SampleCounts:
    """Load the sample into the session's transaction; the caller (a unit of work) commits or
    rolls back and bumps the versions (``accr_graph.services.imports``)."""
    data = data if data is not None else read_sample()
    refs = _Refs()
    try:
        await _load_catalogue(session, data, refs)
        await _load_centres(session, data, refs)
        interests = await _load_proposals(session, data, refs)
        session.add_all(_partnership(item, refs) for item in data["partnerships"])
        session.add_all(_user(item, refs) for item in data.get("users", []))
        await session.flush()
    except (KeyError, ValueError) as error:
        raise DataFileError(f"sample network: malformed entry ({error!r})") from error
    return SampleCounts(
        centres=len(data["centres"]),
        themes=len(data["themes"]),
        competencies=len(data["competencies"]),
        proposals=len(data["proposals"]),
        partnerships=len(data["partnerships"]),
        interests=interests,
        users=len(data.get("users", [])),
    )
