"""Shared pieces of the notification tests: events written through the real unit of work, the
worker, a real SMTP server (aiosmtpd) on a free loopback port, sample rows to talk about."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accr_graph.db import models as m
from accr_graph.notifications.worker import Worker
from accr_graph.services.uow import Actor, Database, unit_of_work
from accr_graph.settings import Settings
from accr_graph.viewer import Viewer

SECRET = "test-secret-key"


async def emit(
    db: Database,
    kind: str,
    about: Any,
    centre_ids: list[int],
    actor: m.User | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Leave one outbox event, exactly as a use case does (its own unit of work)."""
    viewer = Viewer(user_id=actor.id, role=actor.role, centre_id=actor.centre_id) if actor else None
    async with unit_of_work(db, Actor(viewer) if viewer else Actor.system(), "test") as uow:
        uow.without_audit()
        uow.emit(kind, about, centre_ids=centre_ids, payload=payload)


@dataclass
class InterestCase:
    interest: m.Interest
    proposal: m.Proposal
    owner_users: list[m.User]
    interested_users: list[m.User]


async def users_of(session: AsyncSession, centre_id: int) -> list[m.User]:
    query = select(m.User).where(m.User.centre_id == centre_id).order_by(m.User.id)
    return list((await session.scalars(query)).all())


async def interest_case(db: Database) -> InterestCase:
    """An interest (made here) in an open proposal, between two centres with user accounts."""
    async with db.begin() as session:
        members = (await session.scalars(select(m.User).where(m.User.centre_id.is_not(None)))).all()
        centres = sorted({u.centre_id for u in members if u.centre_id})
        proposal = await session.scalar(
            select(m.Proposal)
            .where(m.Proposal.status == m.ProposalStatus.OPEN, m.Proposal.owner_id.in_(centres))
            .order_by(m.Proposal.id)
            .limit(1)
        )
        assert proposal is not None, "the sample has no open proposal of a centre with accounts"
        other = next(c for c in centres if c != proposal.owner_id)
        interest = await session.scalar(
            select(m.Interest).where(
                m.Interest.proposal_id == proposal.id, m.Interest.centre_id == other
            )
        )
        if interest is None:
            interest = m.Interest(proposal_id=proposal.id, centre_id=other)
            session.add(interest)
            await session.flush()
        owners = await users_of(session, proposal.owner_id)
        interested = await users_of(session, other)
    return InterestCase(interest, proposal, owners, interested)


def worker_settings(settings: Settings, **changes: Any) -> Settings:
    values = {"retry_base_seconds": 0.0, "retry_cap_seconds": 0.0, **changes}
    return settings.model_copy(update=values)


def new_worker(db: Database, settings: Settings) -> Worker:
    return Worker(db, settings, SECRET)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """What a real SMTP server received: one parsed message per DATA."""

    messages: list[Message] = field(default_factory=list)
    envelopes: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:<port>; can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        await asyncio.to_thread(self.controller.start)

    async def stop(self) -> None:
        if self.controller is not None:
            await asyncio.to_thread(self.controller.stop)
            self.controller = None
