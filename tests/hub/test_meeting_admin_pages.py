"""Staff pages of the meetings programme: create (a draft), edit (a stale version is a 409
with the input kept), publish, cancel, record attendance; members get 403, anonymous readers
sign in first; mistakes are shown on their fields in French (never a 500)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx

from accr_graph.services import meeting_registrations
from tests.conftest import Database
from tests.meetings.helpers import centre_pk, staff
from tests.web.helpers import MEMBER, STAFF, csrf_of, sign_in, submit


def _form(start: datetime, **changes: str) -> dict[str, str]:
    return {
        "kind": "thematic",
        "title_fr": "Jardins et paysages",
        "title_en": "Gardens and landscapes",
        "description_fr": "Rencontre des jardiniers des centres.",
        "description_en": "",
        "timezone": "Europe/Paris",
        "starts": f"{start:%Y-%m-%d}T10:00",
        "ends": f"{start:%Y-%m-%d}T16:30",
        "deadline": "",
        "join_url": "",
        "venue": "",
        "address": "Grande Saline, Arc-et-Senans",
        "capacity": "12",
        "agenda": "10:00 | Accueil | Welcome | Marie Dubois\n14:00 | Visite des jardins",
        "version": "",
        **changes,
    }


async def test_permissions(client: httpx.AsyncClient) -> None:
    for path in ("/meetings/new", "/meetings/1/edit", "/meetings/1/attendance"):
        anonymous = await client.get(path)
        assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
    await sign_in(client, MEMBER)
    assert (await client.get("/meetings/new")).status_code == 403
    assert (await client.get("/meetings/1/edit")).status_code == 403
    listing = await client.get("/meetings")
    assert "/meetings/new" not in listing.text
    forged = await client.post("/meetings/1/cancel", data={"csrf": csrf_of(listing.text)})
    assert forged.status_code == 403


async def test_create_edit_publish_cancel(client: httpx.AsyncClient) -> None:
    await sign_in(client, STAFF)
    start = datetime.now(UTC) + timedelta(days=40)
    assert 'href="/meetings/new"' in (await client.get("/meetings")).text
    wrong = await submit(
        client, "/meetings/new", _form(start, ends=f"{start:%Y-%m-%d}T09:00", capacity="x")
    )
    assert wrong.status_code == 400 and 'id="f-capacity-error"' in wrong.text
    assert 'value="Jardins et paysages"' in wrong.text and "Accueil | Welcome" in wrong.text
    before = await submit(client, "/meetings/new", _form(start, ends=f"{start:%Y-%m-%d}T09:00"))
    assert before.status_code == 400 and 'id="f-ends-error"' in before.text
    assert "doit être après le début" in before.text
    gap = await submit(
        client, "/meetings/new", _form(start, starts="2027-03-28T02:30", ends="2027-03-28T05:00")
    )
    assert gap.status_code == 400 and 'id="f-starts-error"' in gap.text
    assert "n’existe pas à Europe/Paris" in gap.text
    agenda = await submit(client, "/meetings/new", _form(start, agenda="dix heures | Accueil"))
    assert agenda.status_code == 400 and 'id="f-agenda-error"' in agenda.text
    created = await submit(client, "/meetings/new", _form(start))
    assert created.status_code == 303, created.text
    path = created.headers["location"].split("?")[0]
    page = await client.get(path)
    assert "Brouillon" in page.text and "Visite des jardins" in page.text
    assert "10:00" in page.text and "16:30" in page.text  # local times of the zone
    edit = await client.get(f"{path}/edit")
    assert 'value="Jardins et paysages"' in edit.text and "10:00 | Accueil | Welcome" in edit.text
    version = re.search(r'name="version" value="(\d+)"', edit.text)
    assert version
    saved = await submit(client, f"{path}/edit", _form(start, title_fr="Jardins", version="1"))
    assert saved.status_code == 303
    stale = await submit(client, f"{path}/edit", _form(start, title_fr="Vieux", version="1"))
    assert stale.status_code == 409 and 'value="Vieux"' in stale.text
    assert (await submit(client, f"{path}/publish", {}, path)).status_code == 303
    assert "Inscriptions ouvertes" in (await client.get(path)).text
    assert (await submit(client, f"{path}/publish", {}, path)).status_code == 400
    assert (await submit(client, f"{path}/cancel", {}, path)).status_code == 303
    assert "Annulée" in (await client.get(path)).text
    assert (await client.get(f"{path}/edit")).status_code == 200  # shown; saving is refused
    refused = await submit(client, f"{path}/edit", _form(start))
    assert refused.status_code == 403


async def test_attendance(client: httpx.AsyncClient, sample_db: Database) -> None:
    await sign_in(client, STAFF)
    start = datetime.now(UTC) - timedelta(days=2)
    created = await submit(client, "/meetings/new", _form(start))
    path = created.headers["location"].split("?")[0]
    await submit(client, f"{path}/publish", {}, path)
    meeting = int(path.rsplit("/", 1)[1])
    centre = await centre_pk(sample_db, "castello-di-valmora")
    actor = await staff(sample_db)
    await meeting_registrations.register(sample_db.sessionmaker, actor, meeting, centre, ["G."])
    page = await client.get(f"{path}/attendance")
    assert "Castello di Valmora" in page.text
    bad = await submit(client, f"{path}/attendance", {f"people_{centre}": "cent"})
    assert bad.status_code == 400 and f'id="f-people_{centre}-error"' in bad.text
    assert "doit être entre 0 et 50" in bad.text  # staff signed in reading French
    done = await submit(
        client, f"{path}/attendance", {"attended": str(centre), f"people_{centre}": "2"}
    )
    assert done.status_code == 303
    after = await client.get(f"{path}/attendance?done=recorded")
    assert f'value="{centre}" ' in after.text and "checked" in after.text
    assert "A eu lieu" in (await client.get(path)).text or "Tenue" in (await client.get(path)).text


async def test_every_mistake_is_reported_at_once(client: httpx.AsyncClient) -> None:
    await sign_in(client, STAFF)
    start = datetime.now(UTC) + timedelta(days=40)
    # no title, no end and a capacity that is not a number: three messages, input kept
    blank = await submit(
        client, "/meetings/new", _form(start, title_fr="", title_en="", ends="", capacity="x")
    )
    assert blank.status_code == 400
    for name in ("title_fr", "ends", "capacity"):
        assert f'id="f-{name}-error"' in blank.text, name
    assert "Grande Saline, Arc-et-Senans" in blank.text
    # an end before the start and a deadline after it, besides no title: each on its field
    day = f"{start:%Y-%m-%d}"
    order = await submit(
        client,
        "/meetings/new",
        _form(start, ends=f"{day}T09:00", deadline=f"{day}T11:00", title_fr="", title_en=""),
    )
    assert order.status_code == 400
    for name in ("title_fr", "ends", "deadline"):
        assert f'id="f-{name}-error"' in order.text, name
    assert "doit être après le début" in order.text
    zone = await submit(
        client, "/meetings/new", _form(start, timezone="Mars/Olympus", starts="", ends="")
    )
    assert zone.status_code == 400
    for name in ("timezone", "starts", "ends"):
        assert f'id="f-{name}-error"' in zone.text, name


async def test_an_edit_clears_the_capacity(client: httpx.AsyncClient, sample_db: Database) -> None:
    await sign_in(client, STAFF)
    start = datetime.now(UTC) + timedelta(days=40)
    created = await submit(client, "/meetings/new", _form(start, capacity="1"))
    path = created.headers["location"].split("?")[0]
    await submit(client, f"{path}/publish", {}, path)
    meeting = int(path.rsplit("/", 1)[1])
    actor = await staff(sample_db)
    for slug in ("castello-di-valmora", "kloster-lindenau"):
        centre = await centre_pk(sample_db, slug)
        await meeting_registrations.register(sample_db.sessionmaker, actor, meeting, centre, ["R."])
    edit = await client.get(f"{path}/edit")
    assert 'name="capacity" type="number" value="1"' in edit.text
    version = re.search(r'name="version" value="(\d+)"', edit.text)
    assert version
    # when staff empty the capacity field, the meeting has no limit and nobody waits
    saved = await submit(client, f"{path}/edit", _form(start, capacity="", version=version[1]))
    assert saved.status_code == 303, saved.text
    page = await client.get(path)
    assert "Sans limite" in page.text and "en attente" not in page.text
    again = await client.get(f"{path}/edit")
    assert 'name="capacity" type="number" value=""' in again.text
