"""The per-request GraphQL context: sessionmaker, loaders, caller and language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from accr_graph.services.viewer import ANONYMOUS, Viewer
from accr_graph.settings import Settings


@dataclass
class Context:
    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    viewer: Viewer = ANONYMOUS
    lang: str | None = None  # from Accept-Language; a field's `lang` argument wins
    request: Any = None
    services: Any = None  # app-wide services (matching cache...), set by the app
    request_id: str = ""
    address: str = ""
    cookies: Any = None  # accr_graph.web.auth.CookieJar, for log-in and log-out
    # Callbacks run on the HTTP response (e.g. to set or clear the session cookie).
    response_hooks: list[Callable[[Any], None]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def audience(self) -> str:
        """Everything besides the query that changes an answer: rows visible, language."""
        return f"{self.viewer.cache_key()}|{self.lang or ''}"

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self)


Info = StrawberryInfo[Context, None]

from schema.loaders import Loaders  # noqa: E402  (Loaders needs Context for typing only)
