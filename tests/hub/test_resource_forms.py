"""The resource forms over HTTP, on SQLite and PostgreSQL: who may edit (the uploader's centre
and staff; others 403, anonymous readers sign in first), mistakes shown per field with the
input kept, a file replaced or removed, a stale edit (409, input kept, re-submittable), and the
delete -> deleted list -> restore round trip."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from accr_graph.db import models as m
from accr_graph.settings import Settings
from accr_graph.storage import storage_for
from tests.conftest import Database, app_client
from tests.hub import files
from tests.hub.helpers import add
from tests.meetings.helpers import MARIE, actor_for
from tests.web.helpers import MEMBER, OTHER_MEMBER, STAFF, csrf_of, sign_in

VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture
def page_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"storage_dir": str(tmp_path / "files")})


async def _guide(db: Database, settings: Settings) -> m.Resource:
    """Saint-Aurel's guide: titled in French and English, a PDF, a year, members only."""
    return await add(
        db,
        await actor_for(db, MARIE),
        storage_for(settings),  # type: ignore[arg-type]
        [("fr", "Guide de l'accueil"), ("en", "Welcome guide")],
        abstract=[("fr", "Accueillir les publics."), ("en", "Welcoming visitors.")],
        languages=["fr"],
        visibility=m.ResourceVisibility.MEMBERS,
        kind=m.ResourceKind.GUIDE,
        file=("guide.pdf", files.pdf("Welcome")),
        year=2024,
    )


async def _stored(db: Database, resource_id: int) -> m.Resource:
    async with db.sessionmaker() as session:
        found = await session.get(m.Resource, resource_id)
    assert found is not None
    return found


def _stored_keys(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.is_file()]


def _form(**changes: str) -> dict[str, str]:
    return {
        "kind": "guide",
        "title": "Guide de l'accueil des publics",
        "title_lang": "fr",
        "abstract": "Accueillir les publics des abbayes.",
        "visibility": "members",
        "year": "2024",
        "link": "",
        **changes,
    }


async def _post(
    client: httpx.AsyncClient,
    path: str,
    data: dict[str, str],
    file: tuple[str, bytes] | None = None,
    page: str | None = None,
) -> httpx.Response:
    """POST the multipart form with the CSRF token (and version) of the form's page."""
    shown = await client.get(page or path)
    fields = {"csrf": csrf_of(shown.text), **data}
    version = VERSION.search(shown.text)
    if version and "version" not in data:
        fields["version"] = version[1]
    return await client.post(path, data=fields, files={"file": file} if file else {"x": b""})


async def test_who_may_edit_and_delete(network_db: Database, page_settings: Settings) -> None:
    guide = await _guide(network_db, page_settings)
    edit, delete = f"/resources/{guide.id}/edit", f"/resources/{guide.id}/delete"
    async with app_client(page_settings) as anonymous:
        for path in (edit, delete, "/resources/deleted"):
            answer = await anonymous.get(path)
            assert answer.status_code == 303 and "/login" in answer.headers["location"]
    async with app_client(page_settings) as other:
        await sign_in(other, OTHER_MEMBER)
        page = await other.get(f"/resources/{guide.id}")
        assert page.status_code == 200 and edit not in page.text and delete not in page.text
        not_theirs = await other.get(edit, headers={"accept-language": "fr"})
        assert not_theirs.status_code == 403
        assert "Seuls les membres du centre" in not_theirs.text  # why, in the reader's language
        assert (await other.get(delete)).status_code == 403
        refused = await other.post(edit, data={"csrf": csrf_of(page.text), **_form()})
        assert refused.status_code == 403
        assert (await other.get("/resources/deleted")).status_code == 403
        assert "/resources/deleted" not in (await other.get("/resources")).text
        assert (await other.get("/resources/99999/edit")).status_code == 404
        assert (await other.get("/resources/%C2%B2/edit")).status_code == 404
    assert (await _stored(network_db, guide.id)).title["fr"] == "Guide de l'accueil"
    async with app_client(page_settings) as owner:
        await sign_in(owner, MEMBER)
        page = await owner.get(f"/resources/{guide.id}")
        assert edit in page.text and delete in page.text
        form = await owner.get(edit)
        assert form.status_code == 200 and 'value="Guide de l&#39;accueil"' in form.text
        assert 'name="remove_file"' in form.text and "guide.pdf" in form.text
    async with app_client(page_settings) as staff:
        await sign_in(staff, STAFF)
        assert (await staff.get(edit)).status_code == 200
        assert 'href="/resources/deleted"' in (await staff.get("/resources")).text


async def test_mistakes_are_shown_on_their_fields_with_the_input_kept(
    network_db: Database, page_settings: Settings
) -> None:
    guide = await _guide(network_db, page_settings)
    edit = f"/resources/{guide.id}/edit"
    async with app_client(page_settings) as owner:
        await sign_in(owner, MEMBER, "fr")
        # the mistakes the form can see, all at once; a chosen file must be chosen again
        wrong = await _post(
            owner,
            edit,
            _form(kind="poem", title=" ", year="20x", visibility="staff"),
            ("guide.docx", files.docx("Bienvenue")),
        )
        assert wrong.status_code == 400
        for name in ("kind", "title", "year", "visibility", "file"):
            assert f'id="f-{name}-error"' in wrong.text, name
        assert 'value="20x"' in wrong.text and "Accueillir les publics des abbayes." in wrong.text
        assert "choisissez à nouveau le fichier" in wrong.text
        # the service's refusals, in French on their field
        link = await _post(owner, edit, _form(link="javascript:alert(1)"))
        assert link.status_code == 400 and 'id="f-link-error"' in link.text
        assert "doit être une adresse http:// ou https://" in link.text
        exe = await _post(owner, edit, _form(), ("guide.pdf", files.EXE))
        assert exe.status_code == 400 and 'id="f-file-error"' in exe.text
        assert "ce type de fichier n’est pas accepté" in exe.text
        # a forged or missing CSRF token is the 400 page, nothing saved
        forged = await owner.post(edit, data=_form(title="Forgé"))
        assert forged.status_code == 400 and "Forgé" not in forged.text
        # the same checks on the add form
        new = await _post(owner, "/resources/new", _form(title="", year="3000"))
        assert new.status_code == 400 and 'id="f-title-error"' in new.text
        assert 'id="f-year-error"' in new.text
    stored = await _stored(network_db, guide.id)
    assert (stored.title["fr"], stored.year, stored.version) == ("Guide de l'accueil", 2024, 1)


async def test_file_replaced_then_removed_other_translations_kept(
    network_db: Database, page_settings: Settings
) -> None:
    guide = await _guide(network_db, page_settings)
    old_key = guide.file_key
    edit = f"/resources/{guide.id}/edit"
    folder = Path(page_settings.storage_dir)
    async with app_client(page_settings) as owner:
        await sign_in(owner, MEMBER)
        # when the owner replaces the PDF by a DOCX, renames it and clears the year
        saved = await _post(
            owner,
            edit,
            _form(year="", themes="music"),
            ("programme.docx", files.docx("Programme des visites")),
        )
        assert saved.status_code == 303, saved.text
        page = await owner.get(saved.headers["location"])
        assert "programme.docx" in page.text and "guide.pdf" not in page.text
        download = await owner.get(f"/resources/{guide.id}/file")
        assert download.status_code == 200 and download.content.startswith(b"PK")
        # then the old file left the storage, the English title and abstract stayed
        stored = await _stored(network_db, guide.id)
        assert old_key and old_key not in _stored_keys(folder)
        assert stored.title == {"en": "Welcome guide", "fr": "Guide de l'accueil des publics"}
        assert stored.abstract["en"] == "Welcoming visitors."
        assert stored.year is None and stored.body_text and "Programme" in stored.body_text
        # when the owner removes the file, there is nothing to download any more
        removed = await _post(owner, edit, _form(remove_file="1"))
        assert removed.status_code == 303
        page = await owner.get(f"/resources/{guide.id}")
        assert f"/resources/{guide.id}/file" not in page.text
        assert (await owner.get(f"/resources/{guide.id}/file")).status_code == 404
    stored = await _stored(network_db, guide.id)
    assert stored.file_key is None and _stored_keys(folder) == []


async def test_a_stale_edit_is_a_409_with_the_input_kept(
    network_db: Database, page_settings: Settings
) -> None:
    guide = await _guide(network_db, page_settings)
    edit = f"/resources/{guide.id}/edit"
    async with app_client(page_settings) as owner, app_client(page_settings) as staff:
        await sign_in(owner, MEMBER)
        await sign_in(staff, STAFF)
        # both open the form at version 1; staff save first
        read = await owner.get(edit)
        version = VERSION.search(read.text)
        assert version and version[1] == "1"
        first = await _post(staff, edit, _form(title="Titre du personnel"))
        assert first.status_code == 303
        # the owner's save on version 1 is refused, the input kept, the new version offered
        data = {"csrf": csrf_of(read.text), "version": "1", **_form(title="Titre du centre")}
        stale = await owner.post(edit, data=data, files={"x": b""})
        assert stale.status_code == 409
        assert 'value="Titre du centre"' in stale.text and 'value="2"' in stale.text
        assert f'href="/resources/{guide.id}"' in stale.text
        assert (await _stored(network_db, guide.id)).title["fr"] == "Titre du personnel"
        # re-submitted from the 409 page (after looking), it replaces the staff's version
        again = await owner.post(
            edit, data={**data, "csrf": csrf_of(stale.text), "version": "2"}, files={"x": b""}
        )
        assert again.status_code == 303
    assert (await _stored(network_db, guide.id)).title["fr"] == "Titre du centre"


async def test_delete_then_restore(network_db: Database, page_settings: Settings) -> None:
    guide = await _guide(network_db, page_settings)
    detail, delete = f"/resources/{guide.id}", f"/resources/{guide.id}/delete"
    async with app_client(page_settings) as owner, app_client(page_settings) as staff:
        await sign_in(owner, MEMBER)
        await sign_in(staff, STAFF)
        # the confirmation step is a page with a form (no JavaScript needed)
        confirm = await owner.get(delete)
        assert confirm.status_code == 200 and f'action="{delete}"' in confirm.text
        assert (await owner.post(delete, data={})).status_code == 400  # no CSRF token
        done = await owner.post(delete, data={"csrf": csrf_of(confirm.text)})
        assert done.status_code == 303 and done.headers["location"] == "/resources?done=deleted"
        # then members no longer find it, by its page, its file or the search
        assert (await owner.get(detail)).status_code == 404
        assert (await owner.get(f"{detail}/file")).status_code == 404
        assert (await owner.get(f"{detail}/edit")).status_code == 404
        assert "Guide de l" not in (await owner.get("/resources?q=guide+accueil")).text
        # staff see it in the deleted list and restore it
        listing = await staff.get("/resources/deleted")
        assert listing.status_code == 200 and "Guide de l&#39;accueil" in listing.text
        restore = f"/resources/{guide.id}/restore"
        assert f'action="{restore}"' in listing.text
        restored = await staff.post(restore, data={"csrf": csrf_of(listing.text)})
        assert restored.status_code == 303
        assert "Guide de l&#39;accueil" not in (await staff.get("/resources/deleted")).text
        twice = await staff.post(restore, data={"csrf": csrf_of(listing.text)})
        assert twice.status_code == 400 and "n’est pas supprimée" in twice.text
        # members cannot restore; the owner finds the resource and its file again
        refused = await owner.post(restore, data={"csrf": csrf_of(confirm.text)})
        assert refused.status_code == 403
        assert (await owner.get(detail)).status_code == 200
        assert (await owner.get(f"{detail}/file")).status_code == 200
        assert "Guide de l" in (await owner.get("/resources?q=guide+accueil")).text
        # staff deleting comes back to the deleted list, where the restore button is
        confirm = await staff.get(delete)
        by_staff = await staff.post(delete, data={"csrf": csrf_of(confirm.text)})
        assert by_staff.headers["location"] == "/resources/deleted?done=deleted"
        page = await staff.get(detail)  # staff still see it, marked and restorable
        assert page.status_code == 200 and f'action="{restore}"' in page.text


async def test_a_too_large_upload_is_refused(network_db: Database, page_settings: Settings) -> None:
    small = page_settings.model_copy(update={"max_upload_bytes": 10_000})
    async with app_client(small) as member:
        await sign_in(member, MEMBER, "fr")
        # above the limit but within the room left for the text fields: on the file field
        over = await _post(member, "/resources/new", _form(), ("big.pdf", files.pdf("x" * 12_000)))
        assert over.status_code == 400 and 'id="f-file-error"' in over.text
        assert "la limite est de 10000 octets" in over.text
        # far above: refused from the declared length, before the body is read
        huge = await _post(member, "/resources/new", _form(), ("huge.pdf", b"%PDF" * 400_000))
        assert huge.status_code == 413 and "10000" not in huge.text
        assert "Le fichier est trop gros" in huge.text
