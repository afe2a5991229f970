"""The page shell: one Jinja2 environment, the reader's language, CSRF tokens, and ``render``.

Every server-rendered page goes through :func:`render`, which adds what the layout needs (the
viewer, their name and centre, the inbox count, the language, a CSRF token) and the security
headers (CSP ``script-src 'self'``, no caching). Handlers learn who asks with :func:`page_viewer`
and stop early with :func:`require_signed_in` / :func:`require_staff`, which raise
:class:`PageExit` (the app turns it into its response).

The language of a page, in order: the user's saved preference, the switch (cookie
``accr_lang``), the best ``Accept-Language`` match among the catalogs (q-values), then ``fr``.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.dates import format_time as babel_time
from babel.dates import get_timezone, get_timezone_location
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from accr_graph.i18n import negotiate, pick
from accr_graph.services import account
from accr_graph.services.account import Identity
from accr_graph.services.uow import Actor
from accr_graph.translations import DEFAULT_LANGUAGE, available_languages, translations
from accr_graph.viewer import ANONYMOUS, Viewer
from accr_graph.web import params
from accr_graph.web.auth import CSRF_COOKIE, client_address, resolve_viewer
from accr_graph.web.graphql_request import RequestError
from accr_graph.web.messages import SITE_TYPES, ZONE_TIME

LANG_COOKIE = "accr_lang"
CSRF_FIELD = "csrf"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-store",
    "Vary": "Cookie, Accept-Language",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class PageExit(Exception):
    """Stop handling a page and answer this instead (a redirect to sign in, a 403 page...)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


# --- the language and formatting of the page being rendered -----------------------------------


@dataclass(frozen=True, slots=True)
class _Rendering:
    lang: str
    csrf: str


_OUTSIDE = _Rendering(DEFAULT_LANGUAGE, "")
_CURRENT: ContextVar[_Rendering | None] = ContextVar("accr_page", default=None)


def _rendering() -> _Rendering:
    return _CURRENT.get() or _OUTSIDE


def languages() -> tuple[str, ...]:
    return available_languages() or (DEFAULT_LANGUAGE,)


def current_lang() -> str:
    return _rendering().lang


def _gettext(message: str) -> str:
    return translations(current_lang()).gettext(message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_lang()).ngettext(singular, plural, count)


def gettext(lang: str, message: str) -> str:
    """A UI string in ``lang``, for handlers building messages outside templates."""
    return translations(lang).gettext(message)


def _locale() -> Locale:
    try:
        return Locale.parse(current_lang())
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LANGUAGE)


def format_date(value: date | datetime | str | None, fmt: str = "medium") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return babel_date(value, fmt, locale=_locale())


def format_datetime(
    value: datetime | None, timezone: str | None = None, fmt: str = "medium"
) -> str:
    if value is None:
        return ""
    zone = ZoneInfo(timezone) if timezone else None
    if fmt != "medium":
        return babel_datetime(value, fmt, tzinfo=zone, locale=_locale())
    # The locale's medium date with its short time: "21 déc. 2026, 10:00", never the seconds
    # that Babel's own "medium" adds ("10:00:00") — no one schedules a meeting to the second.
    locale = _locale()
    local = value.astimezone(zone) if zone else value
    pattern = str(locale.datetime_formats["medium"]).replace("'", "")
    return pattern.format(
        babel_time(value, "short", tzinfo=zone, locale=locale),
        babel_date(local, "medium", locale=locale),
    )


def format_time(value: datetime | None, timezone: str | None = None) -> str:
    if value is None:
        return ""
    zone = ZoneInfo(timezone) if timezone else None
    return babel_time(value, "short", tzinfo=zone, locale=_locale())


def zone_name(timezone: str | None) -> str:
    """An IANA zone as readers say it: "heure de Bruxelles", "Brussels time"."""
    if not timezone:
        return ""
    city = get_timezone_location(get_timezone(timezone), locale=_locale(), return_city=True)
    return _gettext(ZONE_TIME) % {"city": city}


def format_number(value: float | int | None) -> str:
    return "" if value is None else format_decimal(value, locale=_locale())


def format_percent(value: float | None) -> str:
    """0.25 -> '25 %' in French, '25%' in English (at most one decimal)."""
    return "" if value is None else str(babel_percent(value, "#,##0.#%", locale=_locale()))


def unit_name(unit: str | None) -> str:
    """A survey question's unit ('people', 'FTE', '%') in the page's language; a unit staff typed
    that no catalog knows stays as typed. (Not ``_()``: that would %-format the text.)"""
    return _gettext(unit) if unit else ""


def site_type_name(value: str | None) -> str:
    """A centre's site type ('abbey') in the page's language; an unknown one as stored."""
    if not value:
        return ""
    known = SITE_TYPES.get(value)
    return _gettext(known) if known else value


def country_name(code: str | None) -> str:
    """'DE' -> 'Allemagne' in French, 'Germany' in English; unknown codes stay as they are."""
    if not code:
        return ""
    return str(_locale().territories.get(code.upper(), code))


def language_name(code: str | None, own: bool = False) -> str:
    """A language's name in the page's language, or (``own``) in itself: 'Français'."""
    if not code:
        return ""
    try:
        named = Locale.parse(code) if own else _locale()
    except (ValueError, UnknownLocaleError):
        return code
    name = named.languages.get(code, code)
    return str(name[:1].upper() + name[1:])


def pick_text(texts: Mapping[str, str] | None) -> str:
    """A translatable field's text in the page's language, by the documented fallback."""
    return pick(texts, current_lang())


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("accr_graph", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        csrf_token=lambda: _rendering().csrf,
        csrf_field_name=CSRF_FIELD,
        current_lang=current_lang,
        format_date=format_date,
        format_datetime=format_datetime,
        format_time=format_time,
        zone_name=zone_name,
        format_number=format_number,
        format_percent=format_percent,
        unit_name=unit_name,
        site_type_name=site_type_name,
        country_name=country_name,
        language_name=language_name,
        pick=pick_text,
    )
    return env


ENV = _environment()


# --- who asks, in which language ----------------------------------------------------------------


@dataclass
class PageContext:
    viewer: Viewer
    identity: Identity | None
    lang: str
    csrf: str
    new_csrf: bool
    extra: dict[str, Any] = field(default_factory=dict)


async def page_viewer(request: Request) -> Viewer:
    """Who asks: the session cookie (or a bearer token); a bad token answers 401."""
    cached = getattr(request.state, "page_viewer", None)
    if isinstance(cached, Viewer):
        return cached
    state = request.app.state
    try:
        viewer = await resolve_viewer(request, state.sessionmaker, state.cookies)
    except RequestError as error:
        raise PageExit(HTMLResponse(error.message, error.status, error.headers)) from error
    request.state.page_viewer = viewer
    return viewer


async def page_identity(request: Request) -> Identity | None:
    if not hasattr(request.state, "page_identity"):
        viewer = await page_viewer(request)
        request.state.page_identity = await account.identity(request.app.state.sessionmaker, viewer)
    found: Identity | None = request.state.page_identity
    return found


def page_actor(request: Request, viewer: Viewer) -> Actor:
    """The audit's who and where, for a service call from a page."""
    return Actor(viewer, client_address(request))


def choose_language(saved: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The documented order: saved preference, switch cookie, Accept-Language, default."""
    available = languages()
    for candidate in (saved, cookie):
        if candidate in available:
            return str(candidate)
    return negotiate(accept_language, available) or DEFAULT_LANGUAGE


async def page_lang(request: Request) -> str:
    identity = await page_identity(request)
    return choose_language(
        identity.language if identity else None,
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def csrf_token(request: Request) -> tuple[str, bool]:
    """The browser's CSRF token (double submit cookie), and whether it is new."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) <= 100:
        return existing, False
    cached = getattr(request.state, "new_csrf", None)
    if cached is None:
        cached = request.state.new_csrf = secrets.token_urlsafe(24)
    return str(cached), True


def csrf_ok(request: Request, form: FormData) -> bool:
    expected = request.cookies.get(CSRF_COOKIE, "")
    submitted = form.get(CSRF_FIELD, "")
    return (
        bool(expected)
        and isinstance(submitted, str)
        and secrets.compare_digest(expected.encode(), submitted.encode())
    )


async def read_form(request: Request) -> FormData:
    """The posted form, once its CSRF token is checked (else a 400 page is the answer)."""
    form = await request.form()
    if not csrf_ok(request, form):
        raise PageExit(await error_page(request, 400, "csrf"))
    return form


async def page_context(request: Request) -> PageContext:
    viewer = await page_viewer(request)
    identity = await page_identity(request)
    token, new = csrf_token(request)
    return PageContext(viewer, identity, await page_lang(request), token, new)


# --- rendering ----------------------------------------------------------------------------------


def here(request: Request) -> str:
    """This page's path and query: where the language switch and sign-in come back to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def render_string(template: str, context: Mapping[str, Any], lang: str, csrf: str = "") -> str:
    """A template rendered in ``lang`` (also for e-mails and fragments outside a request)."""
    marker = _CURRENT.set(_Rendering(lang, csrf))
    try:
        return ENV.get_template(template).render(context)
    finally:
        _CURRENT.reset(marker)


async def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    status_code: int = 200,
    *,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The page ``template`` in the shell, in the reader's language, with the security headers."""
    page = await page_context(request)
    values = {
        "request": request,
        "viewer": page.viewer,
        "me": page.identity,
        "lang": page.lang,
        "languages": languages(),
        "here": here(request),
        "inbox_count": page.identity.unread if page.identity else 0,
        **context,
    }
    body = render_string(template, values, page.lang, page.csrf)
    response = HTMLResponse(body, status_code, headers={**PAGE_HEADERS, **(headers or {})})
    response.headers["Content-Language"] = page.lang
    if page.new_csrf:
        response.set_cookie(CSRF_COOKIE, page.csrf, httponly=True, samesite="strict", path="/")
    return response


async def error_page(
    request: Request, status_code: int, reason: str = "", message: str = ""
) -> Response:
    """The shell's page for 400 (bad form / CSRF), 403, 404 and 409; ``message`` (in the reader's
    language) replaces the page's general sentence."""
    context = {"status": status_code, "reason": reason, "message": message}
    return await render(request, "error.html", context, status_code)


T = TypeVar("T")


async def path_object(request: Request, name: str, load: Callable[[int], Awaitable[T | None]]) -> T:
    """What the URL's id ``name`` designates, loaded (as the reader may see it); the 404 page
    when the id is malformed or nothing visible has it."""
    ident = params.pk(request.path_params[name])
    found = None if ident is None else await load(ident)
    if found is None:
        raise PageExit(await error_page(request, 404))
    return found


# --- guards -------------------------------------------------------------------------------------


def sign_in_redirect(request: Request) -> Response:
    from starlette.responses import RedirectResponse

    return RedirectResponse(f"/login?next={quote(here(request), safe='')}", status_code=303)


async def require_signed_in(request: Request) -> Viewer:
    """The signed-in viewer; anonymous readers are sent to /login and come back here."""
    viewer = await page_viewer(request)
    if viewer.is_anonymous:
        raise PageExit(sign_in_redirect(request))
    return viewer


async def require_staff(request: Request, scope: str | None = None) -> Viewer:
    """ACCR staff only: others get the 403 page (anonymous readers: sign in first)."""
    viewer = await require_signed_in(request)
    if not viewer.is_staff or (scope is not None and not viewer.can(scope)):
        raise PageExit(await error_page(request, 403, "staff"))
    return viewer


def safe_next(value: object, default: str = "/") -> str:
    """Only paths on this site, so a form cannot be used to redirect elsewhere."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and value.isprintable()
    ):
        return value
    return default


__all__ = [
    "ANONYMOUS",
    "ENV",
    "LANG_COOKIE",
    "PageExit",
    "choose_language",
    "csrf_ok",
    "error_page",
    "page_actor",
    "page_lang",
    "page_viewer",
    "read_form",
    "render",
    "render_string",
    "require_signed_in",
    "require_staff",
    "safe_next",
]
