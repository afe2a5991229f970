"""The root schema, composed from the domain Query and Mutation classes (as netbox does)."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from schema.catalogue.queries import CatalogueQuery
from schema.centres.queries import CentreQuery
from schema.node import NodeQuery
from schema.partnerships.queries import PartnershipQuery
from schema.proposals.queries import ProposalQuery


@strawberry.type(description="Read the network: centres, proposals, partnerships and more.")
class Query(NodeQuery, CentreQuery, ProposalQuery, PartnershipQuery, CatalogueQuery):
    pass


schema = strawberry.Schema(query=Query, config=StrawberryConfig(auto_camel_case=True))
