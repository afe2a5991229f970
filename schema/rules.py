"""Validation rules of the WebSocket endpoint; the query limits live beside the HTTP endpoint."""

from __future__ import annotations

from graphql import ASTValidationRule, GraphQLError, OperationDefinitionNode, OperationType

from accr_graph.web.limits import limit_rules

__all__ = ["SubscriptionsOnlyRule", "limit_rules"]


class SubscriptionsOnlyRule(ASTValidationRule):
    """Over WebSockets only subscriptions run: queries and mutations go through the HTTP
    endpoint, where the cost limit, the budget and the JSON-only CSRF defence apply."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
        if node.operation is not OperationType.SUBSCRIPTION:
            self.context.report_error(
                GraphQLError(
                    f"Only subscriptions are accepted over WebSockets; send this "
                    f"{node.operation.value} to POST /graphql.",
                    node,
                )
            )
