"""Optional OpenTelemetry tracing (the `otel` extra; off unless ``ACCR_OTEL_ENABLED=true``).

When on, every HTTP request is a server span (route, status), every SQL statement a child span
(SQLAlchemy events), and the request's log fields (GraphQL operation, cost, user id,
request id) become attributes of the request span, so a trace and a log line tell the same
story. Spans go to an OTLP/HTTP collector configured by the standard ``OTEL_EXPORTER_OTLP_*`` and
``OTEL_SERVICE_NAME`` variables. A tracer provider installed before start-up (the
``opentelemetry-instrument`` launcher, a test) is kept as it is.

Off, this module costs nothing: the OpenTelemetry packages are not even imported.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware import Middleware
from starlette.types import Scope

from accr_graph.settings import Settings

# Health probes, metrics scrapes and static files would drown the traces that matter.
EXCLUDED_URLS = "/healthz,/readyz,/metrics,/static/.*"
_REQUIRED = (
    "opentelemetry.sdk",
    "opentelemetry.instrumentation.asgi",
    "opentelemetry.exporter.otlp.proto.http",
)


class TracingUnavailable(RuntimeError):
    """ACCR_OTEL_ENABLED is set but the extra is not installed: say so at start-up."""


def _check_installed() -> None:
    missing = [name for name in _REQUIRED if not _module_exists(name)]
    if missing:
        raise TracingUnavailable(
            "ACCR_OTEL_ENABLED=true needs the OpenTelemetry extra "
            f"(missing: {', '.join(missing)}); install it with: pip install 'accr-graph[otel]'"
        )


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def configure(settings: Settings) -> list[Middleware]:
    """Install the tracer provider (unless one is set) and return the ASGI middleware to add."""
    if not settings.otel_enabled:
        return []
    _check_installed()
    from opentelemetry import trace
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    if not _has_sdk_provider(trace.get_tracer_provider()):
        trace.set_tracer_provider(_otlp_provider())
    return [Middleware(OpenTelemetryMiddleware, excluded_urls=EXCLUDED_URLS)]


def _has_sdk_provider(provider: Any) -> bool:
    from opentelemetry.sdk.trace import TracerProvider

    return isinstance(provider, TracerProvider)


def _otlp_provider() -> Any:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    # OTEL_SERVICE_NAME, when set, overrides this default (the SDK reads it into the resource).
    provider = TracerProvider(resource=Resource.create({"service.name": "accr-graph"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def instrument_engine(settings: Settings, engine: AsyncEngine) -> None:
    """One client span per SQL statement, a child of the request span.

    Plain SQLAlchemy events and the stable tracing API rather than the instrumentation
    package's engine wrapper, whose constructor changes between its beta releases. The statement
    text is recorded (it carries bound parameters as placeholders, never values).
    """
    if not settings.otel_enabled:
        return
    from opentelemetry import trace

    tracer = trace.get_tracer("accr_graph.db")
    system = "postgresql" if engine.dialect.name == "postgresql" else engine.dialect.name

    def before(
        _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        if context is None or not trace.get_current_span().is_recording():
            return  # background loops (outbox, deliveries) outside any request: no orphan spans
        verb = statement.lstrip().split(" ", 1)[0].upper() or "SQL"
        span = tracer.start_span(verb, kind=trace.SpanKind.CLIENT)
        span.set_attribute("db.system", system)
        span.set_attribute("db.statement", statement[:2000])
        context._accr_span = span

    def after(
        _conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        _finish(context, None)

    def failed(exception_context: Any) -> None:
        _finish(exception_context.execution_context, exception_context.original_exception)

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", before)
    event.listen(sync, "after_cursor_execute", after)
    event.listen(sync, "handle_error", failed)


def _finish(context: Any, error: BaseException | None) -> None:
    span = getattr(context, "_accr_span", None)
    if span is None:
        return
    if error is not None:
        from opentelemetry.trace import Status, StatusCode

        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()
    context._accr_span = None


def annotate_request(scope: Scope) -> None:
    """Copy the request's log fields onto the current server span.

    Called by ``RequestMiddleware`` when the answer starts (the tracing layer ends the span
    with the answer's last byte), inside the span that ``OpenTelemetryMiddleware`` (the outer
    middleware) opened; only when tracing is on.
    """
    from opentelemetry import trace

    span = trace.get_current_span()
    if not span.is_recording():
        return
    state = scope.get("state", {})
    span.set_attribute("accr.request_id", str(state.get("request_id", "")))
    for name, value in state.get("log", {}).items():
        if isinstance(value, str | int | float | bool):
            span.set_attribute(f"accr.{name}", value)
