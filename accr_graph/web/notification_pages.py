"""Notification links that work without signing in: one-click unsubscribe (RFC 8058).

The signed token in the link is the authorisation (mail clients post without cookies or CSRF
tokens); a GET shows a confirmation button, so link scanners never unsubscribe anyone.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from accr_graph.i18n import parse_accept_language
from accr_graph.notifications.render import language
from accr_graph.services import notifications as service
from accr_graph.services.errors import ServiceFailure
from accr_graph.translations import translations

_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>ACCR Graph</title></head><body><main><p>{text}</p>{form}</main></body></html>"""


def _page(lang: str, text: str, form: str = "", status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(lang=lang, text=escape(text), form=form), status_code=status)


async def unsubscribe(request: Request) -> Response:
    lang = language(parse_accept_language(request.headers.get("accept-language")))
    gettext = translations(lang).gettext
    token = request.query_params.get("token", "")
    if request.method == "GET":
        button = escape(gettext("Stop these e-mails"))
        form = f'<form method="post"><button type="submit">{button}</button></form>'
        return _page(lang, gettext("Stop receiving these e-mails?"), form)
    try:
        await service.unsubscribe(
            request.app.state.sessionmaker, request.app.state.cookies.key, token
        )
    except ServiceFailure:
        return _page(lang, gettext("This link is not valid (or too old)."), status=400)
    return _page(lang, gettext("Done: you will not receive these e-mails any more."))
