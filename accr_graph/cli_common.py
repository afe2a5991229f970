"""What every CLI command shares: one-line errors, and one service call per command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from accr_graph.services.errors import ServiceFailure
from accr_graph.services.uow import Actor, Database
from accr_graph.settings import get_settings

T = TypeVar("T")
P = ParamSpec("P")


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def _explain(failure: ServiceFailure) -> str:
    detail = failure.failure
    field = getattr(detail, "field", None)
    message = getattr(detail, "message", str(detail))
    return f"{field}: {message}" if field else message


async def _call(
    service: Callable[Concatenate[Database, Actor, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    from accr_graph.db.session import create_engine, create_sessionmaker

    engine = create_engine(get_settings())
    try:
        return await service(create_sessionmaker(engine), Actor.system(), *args, **kwargs)
    except ServiceFailure as failure:
        raise CliError(_explain(failure)) from None
    finally:
        await engine.dispose()


def run_service(
    service: Callable[Concatenate[Database, Actor, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Call one service function as the system actor (no user): the service owns the
    transaction, the audit entry and the version bumps, exactly as for any other caller."""
    return asyncio.run(_call(service, *args, **kwargs))
