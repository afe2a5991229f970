"""/centres/{slug}/edit: a centre's profile (French and English side by side) and its
competencies, changed one at a time. Every write is one service call on the unit of work."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.db.models import CompetencyKind
from accr_graph.services import centre_edits, directory
from accr_graph.services.centres import ProfileChanges
from accr_graph.services.directory import CentreProfile
from accr_graph.services.errors import Invalid, ServiceFailure
from accr_graph.web import params
from accr_graph.web.templating import (
    PageExit,
    error_page,
    gettext,
    page_actor,
    page_lang,
    page_viewer,
    read_form,
    render,
    require_signed_in,
)

PROFILE_FIELDS = ("name", "city", "website", "contact_email", "contact_phone")
EDIT_LANGUAGES = ("fr", "en")
# Service field names (API spelling) -> the form's field names.
FIELD_NAMES = {
    "contactEmail": "contact_email",
    "contactPhone": "contact_phone",
    "description.text": "description_fr",
    "competency.level": "level",
}


async def _editable(request: Request) -> CentreProfile:
    viewer = await require_signed_in(request)
    db = request.app.state.sessionmaker
    profile = await directory.centre_profile(db, viewer, request.path_params["slug"])
    if profile is None:
        raise PageExit(await error_page(request, 404))
    if not profile.can_edit:
        raise PageExit(await error_page(request, 403))
    return profile


def _profile_values(profile: CentreProfile) -> dict[str, str]:
    centre = profile.centre
    values = {name: getattr(centre, name) or "" for name in PROFILE_FIELDS}
    for lang in EDIT_LANGUAGES:
        values[f"description_{lang}"] = centre.description.get(lang, "")
    return values


async def _page(
    request: Request,
    profile: CentreProfile,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "p": profile,
        "values": values or _profile_values(profile),
        "errors": errors or {},
        "catalogue": await directory.catalogue_of(request.app.state.sessionmaker),
        "edit_languages": EDIT_LANGUAGES,
    }
    return await render(request, "centre_edit.html", context, status)


async def centre_edit_page(request: Request) -> Response:
    profile = await _editable(request)
    if request.method == "GET":
        return await _page(request, profile)
    form = await read_form(request)
    values = {name: params.text(form.get(name), 10_000) for name in _profile_values(profile)}
    try:
        await centre_edits.update_centre_profile(
            request.app.state.sessionmaker,
            page_actor(request, await page_viewer(request)),
            profile.centre.id,
            _changes(profile, values),
            [*PROFILE_FIELDS, "description"],
        )
    except ServiceFailure as failure:
        errors = await field_errors(request, failure)
        return await _page(request, profile, values, errors, 400)
    return RedirectResponse(f"/centres/{profile.centre.slug}?done=profile", status_code=303)


def _changes(profile: CentreProfile, values: dict[str, str]) -> ProfileChanges:
    # Languages the form does not show are kept as they are.
    texts = dict(profile.centre.description)
    texts.update({lang: values[f"description_{lang}"] for lang in EDIT_LANGUAGES})
    return ProfileChanges(
        name=values["name"],
        city=values["city"],
        website=values["website"],
        contact_email=values["contact_email"],
        contact_phone=values["contact_phone"],
        description=list(texts.items()),
    )


async def field_errors(
    request: Request, failure: ServiceFailure, names: dict[str, str] | None = None
) -> dict[str, str]:
    """A service's refusal as {form field: message in the reader's language}."""
    lang = await page_lang(request)
    found = failure.failure
    if not isinstance(found, Invalid):
        return {"form": gettext(lang, getattr(found, "message", ""))}
    mapping = {**FIELD_NAMES, **(names or {})}
    return {mapping.get(found.field, found.field): gettext(lang, found.message)}


async def competency_change(request: Request) -> Response:
    """POST: add or change one competency (action=set) or remove it (action=remove)."""
    profile = await _editable(request)
    form = await read_form(request)
    try:
        await _apply_competency(request, profile, form)
    except ServiceFailure as failure:
        errors = await field_errors(request, failure)
        return await _page(request, profile, None, errors, 400)
    return RedirectResponse(
        f"/centres/{profile.centre.slug}/edit?done=competency#competencies", 303
    )


async def _apply_competency(request: Request, profile: CentreProfile, form: FormData) -> None:
    db = request.app.state.sessionmaker
    actor = page_actor(request, await page_viewer(request))
    side = params.one_of(form.get("side"), {k.value for k in CompetencyKind})
    slug = params.text(form.get("competency"), 120)
    if side is None or not slug:
        raise ServiceFailure(Invalid("competency", "choose a competency and a side"))
    kind = CompetencyKind(side)
    if form.get("action") == "remove":
        await centre_edits.remove_centre_competency(db, actor, profile.centre.id, slug, kind)
        return
    level = params.digits(form.get("level"), 1, 3)
    if level is None:
        raise ServiceFailure(Invalid("level", "choose a level"))
    await centre_edits.set_centre_competency(db, actor, profile.centre.id, slug, kind, level)
