"""Who may do what: every role against every mutation, on both databases.

Allowed -> the success type; not allowed -> PermissionDenied and nothing written (neither the
data version nor the audit log moves).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import data_version
from schema.relay import to_global_id
from tests.conftest import Database, Settings, app_client, issue_token

OWNER = "lea.schneider@kloster-lindenau.example.org"  # member of kloster-lindenau
OTHER = "giulia.bassi@castello-di-valmora.example.org"  # member of castello-di-valmora
STAFF = "staff@accr.example.org"

ROLES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "anonymous": (None, ()),
    "owner member": (OWNER, ("read", "write")),
    "other member": (OTHER, ("read", "write")),
    "staff": (STAFF, ("read", "write", "fair", "admin")),
    "staff read-only token": (STAFF, ("read",)),
}


@dataclass
class World:
    kloster: str
    valmora: str
    draft: str
    open_proposal: str
    interest: str


async def _world(db: Database) -> World:
    """Given: a draft and an open proposal of Kloster Lindenau, with Valmora's pending interest."""
    async with db.sessionmaker.begin() as session:
        ids = dict(
            (
                await session.execute(
                    select(m.Centre.slug, m.Centre.id).where(
                        m.Centre.slug.in_(["kloster-lindenau", "castello-di-valmora"])
                    )
                )
            ).all()
        )
        kloster, valmora = ids["kloster-lindenau"], ids["castello-di-valmora"]
        draft = m.Proposal(owner_id=kloster, title={"en": "Draft"}, status=m.ProposalStatus.DRAFT)
        open_ = m.Proposal(owner_id=kloster, title={"en": "Open"}, status=m.ProposalStatus.OPEN)
        session.add_all([draft, open_])
        await session.flush()
        interest = m.Interest(proposal_id=open_.id, centre_id=valmora, created_at=utcnow())
        session.add(interest)
        await session.flush()
    return World(
        kloster=to_global_id("Centre", kloster),
        valmora=to_global_id("Centre", valmora),
        draft=to_global_id("Proposal", draft.id),
        open_proposal=to_global_id("Proposal", open_.id),
        interest=to_global_id("Interest", interest.id),
    )


def _mutation(name: str, input_type: str) -> str:
    return f"mutation ($i: {input_type}!) {{ {name}(input: $i) {{ __typename }} }}"


Case = tuple[str, str, Callable[[World], dict[str, Any]], str, set[str]]
CASES: list[Case] = [
    (
        "createProposal",
        "CreateProposalInput",
        lambda w: {"ownerId": w.kloster, "title": [{"lang": "en", "text": "New"}]},
        "ProposalSuccess",
        {"owner member", "staff"},
    ),
    (
        "updateProposal",
        "UpdateProposalInput",
        lambda w: {"id": w.draft, "expectedVersion": 1, "timeframe": "2028"},
        "ProposalSuccess",
        {"owner member", "staff"},
    ),
    (
        "publishProposal",
        "ProposalStatusInput",
        lambda w: {"id": w.draft},
        "ProposalSuccess",
        {"owner member", "staff"},
    ),
    (
        "closeProposal",
        "ProposalStatusInput",
        lambda w: {"id": w.open_proposal},
        "ProposalSuccess",
        {"owner member", "staff"},
    ),
    (
        "expressInterest",
        "ExpressInterestInput",
        lambda w: {"proposalId": w.open_proposal, "centreId": w.valmora, "message": "again"},
        "InterestSuccess",
        set(),
    ),  # Valmora already expressed interest: see the next case
    (
        "respondToInterest",
        "RespondToInterestInput",
        lambda w: {"interestId": w.interest, "accept": True},
        "InterestSuccess",
        {"owner member", "staff"},
    ),
    (
        "updateCentreProfile",
        "UpdateCentreProfileInput",
        lambda w: {"centreId": w.kloster, "city": "Halle"},
        "CentreSuccess",
        {"owner member", "staff"},
    ),
    (
        "setCentreCompetencies",
        "SetCentreCompetenciesInput",
        lambda w: {
            "centreId": w.kloster,
            "offers": [{"competency": "publishing", "level": 2}],
            "seeks": [],
        },
        "CentreSuccess",
        {"owner member", "staff"},
    ),
    (
        "recordPartnership",
        "RecordPartnershipInput",
        lambda w: {
            "title": "T",
            "startYear": 2026,
            "leadId": w.kloster,
            "members": [{"centreId": w.valmora}],
        },
        "PartnershipSuccess",
        {"staff"},
    ),
]


async def _state(db: Database) -> tuple[int, int]:
    async with db.sessionmaker() as session:
        audit = await session.scalar(select(func.count()).select_from(m.AuditEntry))
        return await data_version.current(session), int(audit or 0)


async def _as(
    role: str, db: Database, settings: Settings, run: Callable[[httpx.AsyncClient], Awaitable[str]]
) -> str:
    email, scopes = ROLES[role]
    token = await issue_token(db, email, scopes) if email else None
    async with app_client(settings, token) as http:
        return await run(http)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
async def test_role_against_mutation(
    role: str, case: Case, sample_db: Database, settings: Settings
) -> None:
    name, input_type, build, success, allowed = case
    world = await _world(sample_db)
    before = await _state(sample_db)

    async def run(http: httpx.AsyncClient) -> str:
        response = await http.post(
            "/graphql",
            json={"query": _mutation(name, input_type), "variables": {"i": build(world)}},
        )
        body = response.json()
        assert "errors" not in body, body
        return str(body["data"][name]["__typename"])

    answer = await _as(role, sample_db, settings, run)
    if name == "expressInterest":  # nobody may express the same interest twice
        expected = "ValidationError" if role in {"other member", "staff"} else "PermissionDenied"
        assert answer == expected
        assert await _state(sample_db) == before
    elif role in allowed:
        assert answer == success
        version, audit = await _state(sample_db)
        assert version > before[0] and audit == before[1] + 1
    else:
        # Another centre's draft does not exist for a member: NotFound, as for a wrong ID, so
        # nobody can probe for drafts (issue 16); other refusals are PermissionDenied.
        hidden = role == "other member" and name in {"updateProposal", "publishProposal"}
        assert answer == ("NotFound" if hidden else "PermissionDenied")
        assert await _state(sample_db) == before


async def test_other_centre_member_expresses_interest_for_own_centre(
    sample_db: Database, settings: Settings
) -> None:
    world = await _world(sample_db)
    async with sample_db.sessionmaker.begin() as session:
        await session.execute(m.Interest.__table__.delete())
    query = _mutation("expressInterest", "ExpressInterestInput")

    async def run(http: httpx.AsyncClient) -> str:
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": {"i": {"proposalId": world.open_proposal}}},
        )
        return str(response.json()["data"]["expressInterest"]["__typename"])

    # A member without centreId acts for its own centre.
    assert await _as("other member", sample_db, settings, run) == "InterestSuccess"
    # The owner cannot express interest in its own proposal.
    assert await _as("owner member", sample_db, settings, run) == "ValidationError"
