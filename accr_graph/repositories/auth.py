"""Users, browser sessions, API tokens and log-in throttling."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db.models import ApiToken, AuthThrottle, User, UserSession
from accr_graph.repositories.common import upsert


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.strip().lower()))


async def users_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, User]:
    return {u.id: u for u in await session.scalars(select(User).where(User.id.in_(ids)))}


async def active_session(session: AsyncSession, secret_hash: str, now: datetime) -> User | None:
    query = (
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.secret_hash == secret_hash,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
            User.is_active.is_(True),
        )
    )
    return await session.scalar(query)


async def revoke_session(session: AsyncSession, secret_hash: str, now: datetime) -> None:
    await session.execute(
        update(UserSession).where(UserSession.secret_hash == secret_hash).values(revoked_at=now)
    )


async def revoke_sessions_of(session: AsyncSession, user_id: int, now: datetime) -> None:
    await session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def active_token(
    session: AsyncSession, secret_hash: str, now: datetime
) -> tuple[ApiToken, User] | None:
    query = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.secret_hash == secret_hash, User.is_active.is_(True))
    )
    row = (await session.execute(query)).first()
    if row is None:
        return None
    token, user = row
    if token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
        return None
    return token, user


async def touch_token(session: AsyncSession, token_id: int, now: datetime) -> None:
    await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


async def tokens_of(session: AsyncSession, user_id: int | None) -> Sequence[ApiToken]:
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return (await session.scalars(query)).all()


async def token_by_id(session: AsyncSession, token_id: int) -> ApiToken | None:
    return await session.get(ApiToken, token_id)


async def failures(session: AsyncSession, keys: Sequence[str], since: datetime) -> int:
    rows = await session.scalars(
        select(AuthThrottle.failures).where(
            AuthThrottle.key.in_(keys), AuthThrottle.window_start > since
        )
    )
    return max(rows.all(), default=0)


async def record_failure(session: AsyncSession, key: str, now: datetime, since: datetime) -> None:
    """Count one failure for the key, atomically (concurrent failures must not collide)."""
    values = upsert(session, AuthThrottle).values(key=key, failures=1, window_start=now)
    fresh = AuthThrottle.window_start <= since  # the old window is over: start counting again
    await session.execute(
        values.on_conflict_do_update(
            index_elements=[AuthThrottle.key],
            set_={
                "failures": case((fresh, 1), else_=AuthThrottle.failures + 1),
                "window_start": case((fresh, now), else_=AuthThrottle.window_start),
            },
        )
    )


async def clear_failures(session: AsyncSession, keys: Sequence[str]) -> None:
    await session.execute(delete(AuthThrottle).where(AuthThrottle.key.in_(keys)))
