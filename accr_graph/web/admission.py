"""Before execution: may this caller run this operation, and is its cost budget left?

The per-minute budget is shared by every web worker through the database, but a worker does not
write on every request: it adds costs up locally and settles them with the database at most once
a second (and at once when a caller nears its limit). A worker can so overshoot a budget by at
most one second of its own traffic, and cached answers stay a pure read.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from datetime import datetime
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from accr_graph.db.base import utcnow
from accr_graph.repositories import budget
from accr_graph.web.graphql_request import RequestError

SETTLE_SECONDS = 1.0


class BudgetMeter:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], per_minute: int) -> None:
        self.sessionmaker = sessionmaker
        self.per_minute = per_minute
        self._pending: dict[str, int] = defaultdict(int)
        self._settled: dict[str, tuple[datetime, int]] = {}  # key -> (window, shared total)
        self._last_settle = 0.0
        self._window = utcnow().replace(second=0, microsecond=0)
        self._lock = asyncio.Lock()

    def total(self, key: str) -> int:
        window, shared = self._settled.get(key, (self._window, 0))
        return (shared if window == self._window else 0) + self._pending.get(key, 0)

    async def charge(self, key: str, cost: int) -> int | None:
        """Record the cost; the seconds to wait when the key is over its budget, else None."""
        now = utcnow()
        window = now.replace(second=0, microsecond=0)
        if window != self._window:
            await self.settle()  # costs of the old minute belong to it
            self._window = window
        self._pending[key] += cost
        due = time.monotonic() - self._last_settle >= SETTLE_SECONDS
        if due or self.total(key) > self.per_minute:
            await self.settle()
        return 60 - now.second if self.total(key) > self.per_minute else None

    async def settle(self) -> None:
        async with self._lock:
            pending, self._pending = self._pending, defaultdict(int)
            self._last_settle = time.monotonic()
            if not pending:
                return
            async with self.sessionmaker.begin() as session:
                for key, cost in sorted(pending.items()):
                    total = await budget.spend(session, key, cost, self._window)
                    self._settled[key] = (self._window, total)


class Admission:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], per_minute: int) -> None:
        self.meter = BudgetMeter(sessionmaker, per_minute) if per_minute > 0 else None

    async def __call__(
        self, context: object, operation: OperationDefinitionNode, cost: int, document: Any
    ) -> None:
        viewer = context.viewer  # type: ignore[attr-defined]
        if not viewer.can("read"):
            _check_unread(operation, document)
        if self.meter is None or cost <= 0:
            return
        for key in _budget_keys(viewer, context.address):  # type: ignore[attr-defined]
            retry = await self.meter.charge(key, cost)
            if retry is not None:
                raise RequestError(
                    429,
                    f"Query cost budget used up: {self.meter.total(key)} of "
                    f"{self.meter.per_minute} per minute (cost_budget_per_minute); "
                    f"retry in {retry} s.",
                    {"Retry-After": str(retry)},
                )


IDENTITY = frozenset({"id", "version", "__typename"})


def _check_unread(operation: OperationDefinitionNode, document: Any) -> None:
    """Without the 'read' scope nothing may be read, through a mutation's payload neither: a
    payload's own scalars (errors, a new token's secret) and the id, version and __typename of
    the objects it returns, nothing else (a nested object would read data a query may not)."""
    if operation.operation is not OperationType.MUTATION:
        raise RequestError(403, "This API token lacks the 'read' scope.")
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    for root in _fields(operation.selection_set, fragments):
        for payload_field in _fields(root.selection_set, fragments):
            for inner in _fields(payload_field.selection_set, fragments):
                if inner.name.value not in IDENTITY:
                    raise RequestError(
                        403,
                        "This API token lacks the 'read' scope: a mutation may select only the "
                        f"id, version and __typename of the objects it returns, not "
                        f"`{inner.name.value}`.",
                    )


def _fields(node: SelectionSetNode | None, fragments: dict[str, Any]) -> list[FieldNode]:
    """The fields of a selection set, through inline fragments and fragment spreads."""
    out: list[FieldNode] = []
    for selection in node.selections if node else ():
        if isinstance(selection, FieldNode):
            out.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            out.extend(_fields(selection.selection_set, fragments))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            out.extend(_fields(fragment.selection_set if fragment else None, fragments))
    return out


def _budget_keys(viewer: Any, address: str) -> list[str]:
    """A signed-in caller spends one budget per user, whatever token or session it uses (new
    tokens do not multiply it), and per token; anonymous callers one per client address (the
    peer, or the right-most untrusted proxy hop: headers alone cannot change it)."""
    if viewer.user_id is None:
        return [f"addr:{address}"]
    keys = [f"user:{viewer.user_id}"]
    return [*keys, f"token:{viewer.token_id}"] if viewer.token_id else keys
