"""Read a GraphQL-over-HTTP request (POST JSON or GET query string) into plain parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"


# The machine-readable `extensions.code` of a request refused with this HTTP status.
STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    503: "SERVICE_UNAVAILABLE",
}


class RequestError(Exception):
    """The HTTP request is refused before execution; ``status`` says how to answer."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.code = code or STATUS_CODES.get(status, "BAD_REQUEST")

    def body(self) -> bytes:
        return orjson.dumps(
            {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}
        )


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    method: str


def response_media_type(accept: str | None) -> str:
    """Pick the response media type from the Accept header (GraphQL over HTTP §6.4.1)."""
    if not accept:
        return APPLICATION_JSON
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.strip().lower()))
    for quality, _, media in sorted(ranked):
        if quality >= 0:  # sorted by -q: the rest are q=0, "not acceptable"
            break
        if media == GRAPHQL_RESPONSE_JSON:
            return GRAPHQL_RESPONSE_JSON
        if media in (APPLICATION_JSON, "application/*", "*/*"):
            return APPLICATION_JSON
    raise RequestError(
        406,
        f"Cannot answer with any of the accepted media types; use {GRAPHQL_RESPONSE_JSON} "
        f"or {APPLICATION_JSON}.",
    )


def _decode_variables(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    if isinstance(raw, str):  # GET passes variables as a JSON string
        try:
            raw = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError as error:
            raise RequestError(400, f"`variables` is not valid JSON: {error}") from None
        if raw is None:
            return None
    if not isinstance(raw, dict):
        raise RequestError(400, "`variables` must be a JSON object.")
    return raw


def _check_extensions(raw: Any) -> None:
    """GraphQL over HTTP: `extensions`, when given, is a map (GET: JSON text of one)."""
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError as error:
            raise RequestError(400, f"`extensions` is not valid JSON: {error}") from None
    if raw is not None and not isinstance(raw, dict):
        raise RequestError(400, "`extensions` must be a JSON object.")


def _reject_nul(query: str, variables: dict[str, Any] | None) -> None:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail deep in a query.
    # (Uploaded files in the variables are bytes, not text: `default=str` leaves them out.)
    if "\x00" in query or (variables and b"\\u0000" in orjson.dumps(variables, default=_opaque)):
        raise RequestError(400, "Text must not contain NUL (\\u0000) characters.")


def _opaque(_value: Any) -> str:
    return ""


def params_from_body(body: Any, method: str) -> GraphQLParams:
    """The parameters of a decoded request body (JSON, or a multipart request's operations)."""
    return _params(body, method)


def _params(body: Any, method: str) -> GraphQLParams:
    if not isinstance(body, dict):
        raise RequestError(
            400, "The request body must be a JSON object (batching is not supported)."
        )
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(400, "`query` must be a non-empty string holding a GraphQL document.")
    name = body.get("operationName")
    if name is not None and not isinstance(name, str):
        raise RequestError(400, "`operationName` must be a string or null.")
    variables = _decode_variables(body.get("variables"))
    _check_extensions(body.get("extensions"))
    _reject_nul(query, variables)
    return GraphQLParams(query, variables, name or None, method)


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_params(request: Request, max_bytes: int) -> GraphQLParams:
    if request.method in ("GET", "HEAD"):
        return _params(dict(request.query_params), "GET")
    if _content_type(request) != APPLICATION_JSON:
        raise RequestError(
            415,
            f"POST requests must be sent as {APPLICATION_JSON}.",
            {"Accept-Post": APPLICATION_JSON},
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise RequestError(413, f"The request body is larger than {max_bytes} bytes.")
    body = await request.body()
    if len(body) > max_bytes:
        raise RequestError(413, f"The request body is larger than {max_bytes} bytes.")
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise RequestError(400, f"The request body is not valid JSON: {error}") from None
    return _params(parsed, "POST")
