"""OpenTelemetry tracing (the `otel` extra): off by default, and when on, real OTLP exports.

The end-to-end test runs the service as operators would (a uvicorn process with
ACCR_OTEL_ENABLED=true and the standard OTEL_EXPORTER_OTLP_ENDPOINT) against a real HTTP
receiver that decodes the OTLP protobuf payloads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from accr_graph import tracing
from accr_graph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_off_by_default_adds_nothing() -> None:
    assert Settings().otel_enabled is False
    assert tracing.configure(Settings(otel_enabled=False)) == []


def test_on_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracing, "_module_exists", lambda name: "sdk" not in name)
    with pytest.raises(tracing.TracingUnavailable, match=r"pip install 'accr-graph\[otel\]'"):
        tracing.configure(Settings(otel_enabled=True))


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        type(self).bodies.append(self.rfile.read(length))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_: Any) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[bytes]]]:
    bodies: list[bytes] = []
    handler = type("Receiver", (_Receiver,), {"bodies": bodies})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", bodies
    finally:
        server.shutdown()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def traced_server(
    tmp_path: Path, receiver: tuple[str, list[bytes]]
) -> Iterator[tuple[str, list[bytes]]]:
    endpoint, bodies = receiver
    env = {
        **os.environ,
        "ACCR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'accr.db'}",
        "ACCR_SECRET_KEY": "tracing-test-secret",
        "ACCR_ENVIRONMENT": "test",
        "ACCR_LOG_LEVEL": "warning",
        "ACCR_MATCHING_WARM_UP": "false",
        "ACCR_OTEL_ENABLED": "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "100",  # export within a tenth of a second
    }
    cli = [sys.executable, "-m", "accr_graph.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base, bodies
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the traced server exited at start-up"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the traced server did not answer /healthz within 60 s")


def _spans(bodies: list[bytes]) -> list[Any]:
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
        ExportTraceServiceRequest,
    )

    spans: list[Any] = []
    for body in bodies:
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                spans.extend(scope.spans)
    return spans


def _attributes(span: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in span.attributes:
        kind = item.value.WhichOneof("value")
        values[item.key] = getattr(item.value, kind) if kind else None
    return values


def test_a_graphql_request_is_one_trace_with_its_sql(
    traced_server: tuple[str, list[bytes]],
) -> None:
    base, bodies = traced_server
    query = {"query": "query Themes { themes(first: 2) { nodes { slug } } }"}
    response = httpx.post(f"{base}/graphql", json=query, headers={"x-request-id": "trace-me"})
    assert response.status_code == 200, response.text
    httpx.get(f"{base}/healthz")  # excluded: probes would drown the traces that matter

    deadline = time.monotonic() + 20
    server_spans: list[Any] = []
    while time.monotonic() < deadline and not server_spans:
        spans = _spans(bodies)
        server_spans = [s for s in spans if _attributes(s).get("accr.request_id") == "trace-me"]
        time.sleep(0.2)
    assert server_spans, "no request span reached the OTLP receiver"
    request_span = server_spans[0]
    attributes = _attributes(request_span)
    assert attributes["accr.operation"] == "Themes" and attributes["accr.cost"] > 0
    spans = _spans(bodies)
    sql = [s for s in spans if _attributes(s).get("db.system") == "sqlite"]
    assert sql and all(s.trace_id == request_span.trace_id for s in sql)
    assert any(s.name == "SELECT" and "themes" in _attributes(s)["db.statement"] for s in sql)
    traced_paths = {
        _attributes(s).get("http.target") or _attributes(s).get("url.path") for s in spans
    }
    assert "/healthz" not in traced_paths
