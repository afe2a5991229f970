"""The resource hub over HTTP: multipart uploads (types sniffed, size limit -> 413), downloads
with access checks, member and staff rules, soft delete and restore, search with highlights
and facets through `resources(search:)` and `search(query:)`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from accr_graph.settings import Settings
from tests.api.helpers import centre_id, gql
from tests.conftest import Database, app_client, issue_token
from tests.hub import files
from tests.meetings.helpers import GIULIA, MARIE

ERRORS = """
  ... on ValidationError { field message }
  ... on NotFound { message }
  ... on Conflict { message currentVersion }
  ... on PermissionDenied { message }
"""
FIELDS = (
    "id kind title visibility languages version year deletedAt file { url name mediaType size }"
    " centres { slug } themes { slug }"
)
CREATE = (
    "mutation ($input: CreateResourceInput!) { createResource(input: $input) { __typename"
    " ... on ResourceSuccess { resource { " + FIELDS + " } }" + ERRORS + "} }"
)
UPDATE = (
    "mutation ($input: UpdateResourceInput!) { updateResource(input: $input) { __typename"
    " ... on ResourceSuccess { resource { " + FIELDS + " } }" + ERRORS + "} }"
)
DELETE = (
    "mutation ($input: ResourceInput!) { deleteResource(input: $input) { __typename"
    " ... on ResourceSuccess { resource { id deletedAt } }" + ERRORS + "} }"
)
RESTORE = DELETE.replace("deleteResource", "restoreResource")
RESOURCES = (
    "query ($search: String, $filter: ResourceFilter) { resources(search: $search,"
    " filter: $filter) { totalCount edges { node { id title highlights } }"
    " facets { kind { value count } language { value count } theme { value count } } } }"
)
SEARCH = (
    "query ($q: String!, $kinds: [SearchKind!]) { search(query: $q, kinds: $kinds) {"
    " totalCount hits { kind highlights node { __typename ... on Centre { slug }"
    " ... on Resource { title } } } } }"
)


def _input(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "STUDY",
        "title": [{"lang": "fr", "text": "Étude sur les publics des abbayes"}],
        "languages": ["fr"],
        "visibility": "PUBLIC",
    } | extra


async def upload(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    content: bytes,
    name: str = "document.pdf",
    preflight: bool = True,
) -> httpx.Response:
    """A GraphQL multipart request putting the file at variables.input.file."""
    variables["input"]["file"] = None
    operations = json.dumps({"query": query, "variables": variables})
    mapping = json.dumps({"0": ["variables.input.file"]})
    headers = {"GraphQL-Preflight": "1"} if preflight else {}
    return await client.post(
        "/graphql",
        data={"operations": operations, "map": mapping},
        files={"0": (name, content, "application/octet-stream")},
        headers=headers,
    )


def _stored_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def _payload(response: httpx.Response, field: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"][field]  # type: ignore[no-any-return]


@pytest.fixture
def hub_settings(settings: Settings, tmp_path: Path) -> Settings:
    update = {"storage_dir": str(tmp_path / "files"), "max_upload_bytes": 200_000}
    return settings.model_copy(update=update)


async def test_upload_download_and_visibility(network_db: Database, hub_settings: Settings) -> None:
    staff_token = await issue_token(network_db, "staff@accr.example.org")
    marie = await issue_token(network_db, MARIE, ("read", "write"))
    async with (
        app_client(hub_settings, staff_token) as staff,
        app_client(hub_settings, marie) as aurel,
        app_client(hub_settings) as anonymous,
    ):
        # given a members-only PDF uploaded by staff
        response = await upload(
            staff,
            CREATE,
            {"input": _input(visibility="MEMBERS")},
            files.pdf("Audience study of abbeys"),
            "étude publics.exe",
        )
        created = _payload(response, "createResource")
        assert created["__typename"] == "ResourceSuccess", created
        resource = created["resource"]
        # then the type comes from the content, not the name
        assert resource["file"]["mediaType"] == "application/pdf"
        assert resource["file"]["name"] == "étude publics.pdf"
        url = resource["file"]["url"]
        # and anonymous callers get nothing: not the resource, not the file (any URL form)
        assert (
            await gql(anonymous, "query ($id: ID!) { resource(id: $id) { id } }", id=resource["id"])
        )["resource"] is None
        for path in (url, f"/resources/{resource['id']}/file", "/resources/1/file"):
            assert (await anonymous.get(path)).status_code == 404
        # and a member downloads it with the right headers
        download = await aurel.get(url)
        assert download.status_code == 200
        assert download.headers["content-type"] == "application/pdf"
        disposition = download.headers["content-disposition"]
        assert (
            disposition.startswith("attachment;") and "filename*=UTF-8''%C3%A9tude" in disposition
        )
        assert download.headers["x-content-type-options"] == "nosniff"
        assert download.content.startswith(b"%PDF-")
        # and a staff-only resource is hidden from the member
        staff_only = _payload(
            await upload(
                staff,
                CREATE,
                {"input": _input(visibility="STAFF")},
                files.docx("Budget"),
                "budget.docx",
            ),
            "createResource",
        )["resource"]
        assert staff_only["file"]["mediaType"].endswith("wordprocessingml.document")
        assert (await aurel.get(staff_only["file"]["url"])).status_code == 404
        assert (await staff.get(staff_only["file"]["url"])).status_code == 200


async def test_refused_types_size_limit_and_csrf(
    network_db: Database, hub_settings: Settings
) -> None:
    staff_token = await issue_token(network_db, "staff@accr.example.org")
    async with app_client(hub_settings, staff_token) as staff:
        # other types are refused clearly, whatever their name says
        for content, name in ((files.EXE, "report.pdf"), (files.HTML, "table.csv")):
            refused = _payload(
                await upload(staff, CREATE, {"input": _input()}, content, name), "createResource"
            )
            assert refused["__typename"] == "ValidationError" and refused["field"] == "file"
            assert "not accepted" in refused["message"]
        # accepted types: ODT, PNG, CSV
        for content, media in (
            (files.odt("Texte"), "application/vnd.oasis.opendocument.text"),
            (files.PNG, "image/png"),
            (files.CSV, "text/csv"),
        ):
            ok = _payload(
                await upload(staff, CREATE, {"input": _input()}, content, "x.bin"), "createResource"
            )
            assert ok["resource"]["file"]["mediaType"] == media
        # above the limit (200 kB here): 413 before anything is parsed
        big = files.pdf("x") + b"0" * 250_000
        response = await upload(staff, CREATE, {"input": _input()}, big)
        assert response.status_code == 413
        # a multipart request without the preflight header is refused (CSRF)
        response = await upload(staff, CREATE, {"input": _input()}, files.PNG, preflight=False)
        assert response.status_code == 400 and "GraphQL-Preflight" in response.text
        # a file given as JSON text instead of an upload is a typed error
        answer = await gql(staff, CREATE, input=_input(file="not a file"))
        assert answer["createResource"]["field"] == "file"
    # nothing was left behind by the refused uploads
    assert _stored_files(Path(hub_settings.storage_dir)) == 3


async def test_member_rules_soft_delete_and_restore(
    network_db: Database, hub_settings: Settings
) -> None:
    staff_token = await issue_token(network_db, "staff@accr.example.org")
    marie = await issue_token(network_db, MARIE, ("read", "write"))
    giulia = await issue_token(network_db, GIULIA, ("read", "write"))
    async with (
        app_client(hub_settings, staff_token) as staff,
        app_client(hub_settings, marie) as aurel,
        app_client(hub_settings, giulia) as valmora,
    ):
        valmora_id = await centre_id(staff, "castello-di-valmora")
        # a member's resource is about its own centre by default
        mine = (await gql(aurel, CREATE, input=_input(themes=["music"])))["createResource"]
        assert [c["slug"] for c in mine["resource"]["centres"]] == ["abbaye-de-saint-aurel"]
        # a member may not add a resource only about another centre, nor a staff-only one
        other = await gql(aurel, CREATE, input=_input(centreIds=[valmora_id]))
        assert other["createResource"]["__typename"] == "PermissionDenied"
        hidden = await gql(aurel, CREATE, input=_input(visibility="STAFF"))
        assert hidden["createResource"]["field"] == "visibility"
        # another centre's member may not change or delete it
        rid = mine["resource"]["id"]
        denied = await gql(valmora, DELETE, input={"resourceId": rid})
        assert denied["deleteResource"]["__typename"] == "PermissionDenied"
        # the owner edits it; a stale version is a conflict
        edited = await gql(
            aurel, UPDATE, input={"resourceId": rid, "year": 2024, "expectedVersion": 1}
        )
        assert edited["updateResource"]["resource"]["version"] == 2
        stale = await gql(aurel, UPDATE, input={"resourceId": rid, "expectedVersion": 1})
        assert stale["updateResource"]["__typename"] == "Conflict"
        # `year: null` leaves the year; clearYear removes it; both at once is a mistake
        kept = await gql(aurel, UPDATE, input={"resourceId": rid, "year": None})
        assert kept["updateResource"]["resource"]["year"] == 2024
        both = await gql(aurel, UPDATE, input={"resourceId": rid, "year": 2020, "clearYear": True})
        assert both["updateResource"]["field"] == "year"
        cleared = await gql(aurel, UPDATE, input={"resourceId": rid, "clearYear": True})
        assert cleared["updateResource"]["resource"]["year"] is None
        # deleting hides it from members (and search); staff still see it and restore it
        assert (await gql(aurel, DELETE, input={"resourceId": rid}))["deleteResource"]["resource"][
            "deletedAt"
        ]
        listed = (await gql(aurel, RESOURCES))["resources"]
        assert rid not in [e["node"]["id"] for e in listed["edges"]]
        deleted = (await gql(staff, RESOURCES, filter={"deleted": True}))["resources"]
        assert [e["node"]["id"] for e in deleted["edges"]] == [rid]
        refused = await gql(aurel, RESTORE, input={"resourceId": rid})
        assert refused["restoreResource"]["__typename"] == "PermissionDenied"
        back = await gql(staff, RESTORE, input={"resourceId": rid})
        assert back["restoreResource"]["resource"]["deletedAt"] is None
        found = (await gql(aurel, RESOURCES, search="publics abbaye"))["resources"]
        assert [e["node"]["id"] for e in found["edges"]] == [rid]


async def test_search_with_highlights_and_facets(
    network_db: Database, hub_settings: Settings
) -> None:
    staff_token = await issue_token(network_db, "staff@accr.example.org")
    async with app_client(hub_settings, staff_token) as staff, app_client(hub_settings) as anon:
        await gql(
            staff,
            CREATE,
            input=_input(
                title=[{"lang": "fr", "text": "Les résidences d'artistes dans les abbayes"}],
                themes=["artist-residencies"],
            ),
        )
        await gql(
            staff,
            CREATE,
            input=_input(
                kind="GUIDE",
                title=[{"lang": "en", "text": "Artist residencies: a guide"}],
                languages=["en"],
                themes=["artist-residencies"],
            ),
        )
        await gql(
            staff,
            CREATE,
            input=_input(
                kind="REPORT",
                title=[{"lang": "fr", "text": "Rapport interne sur les résidences"}],
                visibility="MEMBERS",
            ),
        )
        found = (await gql(anon, RESOURCES, search="résidence d'artistes abbaye"))["resources"]
        titles = [e["node"]["title"] for e in found["edges"]]
        assert titles[0] == "Les résidences d'artistes dans les abbayes"
        assert any("<mark>" in h for h in found["edges"][0]["node"]["highlights"])
        # facets count what anonymous callers may see, nothing more
        everything = (await gql(anon, RESOURCES))["resources"]
        kinds = {f["value"]: f["count"] for f in everything["facets"]["kind"]}
        assert kinds == {"study": 1, "guide": 1}
        themes = {f["value"]: f["count"] for f in everything["facets"]["theme"]}
        assert themes == {"artist-residencies": 2}
        # filters narrow the facets too
        english = (await gql(anon, RESOURCES, filter={"language": ["en"]}))["resources"]
        assert english["totalCount"] == 1
        # the header's search covers centres too
        hits = (await gql(anon, SEARCH, q="Saint-Aurel abbaye"))["search"]
        assert any(h["node"].get("slug") == "abbaye-de-saint-aurel" for h in hits["hits"])
        only = (await gql(anon, SEARCH, q="artist", kinds=["RESOURCE"]))["search"]
        assert only["totalCount"] == 2
        assert {h["kind"] for h in only["hits"]} == {"RESOURCE"}
