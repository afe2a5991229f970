"""Every HTTP request: a request id, one JSON log line, and a JSON 503 when the database is out.

A database outage (refused or dropped connections, a frozen server, an exhausted pool, a
statement timeout) is not a bug of the request: whatever path hit it (viewer lookup, budget,
execution, pages, exports, log-in), the caller gets a JSON 503 with ``Retry-After`` and no
driver text, within ``request_timeout`` seconds, and the keep-alive connection stays usable.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import orjson
from sqlalchemy import exc as sa_exc
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accr_graph.web import metrics

log = logging.getLogger("accr_graph.request")
RETRY_AFTER_SECONDS = 5
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
EXEMPT = ("/healthz", "/static/")  # liveness never waits on the database; files neither

_OUTAGE_TYPES: tuple[type[BaseException], ...] = (
    OSError,  # ConnectionRefusedError, ConnectionResetError...
    TimeoutError,  # connect, command and request timeouts
    sa_exc.TimeoutError,  # no pooled connection free in time
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.QueryCanceledError,  # statement_timeout
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
)


def is_database_outage(error: BaseException | None) -> bool:
    """The error, or one it was raised from, says the database did not answer."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _OUTAGE_TYPES):
            return True
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


class DatabaseUnavailable(Exception):
    """Raised by adapters that caught an outage inside their own error handling (GraphQL)."""


def unavailable_body() -> bytes:
    message = "The database is not answering; please try again in a few seconds."
    return orjson.dumps(
        {"errors": [{"message": message, "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}
    )


def request_id_of(scope: Scope) -> str:
    return str(scope.get("state", {}).get("request_id", ""))


def note(scope: Scope, **fields: Any) -> None:
    """Add fields (operation, cost, user id) to the request's log line."""
    scope.setdefault("state", {}).setdefault("log", {}).update(fields)


class RequestMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        request_timeout: float,
        annotate: Callable[[Scope], None] | None = None,
    ) -> None:
        self.app = app
        self.request_timeout = request_timeout
        self.annotate = annotate  # tracing: the log fields onto the request's span

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        exchange = _Exchange(send, request_id)
        if self.annotate is not None:
            # At the answer's start: the tracing layer ends the request span with its body.
            annotate = self.annotate
            exchange.on_start = lambda: annotate(scope)
        started = time.perf_counter()
        try:
            await self._guarded(scope, receive, exchange)
        finally:
            seconds = time.perf_counter() - started
            _log_line(scope, exchange.status, seconds)
            route = getattr(scope.get("route"), "path", "other")
            metrics.observe(route, scope["state"].get("log", {}), exchange.status or 500, seconds)

    async def _guarded(self, scope: Scope, receive: Receive, exchange: _Exchange) -> None:
        if scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, exchange.send)
            return
        try:
            async with asyncio.timeout(self.request_timeout) as deadline:
                exchange.deadline = deadline
                await self.app(scope, receive, exchange.send)
        except Exception as error:
            exchange.deadline = None
            outage = isinstance(error, DatabaseUnavailable) or is_database_outage(error)
            if exchange.status or not outage:
                raise
            log.warning(
                "database unavailable (request %s): %s", exchange.request_id, type(error).__name__
            )
            await exchange.unavailable()


class _Exchange:
    """Wraps ``send``: adds X-Request-ID, notes the status, stops the clock once answering."""

    def __init__(self, send: Send, request_id: str) -> None:
        self._send = send
        self.request_id = request_id
        self.status = 0
        self.deadline: asyncio.Timeout | None = None
        self.on_start: Callable[[], None] | None = None

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            if self.on_start is not None:
                self.on_start()
            headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
            message = {
                **message,
                "headers": [*headers, (b"x-request-id", self.request_id.encode())],
            }
            if self.deadline is not None and not self.deadline.expired():
                self.deadline.reschedule(None)  # the body of a started answer is not cut off
        await self._send(message)

    async def unavailable(self) -> None:
        body = unavailable_body()
        await self.send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await self._send({"type": "http.response.body", "body": body})


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            return text if REQUEST_ID.match(text) else None
    return None


def _log_line(scope: Scope, status: int, seconds: float) -> None:
    """One JSON line per request; never headers, bodies, variables or query strings."""
    fields = {
        "event": "request",
        "request_id": request_id_of(scope),
        "method": scope.get("method", ""),
        "path": scope.get("path", ""),
        "status": status or 500,
        "duration_ms": round(seconds * 1000, 2),
        **scope.get("state", {}).get("log", {}),
    }
    log.info(
        "%s %s %s", fields["method"], fields["path"], fields["status"], extra={"fields": fields}
    )
