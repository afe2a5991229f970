"""Who is asking: the identity every service and repository row filter takes into account.

Lives below services and repositories so both can import it (arrows point one way)."""

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

    def acts_for(self, centre_id: int | None) -> bool:
        """Staff act for every centre; a member for its own."""
        return self.is_staff or (centre_id is not None and centre_id == self.centre_id)

    def can(self, scope: str) -> bool:
        return scope in self.scopes

    def cache_key(self) -> str:
        """What the response cache keys on: two callers with the same key get the same answer.

        Anonymous callers share one view; anyone else is keyed by user *and* scopes, since
        `me`, `apiTokens`, the audit log and scope checks differ between users of one centre
        and between tokens of one user.
        """
        if self.is_anonymous:
            return "public"
        return f"user:{self.user_id}:{','.join(sorted(self.scopes))}"


ANONYMOUS = Viewer(scopes=frozenset({"read"}))
