"""/account (name, language, password, API tokens) and /inbox (what awaits an answer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.db import models as m
from accr_graph.notifications import render as render_text
from accr_graph.repositories.common import Window
from accr_graph.services import account, inbox, notifications
from accr_graph.services.errors import Invalid, ServiceFailure
from accr_graph.services.uow import Database
from accr_graph.viewer import ALL_SCOPES, Viewer
from accr_graph.web import params
from accr_graph.web.auth import CookieJar
from accr_graph.web.centre_edit import field_errors
from accr_graph.web.notification_labels import BAD_FREQUENCY, FREQUENCY_LABELS, kind_label
from accr_graph.web.templating import (
    LANG_COOKIE,
    gettext,
    languages,
    page_actor,
    page_lang,
    read_form,
    render,
    require_signed_in,
)

DONE = {"name", "language", "password", "revoked", "notifications"}
SCOPE_ORDER = ("read", "write", "fair", "admin")


async def _page(
    request: Request,
    errors: dict[str, str] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    viewer = await require_signed_in(request)
    db = request.app.state.sessionmaker
    context = {
        "tokens": await account.tokens(db, viewer),
        "preferences": await _preferences(db, viewer),
        "frequencies": [(f, FREQUENCY_LABELS[f]) for f in m.Frequency],
        "kind_label": kind_label,
        "scopes": [s for s in SCOPE_ORDER if s in viewer.scopes and s in ALL_SCOPES],
        "errors": errors or {},
        "done": params.one_of(request.query_params.get("done"), DONE),
        "new_token": None,
        "kept": {},
        **(extra or {}),
    }
    return await render(request, "account.html", context, status)


async def account_page(request: Request) -> Response:
    return await _page(request)


async def account_action(request: Request) -> Response:
    """POST /account/{action}: name, language, password, token, revoke."""
    viewer = await require_signed_in(request)
    form = await read_form(request)
    action = request.path_params["action"]
    db, actor = request.app.state.sessionmaker, page_actor(request, viewer)
    try:
        if action == "name":
            await account.rename(db, actor, params.text(form.get("display_name"), 300))
        elif action == "language":
            chosen = params.one_of(form.get("language"), languages())
            await account.set_language(db, actor, chosen, languages())
            response = RedirectResponse("/account?done=language", status_code=303)
            if chosen:
                response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax")
            return response
        elif action == "password":
            return await _password(request, form)
        elif action == "token":
            return await _create_token(request, form)
        elif action == "notifications":
            return await _notifications(request, form)
        elif action == "revoke":
            token_id = params.pk(form.get("token"))
            if token_id is None:
                raise ServiceFailure(Invalid("token", "choose a token"))
            await account.revoke_token(db, actor, token_id)
            action = "revoked"
        else:
            return await _page(request, status=404)
    except ServiceFailure as failure:
        return await _page(request, await field_errors(request, failure, _NAMES), 400)
    return RedirectResponse(f"/account?done={action}", status_code=303)


_NAMES = {"name": "token_name", "scopes": "scopes", "display_name": "display_name"}


async def _password(request: Request, form: Any) -> Response:
    viewer = await require_signed_in(request)
    new = str(form.get("new_password", ""))
    if new != str(form.get("confirm_password", "")):
        raise ServiceFailure(Invalid("confirm_password", "the two new passwords differ"))
    state = request.app.state
    secret = await account.change_password(
        state.sessionmaker,
        page_actor(request, viewer),
        str(form.get("current_password", "")),
        new,
        state.settings,
    )
    response = RedirectResponse("/account?done=password", status_code=303)
    cookies: CookieJar = state.cookies
    cookies.set_session(response, secret)  # this browser stays signed in; others are not
    return response


def _pref_field(kind: str) -> str:
    return "pref_" + kind.replace(".", "_")


async def _preferences(db: Database, viewer: Viewer) -> list[tuple[str, str, str]]:
    """(kind, form field, chosen frequency) for every kind a user may set."""
    found = await notifications.preferences(db, viewer)
    return [(p.kind, _pref_field(p.kind), p.frequency.value) for p in found]


async def _notifications(request: Request, form: Any) -> Response:
    """Save the e-mail frequency of every kind the form names; bad values re-show the form."""
    viewer = await require_signed_in(request)
    db = request.app.state.sessionmaker
    choices: list[tuple[str, m.Frequency]] = []
    errors: dict[str, str] = {}
    for kind, field, _chosen in await _preferences(db, viewer):
        raw = form.get(field)
        if raw is None:
            continue  # not in this form: left as it is
        if params.one_of(raw, FREQUENCY_LABELS) is None:
            errors[field] = BAD_FREQUENCY
            continue
        choices.append((kind, m.Frequency(raw)))
    if errors:
        return await _page(request, await _translated(request, errors), 400, _kept(form))
    await notifications.set_preferences(db, page_actor(request, viewer), choices)
    return RedirectResponse("/account?done=notifications", status_code=303)


async def _translated(request: Request, errors: dict[str, str]) -> dict[str, str]:
    lang = await page_lang(request)
    return {field: gettext(lang, text) for field, text in errors.items()}


def _kept(form: Any) -> dict[str, Any]:
    """The submitted choices, to show again as they were typed (even the bad ones)."""
    kept = {k: str(v) for k, v in form.items() if isinstance(k, str) and k.startswith("pref_")}
    return {"kept": kept}


async def _create_token(request: Request, form: Any) -> Response:
    viewer = await require_signed_in(request)
    scopes = [s for s in form.getlist("scopes") if isinstance(s, str)]
    name = params.text(form.get("token_name"), 300)
    issued = await account.create_token(
        request.app.state.sessionmaker, page_actor(request, viewer), name, scopes, None
    )
    # Shown once, in this response only (never stored, never in a URL).
    return await _page(request, extra={"new_token": issued})


PER_PAGE = 20


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One notification as the inbox page shows it (text already in the reader's language)."""

    text: str
    link: str
    created_at: datetime
    unread: bool


def _item(row: m.Notification, lang: str) -> InboxItem:
    # An empty public URL gives a path on this site: the page links stay relative.
    link = render_text.link("", row.object_type, row.object_id)
    text = render_text.sentence(row.kind, row.payload, lang)
    return InboxItem(text, link, row.created_at, row.read_at is None)


def _pages(total: int) -> int:
    return max(1, -(-total // PER_PAGE))


def _window_of(number: int) -> Callable[[int], Window]:
    """The asked page of the notifications; a number past the end shows the last page."""
    return lambda total: Window((min(number, _pages(total)) - 1) * PER_PAGE, PER_PAGE)


async def inbox_page(request: Request) -> Response:
    viewer = await require_signed_in(request)
    db = request.app.state.sessionmaker
    number = params.page_number(request.query_params.get("page"))
    window, total, rows = await notifications.inbox(db, viewer, False, _window_of(number))
    lang = await page_lang(request)
    context = {
        "notifications": [_item(row, lang) for row in rows],
        "page": window.offset // PER_PAGE + 1,
        "pages": _pages(total),
        "done": params.one_of(request.query_params.get("done"), {"read"}),
        "awaiting": await inbox.awaiting(db, viewer),
    }
    return await render(request, "inbox.html", context)


async def inbox_mark_read(request: Request) -> Response:
    """POST /inbox/read: every notification of the reader read; back to the inbox."""
    viewer = await require_signed_in(request)
    await read_form(request)  # checks the CSRF token
    await notifications.mark_read(request.app.state.sessionmaker, page_actor(request, viewer), None)
    return RedirectResponse("/inbox?done=read", status_code=303)
