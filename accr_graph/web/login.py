"""/login, /logout and /language: forms in the shell, POSTs with a CSRF token (double submit:
a random value in a SameSite=Strict cookie and the same value in the form)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accr_graph.services import account, auth
from accr_graph.services.errors import ServiceFailure
from accr_graph.web.auth import CookieJar, client_address
from accr_graph.web.templating import (
    LANG_COOKIE,
    csrf_ok,
    error_page,
    gettext,
    languages,
    page_actor,
    page_lang,
    page_viewer,
    read_form,
    render,
    safe_next,
)

ONE_YEAR = 365 * 86400


async def _login_form(
    request: Request, next_path: object, error: str = "", email: str = "", status: int = 200
) -> Response:
    target = safe_next(next_path)
    # The language switch comes back here: with the checked `next` only, never the raw query.
    here = f"/login?next={quote(target, safe='/')}"
    context = {"next": target, "error": error, "email": email, "here": here}
    return await render(request, "login.html", context, status)


async def login_page(request: Request) -> Response:
    if request.method == "GET":
        return await _login_form(request, request.query_params.get("next"))
    form = await request.form()
    next_path = form.get("next", "")
    lang = await page_lang(request)
    if not csrf_ok(request, form):
        expired = gettext(lang, "Your form expired; please sign in again.")
        return await _login_form(request, next_path, expired, "", 400)
    email, password = str(form.get("email", ""))[:320], str(form.get("password", ""))
    state = request.app.state
    address = client_address(request)
    signed_in = await auth.sign_in(state.sessionmaker, email, password, address, state.settings)
    if signed_in is None:
        wrong = gettext(lang, auth.GENERIC_LOGIN_ERROR)
        return await _login_form(request, next_path, wrong, email, 401)
    response = RedirectResponse(safe_next(next_path), status_code=303)
    cookies: CookieJar = state.cookies
    cookies.set_session(response, signed_in.session_secret)
    return response


async def logout(request: Request) -> Response:
    """GET shows a confirmation form (no state change on GET); POST signs out."""
    if request.method == "GET":
        return await render(request, "logout.html", {})
    await read_form(request)
    cookies: CookieJar = request.app.state.cookies
    secret = cookies.read_session(request)
    if secret:
        await auth.sign_out(request.app.state.sessionmaker, secret)
    response = RedirectResponse("/login", status_code=303)
    cookies.clear_session(response)
    return response


async def switch_language(request: Request) -> Response:
    """The header's language switch: a cookie, and the saved preference when signed in."""
    form = await read_form(request)
    lang = form.get("lang")
    if not isinstance(lang, str) or lang not in languages():
        return await error_page(request, 400)
    viewer = await page_viewer(request)
    if not viewer.is_anonymous and viewer.token_id is None:
        try:
            await account.set_language(
                request.app.state.sessionmaker, page_actor(request, viewer), lang, languages()
            )
        except ServiceFailure:
            return await error_page(request, 400)
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=ONE_YEAR, samesite="lax", path="/")
    return response
