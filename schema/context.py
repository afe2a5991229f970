"""The per-request GraphQL context: who asks, in which language, and the app's services.

Typed throughout (no ``Any`` bag): resolvers reach the database only through services and
loaders, so the sessionmaker is here for them (``db``), never for a resolver's own session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from starlette.requests import HTTPConnection
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from accr_graph.notifications.live import InboxEvents
from accr_graph.services.fair_events import FairScheduleEvents
from accr_graph.services.matching import MatchingService, RequestMatching
from accr_graph.services.uow import Actor, Database
from accr_graph.settings import Settings
from accr_graph.viewer import ANONYMOUS, Viewer
from schema.loaders import Loaders


class SessionCookies(Protocol):
    """The browser-session cookie (``accr_graph.web.auth.CookieJar``), for log-in and log-out."""

    key: str  # the signing key (also signs password-reset links)

    def read_session(self, request: HTTPConnection) -> str | None: ...

    def set_session(self, response: Response, secret: str) -> None: ...

    def clear_session(self, response: Response) -> None: ...


@dataclass
class Context:
    sessionmaker: Database
    settings: Settings
    viewer: Viewer = ANONYMOUS
    lang: str | None = None  # from Accept-Language; a field's `lang` argument wins
    request: HTTPConnection | None = None
    matching: MatchingService | None = None  # the app's suggestion and analytics engine
    fair_events: FairScheduleEvents | None = None  # schedule updates across workers
    inbox_events: InboxEvents | None = None  # new notifications across workers
    request_id: str = ""
    address: str = ""
    cookies: SessionCookies | None = None
    # Callbacks run on the HTTP response (e.g. to set or clear the session cookie).
    response_hooks: list[Callable[[Response], None]] = field(default_factory=list)

    @property
    def db(self) -> Database:
        """Where services open their transactions."""
        return self.sessionmaker

    @property
    def actor(self) -> Actor:
        """Who writes, and from where: what a service's audit entry records."""
        return Actor(self.viewer, self.address or None)

    def audience(self) -> str:
        """Everything besides the query that changes an answer: rows visible, language."""
        return f"{self.viewer.cache_key()}|{self.lang or ''}"

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self)

    @cached_property
    def request_matching(self) -> RequestMatching:
        """The matching engine as this request sees it (one network-version read per request)."""
        if self.matching is None:
            raise RuntimeError("the app did not give this context a matching service")
        return self.matching.for_request()


Info = StrawberryInfo[Context, None]
