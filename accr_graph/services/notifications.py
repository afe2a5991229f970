"""Notification use cases: the inbox, e-mail preferences, unsubscribing, webhooks (admins),
password resets, and the worker's webhook bookkeeping. Every write runs in a unit of work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import as_utc, utcnow
from accr_graph.notifications import render, webhooks
from accr_graph.notifications.kinds import KINDS, canonical, configurable
from accr_graph.repositories import auth as auth_repo
from accr_graph.repositories import notifications as repo
from accr_graph.repositories.common import Window
from accr_graph.security.passwords import hash_password
from accr_graph.services.errors import Invalid, Missing, Refused, fail
from accr_graph.services.permissions import require_scope
from accr_graph.services.uow import Actor, Database, unit_of_work
from accr_graph.settings import Settings
from accr_graph.viewer import Viewer

RESET_SALT = "accr-password-reset"
MAX_IDS = 500  # notifications marked read in one call


def _require_user(viewer: Viewer) -> int:
    if viewer.user_id is None:
        raise fail(Refused("Sign in (or send an API token) to read your notifications."))
    return viewer.user_id


# --- inbox --------------------------------------------------------------------------------------


async def inbox(
    db: Database, viewer: Viewer, unread_only: bool, window_of: Callable[[int], Window]
) -> tuple[Window, int, Sequence[m.Notification]]:
    """A page of the viewer's notifications, newest first, and how many there are."""
    user_id = _require_user(viewer)
    async with db() as session:
        total = await repo.count_inbox(session, user_id, unread_only)
        window = window_of(total)
        rows = await repo.inbox_page(session, user_id, unread_only, window)
    return window, total, rows


async def notifications_after(
    db: Database, viewer: Viewer, after_id: int
) -> Sequence[m.Notification]:
    """The viewer's notifications newer than ``after_id``, oldest first (live updates)."""
    user_id = _require_user(viewer)
    async with db() as session:
        return await repo.notifications_after(session, user_id, after_id)


async def unread_count(db: Database, viewer: Viewer) -> int:
    if viewer.user_id is None:
        return 0
    async with db() as session:
        return await repo.count_inbox(session, viewer.user_id, True)


async def mark_read(db: Database, actor: Actor, ids: Sequence[int] | None) -> int:
    """Mark some (or, with ``ids=None``, all) of the actor's notifications read."""
    user_id = _require_user(actor.viewer)
    if ids is not None and len(ids) > MAX_IDS:
        raise fail(Invalid("ids", f"at most {MAX_IDS} at a time; use all: true"))
    async with unit_of_work(db, actor, "markNotificationsRead") as uow:
        uow.without_audit()  # reading one's inbox is not a change worth an audit entry
        return await repo.mark_read(uow.session, user_id, ids)


# --- preferences --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Preference:
    kind: str
    frequency: m.Frequency
    is_default: bool


async def preferences(db: Database, viewer: Viewer) -> list[Preference]:
    user_id = _require_user(viewer)
    async with db() as session:
        chosen = await repo.preferences(session, [user_id])
    return [
        Preference(
            k.name, chosen.get((user_id, k.name), k.default), (user_id, k.name) not in chosen
        )
        for k in configurable()
    ]


def _check_kind(kind: str, field: str) -> str:
    kind = canonical(kind)
    if kind not in KINDS or KINDS[kind].forced:
        names = ", ".join(k.name for k in configurable())
        raise fail(Invalid(field, f"unknown notification kind; one of: {names}"))
    return kind


async def _set_preference(
    session: AsyncSession, user_id: int, kind: str, frequency: m.Frequency
) -> None:
    row = await session.get(m.NotificationPreference, (user_id, kind))
    if row is None:
        session.add(m.NotificationPreference(user_id=user_id, kind=kind, frequency=frequency))
    else:
        row.frequency = frequency


async def set_preferences(
    db: Database, actor: Actor, choices: Sequence[tuple[str, m.Frequency]]
) -> list[Preference]:
    """Set the e-mail frequency of some kinds for the actor."""
    user_id = _require_user(actor.viewer)
    require_scope(actor.viewer, "write")
    checked = [
        (_check_kind(kind, f"preferences[{i}].kind"), f) for i, (kind, f) in enumerate(choices)
    ]
    async with unit_of_work(db, actor, "setNotificationPreferences") as uow:
        for kind, frequency in checked:
            await _set_preference(uow.session, user_id, kind, frequency)
        uow.changed(None, [kind for kind, _ in checked])
    return await preferences(db, actor.viewer)


async def unsubscribe(db: Database, secret: str, token: str) -> str:
    """One-click unsubscribe (RFC 8058): the kind's e-mails off for the token's user."""
    found = render.read_unsubscribe_token(secret, token)
    if found is None:
        raise fail(Invalid("token", "this unsubscribe link is not valid (or too old)"))
    user_id, kind = found
    async with unit_of_work(db, Actor.system(), "unsubscribe") as uow:
        user = await uow.session.get(m.User, user_id)
        if user is None:
            raise fail(Missing("No such account."))
        kind = canonical(kind)
        if kind in KINDS and not KINDS[kind].forced:
            await _set_preference(uow.session, user_id, kind, m.Frequency.OFF)
        uow.changed(user, ["notificationPreferences"])
    return kind


# --- failed deliveries (staff) ------------------------------------------------------------------


async def failed_deliveries(
    db: Database, viewer: Viewer, window_of: Callable[[int], Window]
) -> tuple[Window, int, Sequence[m.Delivery]]:
    """Deliveries given up after the last retry, newest first (staff)."""
    if not viewer.is_staff:
        raise fail(Refused("Only ACCR staff may see failed deliveries."))
    async with db() as session:
        total = await repo.count_deliveries(session, m.Delivery.status == m.DeliveryStatus.FAILED)
        window = window_of(total)
        return window, total, await repo.failed_deliveries(session, window)


# --- password reset -----------------------------------------------------------------------------


def reset_link(settings: Settings, secret: str, reset_id: int) -> str:
    token = URLSafeSerializer(secret, salt=RESET_SALT).dumps(reset_id)
    return f"{settings.public_url.rstrip('/')}/password/reset?token={token}"


async def request_password_reset(db: Database, settings: Settings, email: str) -> None:
    """E-mail a reset link to an active account with this address; the same answer whether or
    not there is one (no way to learn which addresses have accounts)."""
    address = email.strip().lower()
    if not address or len(address) > 320:
        raise fail(Invalid("email", "enter the e-mail address of your account"))
    async with unit_of_work(db, Actor.system(), "requestPasswordReset") as uow:
        user = await auth_repo.user_by_email(uow.session, address)
        if user is None or not user.is_active:
            uow.without_audit()
            return
        minutes = timedelta(minutes=settings.password_reset_minutes)
        reset = m.PasswordReset(user_id=user.id, expires_at=utcnow() + minutes)
        uow.session.add(reset)
        await uow.session.flush()
        uow.changed(reset)
        uow.emit("account.password_reset", user, payload={"user_id": user.id, "reset_id": reset.id})


def _reset_id(secret: str, token: str) -> int | None:
    try:
        value = URLSafeSerializer(secret, salt=RESET_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return value if isinstance(value, int) else None


async def check_reset(db: Database, secret: str, token: str) -> m.PasswordReset:
    """The reset a link names, if still usable; Invalid otherwise (forged, used or expired)."""
    async with db() as session:
        return await _usable_reset(session, secret, token)


async def _usable_reset(session: AsyncSession, secret: str, token: str) -> m.PasswordReset:
    reset_id = _reset_id(secret, token)
    reset = await session.get(m.PasswordReset, reset_id) if reset_id else None
    if reset is None or reset.used_at is not None or as_utc(reset.expires_at) <= utcnow():
        raise fail(Invalid("token", "this link is not valid any more; ask for a new one"))
    return reset


async def reset_password(db: Database, secret: str, token: str, password: str) -> None:
    """Set a new password through a reset link; the link is then spent, every session ended."""
    if len(password) < 10:
        raise fail(Invalid("password", "must be at least 10 characters long"))
    async with unit_of_work(db, Actor.system(), "resetPassword") as uow:
        reset = await _usable_reset(uow.session, secret, token)
        # Spend the link first, guarded by used_at: two concurrent uses cannot both win.
        spent = await uow.session.execute(
            update(m.PasswordReset)
            .where(m.PasswordReset.id == reset.id, m.PasswordReset.used_at.is_(None))
            .values(used_at=utcnow())
        )
        if not spent.rowcount:  # type: ignore[attr-defined]
            raise fail(Invalid("token", "this link is not valid any more; ask for a new one"))
        user = await uow.session.get(m.User, reset.user_id)
        if user is None or not user.is_active:
            raise fail(Invalid("token", "this account is not active"))
        user.password_hash = hash_password(password)
        await auth_repo.revoke_sessions_of(uow.session, user.id, utcnow())
        uow.changed(user, ["password"])


# --- webhooks -----------------------------------------------------------------------------------


def _require_admin(viewer: Viewer) -> int:
    require_scope(viewer, "admin")
    if viewer.role is not m.UserRole.ADMIN or viewer.user_id is None:
        raise fail(Refused("Only ACCR admins may manage webhooks."))
    return viewer.user_id


def _check_events(events: Sequence[str]) -> list[str]:
    cleaned = sorted({canonical(e.strip()) for e in events})
    if not cleaned:
        raise fail(Invalid("events", 'name at least one event type, or "*" for all'))
    public = {k.name for k in KINDS.values() if not k.private}
    unknown = [e for e in cleaned if e != "*" and e not in public]
    if unknown:
        raise fail(Invalid("events", f"unknown event types: {', '.join(unknown[:5])}"))
    return cleaned


async def _check_url(url: str, settings: Settings) -> str:
    try:
        await webhooks.check_url(url.strip(), settings.webhook_allow_private)
    except webhooks.UnsafeUrl as error:
        raise fail(Invalid("url", str(error))) from None
    return url.strip()


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    url: str | None = None
    events: list[str] | None = None
    description: str | None = None
    active: bool | None = None


async def create_webhook(
    db: Database, actor: Actor, settings: Settings, changes: WebhookChanges
) -> m.Webhook:
    owner = _require_admin(actor.viewer)
    if changes.url is None or changes.events is None:
        raise fail(Invalid("url", "a webhook needs a URL and events"))
    url = await _check_url(changes.url, settings)
    events = _check_events(changes.events)
    async with unit_of_work(db, actor, "createWebhook") as uow:
        hook = m.Webhook(
            owner_id=owner,
            url=url,
            events=events,
            description=_description(changes.description),
            secret=webhooks.new_secret(),
        )
        uow.session.add(hook)
        await uow.session.flush()
        uow.changed(hook, ["url", "events", "description"])
    return hook


def _description(text: str | None) -> str:
    value = (text or "").strip()
    if len(value) > 300 or "\x00" in value:
        raise fail(Invalid("description", "at most 300 characters"))
    return value


async def _own_hook(session: AsyncSession, viewer: Viewer, webhook_id: int) -> m.Webhook:
    _require_admin(viewer)
    hook = await session.get(m.Webhook, webhook_id)
    if hook is None:
        raise fail(Missing("No such webhook.", "Webhook", webhook_id))
    return hook


async def update_webhook(
    db: Database, actor: Actor, settings: Settings, webhook_id: int, changes: WebhookChanges
) -> m.Webhook:
    url = await _check_url(changes.url, settings) if changes.url is not None else None
    events = _check_events(changes.events) if changes.events is not None else None
    async with unit_of_work(db, actor, "updateWebhook") as uow:
        hook = await _own_hook(uow.session, actor.viewer, webhook_id)
        fields = _apply(hook, url, events, changes)
        uow.changed(hook, fields)
    return hook


def _apply(
    hook: m.Webhook, url: str | None, events: list[str] | None, changes: WebhookChanges
) -> list[str]:
    fields: list[str] = []
    if url is not None:
        hook.url, fields = url, [*fields, "url"]
    if events is not None:
        hook.events, fields = events, [*fields, "events"]
    if changes.description is not None:
        hook.description = _description(changes.description)
        fields.append("description")
    if changes.active is not None:
        hook.is_active = changes.active
        hook.disabled_at = None if changes.active else utcnow()
        hook.failing_since = None
        fields.append("active")
    return fields


async def delete_webhook(db: Database, actor: Actor, webhook_id: int) -> int:
    async with unit_of_work(db, actor, "deleteWebhook") as uow:
        hook = await _own_hook(uow.session, actor.viewer, webhook_id)
        uow.changed(hook)
        await uow.session.delete(hook)
    return webhook_id


async def rotate_webhook_secret(db: Database, actor: Actor, webhook_id: int) -> m.Webhook:
    async with unit_of_work(db, actor, "rotateWebhookSecret") as uow:
        hook = await _own_hook(uow.session, actor.viewer, webhook_id)
        hook.secret = webhooks.new_secret()
        uow.changed(hook, ["secret"])
    return hook


async def list_webhooks(db: Database, viewer: Viewer) -> Sequence[m.Webhook]:
    _require_admin(viewer)
    async with db() as session:
        return (await session.scalars(select(m.Webhook).order_by(m.Webhook.id))).all()


async def webhook_deliveries(
    db: Database, viewer: Viewer, webhook_id: int, window_of: Callable[[int], Window]
) -> tuple[Window, int, Sequence[m.Delivery]]:
    async with db() as session:
        await _own_hook(session, viewer, webhook_id)
        total = await repo.count_deliveries(session, m.Delivery.webhook_id == webhook_id)
        window = window_of(total)
        return window, total, await repo.deliveries_of_webhook(session, webhook_id, window)


async def webhook_outcome(
    session: AsyncSession, webhook_id: int, ok: bool, now: datetime, settings: Settings
) -> set[int]:
    """Track an endpoint's run of failures; the ids failing longer than allowed (to disable)."""
    hook = await session.get(m.Webhook, webhook_id)
    if hook is None or not hook.is_active:
        return set()
    if ok:
        hook.failing_since = None
        return set()
    hook.failing_since = hook.failing_since or now
    limit = timedelta(hours=settings.webhook_disable_after_hours)
    return {hook.id} if now - as_utc(hook.failing_since) >= limit else set()


async def disable_webhook(db: Database, webhook_id: int) -> None:
    """Disable an endpoint that kept failing; its owner is told (inbox and e-mail)."""
    async with unit_of_work(db, Actor.system(), "disableWebhook") as uow:
        hook = await uow.session.get(m.Webhook, webhook_id)
        if hook is None or not hook.is_active:
            uow.without_audit()
            return
        hook.is_active, hook.disabled_at = False, utcnow()
        await uow.session.execute(
            update(m.Delivery)
            .where(m.Delivery.webhook_id == hook.id, m.Delivery.status == m.DeliveryStatus.PENDING)
            .values(status=m.DeliveryStatus.SKIPPED, last_error="the webhook was disabled")
        )
        uow.changed(hook, ["active"])
        uow.emit("webhook.disabled", hook, payload={"user_id": hook.owner_id, "url": hook.url})
