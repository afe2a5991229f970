"""Proposal pages: the life cycle from a draft to a recorded joint project, rules and errors."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from accr_graph.db import models as m
from tests.conftest import Database
from tests.web.helpers import MEMBER, OTHER_MEMBER, csrf_of, sign_in, submit

FORM = {
    "title_fr": "Jardins <i>sonores</i>",
    "title_en": "Sound gardens",
    "summary_fr": "Des concerts dans les jardins.",
    "summary_en": "Concerts in gardens.",
    "themes": ["music"],
    "seeks": ["data-visitor-analytics"],
    "partners_min": "2",
    "partners_max": "4",
    "min_countries": "2",
    "timeframe": "2027",
    "funding_programme": "Creative Europe",
}


async def _create(client: httpx.AsyncClient) -> int:
    response = await submit(client, "/proposals/new", FORM)
    assert response.status_code == 303, response.text
    found = re.match(r"/proposals/(\d+)\?done=created", response.headers["location"])
    assert found
    return int(found.group(1))


async def _act(client: httpx.AsyncClient, pid: int, action: str, **data: str) -> httpx.Response:
    return await submit(client, f"/proposals/{pid}/{action}", data, f"/proposals/{pid}")


async def test_list_filters_and_tab(client: httpx.AsyncClient) -> None:
    page = await client.get("/proposals", headers={"accept-language": "en"})
    assert page.status_code == 200 and "proposals found" in page.text
    drafts = await client.get("/proposals?status=draft")
    assert "0 proposition" in drafts.text or "Aucune" in drafts.text or "0 " in drafts.text
    mine = await client.get("/proposals?tab=mine", headers={"accept-language": "en"})
    assert "Sign in to see the open proposals" in mine.text
    for query in ("page=x", "status=bogus", "theme=<script>", "q=%00"):
        assert (await client.get(f"/proposals?{query}")).status_code == 200, query


async def test_drafts_are_404_for_others_and_edit_is_403(client: httpx.AsyncClient) -> None:
    await sign_in(client, MEMBER)
    pid = await _create(client)
    draft = await client.get(f"/proposals/{pid}", headers={"accept-language": "en"})
    assert "Sound gardens" in draft.text and "Publish" in draft.text
    french = await client.get(f"/proposals/{pid}")
    assert "Jardins &lt;i&gt;sonores&lt;/i&gt;" in french.text  # escaped
    await sign_in(client, OTHER_MEMBER)
    assert (await client.get(f"/proposals/{pid}")).status_code == 404
    assert (await client.get(f"/proposals/{pid}/edit")).status_code == 404
    client.cookies.clear()
    assert (await client.get(f"/proposals/{pid}")).status_code == 404


async def test_form_errors_keep_the_input(client: httpx.AsyncClient) -> None:
    await sign_in(client, MEMBER)
    bad = {**FORM, "title_fr": "", "title_en": "", "partners_min": "deux", "partners_max": "1"}
    response = await submit(client, "/proposals/new", bad)
    assert response.status_code == 400
    assert "Des concerts dans les jardins." in response.text
    assert 'aria-invalid="true"' in response.text and "nombre entier" in response.text
    no_title = await submit(client, "/proposals/new", {**FORM, "title_fr": "", "title_en": ""})
    assert no_title.status_code == 400 and "au moins une langue" in no_title.text


async def test_stale_edit_shows_what_changed_and_reapplies(
    client: httpx.AsyncClient, sample_db: Database
) -> None:
    await sign_in(client, MEMBER)
    pid = await _create(client)
    edit = await client.get(f"/proposals/{pid}/edit")
    token = csrf_of(edit.text)
    first = {**FORM, "csrf": token, "version": "1", "title_en": "Gardens of sound"}
    assert (await client.post(f"/proposals/{pid}/edit", data=first)).status_code == 303
    stale = {**FORM, "csrf": token, "version": "1", "summary_en": "My own summary"}
    conflict = await client.post(f"/proposals/{pid}/edit", data=stale)
    assert conflict.status_code == 409
    assert "Gardens of sound" in conflict.text and "My own summary" in conflict.text
    version = re.search(r'name="version" value="(\d+)"', conflict.text)
    assert version and version.group(1) == "2"
    again = await client.post(f"/proposals/{pid}/edit", data={**stale, "version": "2"})
    assert again.status_code == 303
    async with sample_db.sessionmaker() as session:
        row = await session.get(m.Proposal, pid)
        assert row is not None and row.summary["en"] == "My own summary"


async def test_life_cycle_to_a_joint_project(
    client: httpx.AsyncClient, sample_db: Database
) -> None:
    await sign_in(client, MEMBER)
    pid = await _create(client)
    assert (await _act(client, pid, "publish", version="1")).status_code == 303
    await sign_in(client, OTHER_MEMBER)
    page = await client.get(f"/proposals/{pid}")
    assert "intéressé" in page.text.lower()
    sent = await _act(client, pid, "interest", message="Nous avons un jardin <b>sonore</b>.")
    assert sent.status_code == 303
    twice = await _act(client, pid, "interest", message="again")
    assert twice.status_code == 400
    await sign_in(client, MEMBER)
    owner_page = await client.get(f"/proposals/{pid}")
    assert "Nous avons un jardin &lt;b&gt;sonore&lt;/b&gt;." in owner_page.text
    interest = re.search(r'name="interest" value="(\d+)"', owner_page.text)
    assert interest
    answer = await _act(
        client, pid, "respond", interest=interest.group(1), answer="accept", message="Bienvenue"
    )
    assert answer.status_code == 303
    done = await _act(client, pid, "partnered", version="")
    assert done.status_code == 303, done.text
    for slug in ("abbaye-de-saint-aurel", "castello-di-valmora"):
        profile = await client.get(f"/centres/{slug}")
        assert "Sound gardens" in profile.text, slug
    async with sample_db.sessionmaker() as session:
        kinds = list(await session.scalars(select(m.OutboxEvent.kind).order_by(m.OutboxEvent.id)))
        assert kinds[-3:] == ["interest.expressed", "interest.accepted", "proposal.partnered"]
        accepted = await session.scalar(
            select(m.OutboxEvent).where(m.OutboxEvent.kind == "interest.accepted")
        )
        assert accepted is not None and accepted.payload["message"] == "Bienvenue"


async def test_withdraw_and_refusals(client: httpx.AsyncClient) -> None:
    await sign_in(client, MEMBER)
    pid = await _create(client)
    await _act(client, pid, "publish", version="1")
    assert (await _act(client, pid, "interest", message="mine")).status_code == 400  # own proposal
    assert (await _act(client, pid, "partnered", version="")).status_code == 400  # nobody accepted
    await sign_in(client, OTHER_MEMBER)
    assert (await _act(client, pid, "close", version="")).status_code == 403  # not its owner
    await _act(client, pid, "interest", message="")
    assert (await _act(client, pid, "withdraw")).status_code == 303
    assert (await _act(client, pid, "withdraw")).status_code == 404  # nothing left to withdraw
    assert (await _act(client, pid, "nonsense")).status_code == 404
    forged = await client.post(f"/proposals/{pid}/interest", data={"csrf": "x"})
    assert forged.status_code == 400


async def test_for_my_centre_ranks_other_centres_proposals(client: httpx.AsyncClient) -> None:
    await sign_in(client, OTHER_MEMBER)
    page = await client.get("/proposals?tab=mine", headers={"accept-language": "en"})
    assert page.status_code == 200
    ranked = page.text.split('<ol class="item-list">')[1].split("</ol>")[0]
    assert ranked.count('<ul class="plain-list reasons">') >= 3  # each with reasons in words
    assert "castello-di-valmora" not in ranked  # never its own proposals
    french = await client.get("/proposals?tab=mine")
    assert "Adéquation" in french.text
