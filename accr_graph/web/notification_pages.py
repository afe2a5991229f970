"""Notification links that work without signing in: one-click unsubscribe (RFC 8058).

The signed token in the link is the authorisation (mail clients post without cookies or CSRF
tokens); a GET shows a confirmation button, so link scanners never unsubscribe anyone.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from accr_graph.services import notifications as service
from accr_graph.services.errors import ServiceFailure
from accr_graph.web.templating import render


async def unsubscribe(request: Request) -> Response:
    token = request.query_params.get("token", "")[:500]
    context = {"token": token, "state": "ask"}
    if request.method == "GET":
        return await render(request, "unsubscribe.html", context)
    try:
        await service.unsubscribe(
            request.app.state.sessionmaker, request.app.state.cookies.key, token
        )
    except ServiceFailure:
        return await render(request, "unsubscribe.html", {**context, "state": "invalid"}, 400)
    return await render(request, "unsubscribe.html", {**context, "state": "done"})
