"""`search(query, kinds, first)`: the header's search box across the hub."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError

from accr_graph.repositories.search import DocFilter
from accr_graph.services import search as service
from accr_graph.services.errors import ServiceFailure
from schema.centres.loaders import CentreByIdLoader
from schema.centres.types import Centre
from schema.context import Info
from schema.meetings.loaders import ProgrammeMeetingByIdLoader
from schema.meetings.types import Meeting
from schema.proposals.loaders import ProposalByIdLoader
from schema.proposals.types import Proposal
from schema.resources.loaders import ResourceByIdLoader
from schema.resources.types import Resource
from schema.validation import check_first


@strawberry.enum(description="What a search hit is.")
class SearchKind(Enum):
    RESOURCE = "resource"
    PROPOSAL = "proposal"
    CENTRE = "centre"
    MEETING = "meeting"


SearchNode = Annotated[
    Resource | Proposal | Centre | Meeting,
    strawberry.union("SearchNode", description="The object a search hit points to."),
]


@strawberry.type(description="One search hit, best first.")
class SearchHit:
    kind: SearchKind = strawberry.field(description="What it is.")
    score: float = strawberry.field(description="Relevance (higher is better; compare in a list).")
    highlights: list[str] = strawberry.field(
        description="Matching fragments as HTML, matched words in <mark>, the rest escaped."
    )
    node: SearchNode = strawberry.field(description="The object.")


@strawberry.type(description="Search results: the total and the best hits.")
class SearchResults:
    total_count: int = strawberry.field(description="Matching objects you may see.")
    hits: list[SearchHit] = strawberry.field(description="The best hits, best first.")


LOADERS: dict[str, tuple[Any, Any]] = {
    "resource": (ResourceByIdLoader, Resource),
    "proposal": (ProposalByIdLoader, Proposal),
    "centre": (CentreByIdLoader, Centre),
    "meeting": (ProgrammeMeetingByIdLoader, Meeting),
}


async def _node(info: Info, kind: str, object_id: int) -> object | None:
    loader_class, node_type = LOADERS[kind]
    row = await info.context.loaders.get(loader_class).load(object_id)
    return None if row is None else node_type.from_model(row)


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Full-text search across resources, proposals, centres and meetings you may "
        "see (at most 50 hits). PostgreSQL ranks with stemming per language; the embedded SQLite "
        "default matches word prefixes (see docs/resources.md)."
    )
    async def search(
        self, info: Info, query: str, kinds: list[SearchKind] | None = None, first: int = 10
    ) -> SearchResults:
        check_first(first)
        chosen = tuple(k.value for k in kinds or SearchKind)
        try:
            db, viewer = info.context.sessionmaker, info.context.viewer
            found = await service.search(db, viewer, query, DocFilter(kinds=chosen), 0, first)
        except ServiceFailure as failure:
            raise GraphQLError(f"`query`: {getattr(failure.failure, 'message', '')}") from None
        hits = []
        for hit in found.hits:
            node = await _node(info, hit.kind, hit.object_id)
            if node is not None:  # deleted meanwhile
                hits.append(
                    SearchHit(
                        kind=SearchKind(hit.kind),
                        score=hit.score,
                        highlights=hit.highlights,
                        node=node,  # type: ignore[arg-type]
                    )
                )
        return SearchResults(total_count=found.total, hits=hits)
