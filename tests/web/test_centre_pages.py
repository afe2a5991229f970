"""Home, directory, profile and edit pages; the single-item competency mutations."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from accr_graph.db import models as m
from tests.api.helpers import centre_id, gql
from tests.conftest import Database
from tests.web.helpers import MEMBER, OTHER_MEMBER, STAFF, sign_in, submit

OWN = "abbaye-de-saint-aurel"
OTHER = "castello-di-valmora"


async def test_home_shows_figures_and_open_proposals(client: httpx.AsyncClient) -> None:
    page = await client.get("/", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert re.search(r"<strong>44</strong><span>centres</span>", page.text)
    assert "Latest open proposals" in page.text and 'href="/proposals/' in page.text
    french = await client.get("/")
    assert "centres" in french.text and '<html lang="fr">' in french.text


async def test_directory_filters_and_pages(client: httpx.AsyncClient) -> None:
    everyone = await client.get("/centres", headers={"accept-language": "en"})
    assert "44 centres found" in everyone.text and 'rel="next"' in everyone.text
    german = await client.get("/centres?country=DE", headers={"accept-language": "fr"})
    assert "Allemagne" in german.text  # country names localised, not "DE"
    assert "kloster-lindenau" in german.text and OWN not in german.text
    second = await client.get("/centres?page=2")
    assert second.status_code == 200 and 'rel="prev"' in second.text


async def test_directory_survives_bad_input(client: httpx.AsyncClient) -> None:
    for query in (
        "page=abc",
        "page=²",
        "page=" + "9" * 5000,
        "country=ZZ",
        "label=nope",
        "q=" + "x" * 5000,
    ):
        response = await client.get(f"/centres?{query}")
        assert response.status_code == 200, query


async def test_profile_hides_contact_from_visitors(client: httpx.AsyncClient) -> None:
    anonymous = await client.get(f"/centres/{OWN}", headers={"accept-language": "en"})
    assert anonymous.status_code == 200 and "contact@" not in anonymous.text
    assert "Joint projects" in anonymous.text and "Partners" in anonymous.text
    assert "<dd>Abbey</dd>" in anonymous.text  # the site type's name, not the stored "abbey"
    french = await client.get(f"/centres/{OWN}", headers={"accept-language": "fr"})
    assert "<dd>Abbaye</dd>" in french.text
    await sign_in(client, OTHER_MEMBER)
    member = await client.get(f"/centres/{OWN}")
    assert "mailto:contact@" in member.text
    assert f'href="/centres/{OWN}/edit"' not in member.text  # not their centre
    assert (await client.get("/centres/no-such-centre")).status_code == 404


async def test_edit_page_permissions(client: httpx.AsyncClient) -> None:
    redirect = await client.get(f"/centres/{OWN}/edit")
    assert redirect.status_code == 303 and redirect.headers["location"].startswith("/login?next=")
    await sign_in(client, MEMBER)
    assert (await client.get(f"/centres/{OTHER}/edit")).status_code == 403
    assert (await client.get("/centres/nope/edit")).status_code == 404
    assert (await client.get(f"/centres/{OWN}/edit")).status_code == 200


async def test_profile_edit_keeps_input_on_error_and_saves(
    client: httpx.AsyncClient, sample_db: Database
) -> None:
    await sign_in(client, MEMBER)
    path = f"/centres/{OWN}/edit"
    form = {
        "name": "Abbaye <b>de</b> Saint-Aurel",
        "city": "Saintes",
        "website": "javascript:alert(1)",
        "contact_email": "",
        "contact_phone": "",
        "description_fr": "Texte français",
        "description_en": "English text",
    }
    bad = await submit(client, path, form)
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.text and "Texte français" in bad.text
    assert "Abbaye &lt;b&gt;de&lt;/b&gt; Saint-Aurel" in bad.text  # kept, and escaped
    good = await submit(client, path, {**form, "website": "https://aurel.example.org"})
    assert good.status_code == 303
    async with sample_db.sessionmaker() as session:
        centre = await session.scalar(select(m.Centre).where(m.Centre.slug == OWN))
        assert centre is not None and centre.description["fr"] == "Texte français"
        entry = await session.scalar(select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(1))
        assert entry is not None and entry.action == "updateCentreProfile"
    profile = await client.get(f"/centres/{OWN}")
    assert "Abbaye &lt;b&gt;de&lt;/b&gt; Saint-Aurel" in profile.text


async def test_competencies_one_at_a_time(client: httpx.AsyncClient, sample_db: Database) -> None:
    await sign_in(client, MEMBER)
    path = f"/centres/{OWN}/competencies"
    page = f"/centres/{OWN}/edit"
    added = await submit(
        client,
        path,
        {"action": "set", "side": "offers", "competency": "digital-mediation-tools", "level": "3"},
        page,
    )
    assert added.status_code == 303, added.text
    levels = await _levels(sample_db)
    assert levels[("digital-mediation-tools", "offers")] == 3
    slug, side = next(iter(levels))
    changed = await submit(
        client, path, {"action": "set", "side": side, "competency": slug, "level": "1"}, page
    )
    assert changed.status_code == 303
    assert (await _levels(sample_db))[(slug, side)] == 1
    removed = await submit(
        client, path, {"action": "remove", "side": side, "competency": slug}, page
    )
    assert removed.status_code == 303 and (slug, side) not in await _levels(sample_db)
    bad = await submit(
        client, path, {"action": "set", "side": side, "competency": slug, "level": "9"}, page
    )
    assert bad.status_code == 400 and "notice--error" in bad.text


async def _levels(db: Database) -> dict[tuple[str, str], int]:
    async with db.sessionmaker() as session:
        rows = await session.execute(
            select(m.Competency.slug, m.CentreCompetency.kind, m.CentreCompetency.level)
            .join(m.Competency, m.Competency.id == m.CentreCompetency.competency_id)
            .join(m.Centre, m.Centre.id == m.CentreCompetency.centre_id)
            .where(m.Centre.slug == OWN)
        )
        return {(slug, kind.value): level for slug, kind, level in rows}


SET_ONE = """mutation ($i: SetCentreCompetencyInput!) { setCentreCompetency(input: $i) {
  __typename ... on CentreSuccess { centre { offers { competency { slug } level } } }
  ... on ValidationError { field message } ... on PermissionDenied { message } } }"""
REMOVE_ONE = """mutation ($i: RemoveCentreCompetencyInput!) { removeCentreCompetency(input: $i) {
  __typename ... on CentreSuccess { centre { offers { competency { slug } } } } ... on NotFound { message } } }"""


async def test_single_item_mutations(staff_client: httpx.AsyncClient, sample_db: Database) -> None:
    cid = await centre_id(staff_client, OWN)
    slug = next(s for (s, side) in await _levels(sample_db) if side == "offers")
    data = await gql(
        staff_client, SET_ONE, i={"centreId": cid, "side": "OFFERS", "competency": slug, "level": 1}
    )
    offers = data["setCentreCompetency"]["centre"]["offers"]
    assert {"competency": {"slug": slug}, "level": 1} in offers
    bad = await gql(
        staff_client, SET_ONE, i={"centreId": cid, "side": "OFFERS", "competency": slug, "level": 4}
    )
    assert bad["setCentreCompetency"]["__typename"] == "ValidationError"
    gone = await gql(
        staff_client, REMOVE_ONE, i={"centreId": cid, "side": "OFFERS", "competency": slug}
    )
    assert slug not in [
        o["competency"]["slug"] for o in gone["removeCentreCompetency"]["centre"]["offers"]
    ]
    again = await gql(
        staff_client, REMOVE_ONE, i={"centreId": cid, "side": "OFFERS", "competency": slug}
    )
    assert again["removeCentreCompetency"]["__typename"] == "NotFound"


async def test_single_item_mutation_refuses_other_centres(client: httpx.AsyncClient) -> None:
    await sign_in(client, MEMBER)
    cid = await centre_id(client, OTHER)
    data = await gql(
        client,
        SET_ONE,
        i={"centreId": cid, "side": "SEEKS", "competency": "digital-mediation-tools", "level": 2},
    )
    assert data["setCentreCompetency"]["__typename"] == "PermissionDenied"
    await sign_in(client, STAFF)
    staff = await client.get(f"/centres/{OTHER}/edit")
    assert staff.status_code == 200  # staff act for every centre


async def test_profile_page_reads_in_ten_statements(client: httpx.AsyncClient) -> None:
    """Session, header (user, centre and unread count in one), then the profile: centre,
    competencies, themes, partners, projects, their members, one look-up of every centre they
    name, proposals. A count that grows with the partners would be an N+1."""
    from sqlalchemy import event

    await sign_in(client, MEMBER)
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    engine = client.app.state.engine  # type: ignore[attr-defined]
    await client.get(f"/centres/{OWN}")  # warm: version and size caches
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        page = await client.get(f"/centres/{OWN}")
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert page.status_code == 200 and "Castello di Valmora" in page.text
    assert len(seen) == 10, "\n".join(s[:80] for s in seen)
