"""What every CLI command shares: one-line errors and one transaction per command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from accr_graph.services.errors import ServiceFailure
from accr_graph.settings import get_settings

T = TypeVar("T")


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def _explain(failure: ServiceFailure) -> str:
    detail = failure.failure
    field = getattr(detail, "field", None)
    message = getattr(detail, "message", str(detail))
    return f"{field}: {message}" if field else message


async def _in_transaction(work: Callable[[Any], Awaitable[T]], bump: bool) -> T:
    from accr_graph.db.session import create_engine, create_sessionmaker
    from accr_graph.repositories import data_version

    engine = create_engine(get_settings())
    try:
        async with create_sessionmaker(engine).begin() as session:
            result = await work(session)
            if bump:
                await data_version.bump(session)
            return result
    except ServiceFailure as failure:
        raise CliError(_explain(failure)) from None
    finally:
        await engine.dispose()


def in_transaction(work: Callable[[Any], Awaitable[T]], bump: bool = False) -> T:
    """Run ``work(session)`` in one transaction: all of it lands, or none of it. ``bump`` moves
    the data version (for writers that do not bump it themselves, as the importers do)."""
    return asyncio.run(_in_transaction(work, bump))


async def _with_database(work: Callable[[Any], Awaitable[T]]) -> T:
    from accr_graph.db.session import create_engine, create_sessionmaker

    engine = create_engine(get_settings())
    try:
        return await work(create_sessionmaker(engine))
    except ServiceFailure as failure:
        raise CliError(_explain(failure)) from None
    finally:
        await engine.dispose()


def with_database(work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work(sessionmaker)`` for commands that call services (they own their transactions)."""
    return asyncio.run(_with_database(work))
