"""The Starlette application factory. The only place that wires ``schema`` into the service."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from accr_graph.db.session import create_engine, create_sessionmaker
from accr_graph.i18n import parse_accept_language
from accr_graph.repositories import data_version
from accr_graph.services.matching import MatchingService
from accr_graph.settings import Settings, get_settings
from accr_graph.web.documents import DocumentCache
from accr_graph.web.graphql_endpoint import EndpointOptions, GraphQLEndpoint
from accr_graph.web.health import healthz, readyz
from accr_graph.web.response_cache import ResponseCache


def _ide_html() -> str:
    return resources.files("accr_graph").joinpath("templates/graphiql.html").read_text("utf-8")


def _static_dir() -> str:
    return str(resources.files("accr_graph").joinpath("static"))


def _graphql_endpoint(app: Starlette, settings: Settings) -> GraphQLEndpoint:
    from schema.context import Context
    from schema.rules import limit_rules
    from schema.schema import schema

    async def context_factory(request: Request) -> Context:
        return Context(
            sessionmaker=app.state.sessionmaker,
            settings=settings,
            lang=parse_accept_language(request.headers.get("accept-language")),
            request=request,
            request_id=uuid.uuid4().hex[:12],
            services=app.state.matching,
        )

    async def read_version(_context: Context) -> int:
        async with app.state.sessionmaker() as session:
            return await data_version.current(session)

    return GraphQLEndpoint(
        schema=schema._schema,
        documents=DocumentCache(schema._schema, limit_rules(settings), settings.max_tokens),
        context_factory=context_factory,
        ide_html=_ide_html(),
        options=EndpointOptions(
            max_body_bytes=settings.max_body_bytes,
            mask_errors=settings.environment != "development",
        ),
        response_cache=ResponseCache(settings.response_cache_size)
        if settings.response_cache
        else None,
        data_version=read_version,
    )


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = create_engine(settings)
        app.state.sessionmaker = create_sessionmaker(app.state.engine)
        app.state.matching = MatchingService(app.state.sessionmaker)
        try:
            yield
        finally:
            await app.state.engine.dispose()

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Mount("/static", StaticFiles(directory=_static_dir()), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_route("/graphql", _graphql_endpoint(app, settings).handle, methods=["GET", "POST"])
    return app
