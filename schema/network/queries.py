from __future__ import annotations

import strawberry
from graphql import GraphQLError

from accr_graph.services.matching import MatchingService
from schema.context import Info
from schema.network.types import MAX_SUGGESTIONS, Clustering, MissingLink, NetworkMetrics
from schema.permissions import IsStaff


def matching_service(info: Info) -> MatchingService:
    service = info.context.services
    assert isinstance(service, MatchingService)
    return service


def check_first(first: int, limit: int = MAX_SUGGESTIONS) -> int:
    if not 1 <= first <= limit:
        raise GraphQLError(f"`first` must be between 1 and {limit} (got {first}).")
    return first


def check_years(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise GraphQLError("`yearFrom` must not be after `yearTo`.")


@strawberry.type(description="The cooperation network as a whole (computed off the data, cached).")
class Network:
    @strawberry.field(description="Communities of centres that cooperate, for a year range.")
    async def clusters(
        self, info: Info, year_from: int | None = None, year_to: int | None = None
    ) -> Clustering:
        check_years(year_from, year_to)
        return Clustering.of(await matching_service(info).clusters(year_from, year_to))

    @strawberry.field(description="Degree, PageRank, betweenness, brokers, isolated centres.")
    async def metrics(
        self, info: Info, year_from: int | None = None, year_to: int | None = None, first: int = 100
    ) -> NetworkMetrics:
        check_years(year_from, year_to)
        check_first(first, 1000)
        return NetworkMetrics.of(await matching_service(info).metrics(year_from, year_to), first)

    @strawberry.field(description="Strongest suggested pairs that never cooperated.")
    async def missing_links(self, info: Info, first: int = 20) -> list[MissingLink]:
        links = await matching_service(info).missing_links(check_first(first))
        return [MissingLink.of(link) for link in links]


@strawberry.type
class NetworkQuery:
    @strawberry.field(
        description="Network analytics: clusters, metrics, missing links (ACCR staff only).",
        permission_classes=[IsStaff],
    )
    def network(self) -> Network | None:
        return Network()
