"""The /login form for the web pages and /logout. Both POSTs carry a CSRF token (double submit)."""

from __future__ import annotations

import html
import secrets

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from accr_graph.services import auth
from accr_graph.web.auth import CSRF_COOKIE, CookieJar, client_address

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ACCR Graph — sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/site.css"></head>
<body><main class="login"><h1>ACCR Graph</h1>
<form method="post" action="/login">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<label>E-mail
 <input name="email" type="email" autocomplete="username" required value="{email}"></label>
<label>Password
 <input name="password" type="password" autocomplete="current-password" required></label>
{error}<button type="submit">Sign in</button></form></main></body></html>
"""


def _safe_next(value: str | None) -> str:
    """Only paths on this site, so the form cannot be used to redirect elsewhere."""
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return "/graphql"


def _form(request: Request, error: str = "", email: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    body = PAGE.format(
        csrf=token,
        next=html.escape(
            _safe_next(request.query_params.get("next") or request.state.__dict__.get("next"))
        ),
        email=html.escape(email),
        error=f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "",
    )
    response = HTMLResponse(body, status_code=status)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


def _csrf_ok(request: Request, submitted: str) -> bool:
    expected = request.cookies.get(CSRF_COOKIE, "")
    return bool(expected) and secrets.compare_digest(expected, submitted)


async def login_page(request: Request) -> Response:
    if request.method == "GET":
        return _form(request)
    form = await request.form()
    request.state.next = str(form.get("next", ""))
    if not _csrf_ok(request, str(form.get("csrf", ""))):
        return _form(request, "Your form expired; please sign in again.", status=400)
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    app = request.app
    async with app.state.sessionmaker.begin() as session:
        user = await auth.authenticate(
            session, email, password, client_address(request), app.state.settings
        )
        secret = await auth.open_session(session, user, app.state.settings) if user else None
    if secret is None:
        return _form(request, auth.GENERIC_LOGIN_ERROR, email, status=401)
    response = RedirectResponse(_safe_next(str(form.get("next", ""))), status_code=303)
    cookies: CookieJar = app.state.cookies
    cookies.set_session(response, secret)
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


async def logout(request: Request) -> Response:
    form = await request.form()
    if not _csrf_ok(request, str(form.get("csrf", ""))):
        return HTMLResponse("Bad or missing CSRF token.", status_code=400)
    cookies: CookieJar = request.app.state.cookies
    secret = cookies.read_session(request)
    if secret:
        async with request.app.state.sessionmaker.begin() as session:
            await auth.close_session(session, secret)
    response = RedirectResponse("/login", status_code=303)
    cookies.clear_session(response)
    return response
