"""The fair pages: two members register, one asks the other for a meeting, the other accepts,
staff schedule and publish, and each sees the meeting in their agenda (fair's local time)."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.ids import pk_of
from tests.conftest import Database
from tests.fair.helpers import create_fair
from tests.web.helpers import MEMBER, OTHER_MEMBER, STAFF, sign_in, submit


async def _act(client: httpx.AsyncClient, fair: int, action: str, **data: str) -> httpx.Response:
    return await submit(client, f"/fairs/{fair}/{action}", data, f"/fairs/{fair}")


async def test_fairs_list_and_unknown_fair(
    client: httpx.AsyncClient, staff_client: httpx.AsyncClient
) -> None:
    created = await create_fair(staff_client)
    listing = await client.get("/fairs", headers={"accept-language": "en"})
    assert "Project Fair 2027" in listing.text and "Registration open" in listing.text
    fair = pk_of(created["id"], "Fair")
    page = await client.get(f"/fairs/{fair}")
    assert "mardi 18 mai 2027" in page.text  # the fair's day, in French
    for bad in ("999999", "abc", "0", "1" * 30):
        assert (await client.get(f"/fairs/{bad}")).status_code == 404, bad


async def test_meeting_from_request_to_agenda(
    client: httpx.AsyncClient, staff_client: httpx.AsyncClient
) -> None:
    fair = pk_of((await create_fair(staff_client))["id"], "Fair")
    assert fair is not None
    await sign_in(client, OTHER_MEMBER)
    assert (
        await _act(client, fair, "register", representatives="Giulia Bassi", max_meetings="4")
    ).status_code == 303
    await sign_in(client, MEMBER)
    empty = await _act(client, fair, "register", representatives=" ", max_meetings="4")
    assert empty.status_code == 400
    assert (
        await _act(
            client, fair, "register", representatives="Marie Dubois, Paul Roy", max_meetings="4"
        )
    ).status_code == 303
    page = await client.get(f"/fairs/{fair}")
    other = re.search(r'<option value="(\d+)"[^>]*>Castello di Valmora', page.text)
    assert other, "the other registered centre can be asked"
    asked = await _act(
        client, fair, "request", centre=other.group(1), priority="4", message="Parlons musique"
    )
    assert asked.status_code == 303
    await sign_in(client, OTHER_MEMBER)
    received = await client.get(f"/fairs/{fair}")
    assert "Parlons musique" in received.text
    request_id = re.search(r'name="request" value="(\d+)"', received.text)
    assert request_id
    assert (
        await _act(client, fair, "respond", request=request_id.group(1), answer="accept")
    ).status_code == 303
    assert (await _act(client, fair, "schedule")).status_code == 403  # members do not schedule
    await sign_in(client, STAFF)
    assert (await _act(client, fair, "schedule")).status_code == 303
    assert (await _act(client, fair, "publish")).status_code == 303
    for who, partner in ((MEMBER, "Castello di Valmora"), (OTHER_MEMBER, "Abbaye de Saint-Aurel")):
        await sign_in(client, who)
        agenda = await client.get(f"/fairs/{fair}")
        assert re.search(r"mardi 18 mai, 09:00.09:30", agenda.text), who  # local time, French
        assert partner in agenda.text.split('id="agenda"')[1].split("</table>")[0]
    ics = await client.get(f"/fairs/{fair}/agenda/castello-di-valmora.ics")
    assert ics.status_code == 200 and ics.text.startswith("BEGIN:VCALENDAR")
    assert "DTSTART:20270518T070000Z" in ics.text
    feed = await _act(client, fair, "calendar")
    url = re.search(r"(http://testserver/calendar/[^<\s]+\.ics)", feed.text)
    assert url
    subscribed = await httpx.AsyncClient(transport=client._transport).get(url.group(1))  # type: ignore[attr-defined]
    assert subscribed.status_code == 200 and "BEGIN:VEVENT" in subscribed.text


async def test_registration_presents_proposals_and_says_when_the_centre_is_away(
    client: httpx.AsyncClient, sample_db: Database
) -> None:
    """The sample edition (load-sample) takes a registration from its page with the proposals
    presented and the slots the centre cannot attend; someone else's proposal is refused."""
    async with sample_db.sessionmaker() as session:
        fair = await session.scalar(
            select(m.Fair).where(m.Fair.name.like("Foire aux projets de %"))
        )
        assert fair is not None and fair.registration_open
        slots = list(
            await session.scalars(select(m.FairSlot.id).where(m.FairSlot.fair_id == fair.id))
        )
        own, foreign = [
            await session.scalar(
                select(m.Proposal.id)
                .join(m.Centre, m.Centre.id == m.Proposal.owner_id)
                .where(m.Centre.slug == slug, m.Proposal.status == m.ProposalStatus.OPEN)
            )
            for slug in ("abbaye-de-saint-aurel", "kloster-lindenau")
        ]
    await sign_in(client, MEMBER)
    page = await client.get(f"/fairs/{fair.id}", headers={"accept-language": "fr"})
    assert f'name="proposals" value="{own}"' in page.text
    assert page.text.count('name="unavailable"') == len(slots) == 12
    data = {"representatives": "Marie Dubois", "max_meetings": "6"}
    refused = await submit(
        client,
        f"/fairs/{fair.id}/register",
        {**data, "proposals": [str(foreign)]},
        f"/fairs/{fair.id}",
    )
    assert refused.status_code in (400, 403)
    saved = await submit(
        client,
        f"/fairs/{fair.id}/register",
        {**data, "proposals": [str(own)], "unavailable": [str(slots[0]), str(slots[1]), "x"]},
        f"/fairs/{fair.id}",
    )
    assert saved.status_code == 303
    async with sample_db.sessionmaker() as session:
        row = await session.scalar(
            select(m.FairRegistration)
            .join(m.Centre, m.Centre.id == m.FairRegistration.centre_id)
            .where(m.FairRegistration.fair_id == fair.id, m.Centre.slug == "abbaye-de-saint-aurel")
        )
    assert row is not None
    assert (row.proposal_ids, sorted(row.unavailable_slot_ids)) == ([own], sorted(slots[:2]))
    again = await client.get(f"/fairs/{fair.id}")
    assert f'value="{slots[0]}" checked' in again.text  # the form shows what is saved
