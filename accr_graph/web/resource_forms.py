"""The resource hub's forms (issue 14): add (`/resources/new`), edit (`/resources/{id}/edit`, the
same form with the file replaced or removed and the version read), delete after a confirmation
page (`/resources/{id}/delete`), the staff list of deleted resources (`/resources/deleted`) and
restore (`POST /resources/{id}/restore`). Each form calls one service of
`services/resources.py`, the same as GraphQL's createResource, updateResource, deleteResource
and restoreResource; a mistake re-displays the form with the input kept and a message per
field, never a 500."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accr_graph.db import models as m
from accr_graph.services import directory, hub_reads, resources
from accr_graph.services.errors import Conflict, Invalid, ServiceFailure
from accr_graph.services.resources import ResourceSpec, Upload
from accr_graph.storage import storage_for
from accr_graph.viewer import Viewer
from accr_graph.web import params
from accr_graph.web.form_errors import errors_of, translate
from accr_graph.web.messages import N_
from accr_graph.web.page_errors import service_failure, status_of
from accr_graph.web.templating import (
    PageExit,
    csrf_ok,
    error_page,
    gettext,
    page_actor,
    page_lang,
    page_viewer,
    path_object,
    read_form,
    render,
    require_signed_in,
    require_staff,
)

TEXT_FIELDS = ("kind", "title", "title_lang", "abstract", "visibility", "year", "link", "version")
RESOURCE_KINDS = [k.value for k in m.ResourceKind]
FIELD_BYTES = 1024 * 1024  # room for the text fields besides the file (abstract: 20,000 chars)
LANGS = ("fr", "en", "de", "it", "es")
VISIBILITY_LABELS = (
    ("public", "Everyone"),
    ("members", "Signed-in members"),
    ("staff", "ACCR staff only"),
)
# Service field names (API spelling) -> the form's fields.
NAMES = {
    "title": "title",
    "abstract": "abstract",
    "languages": "title_lang",
    "title.lang": "title_lang",
    "abstract.lang": "title_lang",
    "resourceId": "form",
    "centreIds": "form",
}
TOO_LARGE = "The file is too large: %(mb)s MB at most. Go back and choose a smaller one."
NOT_YOURS = N_("Only members of the centre that added it, or staff, may change it.")
STALE = (
    "Someone saved this resource while you were editing it. Your input is kept below: compare "
    "it with the saved resource, then save again to replace that version."
)
# What a saved form sets, in API spelling (the audit entry's fields).
CHANGED = ["kind", "title", "abstract", "languages", "visibility", "themes", "year", "link"]


@dataclass
class Posted:
    """The form as sent: its text values (kept for a re-display) and the file, if one came."""

    values: dict[str, Any]
    upload: Upload | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _db(request: Request) -> Any:
    return request.app.state.sessionmaker


# --- reading and checking the form -------------------------------------------------------------


async def _read_posted(request: Request) -> Posted:
    """The multipart form, its CSRF token checked. Starlette spools a file part without any
    size limit, so the body's declared length is checked first (a browser always sends it)."""
    await _check_length(request)
    try:
        form = await request.form(max_files=1, max_fields=60, max_part_size=FIELD_BYTES)
    except MultiPartException:
        raise PageExit(await error_page(request, 400)) from None
    try:
        if not csrf_ok(request, form):
            raise PageExit(await error_page(request, 400, "csrf"))
        return Posted(_values_of_form(form), await _upload_of(form))
    finally:
        await form.close()


async def _check_length(request: Request) -> None:
    """411 without a Content-Length, 413 above the upload limit (plus the text fields), before
    a byte of the body is read."""
    limit = request.app.state.settings.max_upload_bytes
    raw = request.headers.get("content-length")
    message = ""
    if raw is None:
        status = 411
    else:
        length = params.digits(raw, 0, 10**18) if len(raw) <= 18 else None
        if length is not None and length <= limit + FIELD_BYTES:
            return
        status, lang = 413, await page_lang(request)
        message = gettext(lang, TOO_LARGE) % {"mb": limit >> 20}
    context = {"status": status, "reason": "service", "message": message}
    raise PageExit(await render(request, "error.html", context, status))


def _values_of_form(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: params.text(form.get(name), 20_000) for name in TEXT_FIELDS}
    values["themes"] = [params.text(t, 120) for t in form.getlist("themes")][:30]
    values["remove_file"] = form.get("remove_file") == "1"
    return values


async def _upload_of(form: FormData) -> Upload | None:
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return Upload(upload.filename, await upload.read())
    return None


def _check(posted: Posted, staff: bool) -> None:
    """The mistakes the form itself can see, all at once (the service reports one at a time)."""
    values, errors = posted.values, posted.errors
    if values["kind"] not in RESOURCE_KINDS:
        errors["kind"] = "choose a kind of resource"
    if not values["title"].strip():
        errors["title"] = "is required"
    allowed = {"public", "members", "staff"} if staff else {"public", "members"}
    if values["visibility"] not in allowed:
        errors["visibility"] = "choose who may see it"
    if values["year"] and params.digits(values["year"], 1000, 2999) is None:
        errors["year"] = "enter a year between 1000 and 2999"
    values["title_lang"] = values["title_lang"] or "fr"


def _file_again(posted: Posted) -> None:
    """A browser cannot re-fill a file field: say so when a chosen file was not saved."""
    if posted.upload is not None and "file" not in posted.errors:
        posted.errors["file"] = "choose the file again: it was not saved because of the mistakes"


# --- the spec a form gives -----------------------------------------------------------------------


def shown_language(resource: m.Resource) -> str:
    """The language whose title and abstract the form edits: the first of the document's
    languages that has a title (other translations, from the API, are kept as they are)."""
    for code in [*resource.languages, *resource.title]:
        if code in resource.title:
            return code
    return "fr"


def _merged(stored: dict[str, str] | None, shown: str, lang: str, text: str) -> list[Any]:
    """The stored translations with the edited one replaced (moved if its language changed)."""
    kept = [(k, v) for k, v in (stored or {}).items() if k not in (shown, lang)]
    return [*kept, (lang, text)]


def _spec(posted: Posted, resource: m.Resource | None) -> ResourceSpec:
    values = posted.values
    lang, year = values["title_lang"], params.digits(values["year"], 1000, 2999)
    themes = values["themes"]
    common: dict[str, Any] = {
        "kind": m.ResourceKind(values["kind"]),
        "visibility": m.ResourceVisibility(values["visibility"]),
        "year": year,
        "file": posted.upload,
    }
    if resource is None:  # a new resource: what the form says, nothing more
        abstract = [(lang, values["abstract"])] if values["abstract"] else None
        return ResourceSpec(
            title=[(lang, values["title"])],
            abstract=abstract,
            languages=[lang],
            link=values["link"] or None,
            themes=themes or None,
            changed=_set_on_create(posted),
            **common,
        )
    shown = shown_language(resource)
    return ResourceSpec(
        title=_merged(resource.title, shown, lang, values["title"]),
        abstract=_merged(resource.abstract, shown, lang, values["abstract"]),
        languages=list(dict.fromkeys([lang, *(c for c in resource.languages if c != shown)])),
        link=values["link"],  # "" removes the link
        themes=themes,
        clear_year=year is None and resource.year is not None,
        remove_file=values["remove_file"] and posted.upload is None and bool(resource.file_key),
        expected_version=params.digits(values["version"], 1, 10**9),
        changed=CHANGED + (["file"] if posted.upload or values["remove_file"] else []),
        **common,
    )


def _set_on_create(posted: Posted) -> list[str]:
    """The fields a new resource was given, in API spelling (its audit entry)."""
    given = {"abstract": "abstract", "year": "year", "link": "link", "themes": "themes"}
    names = ["kind", "title", "languages", "visibility"]
    names += [api for name, api in given.items() if posted.values[name]]
    return names + (["file"] if posted.upload else [])


# --- rendering the form --------------------------------------------------------------------------


async def _form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str],
    detail: hub_reads.ResourceDetail | None = None,
    status: int = 200,
) -> Response:
    staff = (await page_viewer(request)).is_staff
    cat = await directory.catalogue_of(_db(request))
    lang = await page_lang(request)
    langs = list(dict.fromkeys([*LANGS, values.get("title_lang") or "fr"]))
    context = {
        "values": values,
        "errors": {k: translate(lang, v) for k, v in errors.items()},
        "d": detail,
        "kind_options": [(k, gettext(lang, k.capitalize())) for k in RESOURCE_KINDS],
        "visibility_options": [
            (v, gettext(lang, label)) for v, label in VISIBILITY_LABELS if v != "staff" or staff
        ],
        "language_codes": langs,
        "catalogue": cat,
        "max_mb": request.app.state.settings.max_upload_bytes // (1024 * 1024),
    }
    return await render(request, "hub/resource_form.html", context, status)


async def _failed(
    request: Request,
    failure: ServiceFailure,
    posted: Posted,
    detail: hub_reads.ResourceDetail | None,
) -> Response:
    """A refused save: the form again, with the service's message on its field."""
    found = failure.failure
    if not isinstance(found, Invalid | Conflict):
        return await service_failure(request, failure)
    if isinstance(found, Conflict):
        # Re-submittable on the saved version, once the user has been told and has looked.
        posted.values["version"] = str(found.current_version)
        posted.errors["form"] = STALE
    else:
        posted.errors.update(await errors_of(request, failure, NAMES))
    _file_again(posted)
    return await _form(request, posted.values, posted.errors, detail, status_of(found))


# --- add -----------------------------------------------------------------------------------------


async def new_resource_page(request: Request) -> Response:
    viewer = await require_signed_in(request)
    if request.method == "GET":
        blank = {"kind": "study", "title_lang": "fr", "visibility": "members", "themes": []}
        return await _form(request, blank, {})
    return await _submit(request, viewer, None)


async def _submit(
    request: Request, viewer: Viewer, detail: hub_reads.ResourceDetail | None
) -> Response:
    """The posted form checked, then created (no ``detail``) or saved over ``detail``; a
    mistake re-displays the form with the input kept, the file asked for again."""
    posted = await _read_posted(request)
    _check(posted, viewer.is_staff)
    if posted.errors:
        _file_again(posted)
        return await _form(request, posted.values, posted.errors, detail, 400)
    settings = request.app.state.settings
    db, actor, storage = _db(request), page_actor(request, viewer), storage_for(settings)
    try:
        if detail is None:
            spec = _spec(posted, None)
            row = await resources.create_resource(
                db, actor, storage, spec, settings.max_upload_bytes
            )
        else:
            spec = _spec(posted, detail.resource)
            row = await resources.update_resource(
                db, actor, storage, detail.resource.id, spec, settings.max_upload_bytes
            )
    except ServiceFailure as failure:
        return await _failed(request, failure, posted, detail)
    return RedirectResponse(
        f"/resources/{row.id}?done={'created' if detail is None else 'saved'}", 303
    )


# --- edit ----------------------------------------------------------------------------------------


async def _editable(request: Request) -> hub_reads.ResourceDetail:
    """The resource of the URL, if the signed-in reader may change it (else 404 / 403)."""
    viewer = await require_signed_in(request)
    detail = await path_object(
        request, "resource_id", lambda pk: hub_reads.resource_detail(_db(request), viewer, pk)
    )
    if not detail.can_edit:
        message = gettext(await page_lang(request), NOT_YOURS)
        raise PageExit(await error_page(request, 403, message=message))
    return detail


def _stored_values(detail: hub_reads.ResourceDetail) -> dict[str, Any]:
    resource = detail.resource
    shown = shown_language(resource)
    return {
        "kind": resource.kind.value,
        "title": resource.title.get(shown, ""),
        "title_lang": shown,
        "abstract": (resource.abstract or {}).get(shown, ""),
        "visibility": resource.visibility.value,
        "year": str(resource.year or ""),
        "link": resource.link or "",
        "themes": [t.slug for t in detail.themes],
        "version": str(resource.version),
        "remove_file": False,
    }


async def edit_resource_page(request: Request) -> Response:
    detail = await _editable(request)
    if request.method == "GET":
        return await _form(request, _stored_values(detail), {}, detail)
    return await _submit(request, await require_signed_in(request), detail)


# --- delete, the deleted list, restore -----------------------------------------------------------


async def delete_resource_page(request: Request) -> Response:
    """GET: the confirmation page (works without JavaScript); POST: the soft delete."""
    detail = await _editable(request)
    if request.method == "GET":
        return await render(request, "hub/resource_delete.html", {"d": detail})
    viewer = await require_signed_in(request)
    await read_form(request)
    try:
        await resources.delete_resource(
            _db(request), page_actor(request, viewer), detail.resource.id
        )
    except ServiceFailure as failure:
        return await service_failure(request, failure)
    where = "/resources/deleted" if viewer.is_staff else "/resources"
    return RedirectResponse(f"{where}?done=deleted", 303)


async def deleted_resources_page(request: Request) -> Response:
    viewer = await require_staff(request)
    page = params.page_number(request.query_params.get("page"))
    listing = await hub_reads.deleted_resources(_db(request), viewer, page)
    done = params.one_of(request.query_params.get("done"), {"deleted", "restored"})
    return await render(request, "hub/resources_deleted.html", {"l": listing, "done": done})


async def restore_resource_page(request: Request) -> Response:
    viewer = await require_staff(request)
    resource_id = params.pk(request.path_params["resource_id"])
    await read_form(request)
    if resource_id is None:
        return await error_page(request, 404)
    try:
        await resources.restore_resource(_db(request), page_actor(request, viewer), resource_id)
    except ServiceFailure as failure:
        return await service_failure(request, failure)
    return RedirectResponse("/resources/deleted?done=restored", 303)


def routes() -> list[Route]:
    """Before the hub's /resources/{resource_id}, so "new" and "deleted" are not numbers."""
    return [
        Route("/resources/new", new_resource_page, methods=["GET", "POST"]),
        Route("/resources/deleted", deleted_resources_page),
        Route("/resources/{resource_id}/edit", edit_resource_page, methods=["GET", "POST"]),
        Route("/resources/{resource_id}/delete", delete_resource_page, methods=["GET", "POST"]),
        Route("/resources/{resource_id}/restore", restore_resource_page, methods=["POST"]),
    ]
