"""GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec):
file uploads for the `Upload` scalar.

The form holds ``operations`` (the usual JSON request), ``map`` (form field name -> the variable
paths it fills, e.g. ``{"0": ["variables.input.file"]}``) and the files. Each file becomes an
:class:`UploadedFile` in the variables. Two safety rules:

- the body may be at most ``max_bytes`` (settings ``max_upload_bytes``, 50 MB by default):
  above, 413 before anything is parsed;
- a browser can send a multipart form cross-site without a CORS preflight, so the request must
  carry a ``GraphQL-Preflight`` (or ``Apollo-Require-Preflight``) header, which forces one: a
  signed-in user's cookie cannot be used to upload from another site (CSRF).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from accr_graph.web.graphql_request import GraphQLParams, RequestError, params_from_body

PREFLIGHT_HEADERS = ("graphql-preflight", "apollo-require-preflight")
MAX_FILES = 10


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file from the request, read whole (bounded by the body limit)."""

    filename: str
    content: bytes
    declared_type: str | None  # what the client claims; the service sniffs the content


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/form-data")


def _check_size(request: Request, max_bytes: int) -> None:
    declared = request.headers.get("content-length", "")
    if not (declared.isascii() and declared.isdigit()):
        raise RequestError(411, "Uploads need a Content-Length header.")
    if int(declared) > max_bytes:
        raise RequestError(413, f"The upload is larger than {max_bytes} bytes (max_upload_bytes).")


def _json_field(form: Any, name: str) -> Any:
    raw = form.get(name)
    if not isinstance(raw, str):
        raise RequestError(400, f"The multipart request needs a `{name}` field (JSON).")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise RequestError(400, f"`{name}` is not valid JSON: {error}") from None


def _place(operations: dict[str, Any], path: str, value: UploadedFile) -> None:
    """Put a file at a dotted path such as ``variables.input.file`` or ``variables.files.0``."""
    parts = path.split(".")
    if len(parts) < 2 or parts[0] != "variables":
        raise RequestError(400, f"`map` path {path!r} must start with `variables.`.")
    target: Any = operations
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target.get(part)
        if target is None:
            raise RequestError(400, f"`map` path {path!r} names no variable.")
    last = parts[-1]
    if isinstance(target, list) and last.isdigit() and int(last) < len(target):
        target[int(last)] = value
    elif isinstance(target, dict) and last in target and target[last] is None:
        target[last] = value
    else:
        raise RequestError(400, f"`map` path {path!r} must point to a null variable.")


async def read_multipart(request: Request, max_bytes: int) -> GraphQLParams:
    if not any(request.headers.get(h) for h in PREFLIGHT_HEADERS):
        raise RequestError(
            400, "Multipart (upload) requests need a `GraphQL-Preflight: 1` header (CSRF)."
        )
    _check_size(request, max_bytes)
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=20, max_part_size=max_bytes)
    except MultiPartException as error:
        raise RequestError(400, f"The multipart body is not valid: {error.message}") from None
    try:
        operations, mapping = _json_field(form, "operations"), _json_field(form, "map")
        if not isinstance(operations, dict) or not isinstance(mapping, dict):
            raise RequestError(400, "`operations` and `map` must be JSON objects.")
        for name, paths in mapping.items():
            upload = form.get(name)
            if not isinstance(upload, UploadFile) or not isinstance(paths, list):
                raise RequestError(400, f"`map` names file field {name!r}, which is missing.")
            file = UploadedFile(upload.filename or "file", await upload.read(), upload.content_type)
            for path in paths:
                _place(operations, str(path), file)
        return params_from_body(operations, "POST")
    finally:
        await form.close()
