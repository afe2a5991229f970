"""The signed-in user's account: who is asking (for the page header) and their preferences."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.db.base import utcnow
from accr_graph.repositories import account
from accr_graph.repositories import auth as auth_repo
from accr_graph.security.passwords import hash_password, verify_password
from accr_graph.services import auth, checks
from accr_graph.services.errors import Invalid, Missing, Refused, fail
from accr_graph.services.uow import Actor, Database, unit_of_work
from accr_graph.settings import Settings
from accr_graph.viewer import Viewer


@dataclass(frozen=True, slots=True)
class Identity:
    """What every page shows about the reader: name, centre, language, unread notifications."""

    user_id: int
    display_name: str
    email: str
    language: str | None
    centre_slug: str | None
    centre_name: str | None
    unread: int  # the header's inbox count


async def identity(db: Database, viewer: Viewer) -> Identity | None:
    """None for anonymous readers and API tokens of deleted users."""
    if viewer.user_id is None:
        return None
    async with db() as session:
        # The same count as notifications.unread_count, in the same statement as the user.
        user, centre, unread = await account.user_with_centre(session, viewer.user_id)
    return Identity(
        user_id=user.id,
        display_name=user.display_name,
        email=user.email,
        language=user.language,
        centre_slug=centre.slug if centre else None,
        centre_name=centre.name if centre else None,
        unread=unread,
    )


async def set_language(
    db: Database, actor: Actor, language: str | None, available: tuple[str, ...]
) -> None:
    """Save (or with None, forget) the language the pages use for the signed-in user."""
    user_id = actor.viewer.user_id
    if user_id is None:
        raise fail(Refused("Sign in to save a language preference."))
    if language is not None and language not in available:
        raise fail(Invalid("language", f"choose among {', '.join(available)}"))
    async with unit_of_work(db, actor, "setLanguage") as uow:
        user = await account.user_by_id(uow.session, user_id)
        if user is None:
            raise fail(Refused("Sign in to save a language preference."))
        user.language = language
        uow.changed(user, ["language"])


async def rename(db: Database, actor: Actor, display_name: str) -> None:
    """The name the header, e-mails and audit views show for the signed-in user."""
    async with unit_of_work(db, actor, "updateAccount") as uow:
        user = await _me(uow.session, actor)
        user.display_name = checks.text(display_name, "display_name", 200, required=True) or ""
        uow.changed(user, ["displayName"])


async def change_password(
    db: Database, actor: Actor, current: str, new: str, settings: Settings
) -> str:
    """Check the current password, set the new one, end every session (whoever knew the old
    password is signed out) and open a new one for this browser: its secret is returned."""
    user_id = actor.viewer.user_id
    if user_id is None or actor.viewer.token_id is not None:
        raise fail(Refused("Change your password from a signed-in browser."))
    async with db() as session:
        found = await account.user_by_id(session, user_id)
    stored = found.password_hash if found else None
    if not stored or not await asyncio.to_thread(verify_password, stored, current):
        raise fail(Invalid("current_password", "is not your current password"))
    if len(new) < 10:
        raise fail(Invalid("new_password", "must be at least 10 characters long"))
    new_hash = await asyncio.to_thread(hash_password, new)
    async with unit_of_work(db, actor, "changePassword") as uow:
        user = await _me(uow.session, actor)
        user.password_hash = new_hash
        await auth_repo.revoke_sessions_of(uow.session, user.id, utcnow())
        uow.changed(user, ["password"])
        return await auth.open_session(uow.session, user, settings)


async def tokens(db: Database, viewer: Viewer) -> Sequence[m.ApiToken]:
    """The signed-in user's own API tokens, newest first (secrets are never stored)."""
    if viewer.user_id is None:
        return []
    async with db() as session:
        return await auth_repo.tokens_of(session, viewer.user_id)


async def create_token(
    db: Database, actor: Actor, name: str, scopes: list[str], expires_at: datetime | None
) -> auth.IssuedToken:
    return await auth.create_token(db, actor, name, scopes, expires_at)


async def revoke_token(db: Database, actor: Actor, token_id: int) -> m.ApiToken:
    return await auth.revoke_token(db, actor, token_id)


async def _me(session: AsyncSession, actor: Actor) -> m.User:
    user_id = actor.viewer.user_id
    user = await account.user_by_id(session, user_id) if user_id is not None else None
    if user is None:
        raise fail(Refused("Sign in first."))
    return user


async def all_tokens(db: Database, email: str | None) -> list[tuple[m.ApiToken, str]]:
    """For the operator's CLI: every token (or one user's), with its owner's e-mail."""
    async with db() as session:
        user = await auth_repo.user_by_email(session, email) if email else None
        if email and user is None:
            raise fail(Invalid("user", f"no user with e-mail {email}"))
        rows = await auth_repo.tokens_of(session, user.id if user else None)
        owners = await auth_repo.users_by_ids(session, list({t.user_id for t in rows}))
    return [(t, owners[t.user_id].email) for t in rows if t.user_id in owners]


async def revoke_token_as_operator(db: Database, token_id: int) -> m.ApiToken:
    """The operator (CLI, no user) revokes any token; revoking twice changes nothing."""
    async with unit_of_work(db, Actor.system(), "revokeApiToken") as uow:
        token = await auth_repo.token_by_id(uow.session, token_id)
        if token is None:
            raise fail(Missing(f"No API token with id {token_id}."))
        if token.revoked_at is None:
            token.revoked_at = utcnow()
        uow.changed(token, ["revokedAt"])
    return token
