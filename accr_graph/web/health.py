"""Liveness and readiness. Liveness never touches the database (DESIGN.md, known pitfalls)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse

from accr_graph.repositories import data_version

READY_TIMEOUT_SECONDS = 2.0


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            async with request.app.state.sessionmaker() as session:
                # Not just "SELECT 1": a worker is ready when the migrated schema answers.
                await data_version.current(session)
    except Exception as error:  # any failure means "not ready"; say why, never crash
        detail = str(error).splitlines()[0] if str(error) else ""
        reason = f"database unavailable: {type(error).__name__}: {detail}"
        return JSONResponse(
            {"status": "unavailable", "reason": reason},
            status_code=503,
            headers={"Retry-After": "5"},
        )
    return JSONResponse({"status": "ok"})
