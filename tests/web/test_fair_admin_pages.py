"""Fair administration pages: staff create an edition at /fairs/new and change its slots and
tables at /fairs/{id}/grid; members get 403, anonymous readers are sent to sign in; mistakes
re-display the form with the input kept and the message on the field (never a 500)."""

from __future__ import annotations

import re

import httpx

from tests.web.helpers import MEMBER, STAFF, csrf_of, sign_in, submit

NEW_FAIR = {
    "name": "Forum des projets 2028",
    "venue": "Saline royale, Arc-et-Senans",
    "host": "",
    "timezone": "Europe/Paris",
    "max_idle": "2",
    "day0_date": "2028-05-16",
    "day0_start": "09:00",
    "day0_minutes": "30",
    "day0_slots": "4",
    "day0_break_after": "2",
    "day0_break_minutes": "15",
    "day1_date": "2028-05-17",
    "day1_start": "10:00",
    "day1_minutes": "20",
    "day1_slots": "2",
    "tables_one": "3",
    "tables_group": "1",
}


async def _create(client: httpx.AsyncClient, **changes: str) -> httpx.Response:
    return await submit(client, "/fairs/new", {**NEW_FAIR, **changes})


async def _created_fair(client: httpx.AsyncClient) -> int:
    response = await _create(client)
    assert response.status_code == 303, response.text
    found = re.match(r"/fairs/(\d+)/grid\?done=created", response.headers["location"])
    assert found
    return int(found.group(1))


async def test_permissions(client: httpx.AsyncClient) -> None:
    for path in ("/fairs/new", "/fairs/1/grid"):
        anonymous = await client.get(path)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    await sign_in(client, MEMBER)
    assert (await client.get("/fairs/new")).status_code == 403
    page = await client.get("/fairs")
    assert "/fairs/new" not in page.text
    forged = await client.post("/fairs/new", data={"csrf": csrf_of(page.text), **NEW_FAIR})
    assert forged.status_code == 403
    assert (await client.get("/fairs/1/grid")).status_code == 403


async def test_create_an_edition_in_french(client: httpx.AsyncClient) -> None:
    await sign_in(client, STAFF)
    listing = await client.get("/fairs")
    assert 'href="/fairs/new"' in listing.text
    fair = await _created_fair(client)
    grid = await client.get(f"/fairs/{fair}/grid?done=created")
    assert grid.status_code == 200 and 'lang="fr"' in grid.text
    assert "mardi 16 mai 2028" in grid.text and "mercredi 17 mai 2028" in grid.text
    # 4 + 2 slots; the break after slot 2 moves the third to 10:15
    assert len(re.findall(r'name="slot" value="\d+"', grid.text)) == 6
    assert "10:15" in grid.text and "10:45" in grid.text
    assert len(re.findall(r'name="table" value="\d+"', grid.text)) == 4
    assert ">G1<" in grid.text
    detail = await client.get(f"/fairs/{fair}")
    assert f'href="/fairs/{fair}/grid"' in detail.text


async def test_mistakes_are_shown_on_their_fields(client: httpx.AsyncClient) -> None:
    await sign_in(client, STAFF)
    bad_date = await _create(client, day0_date="2028-02-31", day0_slots="douze")
    assert bad_date.status_code == 400
    assert 'id="f-day0_date-error"' in bad_date.text and 'id="f-day0_slots-error"' in bad_date.text
    assert 'value="Forum des projets 2028"' in bad_date.text  # the input is kept
    assert 'value="douze"' in bad_date.text
    zone = await _create(client, timezone="Europe/Atlantis")
    assert zone.status_code == 400
    assert "n’est pas un fuseau horaire" in zone.text or "n'est pas un fuseau horaire" in zone.text
    assert 'id="f-timezone-error"' in zone.text
    minutes = await _create(client, day1_minutes="3")
    assert minutes.status_code == 400 and 'id="f-day1_minutes-error"' in minutes.text
    assert "entre 5 et 240" in minutes.text
    years = await _create(client, day1_date="2029-01-10")
    assert years.status_code == 400 and 'id="f-day1_date-error"' in years.text
    empty = await _create(client, name=" ")
    assert empty.status_code == 400 and 'id="f-name-error"' in empty.text
    no_tables = await _create(client, tables_one="0", tables_group="0")
    assert no_tables.status_code == 400 and 'id="f-tables_one-error"' in no_tables.text


async def test_slots_and_tables(client: httpx.AsyncClient) -> None:
    await sign_in(client, STAFF)
    fair = await _created_fair(client)
    grid = f"/fairs/{fair}/grid"

    async def act(action: str, **data: str) -> httpx.Response:
        return await submit(client, f"{grid}/{action}", data, grid)

    overlap = await act("add-slot", day="0", start="09:10", minutes="30")
    assert overlap.status_code == 400 and 'id="f-start-error"' in overlap.text
    assert "chevauche le créneau 09:00-09:30" in overlap.text
    assert 'value="09:10"' in overlap.text  # kept
    added = await act("add-slot", day="0", start="08:20", minutes="30")
    assert added.status_code == 303 and "done=slot-added" in added.headers["location"]
    page = await client.get(grid)
    assert "08:20" in page.text
    assert len(re.findall(r'name="slot" value="\d+"', page.text)) == 7
    no_day = await act("add-slot", day="7", start="11:00", minutes="30")
    assert no_day.status_code == 400 and 'id="f-day-error"' in no_day.text
    slot = re.findall(r'name="slot" value="(\d+)"', page.text)[0]
    assert (await act("remove-slot", slot=slot)).status_code == 303
    assert (await act("remove-slot", slot=slot)).status_code == 404
    twice = await act("add-table", name="G1", capacity="6")
    assert twice.status_code == 400 and 'id="f-name-error"' in twice.text
    big = await act("add-table", name="Grande", capacity="12")
    assert big.status_code == 400 and 'id="f-capacity-error"' in big.text
    lang = await act("add-table", name="EN1", capacity="2", language="english")
    assert lang.status_code == 400 and 'id="f-language-error"' in lang.text
    assert (await act("add-table", name="EN1", capacity="2", language="en")).status_code == 303
    page = await client.get(grid)
    assert "Anglais" in page.text
    tables = re.findall(r'name="table" value="(\d+)"', page.text)
    for table in tables[:-1]:
        assert (await act("remove-table", table=table)).status_code == 303
    last = await act("remove-table", table=tables[-1])
    assert last.status_code == 400 and "au moins une table" in last.text
    assert (await act("explode")).status_code == 404
    assert (await client.get("/fairs/999999/grid")).status_code == 404
