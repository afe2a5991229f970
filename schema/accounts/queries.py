from __future__ import annotations

from datetime import datetime

import strawberry

from accr_graph.services import reads
from accr_graph.services.reads import AuditFilter as AuditFilterData
from schema.accounts.loaders import UserByIdLoader
from schema.accounts.types import ApiToken, AuditEntry, User
from schema.context import Info
from schema.permissions import IsAuthenticated, IsStaffWithAdminScope
from schema.relay import Connection, connection, paging, slice_connection
from schema.validation import decode_id


@strawberry.input(description="Audit entries matching every given criterion.")
class AuditFilter:
    user_id: strawberry.ID | None = strawberry.field(default=None, description="A user's ID.")
    action: str | None = strawberry.field(default=None, description="A mutation name.")
    object_type: str | None = strawberry.field(default=None, description="e.g. Proposal.")
    since: datetime | None = strawberry.field(default=None, description="At or after (UTC).")
    until: datetime | None = strawberry.field(default=None, description="Before (UTC).")

    def to_data(self) -> AuditFilterData:
        user = decode_id(self.user_id, "User", "filter.userId") if self.user_id else None
        return AuditFilterData(user, self.action, self.object_type, self.since, self.until)


@strawberry.type
class AccountQuery:
    @strawberry.field(description="The signed-in user (or the token's owner); null if anonymous.")
    async def me(self, info: Info) -> User | None:
        user_id = info.context.viewer.user_id
        if user_id is None:
            return None
        row = await info.context.loaders.get(UserByIdLoader).load(user_id)
        return User.from_model(row) if row else None

    @strawberry.field(
        description="Your API tokens, newest first (staff with `all: true`: everyone's).",
        permission_classes=[IsAuthenticated],
    )
    async def api_tokens(
        self,
        info: Info,
        all: bool = False,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ApiToken]:
        page = paging(info.context.settings, first, after, last, before)
        rows = await reads.api_tokens(info.context.db, info.context.viewer, all)
        return slice_connection(rows, page, ApiToken.from_model)

    @strawberry.field(
        description="Who changed what, newest first (staff only; read-only).",
        permission_classes=[IsStaffWithAdminScope],
    )
    async def audit_log(
        self,
        info: Info,
        filter: AuditFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuditEntry]:
        page = paging(info.context.settings, first, after, last, before)
        flt = (filter or AuditFilter()).to_data()
        found = await reads.audit_page(info.context.db, info.context.viewer, flt, page.window)
        return connection(found.rows, found.window, found.total, AuditEntry.from_model)
