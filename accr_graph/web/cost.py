"""Query cost, computed before execution: an upper bound of the fields execution will resolve.

Each field costs 1. Below a list, the fields count once per item the list can hold:

- a list with a page size (`first`/`last`: connections, rankings) holds at most that many, read
  from the literal, the variable, the variable's default or the argument's default;
- a plain list holds at most what its ``PLAIN_LISTS`` bound says: a constant the services
  enforce, or a row count read from the database (``TableSizes``), e.g. a cluster's centres
  cannot outnumber the centres;
- introspection (``__schema``, ``__type``) is walked on the schema itself, so its cost is exact.

Fragments are expanded (each fragment's cost computed once); aliases are just more fields.
A field on a union or interface counts its selections for every possible type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from graphql.type.definition import GraphQLEnumType, GraphQLWrappingType, is_abstract_type

PAGE_ARGUMENTS = ("first", "last")
MAX_TRANSLATIONS = 200  # ISO 639-1 has 184 languages: a text cannot have more translations
MAX_REASONS = 16  # one reason per matching factor (11) and the penalty, with room to grow
MAX_FAIR_SLOTS = 400  # services.fair: at most 10 days of 40 slots
MAX_FAIR_TABLES = 500
MAX_AGENDA = 60  # services.meetings
MAX_QUESTIONS = 200  # services.survey_questions (per campaign)
MAX_CHOICES = 60
MAX_SECTIONS = 30
MAX_EVENT_KINDS = 64  # notification kinds, with room to grow
MAX_SEARCH_HITS = 50
MAX_REASON_ITEMS = 32
# Observatory rows depend on the arguments (indicators x years x groups): an estimate; the field
# meter (accr_graph/web/execution.py) holds the real bound.
OBSERVATORY_ROWS = 1000

# Every plain list of object types, with its bound: an int, or the table whose row count bounds
# it. A test checks that every plain list in the schema is here, so a new one cannot slip by.
PLAIN_LISTS: dict[str, int | str] = {
    "Centre.descriptionTranslations": MAX_TRANSLATIONS,
    "Competency.nameTranslations": MAX_TRANSLATIONS,
    "Proposal.titleTranslations": MAX_TRANSLATIONS,
    "Proposal.summaryTranslations": MAX_TRANSLATIONS,
    "Theme.nameTranslations": MAX_TRANSLATIONS,
    "Centre.themes": "themes",
    "Partnership.themes": "themes",
    "Proposal.themes": "themes",
    "NetworkStatistics.proposalsByTheme": "themes",
    "Centre.offers": "competencies",
    "Centre.seeks": "competencies",
    "Proposal.seeks": "competencies",
    "Proposal.offers": "competencies",
    "NetworkStatistics.competencies": "competencies",
    "Cluster.centres": "centres",
    "Clustering.clusters": "centres",
    "Consortium.members": "centres",
    "Fair.registrations": "centres",
    "Fair.registeredCentres": "centres",
    "MeetingRequest.participants": "centres",
    "NetworkGraph.nodes": "centres",
    "NetworkMetrics.centres": "centres",
    "NetworkMetrics.isolated": "centres",
    "NetworkStatistics.centresByCountry": "centres",
    "NetworkStatistics.clusterSizes": "centres",
    "Partnership.members": "centres",
    "NetworkGraph.edges": "partner_pairs",
    "NetworkStatistics.partnershipsPerYear": "partnerships",
    "NetworkStatistics.proposalsByStatus": 8,
    "FairRegistration.proposals": "proposals",
    "Fair.meetingRequests": "meeting_requests",
    "Fair.unscheduled": "meeting_requests",
    "Fair.meetings": "meetings",
    "FairTable.meetings": "meetings",
    "Fair.slots": MAX_FAIR_SLOTS,
    "FairRegistration.unavailableSlots": MAX_FAIR_SLOTS,
    "Fair.tables": MAX_FAIR_TABLES,
    "Query.fairs": "fairs",
    "ConsortiumPick.reasons": MAX_REASONS,
    "MissingLink.reasons": MAX_REASONS,
    "Suggestion.reasons": MAX_REASONS,
    "ProposalMatch.reasons": MAX_REASONS,
    "MatchingModel.factors": MAX_REASONS,
    "Reason.items": MAX_REASON_ITEMS,
    "AgendaItem.titleTranslations": MAX_TRANSLATIONS,
    "Meeting.descriptionTranslations": MAX_TRANSLATIONS,
    "Meeting.titleTranslations": MAX_TRANSLATIONS,
    "Resource.abstractTranslations": MAX_TRANSLATIONS,
    "Resource.titleTranslations": MAX_TRANSLATIONS,
    "SurveyQuestion.labelTranslations": MAX_TRANSLATIONS,
    "ResourceFacets.language": MAX_TRANSLATIONS,
    "Meeting.themes": "themes",
    "Resource.themes": "themes",
    "ResourceFacets.theme": "themes",
    "Resource.centres": "centres",
    "ResourceFacets.centre": "centres",
    "SurveyCompletion.missing": "centres",
    "ResourceFacets.year": "resources",
    "ResourceFacets.kind": 16,
    "Meeting.documents": "resources",
    "Meeting.agenda": MAX_AGENDA,
    "Meeting.registrations": "meeting_registrations",
    "Query.webhooks": "webhooks",
    "NotificationPreferencesSuccess.preferences": MAX_EVENT_KINDS,
    "Query.notificationPreferences": MAX_EVENT_KINDS,
    "SearchResults.hits": MAX_SEARCH_HITS,
    "SurveyCampaign.questions": MAX_QUESTIONS,
    "SurveyCampaign.sections": MAX_SECTIONS,
    "SurveySection.questions": MAX_QUESTIONS,
    "SurveyResponse.answers": MAX_QUESTIONS,
    "SurveyQuestion.choices": MAX_CHOICES,
    "Observatory.benchmark": OBSERVATORY_ROWS,
    "Observatory.catalogue": OBSERVATORY_ROWS,
    "Observatory.indicators": OBSERVATORY_ROWS,
    "Observatory.keyFigures": OBSERVATORY_ROWS,
}

TableSizes = Mapping[str, int]


def plain_list_fields(schema: GraphQLSchema) -> set[str]:
    """`Type.field` of every list of objects without a page size, outside connections."""
    found = set()
    for type_ in schema.type_map.values():
        if type_.name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        if type_.name.endswith("Connection"):
            continue
        for name, field in type_.fields.items():
            listed = isinstance(get_nullable_type(field.type), GraphQLList)
            leaf = not isinstance(get_named_type(field.type), GraphQLObjectType | GraphQLUnionType)
            paged = any(a in field.args for a in PAGE_ARGUMENTS)
            if listed and not leaf and not paged and not is_abstract_type(type_):
                found.add(f"{type_.name}.{name}")
    return found


# --- introspection, walked on the schema objects themselves -----------------------------------

Children = Callable[[GraphQLSchema, Any], Any]  # an object -> None, one object, or a list


def _fields_of(_s: GraphQLSchema, t: Any) -> Any:
    if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
        return list(t.fields.values())
    return None


def _input_fields(_s: GraphQLSchema, t: Any) -> Any:
    return list(t.fields.values()) if isinstance(t, GraphQLInputObjectType) else None


def _possible(s: GraphQLSchema, t: Any) -> Any:
    return list(s.get_possible_types(t)) if is_abstract_type(t) else None


INTROSPECTION: dict[tuple[str, str], tuple[Children, str]] = {
    ("__Schema", "types"): (lambda s, _o: list(s.type_map.values()), "__Type"),
    ("__Schema", "queryType"): (lambda s, _o: s.query_type, "__Type"),
    ("__Schema", "mutationType"): (lambda s, _o: s.mutation_type, "__Type"),
    ("__Schema", "subscriptionType"): (lambda s, _o: s.subscription_type, "__Type"),
    ("__Schema", "directives"): (lambda s, _o: list(s.directives), "__Directive"),
    ("__Type", "fields"): (_fields_of, "__Field"),
    ("__Type", "interfaces"): (
        lambda _s, t: (
            list(t.interfaces) if isinstance(t, GraphQLObjectType | GraphQLInterfaceType) else None
        ),
        "__Type",
    ),
    ("__Type", "possibleTypes"): (_possible, "__Type"),
    ("__Type", "enumValues"): (
        lambda _s, t: list(t.values.values()) if isinstance(t, GraphQLEnumType) else None,
        "__EnumValue",
    ),
    ("__Type", "inputFields"): (_input_fields, "__InputValue"),
    ("__Type", "ofType"): (
        lambda _s, t: t.of_type if isinstance(t, GraphQLWrappingType) else None,
        "__Type",
    ),
    ("__Field", "args"): (lambda _s, f: list(f.args.values()), "__InputValue"),
    ("__Field", "type"): (lambda _s, f: f.type, "__Type"),
    ("__InputValue", "type"): (lambda _s, v: v.type, "__Type"),
    ("__Directive", "args"): (lambda _s, d: list(d.args.values()), "__InputValue"),
}


@dataclass
class _Introspection:
    """The exact number of fields an introspection selection resolves, for one schema."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]

    def cost(self, type_name: str, obj: Any, node: SelectionSetNode | None) -> int:
        if node is None or obj is None:
            return 0
        if isinstance(obj, list):
            return sum(self.cost(type_name, item, node) for item in obj)
        return sum(self._selection(type_name, obj, s) for s in node.selections)

    def _selection(self, type_name: str, obj: Any, selection: Any) -> int:
        if isinstance(selection, FieldNode):
            found = INTROSPECTION.get((type_name, selection.name.value))
            if found is None:
                return 1  # a scalar (name, kind, description...)
            children, child_type = found
            return 1 + self.cost(child_type, children(self.schema, obj), selection.selection_set)
        if isinstance(selection, InlineFragmentNode):
            return self.cost(type_name, obj, selection.selection_set)
        fragment = self.fragments.get(selection.name.value)
        return self.cost(type_name, obj, fragment.selection_set) if fragment else 0


# --- the walk ----------------------------------------------------------------------------------


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        default_page: int,
        sizes: TableSizes,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_page = default_page
        self.sizes = sizes
        self.memo: dict[str, int] = {}
        self.introspection = _Introspection(schema, fragments)

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
                condition = selection.type_condition
                target = self._type(condition.name.value) if condition else parent
                total += self.selection_cost(target, selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._spread_cost(selection.name.value, seen)
        return total

    def _spread_cost(self, name: str, seen: frozenset[str]) -> int:
        # A fragment costs the same wherever it is spread: computed once (without the memo,
        # fragments spreading each other twice per level take 2^n steps).
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
        name = node.name.value
        if name == "__schema":
            return 1 + self.introspection.cost("__Schema", self.schema, node.selection_set)
        if name == "__type":
            return 1 + self.introspection.cost("__Type", self._named(node), node.selection_set)
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1  # __typename on a union
        definition = parent.fields.get(name)
        if definition is None:
            return 1  # __typename
        child = get_named_type(definition.type)
        # On a union or interface, every fragment of the selection is counted: an upper bound.
        inner = self.selection_cost(child, node.selection_set, seen)
        return 1 + inner * self._multiplier(parent, node, definition)

    def _named(self, node: FieldNode) -> Any:
        for argument in node.arguments or ():
            value = argument.value
            if isinstance(value, VariableNode):
                name = self.variables.get(value.name.value)
            else:
                name = value.value if isinstance(value, StringValueNode) else None
            return self.schema.get_type(name) if isinstance(name, str) else None
        return None

    def _multiplier(self, parent: GraphQLNamedType, node: FieldNode, definition: Any) -> int:
        if not any(name in definition.args for name in PAGE_ARGUMENTS):
            if not isinstance(get_nullable_type(definition.type), GraphQLList):
                return 1
            if parent.name.endswith("Connection"):
                return 1  # a connection's edges/nodes: counted by its page size already
            return self._plain_list_bound(f"{parent.name}.{node.name.value}")
        given = [self._given(node, name) for name in PAGE_ARGUMENTS if name in definition.args]
        pages = [p for p in given if p is not None]
        if pages:
            # At least 1: a connection's own fields (totalCount, pageInfo) resolve even for 0.
            return max(*pages, 1)
        default = next(
            (definition.args[a].default_value for a in PAGE_ARGUMENTS if a in definition.args),
            None,
        )
        return self._count(default)

    def _plain_list_bound(self, key: str) -> int:
        bound = PLAIN_LISTS.get(key)
        if isinstance(bound, int):
            return bound
        if bound is None:  # a list of scalars: its items resolve no field
            return 1
        return max(self.sizes.get(bound, 0), 1)

    def _given(self, node: FieldNode, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = self._value(argument.value)
                return None if value is None else self._count(value)
        return None

    def _count(self, value: Any) -> int:
        """A page size as execution will see it; null or absent means the default page."""
        if isinstance(value, int) and not isinstance(value, bool):
            return max(value, 0)
        return self.default_page

    def _value(self, node: Any) -> Any:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        return None


def query_cost(
    schema: GraphQLSchema,
    document: Any,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    default_page: int,
    sizes: TableSizes | None = None,
) -> int:
    """``variables`` are the coerced values (defaults filled in), as execution will see them."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = schema.get_root_type(operation.operation)
    assert root is not None
    walker = _Walker(schema, fragments, variables or {}, default_page, sizes or {})
    return walker.selection_cost(root, operation.selection_set, frozenset())
