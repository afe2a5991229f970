"""Query limits as graphql-core validation rules, so they run once per document (cached).

Depth and alias count are walked through fragment spreads, so fragments cannot hide aliases
or nesting from the limits. Introspection (``__schema``, ``__type``) is exempt from the depth
limit: every standard client's introspection query is 13-15 levels deep, and its size is bounded
by the query cost instead (accr_graph/web/cost.py walks it on the schema itself).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from accr_graph.settings import Settings

Measure = Callable[[SelectionSetNode | None, dict[str, FragmentDefinitionNode]], int]
Combine = Callable[[FieldNode, int], int]  # a field's value from its children's


class _Walk:
    """Fold a measure over a selection set, fragments expanded.

    A fragment's value does not depend on where it is spread, so each is computed once: without
    the memo, fragments that spread each other twice per level make a 1 KB document cost
    minutes (2^n expansions). Cycles count as 0; validation reports them.
    """

    def __init__(
        self, fragments: dict[str, FragmentDefinitionNode], field_value: Combine, join: Any
    ) -> None:
        self.fragments = fragments
        self.field_value = field_value
        self.join = join  # max for depth, sum for counts
        self.memo: dict[str, int] = {}
        self.active: set[str] = set()

    def selection_set(self, node: SelectionSetNode | None) -> int:
        if node is None:
            return 0
        return int(self.join((self._selection(s) for s in node.selections), default=0))

    def _selection(self, selection: Any) -> int:
        if isinstance(selection, FieldNode):
            return self.field_value(selection, self.selection_set(selection.selection_set))
        if isinstance(selection, InlineFragmentNode):
            return self.selection_set(selection.selection_set)
        if isinstance(selection, FragmentSpreadNode):
            return self._fragment(selection.name.value)
        return 0

    def _fragment(self, name: str) -> int:
        known = self.memo.get(name)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:
            return 0
        self.active.add(name)
        value = self.memo[name] = self.selection_set(fragment.selection_set)
        self.active.discard(name)
        return value


def _sum(values: Any, default: int = 0) -> int:
    return int(sum(values, default))


def depth(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> int:
    walk = _Walk(fragments, lambda field, below: _depth_of(field, below), max)
    return walk.selection_set(selection_set)


INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


def _depth_of(field: FieldNode, below: int) -> int:
    return 0 if field.name.value in INTROSPECTION_ROOTS else 1 + below


def alias_count(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> int:
    walk = _Walk(fragments, lambda field, below: (1 if field.alias else 0) + below, _sum)
    return walk.selection_set(selection_set)


def _limit_rule(name: str, limit: int, measure: Measure, what: str) -> type[ASTValidationRule]:
    class LimitRule(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            context = self.context
            fragments = {
                f.name.value: f
                for f in context.document.definitions
                if isinstance(f, FragmentDefinitionNode)
            }
            value = measure(node.selection_set, fragments)
            if value > limit:
                context.report_error(
                    GraphQLError(
                        f"Query {what} is {value}, above the limit of {limit} ({name}).",
                        node,
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                )

    LimitRule.__name__ = f"{name.title().replace('_', '')}Rule"
    return LimitRule


def limit_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    return [
        _limit_rule("max_query_depth", settings.max_query_depth, depth, "depth"),
        _limit_rule("max_aliases", settings.max_aliases, alias_count, "alias count"),
    ]
