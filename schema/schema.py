"""The root schema, composed from the domain Query and Mutation classes (as netbox does)."""

from __future__ import annotations

import strawberry
from strawberry.extensions import AddValidationRules
from strawberry.schema.config import StrawberryConfig

from accr_graph.settings import get_settings
from schema.accounts.mutations import AccountMutation
from schema.accounts.queries import AccountQuery
from schema.catalogue.queries import CatalogueQuery
from schema.centres.mutations import CentreMutation
from schema.centres.queries import CentreQuery
from schema.fair.grid import FairGridMutation
from schema.fair.mutations import FairMutation
from schema.fair.queries import FairQuery, FairSubscription
from schema.meetings.mutations import MeetingMutation
from schema.meetings.queries import MeetingQuery
from schema.network.queries import NetworkQuery
from schema.node import NodeQuery
from schema.notifications.mutations import NotificationMutation
from schema.notifications.queries import NotificationQuery, NotificationSubscription
from schema.observatory.queries import ObservatoryQuery
from schema.partnerships.mutations import PartnershipMutation
from schema.partnerships.queries import PartnershipQuery
from schema.proposals.mutations import ProposalMutation
from schema.proposals.queries import ProposalQuery
from schema.resources.mutations import ResourceMutation
from schema.resources.queries import ResourceQuery
from schema.rules import SubscriptionsOnlyRule, limit_rules
from schema.search.queries import SearchQuery
from schema.surveys.mutations import SurveyMutation
from schema.surveys.queries import SurveyQuery


@strawberry.type(description="Read the network: centres, proposals, partnerships and more.")
class Query(
    NodeQuery,
    CentreQuery,
    ProposalQuery,
    PartnershipQuery,
    CatalogueQuery,
    NetworkQuery,
    AccountQuery,
    FairQuery,
    NotificationQuery,
    MeetingQuery,
    ResourceQuery,
    SearchQuery,
    SurveyQuery,
    ObservatoryQuery,
):
    pass


@strawberry.type(description="Change the network. Each mutation answers a typed payload union.")
class Mutation(
    ProposalMutation,
    CentreMutation,
    PartnershipMutation,
    AccountMutation,
    FairMutation,
    FairGridMutation,
    NotificationMutation,
    MeetingMutation,
    ResourceMutation,
    SurveyMutation,
):
    pass


@strawberry.type(description="Live updates, over WebSockets (graphql-transport-ws) at /graphql.")
class Subscription(FairSubscription, NotificationSubscription):
    pass


WS_LIMITS = limit_rules(get_settings())

# The HTTP endpoint runs graphql-core with its own cached rules; strawberry's own execution (and
# these extensions) serve only the WebSocket subscriptions, which get the same depth and alias
# limits and may not carry queries or mutations.
schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(auto_camel_case=True),
    extensions=[lambda: AddValidationRules([SubscriptionsOnlyRule, *WS_LIMITS])],
)
