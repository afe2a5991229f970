"""The /login form for the web pages and /logout, both POSTs with a CSRF token (double submit:
a random value in a SameSite=Strict cookie and the same value in the form)."""

from __future__ import annotations

import html
import secrets

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from accr_graph.services import auth
from accr_graph.web.auth import CSRF_COOKIE, CookieJar, client_address

HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ACCR Graph — {title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/site.css"></head>
<body><main class="login"><h1>ACCR Graph</h1>
"""
LOGIN_FORM = """<form method="post" action="/login">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<label>E-mail
 <input name="email" type="email" autocomplete="username" required value="{email}"></label>
<label>Password
 <input name="password" type="password" autocomplete="current-password" required></label>
{error}<button type="submit">Sign in</button></form></main></body></html>
"""
LOGOUT_FORM = """<form method="post" action="/logout">
<input type="hidden" name="csrf" value="{csrf}">
<p>Sign out of ACCR Graph on this browser?</p>
<button type="submit">Sign out</button></form></main></body></html>
"""


def _safe_next(value: str | None) -> str:
    """Only paths on this site, so the form cannot be used to redirect elsewhere."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/graphql"


def _csrf_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def _page(request: Request, title: str, body: str, status: int = 200) -> Response:
    token = _csrf_token(request)
    response = HTMLResponse(HEAD.format(title=title) + body.replace("{csrf}", token), status)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


def _login_form(
    request: Request, next_path: str | None, error: str = "", email: str = "", status: int = 200
) -> Response:
    body = LOGIN_FORM.format(
        csrf="{csrf}",
        next=html.escape(_safe_next(next_path)),
        email=html.escape(email),
        error=f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "",
    )
    return _page(request, "sign in", body, status)


def _csrf_ok(request: Request, submitted: str) -> bool:
    expected = request.cookies.get(CSRF_COOKIE, "")
    return bool(expected) and secrets.compare_digest(expected, submitted)


async def login_page(request: Request) -> Response:
    if request.method == "GET":
        return _login_form(request, request.query_params.get("next"))
    form = await request.form()
    next_path = str(form.get("next", ""))
    if not _csrf_ok(request, str(form.get("csrf", ""))):
        return _login_form(request, next_path, "Your form expired; please sign in again.", "", 400)
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    state = request.app.state
    address = client_address(request)
    signed_in = await auth.sign_in(state.sessionmaker, email, password, address, state.settings)
    if signed_in is None:
        return _login_form(request, next_path, auth.GENERIC_LOGIN_ERROR, email, 401)
    response = RedirectResponse(_safe_next(next_path), status_code=303)
    cookies: CookieJar = state.cookies
    cookies.set_session(response, signed_in.session_secret)
    return response


async def logout(request: Request) -> Response:
    """GET shows a confirmation form (no state change on GET); POST signs out."""
    if request.method == "GET":
        return _page(request, "sign out", LOGOUT_FORM)
    form = await request.form()
    if not _csrf_ok(request, str(form.get("csrf", ""))):
        return HTMLResponse("Bad or missing CSRF token.", status_code=400)
    cookies: CookieJar = request.app.state.cookies
    secret = cookies.read_session(request)
    if secret:
        await auth.sign_out(request.app.state.sessionmaker, secret)
    response = RedirectResponse("/login", status_code=303)
    cookies.clear_session(response)
    return response
