"""/account (name, language, password, API tokens) and /inbox (what awaits an answer)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.services import account, inbox
from accr_graph.services.errors import Invalid, ServiceFailure
from accr_graph.viewer import ALL_SCOPES
from accr_graph.web import params
from accr_graph.web.auth import CookieJar
from accr_graph.web.centre_edit import field_errors
from accr_graph.web.templating import (
    LANG_COOKIE,
    languages,
    page_actor,
    read_form,
    render,
    require_signed_in,
)

DONE = {"name", "language", "password", "revoked"}
SCOPE_ORDER = ("read", "write", "fair", "admin")


async def _page(
    request: Request,
    errors: dict[str, str] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    viewer = await require_signed_in(request)
    context = {
        "tokens": await account.tokens(request.app.state.sessionmaker, viewer),
        "scopes": [s for s in SCOPE_ORDER if s in viewer.scopes and s in ALL_SCOPES],
        "errors": errors or {},
        "done": params.one_of(request.query_params.get("done"), DONE),
        "new_token": None,
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


async def _create_token(request: Request, form: Any) -> Response:
    viewer = await require_signed_in(request)
    scopes = [s for s in form.getlist("scopes") if isinstance(s, str)]
    name = params.text(form.get("token_name"), 300)
    issued = await account.create_token(
        request.app.state.sessionmaker, page_actor(request, viewer), name, scopes, None
    )
    # Shown once, in this response only (never stored, never in a URL).
    return await _page(request, extra={"new_token": issued})


async def inbox_page(request: Request) -> Response:
    viewer = await require_signed_in(request)
    found = await inbox.awaiting(request.app.state.sessionmaker, viewer)
    return await render(request, "inbox.html", {"awaiting": found})
