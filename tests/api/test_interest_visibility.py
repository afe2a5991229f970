"""Interests (message and status) are read by the two centres concerned and staff only, in
lists and through node(id:) alike."""

from __future__ import annotations

import pytest

from accr_graph.services import proposals
from accr_graph.services.proposals import ProposalChanges
from schema.relay import to_global_id
from tests.conftest import Database, Settings, app_client, issue_token
from tests.services.helpers import MEMBERS, actor, centre_pk

pytestmark = pytest.mark.asyncio(loop_scope="session")
QUERY = """query ($p: ID!, $i: ID!) {
  proposal(id: $p) { interests { totalCount nodes { message status } } }
  node(id: $i) { ... on Interest { message status } }
}"""


async def _seen_by(db: Database, settings: Settings, email: str | None, p: str, i: str) -> int:
    token = await issue_token(db, email, ("read",)) if email else None
    async with app_client(settings, token) as client:
        response = await client.post(
            "/graphql", json={"query": QUERY, "variables": {"p": p, "i": i}}
        )
    data = response.json()["data"]
    listed = data["proposal"]["interests"]
    assert listed["totalCount"] == len(listed["nodes"])
    assert (data["node"] is not None) == (listed["totalCount"] == 1)
    return int(listed["totalCount"])


async def test_only_the_two_centres_and_staff_read_an_interest(
    sample_db: Database, settings: Settings
) -> None:
    # given Valmora's open proposal and Aurel's interest with a message
    staff = await actor(sample_db)
    owner = await centre_pk(sample_db, "castello-di-valmora")
    draft = await proposals.create_proposal(
        sample_db.sessionmaker, staff, owner, ProposalChanges(title=[("en", "Residencies")])
    )
    await proposals.publish_proposal(sample_db.sessionmaker, staff, draft.id, None)
    aurel = await actor(sample_db, MEMBERS["abbaye-de-saint-aurel"])
    interest = await proposals.express_interest(
        sample_db.sessionmaker, aurel, draft.id, None, "Our budget is 20k"
    )
    ids = (to_global_id("Proposal", draft.id), to_global_id("Interest", interest.id))
    # then the owner, the interested centre and staff read it; nobody else does
    seen = {
        who: await _seen_by(sample_db, settings, email, *ids)
        for who, email in {
            "anonymous": None,
            "other member": MEMBERS["kloster-lindenau"],
            "owner": MEMBERS["castello-di-valmora"],
            "interested": MEMBERS["abbaye-de-saint-aurel"],
            "staff": "staff@accr.example.org",
        }.items()
    }
    assert seen == {"anonymous": 0, "other member": 0, "owner": 1, "interested": 1, "staff": 1}
