"""Marking notifications read, e-mail preferences, webhooks (admins), password reset."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import strawberry

from accr_graph.db import models as m
from accr_graph.services import notifications as service
from accr_graph.services.errors import Invalid, ServiceFailure, fail
from accr_graph.services.notifications import WebhookChanges
from accr_graph.services.uow import Actor
from schema.context import Info
from schema.errors import to_graphql_error
from schema.mutations import payload, pk
from schema.notifications.types import NotificationPreference, Webhook

T = TypeVar("T")
S = TypeVar("S")


def _actor(info: Info) -> Actor:
    return Actor(info.context.viewer, info.context.address or None)


async def _call(work: Callable[[], Awaitable[T]], success: Callable[[T], S]) -> object:
    """A service call as a payload: its result, or its failure as a typed error."""
    try:
        return success(await work())
    except ServiceFailure as failure:
        return to_graphql_error(failure.failure)


@strawberry.input(description="Which notifications to mark read: some by ID, or all.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Global IDs of your notifications (at most 500)."
    )
    all: bool = strawberry.field(default=False, description="True: every unread notification.")


@strawberry.type(description="How many notifications were marked read.")
class MarkNotificationsReadSuccess:
    marked: int = strawberry.field(description="Notifications that were unread and now are read.")
    unread_count: int = strawberry.field(description="Your unread notifications now.")


@strawberry.input(description="An e-mail frequency for one kind of event.")
class NotificationPreferenceInput:
    kind: str = strawberry.field(description="Event type, e.g. `interest.expressed`.")
    frequency: m.Frequency = strawberry.field(description="How often to send e-mail.")


@strawberry.type(description="Your preferences after the change.")
class NotificationPreferencesSuccess:
    preferences: list[NotificationPreference] = strawberry.field(description="Every kind.")


@strawberry.input(description="A new webhook endpoint.")
class CreateWebhookInput:
    url: str = strawberry.field(description="http(s) URL receiving POSTs.")
    events: list[str] = strawberry.field(description="Event types to send; `*` for all.")
    description: str | None = strawberry.field(default=None, description="What it is for.")


@strawberry.input(description="Changes to a webhook; omitted fields stay as they are.")
class UpdateWebhookInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the webhook.")
    url: str | None = strawberry.field(default=None, description="New URL.")
    events: list[str] | None = strawberry.field(default=None, description="New event types.")
    description: str | None = strawberry.field(default=None, description="New description.")
    active: bool | None = strawberry.field(
        default=None, description="False disables it; true re-enables it (and clears failures)."
    )


@strawberry.type(description="A webhook and its signing secret, shown this once.")
class WebhookCreated:
    webhook: Webhook = strawberry.field(description="The endpoint.")
    secret: str = strawberry.field(description="`whsec_…`: verify signatures with it; keep it.")


@strawberry.type(description="The webhook as saved.")
class WebhookSuccess:
    webhook: Webhook = strawberry.field(description="The endpoint after the change.")


@strawberry.type(description="The webhook was deleted.")
class WebhookDeleted:
    id: strawberry.ID = strawberry.field(description="Global ID of the deleted webhook.")


@strawberry.type(description="Done (the answer never tells whether an account exists).")
class Done:
    ok: bool = strawberry.field(description="Always true.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    MarkReadPayload = MarkNotificationsReadSuccess | MutationError
    PreferencesPayload = NotificationPreferencesSuccess | MutationError
    WebhookCreatedPayload = WebhookCreated | MutationError
    WebhookPayload = WebhookSuccess | MutationError
    WebhookDeletedPayload = WebhookDeleted | MutationError
    DonePayload = Done | MutationError
else:
    MarkReadPayload = payload(
        "MarkNotificationsReadPayload", MarkNotificationsReadSuccess, "Marked, or why not."
    )
    PreferencesPayload = payload(
        "NotificationPreferencesPayload", NotificationPreferencesSuccess, "Saved, or why not."
    )
    WebhookCreatedPayload = payload("CreateWebhookPayload", WebhookCreated, "Created, or why not.")
    WebhookPayload = payload("WebhookPayload", WebhookSuccess, "A webhook, or why not.")
    WebhookDeletedPayload = payload("DeleteWebhookPayload", WebhookDeleted, "Deleted, or why not.")
    DonePayload = payload("PasswordResetPayload", Done, "Done, or why not.")


def _ids(items: list[strawberry.ID] | None, all: bool) -> list[int] | None:
    if all:
        return None
    if not items:
        raise fail(Invalid("ids", "give the IDs to mark read, or all: true"))
    return [pk(item, "Notification", f"ids[{i}]") or 0 for i, item in enumerate(items)]


def _webhook_id(global_id: strawberry.ID) -> int:
    return pk(global_id, "Webhook", "id") or 0


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(description="Mark some (or all) of your notifications read.")
    async def mark_notifications_read(
        self, info: Info, input: MarkNotificationsReadInput
    ) -> MarkReadPayload:
        db = info.context.sessionmaker

        async def work() -> MarkNotificationsReadSuccess:
            marked = await service.mark_read(db, _actor(info), _ids(input.ids, input.all))
            count = await service.unread_count(db, info.context.viewer)
            return MarkNotificationsReadSuccess(marked=marked, unread_count=count)

        return await _call(work, lambda result: result)  # type: ignore[return-value]

    @strawberry.mutation(description="Choose how often you get e-mail for kinds of events.")
    async def set_notification_preferences(
        self, info: Info, preferences: list[NotificationPreferenceInput]
    ) -> PreferencesPayload:
        choices = [(p.kind, p.frequency) for p in preferences]

        async def work() -> list[service.Preference]:
            return await service.set_preferences(info.context.sessionmaker, _actor(info), choices)

        return await _call(  # type: ignore[return-value]
            work,
            lambda found: NotificationPreferencesSuccess(
                preferences=[NotificationPreference.from_data(p) for p in found]
            ),
        )

    @strawberry.mutation(description="Register a webhook (admins); the secret is shown once.")
    async def create_webhook(self, info: Info, input: CreateWebhookInput) -> WebhookCreatedPayload:
        changes = WebhookChanges(url=input.url, events=input.events, description=input.description)

        async def work() -> m.Webhook:
            return await service.create_webhook(
                info.context.sessionmaker, _actor(info), info.context.settings, changes
            )

        return await _call(  # type: ignore[return-value]
            work, lambda row: WebhookCreated(webhook=Webhook.from_model(row), secret=row.secret)
        )

    @strawberry.mutation(description="Change a webhook's URL, events, description or state.")
    async def update_webhook(self, info: Info, input: UpdateWebhookInput) -> WebhookPayload:
        changes = WebhookChanges(input.url, input.events, input.description, input.active)

        async def work() -> m.Webhook:
            return await service.update_webhook(
                info.context.sessionmaker,
                _actor(info),
                info.context.settings,
                _webhook_id(input.id),
                changes,
            )

        return await _call(work, lambda row: WebhookSuccess(webhook=Webhook.from_model(row)))  # type: ignore[return-value]

    @strawberry.mutation(description="Delete a webhook; its pending deliveries go with it.")
    async def delete_webhook(self, info: Info, id: strawberry.ID) -> WebhookDeletedPayload:
        async def work() -> int:
            return await service.delete_webhook(
                info.context.sessionmaker, _actor(info), _webhook_id(id)
            )

        return await _call(work, lambda _: WebhookDeleted(id=id))  # type: ignore[return-value]

    @strawberry.mutation(description="A new signing secret (shown once); the old one stops now.")
    async def rotate_webhook_secret(self, info: Info, id: strawberry.ID) -> WebhookCreatedPayload:
        async def work() -> m.Webhook:
            return await service.rotate_webhook_secret(
                info.context.sessionmaker, _actor(info), _webhook_id(id)
            )

        return await _call(  # type: ignore[return-value]
            work, lambda row: WebhookCreated(webhook=Webhook.from_model(row), secret=row.secret)
        )

    @strawberry.mutation(
        description="E-mail a link to choose a new password (when the account exists)."
    )
    async def request_password_reset(self, info: Info, email: str) -> DonePayload:
        async def work() -> None:
            await service.request_password_reset(
                info.context.sessionmaker, info.context.settings, email
            )

        return await _call(work, lambda _: Done(ok=True))  # type: ignore[return-value]

    @strawberry.mutation(description="Set a new password with the token of a reset link.")
    async def reset_password(self, info: Info, token: str, password: str) -> DonePayload:
        async def work() -> None:
            cookies = info.context.cookies
            assert cookies is not None  # set by the app for every HTTP request
            await service.reset_password(info.context.sessionmaker, cookies.key, token, password)

        return await _call(work, lambda _: Done(ok=True))  # type: ignore[return-value]
