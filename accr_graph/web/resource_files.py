"""File downloads of the resource hub: ``GET /resources/{id}/file``.

The caller is resolved as everywhere (cookie or bearer token) and the service decides: a file
the caller may not see answers 404, like one that does not exist (a members-only file is never
served anonymously, whatever URL is tried). Files are always attachments, with the type read
from their content at upload and ``nosniff``, so a browser never runs an uploaded file.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from accr_graph.ids import MAX_PK, pk_of
from accr_graph.services.errors import Missing, ServiceFailure
from accr_graph.services.resources import download
from accr_graph.storage import storage_for
from accr_graph.web.auth import resolve_viewer
from accr_graph.web.graphql_request import RequestError


def resource_pk(raw: str) -> int | None:
    """A resource's number (ASCII digits in range), or its GraphQL global ID."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 10:
        return int(raw) if 0 < int(raw) <= MAX_PK else None
    return pk_of(raw, "Resource")


def disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


async def resource_file(request: Request) -> Response:
    state = request.app.state
    resource_id = resource_pk(request.path_params["resource_id"])
    if resource_id is None:
        return PlainTextResponse("No such file.", 404)
    try:
        viewer = await resolve_viewer(request, state.sessionmaker, state.cookies)
        found = await download(state.sessionmaker, viewer, storage_for(state.settings), resource_id)
    except RequestError as error:
        return PlainTextResponse(error.message, error.status, headers=error.headers)
    except ServiceFailure as failure:
        if isinstance(failure.failure, Missing):
            return PlainTextResponse("No such file.", 404)
        raise
    headers = {
        "Content-Disposition": disposition(found.name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "public, max-age=300" if found.public else "private, no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return Response(found.content, media_type=found.media_type, headers=headers)


def routes() -> list[Route]:
    return [Route("/resources/{resource_id}/file", resource_file)]
