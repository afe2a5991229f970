"""The meetings and resource pages: fr and en, register and cancel through the forms (CSRF),
join links only for participants, search with snippets and facets, the upload form."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from accr_graph.db import models as m
from accr_graph.settings import Settings
from tests.conftest import Database, app_client
from tests.hub import files
from tests.hub.helpers import add, storage_in
from tests.meetings.helpers import open_meeting, staff
from tests.web.helpers import MEMBER, csrf_of, sign_in


@pytest.fixture
def page_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"storage_dir": str(tmp_path / "files")})


async def test_meeting_pages_and_registration_form(
    network_db: Database, page_settings: Settings
) -> None:
    meeting = await open_meeting(
        network_db, capacity=5, online=True, join_url="https://visio.example.org/room"
    )
    async with app_client(page_settings) as anonymous:
        listing = await anonymous.get("/meetings", headers={"accept-language": "fr"})
        assert listing.status_code == 200 and "Réunion technique" in listing.text
        assert 'lang="fr"' in listing.text and "À venir" in listing.text  # the hub catalog
        assert "Réunion technique" in listing.text and "Inscriptions ouvertes" in listing.text
        # the meeting's local time by its city, to the minute (Babel's "medium" adds seconds)
        assert "(heure de Paris)" in listing.text
        assert not re.search(r"\d\d:\d\d:\d\d", listing.text.split("<main")[1])
        english = await anonymous.get("/meetings?view=calendar", headers={"accept-language": "en"})
        assert english.status_code == 200 and "Technical meeting" in english.text
        assert '<table class="calendar">' in english.text
        assert (await anonymous.get("/meetings?kind=bogus&when=x")).status_code == 200
        detail = await anonymous.get(f"/meetings/{meeting.id}")
        assert "visio.example.org" not in detail.text  # no join link without a seat
        assert (await anonymous.get("/meetings/abc")).status_code == 404
    async with app_client(page_settings) as member:
        await sign_in(member, MEMBER, "fr")
        page = await member.get(f"/meetings/{meeting.id}")
        path = f"/meetings/{meeting.id}/registration"
        # an empty list of names is shown again with the error, nothing saved
        empty = await member.post(
            path, data={"csrf": csrf_of(page.text), "action": "register", "representatives": " "}
        )
        assert empty.status_code == 400 and 'aria-invalid="true"' in empty.text
        # a forged form is refused
        forged = await member.post(path, data={"action": "register", "representatives": "X"})
        assert forged.status_code == 400
        done = await member.post(
            path,
            data={
                "csrf": csrf_of(page.text),
                "action": "register",
                "representatives": "Marie\nPaul",
            },
        )
        assert done.status_code == 303
        seated = await member.get(done.headers["location"])
        assert "visio.example.org/room" in seated.text and "Marie, Paul" in seated.text
        cancelled = await member.post(path, data={"csrf": csrf_of(seated.text), "action": "cancel"})
        assert cancelled.status_code == 303


async def test_resource_pages_search_and_upload(
    network_db: Database, page_settings: Settings, tmp_path: Path
) -> None:
    actor = await staff(network_db)
    storage = storage_in(tmp_path)
    await add(network_db, actor, storage, [("fr", "Les résidences d'artistes dans les abbayes")])
    hidden = await add(
        network_db,
        actor,
        storage,
        [("fr", "Budget des résidences")],
        visibility=m.ResourceVisibility.STAFF,
    )
    async with app_client(page_settings) as anonymous:
        found = await anonymous.get(
            "/resources?q=residence+abbaye", headers={"accept-language": "en"}
        )
        assert found.status_code == 200
        assert "<mark>" in found.text and "Budget" not in found.text
        assert (await anonymous.get(f"/resources/{hidden.id}")).status_code == 404
        browse = await anonymous.get("/resources?kind=study")
        assert "Les résidences" in browse.text
        assert (await anonymous.get("/resources/new")).status_code == 303  # sign in first
    async with app_client(page_settings) as member:
        await sign_in(member, MEMBER, "fr")
        form = await member.get("/resources/new")
        assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
        fields = {
            "csrf": csrf_of(form.text),
            "kind": "guide",
            "title": "Guide de l'accueil",
            "title_lang": "fr",
            "visibility": "members",
        }
        refused = await member.post(
            "/resources/new", data=fields, files={"file": ("guide.pdf", files.EXE)}
        )
        assert refused.status_code == 400 and "Guide de l&#39;accueil" in refused.text
        saved = await member.post(
            "/resources/new", data=fields, files={"file": ("guide.pdf", files.pdf("Welcome"))}
        )
        assert saved.status_code == 303
        page = await member.get(saved.headers["location"])
        assert "Guide de l&#39;accueil" in page.text and "/file" in page.text
        download = await member.get(_file_link(page.text))
        assert download.status_code == 200 and download.content.startswith(b"%PDF")


def _file_link(html: str) -> str:
    found = re.search(r'href="(/resources/\d+/file)"', html)
    assert found, "no download link"
    return found.group(1)


async def test_unknown_pages_are_404(client: httpx.AsyncClient) -> None:
    for path in ("/meetings/99999", "/resources/99999", "/resources/%C2%B2"):
        assert (await client.get(path)).status_code == 404
