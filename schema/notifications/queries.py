"""Reading one's inbox and preferences; admins read webhooks; staff read failed deliveries."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from accr_graph.notifications.live import InboxEvents
from accr_graph.services import notifications as service
from accr_graph.services.errors import ServiceFailure
from schema.context import Info
from schema.notifications.types import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
    Webhook,
)
from schema.permissions import IsAdmin, IsAuthenticated, IsStaff
from schema.relay import Connection, connection, paging
from schema.validation import decode_id


async def inbox(
    info: Info, first: int | None, after: str | None, unread_only: bool
) -> Connection[Notification]:
    page = paging(info.context.settings, first, after)
    window, total, rows = await service.inbox(
        info.context.sessionmaker, info.context.viewer, unread_only, page.window
    )
    return connection(rows, window, total, Notification.from_model)


@strawberry.type
class NotificationQuery:
    @strawberry.field(
        description="How many of your notifications are unread (0 when signed out).",
    )
    async def unread_notification_count(self, info: Info) -> int:
        return await service.unread_count(info.context.sessionmaker, info.context.viewer)

    @strawberry.field(
        description="How often you get e-mail for each kind of event.",
        permission_classes=[IsAuthenticated],
    )
    async def notification_preferences(self, info: Info) -> list[NotificationPreference]:
        found = await service.preferences(info.context.sessionmaker, info.context.viewer)
        return [NotificationPreference.from_data(p) for p in found]

    @strawberry.field(
        description="Registered webhooks (admins; tokens need the `admin` scope).",
        permission_classes=[IsAdmin],
    )
    async def webhooks(self, info: Info) -> list[Webhook]:
        rows = await service.list_webhooks(info.context.sessionmaker, info.context.viewer)
        return [Webhook.from_model(row) for row in rows]

    @strawberry.field(
        description="A webhook's deliveries, newest first (admins).", permission_classes=[IsAdmin]
    )
    async def webhook_deliveries(
        self,
        info: Info,
        webhook_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[NotificationDelivery]:
        page = paging(info.context.settings, first, after)
        ident = decode_id(webhook_id, "Webhook", "webhookId")
        try:
            window, total, rows = await service.webhook_deliveries(
                info.context.sessionmaker, info.context.viewer, ident, page.window
            )
        except ServiceFailure as failure:
            raise GraphQLError(getattr(failure.failure, "message", "refused")) from None
        return connection(rows, window, total, NotificationDelivery.from_model)

    @strawberry.field(
        description="E-mails and webhook calls given up after the last retry (staff).",
        permission_classes=[IsStaff],
    )
    async def failed_deliveries(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[NotificationDelivery]:
        page = paging(info.context.settings, first, after)
        window, total, rows = await service.failed_deliveries(
            info.context.sessionmaker, info.context.viewer, page.window
        )
        return connection(rows, window, total, NotificationDelivery.from_model)


def _inbox_events(info: Info) -> InboxEvents:
    events = info.context.inbox_events
    if events is None:
        raise GraphQLError("Subscriptions are served over WebSockets at /graphql only.")
    return events


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription(
        description="Each notification reaching your inbox from now on, whichever worker "
        "dispatched it (PostgreSQL LISTEN/NOTIFY; on SQLite a poll about once a second)."
    )
    async def notification_added(self, info: Info) -> AsyncGenerator[Notification, None]:
        user_id = info.context.viewer.user_id
        if user_id is None:
            raise GraphQLError("Sign in (or send an API token) to follow your notifications.")
        seen: int | None = None
        async for latest in _inbox_events(info).watch(user_id):
            if seen is not None:
                for row in await service.notifications_after(
                    info.context.sessionmaker, info.context.viewer, seen
                ):
                    yield Notification.from_model(row)
            seen = latest
