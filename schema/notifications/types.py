"""Inbox notifications, e-mail preferences, webhooks and their deliveries."""

from __future__ import annotations

from datetime import datetime

import strawberry

from accr_graph.db import models as m
from accr_graph.notifications.render import language, link, sentence
from accr_graph.services.notifications import Preference
from schema.context import Info
from schema.relay import Node, to_global_id

strawberry.enum(
    m.Frequency,
    name="NotificationFrequency",
    description="How often e-mail about a kind of event is sent: immediately, daily, weekly, off.",
)
strawberry.enum(
    m.DeliveryStatus,
    name="DeliveryStatus",
    description="pending (will be tried again), delivered, failed (gave up) or skipped.",
)


@strawberry.type(description="Something that happened and concerns you, in your inbox.")
class Notification(Node):
    kind: str = strawberry.field(description="Event type, e.g. `interest.expressed`.")
    created_at: datetime = strawberry.field(description="When it reached your inbox (UTC).")
    read: bool = strawberry.field(description="True once marked read.")
    object_id: strawberry.ID | None = strawberry.field(
        description="Global ID of the object it is about (use it with `node(id:)`)."
    )
    _row: strawberry.Private[m.Notification]

    @classmethod
    def from_model(cls, row: m.Notification) -> Notification:
        gid = row.payload.get("global_id")
        return cls(
            id=to_global_id("Notification", row.id),
            kind=row.kind,
            created_at=row.created_at,
            read=row.read_at is not None,
            object_id=strawberry.ID(gid) if isinstance(gid, str) else None,
            _row=row,
        )

    @strawberry.field(description="One sentence, in `lang` or your language.")
    def text(self, info: Info, lang: str | None = None) -> str:
        return sentence(self._row.kind, self._row.payload, language(lang or info.context.lang))

    @strawberry.field(description="Where to see it on the web app.")
    def link(self, info: Info) -> str:
        return link(info.context.settings.public_url, self._row.object_type, self._row.object_id)


@strawberry.type(description="Your e-mail frequency for one kind of event.")
class NotificationPreference:
    kind: str = strawberry.field(description="Event type, e.g. `interest.expressed`.")
    frequency: m.Frequency = strawberry.field(description="How often you get e-mail.")
    is_default: bool = strawberry.field(description="True when you never changed it.")

    @classmethod
    def from_data(cls, pref: Preference) -> NotificationPreference:
        return cls(kind=pref.kind, frequency=pref.frequency, is_default=pref.is_default)


@strawberry.type(description="An endpoint receiving signed events (Standard Webhooks).")
class Webhook(Node):
    url: str = strawberry.field(description="Where events are POSTed.")
    events: list[str] = strawberry.field(description="Event types sent; `*` for all.")
    description: str = strawberry.field(description="What the endpoint is for.")
    active: bool = strawberry.field(description="False when disabled (by hand or after failing).")
    failing_since: datetime | None = strawberry.field(
        description="Start of the current run of failures; null when the last delivery worked."
    )
    disabled_at: datetime | None = strawberry.field(description="When it was disabled.")
    created_at: datetime = strawberry.field(description="When it was registered (UTC).")

    @classmethod
    def from_model(cls, row: m.Webhook) -> Webhook:
        return cls(
            id=to_global_id("Webhook", row.id),
            url=row.url,
            events=list(row.events),
            description=row.description,
            active=row.is_active,
            failing_since=row.failing_since,
            disabled_at=row.disabled_at,
            created_at=row.created_at,
        )


@strawberry.type(description="One event sent (or to send) to a webhook or by e-mail.")
class NotificationDelivery(Node):
    channel: str = strawberry.field(description="`email` or `webhook`.")
    event_number: int = strawberry.field(description="The outbox event's number.")
    status: m.DeliveryStatus = strawberry.field(description="Where the delivery stands.")
    attempts: int = strawberry.field(description="Tries so far.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried again (pending only)."
    )
    response_code: int | None = strawberry.field(description="The receiver's last HTTP status.")
    last_error: str | None = strawberry.field(description="Why the last try failed.")
    delivered_at: datetime | None = strawberry.field(description="When it succeeded.")

    @classmethod
    def from_model(cls, row: m.Delivery) -> NotificationDelivery:
        pending = row.status is m.DeliveryStatus.PENDING
        return cls(
            id=to_global_id("NotificationDelivery", row.id),
            channel=row.channel.value,
            event_number=row.event_id,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if pending else None,
            response_code=row.response_code,
            last_error=row.last_error,
            delivered_at=row.delivered_at,
        )
