from __future__ import annotations

import strawberry
from graphql import GraphQLError

from accr_graph.repositories import partnerships
from accr_graph.repositories.partnerships import PartnershipFilter as PartnershipFilterData
from accr_graph.services.network_filter import year_range_problem
from schema.centres.loaders import CentreBySlugLoader
from schema.context import Info
from schema.partnerships.types import Partnership
from schema.relay import Connection, connection, paging
from schema.validation import known_slugs


@strawberry.input(description="Partnerships matching every given criterion.")
class PartnershipFilter:
    year_from: int | None = strawberry.field(
        default=None, description="Projects running in or after this year."
    )
    year_to: int | None = strawberry.field(
        default=None, description="Projects that started in or before this year."
    )
    centre: str | None = strawberry.field(default=None, description="Slug of a member centre.")
    programme: str | None = strawberry.field(
        default=None, description="Text in the programme's name."
    )
    theme: list[str] | None = strawberry.field(default=None, description="Theme slugs.")


async def _to_data(flt: PartnershipFilter, info: Info) -> PartnershipFilterData:
    problem = year_range_problem(flt.year_from, flt.year_to, "filter.")
    if problem:
        raise GraphQLError(problem, extensions={"code": "BAD_USER_INPUT"})
    centre_id = None
    if flt.centre:
        centre = await info.context.loaders.get(CentreBySlugLoader).load(flt.centre)
        centre_id = centre.id if centre else -1  # an unknown centre matches nothing
    return PartnershipFilterData(
        year_from=flt.year_from,
        year_to=flt.year_to,
        centre_id=centre_id,
        programme=flt.programme or None,
        themes=tuple(flt.theme or ()),
    )


@strawberry.type
class PartnershipQuery:
    @strawberry.field(description="Joint projects, newest first.")
    async def partnerships(
        self,
        info: Info,
        filter: PartnershipFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Partnership]:
        page = paging(info.context.settings, first, after, last, before)
        flt = await _to_data(filter or PartnershipFilter(), info)
        await known_slugs(info, flt.themes)
        async with info.context.sessionmaker() as session:
            total = await partnerships.count_partnerships(session, flt)
            window = page.window(total)
            rows = await partnerships.list_partnerships(session, flt, window)
        return connection(rows, window, total, Partnership.from_model)
