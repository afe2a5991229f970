"""Log-in, sessions, API tokens, and turning request credentials into a Viewer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from accr_graph.db import models as m
from accr_graph.db.base import as_utc, utcnow
from accr_graph.repositories import auth as repo
from accr_graph.repositories import centres
from accr_graph.security.passwords import hash_password, verify_password
from accr_graph.security.secrets import digest, display_prefix, new_secret
from accr_graph.services import checks
from accr_graph.services.errors import Invalid, Missing, Refused, fail
from accr_graph.services.fields import named
from accr_graph.services.permissions import require_scope
from accr_graph.services.uow import Actor, Database, unit_of_work
from accr_graph.settings import Settings
from accr_graph.viewer import ALL_SCOPES, ANONYMOUS, Viewer

GENERIC_LOGIN_ERROR = "Wrong e-mail or password."
TOUCH_EVERY = timedelta(minutes=1)
Sessionmaker = async_sessionmaker[AsyncSession]
MEMBER_SCOPES = frozenset({"read", "write", "fair"})


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: m.ApiToken
    secret: str  # shown once, never stored

    @property
    def audit_target(self) -> m.ApiToken:
        """What the audit log records: the token row, never the secret."""
        return self.token


def viewer_of(
    user: m.User, scopes: frozenset[str] = ALL_SCOPES, token_id: int | None = None
) -> Viewer:
    allowed = ALL_SCOPES if user.role in (m.UserRole.STAFF, m.UserRole.ADMIN) else MEMBER_SCOPES
    return Viewer(
        user_id=user.id,
        role=user.role,
        centre_id=user.centre_id,
        token_id=token_id,
        scopes=frozenset(scopes) & allowed,
    )


# --- log-in ------------------------------------------------------------------------------------


MAX_EMAIL = 320


def normalise_email(raw: str) -> str:
    """The one form of an e-mail that is both looked up and throttled (no padding variants)."""
    email = raw.strip().lower()
    return email if len(email) <= MAX_EMAIL else email[:MAX_EMAIL] + "…"  # matches no account


def _throttle_keys(email: str, address: str | None) -> list[str]:
    keys = [f"email:{email}"]
    return [*keys, f"addr:{address}"] if address else keys


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: m.User
    session_secret: str  # goes into the signed cookie; only its hash is stored


async def _delay_for(maker: Sessionmaker, keys: list[str], settings: Settings) -> float:
    """Past the allowed failures, each further attempt waits longer (doubling, at most 8 s)."""
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    async with maker() as session:
        count = await repo.failures(session, keys, since)
    extra = count - settings.login_max_failures
    return min(settings.login_delay_seconds * 2 ** (extra + 1), 8.0) if extra >= 0 else 0.0


async def _record_failure(maker: Sessionmaker, keys: list[str], settings: Settings) -> None:
    now = utcnow()
    since = now - timedelta(seconds=settings.login_window_seconds)
    async with maker.begin() as session:
        for key in keys:
            await repo.record_failure(session, key, now, since)


async def _verify_credentials(maker: Sessionmaker, email: str, password: str) -> m.User | None:
    async with maker() as session:
        user = await repo.user_by_email(session, email)
    # Verify even for unknown e-mails, so timing does not tell which accounts exist; argon2 is
    # slow on purpose, so it runs in a thread instead of blocking the event loop.
    stored = user.password_hash if user else _DUMMY_HASH
    ok = await asyncio.to_thread(verify_password, stored, password)
    return user if ok and user is not None and user.is_active else None


async def sign_in(
    maker: Sessionmaker, email: str, password: str, address: str | None, settings: Settings
) -> SignedIn | None:
    """A new browser session, or None after a recorded failure and a delay.

    No transaction (nor connection) is held while waiting: slow log-ins must not starve the
    pool or hold row locks.
    """
    email = normalise_email(email)
    keys = _throttle_keys(email, address)
    delay = await _delay_for(maker, keys, settings)
    # The attempt counts as a failure until it succeeds: parallel attempts see each other.
    await _record_failure(maker, keys, settings)
    await asyncio.sleep(delay)
    user = await _verify_credentials(maker, email, password)
    if user is None:
        await asyncio.sleep(settings.login_delay_seconds)
        return None
    async with maker.begin() as session:
        await repo.clear_failures(session, keys)
        return SignedIn(user, await open_session(session, user, settings))


_DUMMY_HASH = hash_password("not a real password")


async def open_session(session: AsyncSession, user: m.User, settings: Settings) -> str:
    secret = new_secret("s_")
    expires = utcnow() + timedelta(days=settings.session_days)
    session.add(m.UserSession(user_id=user.id, secret_hash=digest(secret), expires_at=expires))
    await session.flush()
    return secret


async def sign_out(maker: Sessionmaker, secret: str) -> None:
    """End a browser session. Like signing in, not a data change: no audit entry, no version."""
    async with maker.begin() as session:
        await repo.revoke_session(session, digest(secret), utcnow())


# --- resolving the caller -----------------------------------------------------------------------


async def viewer_from_bearer(session: AsyncSession, secret: str) -> Viewer | None:
    now = utcnow()
    found = await repo.active_token(session, digest(secret), now)
    if found is None:
        return None
    token, user = found
    if token.last_used_at is None or token.last_used_at < now - TOUCH_EVERY:
        # At most one write a minute per token: reads stay reads.
        await repo.touch_token(session, token.id, now)
    return viewer_of(user, frozenset(token.scopes), token.id)


async def viewer_from_session(session: AsyncSession, secret: str) -> Viewer | None:
    user = await repo.active_session(session, digest(secret), utcnow())
    return viewer_of(user) if user else None


class UnknownToken(Exception):
    """The bearer token is unknown, expired or revoked (the caller answers 401)."""


async def resolve_viewer(maker: Sessionmaker, bearer: str | None, cookie: str | None) -> Viewer:
    """Who is asking: a bearer token wins over a session cookie; a bad cookie is anonymous.

    Its own short transaction: a token's last use is touched at most once a minute, which is
    bookkeeping, not a data change (no audit entry, no version bump)."""
    if bearer is None and cookie is None:
        return ANONYMOUS
    async with maker.begin() as session:
        if bearer is not None:
            viewer = await viewer_from_bearer(session, bearer)
            if viewer is None:
                raise UnknownToken()
            return viewer
        assert cookie is not None
        return await viewer_from_session(session, cookie) or ANONYMOUS


# --- API tokens ---------------------------------------------------------------------------------


def _check_scopes(viewer: Viewer, scopes: list[str]) -> frozenset[str]:
    wanted = frozenset(s.strip().lower() for s in scopes)
    unknown = sorted(wanted - ALL_SCOPES)
    if unknown or not wanted:
        raise fail(Invalid("scopes", f"choose among {', '.join(sorted(ALL_SCOPES))}"))
    beyond = sorted(wanted - viewer.scopes)
    if beyond:
        raise fail(Refused(f"You cannot grant scope(s) you do not have: {', '.join(beyond)}."))
    return wanted


def _future(moment: datetime) -> datetime:
    try:
        moment = as_utc(moment)
    except OverflowError:
        raise fail(Invalid("expiresAt", "is out of range")) from None
    if moment <= utcnow():
        raise fail(Invalid("expiresAt", "must be in the future"))
    return moment


async def create_token(
    db: Database, actor: Actor, name: str, scopes: list[str], expires_at: datetime | None
) -> IssuedToken:
    """A token acting as the caller, narrowed to ``scopes``; the secret is returned once."""
    async with unit_of_work(db, actor, "createApiToken") as uow:
        issued = await _new_token(uow.session, uow.viewer, name, scopes, expires_at)
        uow.changed(issued, ["name", "scopes", *named(expires_at=expires_at)])
    return issued


async def create_token_for(
    db: Database,
    actor: Actor,
    email: str,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
) -> IssuedToken:
    """The CLI's way: a token for the user with this e-mail, within that user's scopes."""
    async with unit_of_work(db, actor, "createApiToken") as uow:
        user = await repo.user_by_email(uow.session, email)
        if user is None:
            raise fail(Missing(f"no user with e-mail {email}"))
        issued = await _new_token(uow.session, viewer_of(user), name, scopes, expires_at)
        uow.changed(issued, ["name", "scopes", *named(expires_at=expires_at)])
    return issued


async def _new_token(
    session: AsyncSession, viewer: Viewer, name: str, scopes: list[str], expires_at: datetime | None
) -> IssuedToken:
    if viewer.user_id is None:
        raise fail(Refused("Sign in to create API tokens."))
    if viewer.token_id is not None and not viewer.can("admin"):
        # A leaked token must not be able to mint others that outlive it.
        raise fail(Refused("Create API tokens from a signed-in session (or a token with 'admin')."))
    granted = _check_scopes(viewer, scopes)
    if expires_at is not None:
        expires_at = _future(expires_at)
    secret = new_secret()
    token = m.ApiToken(
        user_id=viewer.user_id,
        name=checks.text(name, "name", 200, required=True),
        prefix=display_prefix(secret),
        secret_hash=digest(secret),
        scopes=sorted(granted),
        expires_at=expires_at,
    )
    session.add(token)
    return IssuedToken(token, secret)


async def revoke_token(db: Database, actor: Actor, token_id: int) -> m.ApiToken:
    async with unit_of_work(db, actor, "revokeApiToken") as uow:
        viewer = uow.viewer
        token = await repo.token_by_id(uow.session, token_id)
        if token is None or not can_see_token(viewer, token):
            raise fail(Missing("No such API token.", "ApiToken", token_id))
        own = token.user_id == viewer.user_id
        itself = viewer.token_id in (None, token.id)  # a browser session, or the token itself
        if not (own and itself):
            require_scope(viewer, "write" if own else "admin")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
        uow.changed(token, ["id"])
    return token


def can_see_token(viewer: Viewer, token: m.ApiToken) -> bool:
    """Tokens are seen by their owner and by staff: the one home of this rule."""
    return viewer.is_staff or (viewer.user_id is not None and token.user_id == viewer.user_id)


# --- accounts (CLI) -----------------------------------------------------------------------------


async def create_user(
    db: Database,
    actor: Actor,
    email: str,
    role: m.UserRole,
    centre_slug: str | None,
    password: str,
) -> m.User:
    async with unit_of_work(db, actor, "createUser") as uow:
        centre_id = await _centre_of(uow.session, role, centre_slug)
        user = await _new_user(uow.session, email, role, centre_id, password)
        uow.changed(user, ["email", "role", *named(centre=centre_slug)])
    return user


async def _centre_of(session: AsyncSession, role: m.UserRole, slug: str | None) -> int | None:
    if slug is None:
        if role is m.UserRole.MEMBER:
            raise fail(Invalid("centre", "a member needs --centre SLUG"))
        return None
    found = (await centres.by_slugs(session, [slug])).get(slug)
    if found is None:
        raise fail(Invalid("centre", f"no centre with slug {slug!r}"))
    return found.id


async def _new_user(
    session: AsyncSession, email: str, role: m.UserRole, centre_id: int | None, password: str
) -> m.User:
    email = email.strip().lower()
    if "@" not in email:
        raise fail(Invalid("email", f"'{email}' is not an e-mail address"))
    if await repo.user_by_email(session, email) is not None:
        raise fail(Invalid("email", f"a user with e-mail {email} already exists"))
    _check_password(password)
    user = m.User(
        email=email,
        display_name=email.split("@")[0],
        role=role,
        centre_id=centre_id,
        password_hash=hash_password(password),
    )
    session.add(user)
    return user


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise fail(Invalid("password", "must be at least 10 characters long"))


async def set_password(db: Database, actor: Actor, email: str, password: str) -> m.User:
    async with unit_of_work(db, actor, "setPassword") as uow:
        user = await repo.user_by_email(uow.session, email)
        if user is None:
            raise fail(Missing(f"No user with e-mail {email}."))
        _check_password(password)
        user.password_hash = hash_password(password)
        # A new password ends every browser session: whoever knew the old one is signed out.
        await repo.revoke_sessions_of(uow.session, user.id, utcnow())
        uow.changed(user, ["password"])
    return user
