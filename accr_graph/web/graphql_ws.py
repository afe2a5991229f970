"""GraphQL subscriptions over WebSockets (graphql-transport-ws only), served by strawberry.

The HTTP endpoint (``graphql_endpoint``) does not speak WebSockets; this is mounted as a
``WebSocketRoute`` on the same path. Contexts built here hold no database session (DESIGN.md §5):
resolvers open short sessions from the sessionmaker when they need one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
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
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=max_subscriptions,
        )
        self._context_factory = context_factory

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Any:
        assert isinstance(request, WebSocket)
        return await self._context_factory(request)
