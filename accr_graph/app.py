"""The Starlette application factory. The only place that wires ``schema`` into the service."""

from __future__ import annotations

import gc
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket

from accr_graph import logs, tracing
from accr_graph.db.session import create_engine, create_sessionmaker
from accr_graph.i18n import parse_accept_language
from accr_graph.notifications.live import InboxEvents
from accr_graph.notifications.worker import InProcess, Worker
from accr_graph.repositories import data_version, sizes
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.fair_events import FairScheduleEvents
from accr_graph.services.map_base import warm_up as map_base_warm_up
from accr_graph.services.matching import MatchingService
from accr_graph.settings import Settings, get_settings
from accr_graph.viewer import ANONYMOUS
from accr_graph.web.account_pages import (
    account_action,
    account_page,
    inbox_mark_read,
    inbox_page,
)
from accr_graph.web.admission import Admission
from accr_graph.web.auth import CookieJar, client_address, resolve_viewer, signing_key
from accr_graph.web.centre_edit import centre_edit_page, competency_change
from accr_graph.web.centre_pages import centre_page, centres_page, home_page
from accr_graph.web.cost import TableSizes, query_cost
from accr_graph.web.documents import DocumentCache
from accr_graph.web.fair_admin import routes as fair_admin_routes
from accr_graph.web.fair_pages import fair_agenda_ics, fair_schedule_page
from accr_graph.web.fair_web import fair_action, fair_page, fairs_page
from accr_graph.web.graphql_endpoint import EndpointOptions, GraphQLEndpoint
from accr_graph.web.graphql_request import RequestError
from accr_graph.web.graphql_ws import GraphQLWebSocket
from accr_graph.web.health import healthz, readyz
from accr_graph.web.hub_pages import routes as hub_page_routes
from accr_graph.web.limits import limit_rules
from accr_graph.web.login import login_page, logout, switch_language
from accr_graph.web.map_data import map_base_json, map_graph_json
from accr_graph.web.meeting_admin import routes as meeting_admin_routes
from accr_graph.web.meeting_calendar import routes as meeting_calendar_routes
from accr_graph.web.metrics import metrics
from accr_graph.web.middleware import RequestMiddleware, request_id_of
from accr_graph.web.notification_pages import unsubscribe
from accr_graph.web.observatory_export import export_observatory
from accr_graph.web.observatory_pages import observatory_page
from accr_graph.web.page_errors import not_found, page_exit, service_failure
from accr_graph.web.pages import dashboard_page, export_network, map_page
from accr_graph.web.password_pages import forgot_page, reset_page
from accr_graph.web.proposal_pages import (
    edit_proposal_page,
    new_proposal_page,
    proposal_action,
    proposal_page,
    proposals_page,
)
from accr_graph.web.resource_files import routes as resource_file_routes
from accr_graph.web.resource_forms import routes as resource_form_routes
from accr_graph.web.response_cache import ResponseCache
from accr_graph.web.survey_admin_pages import survey_action, survey_answers_page, surveys_page
from accr_graph.web.survey_builder_pages import survey_edit_page
from accr_graph.web.survey_pages import survey_page
from accr_graph.web.templating import PageExit


def _ide_html() -> str:
    return resources.files("accr_graph").joinpath("templates/graphiql.html").read_text("utf-8")


def _static_dir() -> str:
    return str(resources.files("accr_graph").joinpath("static"))


class _SizesCache:
    """Table sizes for the cost estimate, read again only when the data version moves."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.version = -1
        self.sizes: TableSizes = {}

    async def __call__(self) -> TableSizes:
        async with self.app.state.sessionmaker() as session:
            version = await data_version.current(session)
            if version != self.version:
                self.sizes = await sizes.table_sizes(session)
                self.version = version
        return self.sizes


def _graphql_endpoint(app: Starlette, settings: Settings) -> GraphQLEndpoint:
    from schema.context import Context
    from schema.schema import schema

    graphql_schema = schema._schema

    async def context_factory(request: Request) -> Context:
        state = app.state
        return Context(
            sessionmaker=state.sessionmaker,
            settings=settings,
            viewer=await resolve_viewer(request, state.sessionmaker, state.cookies),
            lang=parse_accept_language(request.headers.get("accept-language")),
            request=request,
            request_id=request_id_of(request.scope),
            address=client_address(request),
            cookies=state.cookies,
            matching=state.matching,
        )

    async def read_version(_context: Context) -> int:
        async with app.state.sessionmaker() as session:
            return await data_version.current(session)

    def cost(document: Any, operation: Any, variables: dict[str, Any], table: TableSizes) -> int:
        return query_cost(
            graphql_schema, document, operation, variables, settings.page_size_default, table
        )

    async def admit(context: Any, operation: Any, cost: int, document: Any) -> None:
        await app.state.admission(context, operation, cost, document)

    app.state.response_cache = (
        ResponseCache(settings.response_cache_size, settings.response_cache_bytes)
        if settings.response_cache
        else None
    )
    return GraphQLEndpoint(
        schema=graphql_schema,
        documents=DocumentCache(
            graphql_schema,
            limit_rules(settings),
            settings.max_tokens,
            settings.document_cache_size,
            settings.document_cache_bytes,
        ),
        context_factory=context_factory,
        ide_html=_ide_html(),
        options=EndpointOptions(
            max_body_bytes=settings.max_body_bytes,
            mask_errors=settings.environment != "development",
            max_cost=settings.max_query_cost,
            max_execution_seconds=settings.max_execution_seconds,
            max_cached_body_bytes=settings.response_cache_max_entry_bytes,
            max_upload_bytes=settings.max_upload_bytes,
        ),
        response_cache=app.state.response_cache,
        data_version=read_version,
        cost=cost,
        admission=admit,
        sizes=_SizesCache(app),
    )


def _graphql_ws(app: Starlette, settings: Settings) -> GraphQLWebSocket:
    """Subscriptions (graphql-transport-ws). The context holds no session (DESIGN.md §5)."""
    from schema.context import Context
    from schema.schema import schema

    async def context_factory(websocket: WebSocket) -> Context:
        state = app.state
        try:
            viewer = await resolve_viewer(websocket, state.sessionmaker, state.cookies)  # type: ignore[arg-type]
        except RequestError:
            viewer = ANONYMOUS
        return Context(
            sessionmaker=state.sessionmaker,
            settings=settings,
            viewer=viewer,
            request_id=uuid.uuid4().hex[:16],
            address=client_address(websocket),
            matching=state.matching,
            fair_events=state.fair_events,
            inbox_events=state.inbox_events,
        )

    return GraphQLWebSocket(schema, context_factory, allowed_origins=settings.cors_origins)


def _middleware(settings: Settings) -> list[Middleware]:
    tracing_layer = tracing.configure(settings)  # outermost: the request span wraps the rest
    annotate = tracing.annotate_request if tracing_layer else None
    guard = Middleware(
        RequestMiddleware, request_timeout=settings.request_timeout, annotate=annotate
    )
    if not settings.cors_origins:
        return [*tracing_layer, guard]  # same-origin only: browsers refuse cross-site reads
    return [
        *tracing_layer,
        guard,
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization", "Accept", "Accept-Language"],
            allow_credentials=True,
        ),
    ]


def _notifier(app: Starlette, settings: Settings) -> InProcess | None:
    """On SQLite (one process) the app delivers notifications itself; on PostgreSQL the
    Procfile's `worker:` processes do, unless ACCR_DELIVER_IN_PROCESS=true."""
    if not settings.delivers_in_process:
        return None
    key = app.state.cookies.key
    return InProcess(Worker(app.state.sessionmaker, settings, key))


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    logs.configure(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = create_engine(settings, serving=True)
        tracing.instrument_engine(settings, app.state.engine)
        app.state.sessionmaker = create_sessionmaker(app.state.engine)
        app.state.matching = MatchingService(
            app.state.sessionmaker,
            warm=settings.matching_warm_up,
            refit=settings.matching_refit,
        )
        app.state.admission = Admission(app.state.sessionmaker, settings.cost_budget_per_minute)
        app.state.fair_events = FairScheduleEvents(app.state.sessionmaker, settings.database_url)
        app.state.inbox_events = InboxEvents(app.state.sessionmaker, settings.database_url)
        # Everything built so far lives as long as the process: take it out of the cyclic
        # collector's sight, or every full collection walks the whole schema and ORM registry
        # (measured: ~35% of a 100-centre list request's CPU).
        gc.collect()
        gc.freeze()
        if settings.matching_warm_up:
            app.state.matching.warm_up()
            app.state.map_warm_up = map_base_warm_up(app.state.sessionmaker)
        app.state.notifier = _notifier(app, settings)
        try:
            yield
        finally:
            if app.state.notifier is not None:
                await app.state.notifier.close()
            await app.state.matching.close()
            await app.state.fair_events.close()
            await app.state.inbox_events.close()
            await app.state.engine.dispose()

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/login", login_page, methods=["GET", "POST"]),
            Route("/logout", logout, methods=["GET", "POST"]),
            Route("/language", switch_language, methods=["POST"]),
            Route("/", home_page),
            Route("/centres", centres_page),
            Route("/centres/{slug}", centre_page),
            Route("/centres/{slug}/edit", centre_edit_page, methods=["GET", "POST"]),
            Route("/centres/{slug}/competencies", competency_change, methods=["POST"]),
            Route("/proposals", proposals_page),
            Route("/proposals/new", new_proposal_page, methods=["GET", "POST"]),
            Route("/proposals/{proposal_id}", proposal_page),
            Route("/proposals/{proposal_id}/edit", edit_proposal_page, methods=["GET", "POST"]),
            Route("/proposals/{proposal_id}/{action}", proposal_action, methods=["POST"]),
            Route("/account", account_page),
            Route("/account/{action}", account_action, methods=["POST"]),
            Route("/inbox", inbox_page),
            Route("/inbox/read", inbox_mark_read, methods=["POST"]),
            Route("/map", map_page),
            Route("/notifications/unsubscribe", unsubscribe, methods=["GET", "POST"]),
            Route("/password/forgot", forgot_page, methods=["GET", "POST"]),
            Route("/password/reset", reset_page, methods=["GET", "POST"]),
            Route("/map/base.json", map_base_json),
            Route("/map/graph.json", map_graph_json),
            Route("/surveys", surveys_page, methods=["GET", "POST"]),
            Route("/surveys/{campaign_id}", survey_page, methods=["GET", "POST"]),
            Route("/surveys/{campaign_id}/answers", survey_answers_page),
            Route("/surveys/{campaign_id}/edit", survey_edit_page, methods=["GET", "POST"]),
            Route("/surveys/{campaign_id}/{action}", survey_action, methods=["POST"]),
            Route("/dashboard", dashboard_page),
            Route("/observatory", observatory_page),
            Route("/export/network.{format}", export_network),
            Route("/export/observatory.{format}", export_observatory),
            Route("/fairs", fairs_page),
            *fair_admin_routes(),
            Route("/fairs/{fair_id}", fair_page),
            Route("/fairs/{fair_id}/agenda/{centre_slug}.ics", fair_agenda_ics),
            Route("/fairs/{fair_id}/schedule", fair_schedule_page),
            Route("/fairs/{fair_id}/{action}", fair_action, methods=["POST"]),
            *meeting_calendar_routes(),
            *resource_file_routes(),
            *resource_form_routes(),
            *meeting_admin_routes(),
            *hub_page_routes(),
            Mount("/static", StaticFiles(directory=_static_dir()), name="static"),
        ],
        middleware=_middleware(settings),
        lifespan=lifespan,
        exception_handlers={
            PageExit: page_exit,
            ServiceFailure: service_failure,
            404: not_found,
        },
    )
    app.state.settings = settings
    app.state.cookies = CookieJar(settings, signing_key(settings))
    app.add_route("/graphql", _graphql_endpoint(app, settings).handle, methods=["GET", "POST"])
    app.router.routes.append(WebSocketRoute("/graphql", _graphql_ws(app, settings)))
    return app
