"""Query cost, computed before execution (like GitHub's node limit).

Each field costs 1; the fields below a list that takes a page size (`first`/`last`, e.g. a
connection or a suggestion list) count once per item it may return, so nested pages multiply;
below a plain list (no page size) they count LIST_ESTIMATE times.
Fragments are expanded, so they cannot hide cost.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from graphql.type.definition import GraphQLInterfaceType, GraphQLUnionType

PAGE_ARGUMENTS = ("first", "last")
LIST_ESTIMATE = 10  # items assumed for a list without a page size


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        default_page: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_page = default_page
        self.memo: dict[str, int] = {}

    def selection_cost(
        self, parent: GraphQLNamedType, node: SelectionSetNode | None, seen: frozenset[str]
    ) -> int:
        if node is None:
            return 0
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(parent, selection, seen)
            elif isinstance(selection, InlineFragmentNode):
                target = (
                    self._type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                total += self.selection_cost(target, selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._spread_cost(selection.name.value, seen)
        return total

    def _spread_cost(self, name: str, seen: frozenset[str]) -> int:
        # A fragment costs the same wherever it is spread: computed once (without the memo,
        # fragments spreading each other twice per level take exponential time).
        if name in self.memo:
            return self.memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in seen:
            return 0
        target = self._type(fragment.type_condition.name.value)
        self.memo[name] = self.selection_cost(target, fragment.selection_set, seen | {name})
        return self.memo[name]

    def _type(self, name: str) -> GraphQLNamedType:
        found = self.schema.get_type(name)
        assert found is not None  # the document was validated
        return found

    def field_cost(self, parent: GraphQLNamedType, node: FieldNode, seen: frozenset[str]) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1  # __typename on a union
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 1  # introspection meta-fields
        child = get_named_type(definition.type)
        inner = self.selection_cost(child, node.selection_set, seen)
        if isinstance(child, GraphQLUnionType):
            inner = max(
                (self.selection_cost(t, node.selection_set, seen) for t in child.types), default=0
            )
        return 1 + inner * self._multiplier(parent, node, definition)

    def _multiplier(self, parent: GraphQLNamedType, node: FieldNode, definition: Any) -> int:
        if not any(name in definition.args for name in PAGE_ARGUMENTS):
            # A plain list (themes, members, registrations...) counts as LIST_ESTIMATE items;
            # a connection's own edges/nodes are already counted by its page size.
            in_page = parent.name.endswith("Connection")
            is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
            return LIST_ESTIMATE if is_list and not in_page else 1
        for argument in node.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = self._value(argument.value)
                if value is not None:
                    return max(value, 1)
        default = next(
            (definition.args[a].default_value for a in PAGE_ARGUMENTS if a in definition.args),
            None,
        )
        return default if isinstance(default, int) and default > 0 else self.default_page

    def _value(self, node: Any) -> int | None:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            value = self.variables.get(node.name.value)
            return value if isinstance(value, int) else None
        return None


def query_cost(
    schema: GraphQLSchema,
    document: Any,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    default_page: int,
) -> int:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = schema.get_root_type(operation.operation)
    assert root is not None
    walker = _Walker(schema, fragments, variables or {}, default_page)
    return walker.selection_cost(root, operation.selection_set, frozenset())
