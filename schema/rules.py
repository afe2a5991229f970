"""Query limits as graphql-core validation rules, so they run once per document (cached).

Depth and alias count are walked through fragment spreads, so fragments cannot hide aliases
or nesting from the limits.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

from accr_graph.settings import Settings

Measure = Callable[
    [SelectionSetNode | None, dict[str, FragmentDefinitionNode], frozenset[str]], int
]


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str],
) -> list[tuple[FieldNode, frozenset[str]]]:
    """Field nodes of a selection set, fragments inlined (cycles stop; validation reports them)."""
    if selection_set is None:
        return []
    found: list[tuple[FieldNode, frozenset[str]]] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            found.append((selection, seen))
        elif isinstance(selection, InlineFragmentNode):
            found.extend(_fields(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                found.extend(_fields(fragment.selection_set, fragments, seen | {name}))
    return found


def depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> int:
    children = _fields(selection_set, fragments, seen)
    return max((1 + depth(f.selection_set, fragments, s) for f, s in children), default=0)


def alias_count(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> int:
    return sum(
        (1 if f.alias else 0) + alias_count(f.selection_set, fragments, s)
        for f, s in _fields(selection_set, fragments, seen)
    )


def _limit_rule(name: str, limit: int, measure: Measure, what: str) -> type[ASTValidationRule]:
    class LimitRule(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            context = self.context
            fragments = {
                f.name.value: f
                for f in context.document.definitions
                if isinstance(f, FragmentDefinitionNode)
            }
            value = measure(node.selection_set, fragments, frozenset())
            if value > limit:
                context.report_error(
                    GraphQLError(
                        f"Query {what} is {value}, above the limit of {limit} ({name}).", node
                    )
                )

    LimitRule.__name__ = f"{name.title().replace('_', '')}Rule"
    return LimitRule


def limit_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    return [
        _limit_rule("max_query_depth", settings.max_query_depth, depth, "depth"),
        _limit_rule("max_aliases", settings.max_aliases, alias_count, "alias count"),
    ]


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
