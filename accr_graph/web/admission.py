"""Before execution: may this caller run this operation, and is its cost budget left?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import OperationDefinitionNode, OperationType
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from accr_graph.db.base import utcnow
from accr_graph.repositories import budget
from accr_graph.web.graphql_request import RequestError


@dataclass(frozen=True)
class Admission:
    sessionmaker: async_sessionmaker[AsyncSession]
    budget_per_minute: int

    async def __call__(self, context: Any, operation: OperationDefinitionNode, cost: int) -> None:
        viewer = context.viewer
        if operation.operation is OperationType.QUERY and not viewer.can("read"):
            raise RequestError(403, "This API token lacks the 'read' scope.")
        if self.budget_per_minute > 0 and cost > 0:
            key = f"token:{viewer.token_id}" if viewer.token_id else f"addr:{context.address}"
            await self._spend(key, cost)

    async def _spend(self, key: str, cost: int) -> None:
        now = utcnow()
        window = now.replace(second=0, microsecond=0)
        async with self.sessionmaker.begin() as session:
            spent = await budget.spend(session, key, cost, window)
        if spent > self.budget_per_minute:
            retry = 60 - now.second
            raise RequestError(
                429,
                f"Query cost budget used up: {spent} of {self.budget_per_minute} per minute "
                f"(cost_budget_per_minute); retry in {retry} s.",
                {"Retry-After": str(retry)},
            )
