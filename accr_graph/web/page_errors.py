"""What pages answer when a handler stops early or a service refuses: shell pages, never a 500
for a user's mistake. GraphQL never reaches these handlers (it answers its own errors)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from accr_graph.services.errors import Conflict, Invalid, Missing, Refused, ServiceFailure
from accr_graph.web.form_errors import translate
from accr_graph.web.templating import PageExit, page_lang, render


async def page_exit(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageExit)
    return exc.response


def status_of(failure: object) -> int:
    """The HTTP status of a service failure: 404 missing, 403 refused, 409 stale, else 400."""
    match failure:
        case Missing():
            return 404
        case Refused():
            return 403
        case Conflict():
            return 409
        case Invalid():
            return 400
    return 400


async def service_failure(request: Request, exc: Exception) -> Response:
    """A service's refusal that the page did not turn into a form message."""
    assert isinstance(exc, ServiceFailure)
    status = status_of(exc.failure)
    message = translate(await page_lang(request), getattr(exc.failure, "message", ""))
    if status == 404:
        message = ""  # the shell's own words: do not tell what exists
    context = {"status": status, "reason": "service", "message": message}
    return await render(request, "error.html", context, status)


async def not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    if request.url.path.startswith(("/static/", "/graphql")) or status != 404:
        detail = exc.detail if isinstance(exc, HTTPException) else "Not Found"
        return PlainTextResponse(str(detail), status)
    return await render(request, "error.html", {"status": 404}, 404)
