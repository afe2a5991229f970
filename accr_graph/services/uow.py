"""The unit of work: the one way every write happens, whoever the caller is.

A use case opens one with :func:`unit_of_work` and does its checks and writes on ``uow.session``.
On a normal exit, in the same transaction: the audit entry (who, what, which object, which
fields), the data-version bump (and the network-version bump when the cooperation network
changed), and the outbox events for notifications — then commit. Any failure rolls all of it
back and comes out as a :class:`ServiceFailure` (typed: ``Invalid``, ``Missing``, ``Conflict``,
``Refused``), so GraphQL, pages, the CLI and jobs only translate it.

    async with unit_of_work(db, actor, "publishProposal") as uow:
        proposal = await load(uow.session, ...)
        uow.guard(proposal)                   # a stale version becomes Conflict(current)
        proposal.status = OPEN
        uow.changed(proposal, ["status"])    # the audit target and fields
        uow.network_changed()
        uow.emit("proposal.published", proposal, centre_ids=[proposal.centre_id])
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from accr_graph.db.models import AuditEntry, OutboxEvent
from accr_graph.repositories import audit, data_version, outbox
from accr_graph.services.errors import Conflict, Invalid, ServiceFailure, fail
from accr_graph.viewer import ANONYMOUS, Viewer

Database = async_sessionmaker[AsyncSession]


class Versioned(Protocol):
    """A row mapped with ``version_id_col``: SQLAlchemy refuses a stale flush of it."""

    id: Any
    version: Any


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change and from where: what the audit entry records."""

    viewer: Viewer = ANONYMOUS
    address: str | None = None

    @classmethod
    def system(cls) -> Actor:
        """The CLI, imports and jobs: no user, no address."""
        return cls()


@dataclass
class UnitOfWork:
    session: AsyncSession
    actor: Actor
    action: str
    _target: object | None = None
    _fields: list[str] = field(default_factory=list)
    _network: bool = False
    _events: list[OutboxEvent] = field(default_factory=list)
    _guarded: tuple[type[Any], int] | None = None
    _audited: bool = True
    _noop: bool = False

    @property
    def viewer(self) -> Viewer:
        return self.actor.viewer

    def changed(self, target: object | None, fields: Sequence[str] = ()) -> None:
        """The object the audit entry names (an ORM row with an ``id``) and the fields set."""
        self._target = target
        self._fields = list(fields)

    def guard(self, row: Versioned) -> None:
        """A versioned row: if another writer commits first, the caller gets its version."""
        # Kept as (class, id): after the rollback the row itself is expired and detached.
        self._guarded = (type(row), row.id)

    def network_changed(self) -> None:
        """What the matching engine reads changed: every worker rebuilds its index."""
        self._network = True

    def without_audit(self) -> None:
        """For bulk jobs (imports) whose audit would be one row per object: version bumps only."""
        self._audited = False

    def nothing_changed(self) -> None:
        """The use case found nothing to do: no audit entry, no version bump, no events."""
        self._noop = True

    def emit(
        self,
        kind: str,
        about: object | None = None,
        *,
        centre_ids: Sequence[int] = (),
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Leave an outbox event for notifications, committed with the change or not at all."""
        self._events.append(
            OutboxEvent(
                kind=kind,
                object_type=_type_name(about),
                object_id=getattr(about, "id", None),
                actor_user_id=self.viewer.user_id,
                centre_ids=sorted(set(centre_ids)),
                payload=payload or {},
            )
        )

    async def _finish(self) -> None:
        await self.session.flush()  # ids for the audit entry and events; stale rows fail here
        if self._noop:
            return
        await data_version.bump(self.session)
        if self._network:
            await data_version.network_changed(self.session)
        if self._audited:
            await audit.record(self.session, self._audit_entry())
        if self._events:
            version = await data_version.current(self.session)
            for event in self._events:
                event.object_id = event.object_id or _id_of(event, self._target)
                event.data_version = version
            outbox.add(self.session, self._events)

    def _audit_entry(self) -> AuditEntry:
        target = getattr(self._target, "audit_target", self._target)
        return AuditEntry(
            user_id=self.viewer.user_id,
            token_id=self.viewer.token_id,
            action=self.action,
            object_type=_type_name(target),
            object_id=getattr(target, "id", None),
            changed_fields=list(self._fields),
            address=self.actor.address or None,
        )


def _type_name(row: object | None) -> str | None:
    return type(row).__name__ if row is not None and hasattr(row, "id") else None


def _id_of(event: OutboxEvent, target: object | None) -> int | None:
    return getattr(target, "id", None) if event.object_type == _type_name(target) else None


@asynccontextmanager
async def unit_of_work(db: Database, actor: Actor, action: str) -> AsyncIterator[UnitOfWork]:
    """One transaction for one use case; see the module docstring."""
    uow: UnitOfWork | None = None
    try:
        async with db.begin() as session:
            # SQLite: take the write lock now, so that what the checks read is still true when
            # the writes land (PostgreSQL services lock the rows they check instead).
            await _take_write_lock(session)
            uow = UnitOfWork(session, actor, action)
            yield uow
            await uow._finish()
    except StaleDataError:
        # Another writer committed between our read and our write (version_id_col caught it).
        current = await _current(db, uow)
        raise fail(Conflict("The object changed while you were saving it.", current)) from None
    except IntegrityError:
        # A database constraint caught what a check could not (a concurrent duplicate).
        raise fail(Invalid("input", "conflicts with data saved meanwhile; retry")) from None


async def _take_write_lock(session: AsyncSession) -> None:
    connection = await session.connection()
    if connection.dialect.name == "sqlite":
        # The driver would only BEGIN (deferred) at the first write, after the checks' reads.
        await connection.exec_driver_sql("BEGIN IMMEDIATE")


async def _current(db: Database, uow: UnitOfWork | None) -> int:
    guarded = uow._guarded if uow is not None else None
    if guarded is None:
        return 0
    model, key = guarded
    async with db() as session:
        value = await session.scalar(select(model.version).where(model.id == key))
    return int(value or 0)


__all__ = ["Actor", "Database", "ServiceFailure", "UnitOfWork", "unit_of_work"]
