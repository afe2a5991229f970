"""Declared permissions (strawberry BasePermission) for fields only some callers may read."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from accr_graph.db.models import UserRole
from schema.context import Info


class IsAuthenticated(BasePermission):
    message = "Sign in (or send an API token) to see this."
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return not info.context.viewer.is_anonymous


class IsStaff(BasePermission):
    message = "Only ACCR staff may see this."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer.is_staff


class IsStaffWithAdminScope(BasePermission):
    message = "Only ACCR staff may see this (with a token: the 'admin' scope)."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        return viewer.is_staff and viewer.can("admin")


class IsAdmin(BasePermission):
    message = "Only ACCR admins may see this (with a token: the 'admin' scope)."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        return viewer.role is UserRole.ADMIN and viewer.can("admin")
