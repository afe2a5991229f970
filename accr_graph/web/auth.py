"""Credentials on an HTTP request -> Viewer; session and CSRF cookies."""

from __future__ import annotations

import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from accr_graph.services import auth
from accr_graph.settings import Settings
from accr_graph.viewer import Viewer
from accr_graph.web import addresses
from accr_graph.web.graphql_request import RequestError

SESSION_COOKIE = "accr_session"
CSRF_COOKIE = "accr_csrf"
log = logging.getLogger("accr_graph.auth")


def signing_key(settings: Settings) -> str:
    """ACCR_SECRET_KEY; outside production, a key kept in a local file so that every worker on
    this machine (and the next start) signs cookies alike."""
    if settings.secret_key:
        return settings.secret_key
    if settings.environment == "production":
        raise RuntimeError("ACCR_SECRET_KEY must be set in production (it signs session cookies)")
    return _local_key(Path(settings.secret_key_file))


def _read_key(path: Path) -> str:
    # Another worker may have created the file a moment ago and not written it yet.
    for _ in range(100):
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty: delete it, or set ACCR_SECRET_KEY")


def _local_key(path: Path) -> str:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    key = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    log.warning("ACCR_SECRET_KEY is not set: created a local key in %s", path)
    return key


@dataclass
class CookieJar:
    """Session cookies: signed values, HttpOnly, SameSite=Lax."""

    settings: Settings
    key: str

    def __post_init__(self) -> None:
        self._signer = URLSafeSerializer(self.key, salt="accr-session")

    def read_session(self, request: Request) -> str | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            value = self._signer.loads(raw)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def set_session(self, response: Response, secret: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            self._signer.dumps(secret),
            max_age=self.settings.session_days * 86400,
            httponly=True,
            samesite="lax",
            secure=self.settings.secure_cookies,
            path="/",
        )

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/")


def client_address(request: HTTPConnection) -> str:
    """The peer, or the right-most untrusted X-Forwarded-For hop behind a trusted proxy."""
    settings: Settings = request.app.state.settings
    peer = request.client.host if request.client else None
    forwarded = request.headers.getlist("x-forwarded-for")
    return addresses.client_address(peer, forwarded, settings.trusted_proxies)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not value.strip():
        raise RequestError(
            401, "Use `Authorization: Bearer <token>`.", {"WWW-Authenticate": "Bearer"}
        )
    return value.strip()


async def resolve_viewer(
    request: Request, sessionmaker: async_sessionmaker[AsyncSession], cookies: CookieJar
) -> Viewer:
    """A bearer token wins over a cookie; a bad token is refused, a bad cookie ignored."""
    try:
        return await auth.resolve_viewer(
            sessionmaker, _bearer(request), cookies.read_session(request)
        )
    except auth.UnknownToken:
        raise RequestError(
            401,
            "The API token is unknown, expired or revoked.",
            {"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None
