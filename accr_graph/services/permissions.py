"""Who may change what. Each rule raises ServiceFailure(Refused) before anything is written.

Roles: anonymous callers change nothing; a member acts for its own centre; staff (and admins)
act for everyone. A token acts as its user, narrowed to its scopes: changes need `write`.
"""

from __future__ import annotations

from accr_graph.services.errors import Refused, fail
from accr_graph.viewer import Viewer


def require_scope(viewer: Viewer, scope: str) -> None:
    if viewer.is_anonymous:
        raise fail(Refused("Sign in (or send an API token) to make changes."))
    if not viewer.can(scope):
        raise fail(Refused(f"This API token lacks the '{scope}' scope."))


def require_staff(viewer: Viewer, what: str, scope: str = "write") -> None:
    require_scope(viewer, scope)
    if not viewer.is_staff:
        raise fail(Refused(f"Only ACCR staff may {what}."))


def require_centre(viewer: Viewer, centre_id: int, what: str, scope: str = "write") -> None:
    """The caller acts for this centre: one of its members, or staff."""
    require_scope(viewer, scope)
    if not viewer.acts_for(centre_id):
        raise fail(Refused(f"Only members of this centre or ACCR staff may {what}."))
