"""Consortium tables on /fairs/{id}: the owner of a proposal asks for a table with registered
centres interested in it, sees its state; a mistake is shown on the form's field with the
choices kept; staff see every table and cancel one once scheduled."""

from __future__ import annotations

import re
from typing import Any

import httpx

from accr_graph.ids import pk_of
from tests.api.helpers import gql
from tests.fair.helpers import SCHEDULE, create_fair, ok, register
from tests.web.helpers import MEMBER, STAFF, sign_in, submit

OWNER = "abbaye-de-saint-aurel"
PROPOSALS = (
    "{ proposals(first: 100) { nodes { id status owner { slug }"
    " interests { nodes { status centre { id slug name } } } } } }"
)


async def _owned_with_interests(staff: httpx.AsyncClient) -> dict[str, Any]:
    nodes = (await gql(staff, PROPOSALS))["proposals"]["nodes"]
    return next(
        p
        for p in nodes
        if p["owner"]["slug"] == OWNER
        and p["status"] in ("OPEN", "IN_DISCUSSION")
        and sum(i["status"] != "DECLINED" for i in p["interests"]["nodes"]) >= 2
    )


async def test_ask_for_a_table_and_cancel_it(
    client: httpx.AsyncClient, staff_client: httpx.AsyncClient
) -> None:
    proposal = await _owned_with_interests(staff_client)
    interested = [i["centre"] for i in proposal["interests"]["nodes"] if i["status"] != "DECLINED"]
    fair_gid = (await create_fair(staff_client))["id"]
    fair = pk_of(fair_gid, "Fair")
    for slug in [OWNER, *(c["slug"] for c in interested)]:
        await register(staff_client, fair_gid, slug)
    ids = [str(pk_of(c["id"], "Centre")) for c in interested]
    number = str(pk_of(proposal["id"], "Proposal"))
    await sign_in(client, MEMBER)
    page = await client.get(f"/fairs/{fair}")
    assert 'id="tables"' in page.text and "Demander une table de consortium" in page.text
    for ident in ids:
        assert f'name="members" value="{ident}"' in page.text
    # one centre only: refused on the members' field, the choices kept
    path = f"/fairs/{fair}/table"
    data: dict[str, Any] = {"proposal": number, "members": ids[:1], "message": "Atelier"}
    alone = await submit(client, path, data, f"/fairs/{fair}")
    assert alone.status_code == 400 and 'id="f-table_members-error"' in alone.text
    assert "entre 2 et 7 centres" in alone.text or "2 à 7 centres" in alone.text
    assert f'value="{ids[0]}" checked' in alone.text and ">Atelier</textarea>" in alone.text
    asked = await submit(client, path, {**data, "members": ids[:2]}, f"/fairs/{fair}")
    assert asked.status_code == 303 and "done=table" in asked.headers["location"]
    mine = await client.get(f"/fairs/{fair}")
    assert "Acceptée" in mine.text.split('id="tables"')[1].split("</ul>")[0]
    twice = await submit(client, path, {**data, "members": ids[:2]}, f"/fairs/{fair}")
    assert twice.status_code == 400 and "déjà été demandée" in twice.text
    # staff see it, schedule, and cancel the table
    await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_gid})
    await sign_in(client, STAFF)
    admin = await client.get(f"/fairs/{fair}", headers={"accept-language": "en"})
    assert "Consortium tables" in admin.text and "draft, not yet published" in admin.text
    meeting = re.search(r'name="meeting" value="(\d+)"', admin.text)
    assert meeting
    cancel = f"/fairs/{fair}/cancel-table"
    done = await submit(client, cancel, {"meeting": meeting.group(1)}, f"/fairs/{fair}")
    assert done.status_code == 303
    again = await submit(client, cancel, {"meeting": meeting.group(1)}, f"/fairs/{fair}")
    assert again.status_code == 400
    assert (await submit(client, cancel, {"meeting": "x"}, f"/fairs/{fair}")).status_code == 400
