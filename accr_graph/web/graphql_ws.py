"""GraphQL subscriptions over WebSockets (graphql-transport-ws only), served by strawberry.

The HTTP endpoint (``graphql_endpoint``) does not speak WebSockets; this is mounted as a
``WebSocketRoute`` on the same path. Contexts built here hold no database session (DESIGN.md §5):
resolvers open short sessions from the sessionmaker when they need one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.schema.base import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

WebSocketContextFactory = Callable[[WebSocket], Awaitable[Any]]


class GraphQLWebSocket(GraphQL):
    def __init__(
        self,
        schema: BaseSchema,
        context_factory: WebSocketContextFactory,
        max_subscriptions: int = 20,
        allowed_origins: Sequence[str] = (),
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=max_subscriptions,
        )
        self._context_factory = context_factory
        self._allowed_origins = frozenset(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Browsers send cookies with a WebSocket handshake from any site and CORS does not apply:
        # accept only this site's pages, the configured origins and non-browser clients.
        if scope["type"] == "websocket" and not self._origin_allowed(scope):
            await send({"type": "websocket.close", "code": 1008, "reason": "origin not allowed"})
            return
        await super().__call__(scope, receive, send)

    def _origin_allowed(self, scope: Scope) -> bool:
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            return True
        host = headers.get("host", "")
        return urlsplit(origin).netloc == host or origin in self._allowed_origins

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Any:
        assert isinstance(request, WebSocket)
        return await self._context_factory(request)
