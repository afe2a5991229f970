"""Who is asking: the identity every service and repository row filter takes into account."""

from __future__ import annotations

from dataclasses import dataclass

from accr_graph.db.models import UserRole

ALL_SCOPES = frozenset({"read", "write", "fair", "admin"})


@dataclass(frozen=True, slots=True)
class Viewer:
    user_id: int | None = None
    role: UserRole | None = None
    centre_id: int | None = None
    token_id: int | None = None
    # A browser session has every scope its role allows; a token only the ones it was given.
    scopes: frozenset[str] = ALL_SCOPES

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def is_staff(self) -> bool:
        return self.role in (UserRole.STAFF, UserRole.ADMIN)

    def can(self, scope: str) -> bool:
        return scope in self.scopes

    def cache_key(self) -> str:
        """What the response cache keys on: callers with the same key see the same rows."""
        if self.is_staff:
            return "staff"
        if self.centre_id:
            return f"centre:{self.centre_id}"
        return "public" if self.is_anonymous else "signed-in"


ANONYMOUS = Viewer(scopes=frozenset({"read"}))
