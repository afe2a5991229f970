"""Users, API tokens and audit entries."""

from __future__ import annotations

from datetime import datetime

import strawberry

from accr_graph.db import models as m
from accr_graph.repositories.common import Window
from schema.centres.types import Centre, centre_by_id
from schema.context import Info
from schema.notifications.types import Notification
from schema.relay import Connection, Node, connection, to_global_id

strawberry.enum(m.UserRole, name="UserRole", description="member, staff or admin.")


@strawberry.type(description="A person who signs in: a centre's member or ACCR staff.")
class User(Node):
    display_name: str = strawberry.field(description="Name shown to others.")
    role: m.UserRole = strawberry.field(description="What the user may do.")
    _row: strawberry.Private[m.User]

    @classmethod
    def from_model(cls, row: m.User) -> User:
        return cls(
            id=to_global_id("User", row.id), display_name=row.display_name, role=row.role, _row=row
        )

    @strawberry.field(description="E-mail; visible to the user and to staff only.")
    def email(self, info: Info) -> str | None:
        viewer = info.context.viewer
        return self._row.email if viewer.is_staff or viewer.user_id == self._row.id else None

    @strawberry.field(
        description="Your notifications, newest first (only on `me`; empty for other users)."
    )
    async def notifications(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        unread_only: bool = False,
    ) -> Connection[Notification]:
        from schema.notifications.queries import inbox

        if info.context.viewer.user_id != self._row.id:
            return connection([], Window(0, 0), 0, Notification.from_model)
        return await inbox(info, first, after, unread_only)

    @strawberry.field(description="The centre the user acts for (null for staff).")
    def centre(self, info: Info) -> Centre | None:
        centre = self._row.centre_id
        return None if centre is None else centre_by_id(info, centre)


@strawberry.type(
    description="An API token for scripts and external tools (the secret is not shown)."
)
class ApiToken(Node):
    name: str = strawberry.field(description="What the token is for.")
    prefix: str = strawberry.field(description="First characters of the secret, to recognise it.")
    scopes: list[str] = strawberry.field(description="read, write, fair and/or admin.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    last_used_at: datetime | None = strawberry.field(description="Last use, to the minute.")
    expires_at: datetime | None = strawberry.field(description="Null: it does not expire.")
    revoked_at: datetime | None = strawberry.field(description="Null: still valid.")

    @classmethod
    def from_model(cls, row: m.ApiToken) -> ApiToken:
        return cls(
            id=to_global_id("ApiToken", row.id),
            name=row.name,
            prefix=row.prefix,
            scopes=list(row.scopes),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
        )


@strawberry.type(description="One successful change: who, with which token, what, when.")
class AuditEntry(Node):
    at: datetime = strawberry.field(description="When (UTC).")
    action: str = strawberry.field(description="The mutation, e.g. updateProposal.")
    object_type: str | None = strawberry.field(description="Type of the object changed.")
    object_id: strawberry.ID | None = strawberry.field(description="Global ID of the object.")
    changed_fields: list[str] = strawberry.field(description="Input fields the caller set.")
    address: str | None = strawberry.field(description="The caller's network address.")
    token_id: strawberry.ID | None = strawberry.field(
        description="Global ID of the API token used."
    )
    _user_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: m.AuditEntry) -> AuditEntry:
        has_object = row.object_type and row.object_id is not None
        return cls(
            id=to_global_id("AuditEntry", row.id),
            at=row.at,
            action=row.action,
            object_type=row.object_type,
            object_id=to_global_id(row.object_type, row.object_id) if has_object else None,  # type: ignore[arg-type]
            changed_fields=list(row.changed_fields),
            address=row.address,
            token_id=to_global_id("ApiToken", row.token_id) if row.token_id else None,
            _user_id=row.user_id,
        )

    @strawberry.field(description="Who made the change (null: the account was deleted).")
    async def user(self, info: Info) -> User | None:
        from schema.accounts.loaders import UserByIdLoader

        if self._user_id is None:
            return None
        row = await info.context.loaders.get(UserByIdLoader).load(self._user_id)
        return User.from_model(row) if row else None
