"""Prefetch what a page of centres selects: one loader batch per relation, all at once."""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import GraphQLError
from strawberry.types.nodes import SelectedField

from schema.centres.loaders import (
    CentreByIdLoader,
    CompetenciesByCentreIdLoader,
    PartnersByCentreIdLoader,
    ThemesByCentreIdLoader,
)
from schema.context import Info
from schema.prefetch import children, item_selections
from schema.proposals.loaders import ProposalsByOwnerIdLoader
from schema.relay import paging

RELATIONS: dict[str, type[Any]] = {
    "themes": ThemesByCentreIdLoader,
    "offers": CompetenciesByCentreIdLoader,
    "seeks": CompetenciesByCentreIdLoader,
    "proposals": ProposalsByOwnerIdLoader,
    "partners": PartnersByCentreIdLoader,
}
PAGE_ARGS = ("first", "after", "last", "before")


async def prefetch_centres(info: Info, ids: list[int]) -> None:
    selected = item_selections(info)
    wanted = {RELATIONS[f.name] for f in selected if f.name in RELATIONS}
    loaders = info.context.loaders
    await asyncio.gather(*(loaders.get(loader).load_many(ids) for loader in wanted))
    partner_fields = [f for f in selected if f.name == "partners" and _selects_centre(f)]
    if partner_fields:
        await _prefetch_partner_centres(info, ids, partner_fields)


def _selects_centre(field: SelectedField) -> bool:
    return bool(children(field, "nodes", "centre") or children(field, "edges", "node", "centre"))


def _argument(field: SelectedField, name: str) -> Any:
    # strawberry hands literals over as their source text ("5"), variables as values.
    value = field.arguments.get(name)
    if name in ("first", "last") and isinstance(value, str):
        return int(value)
    return value


def _shown_partner_ids(info: Info, ids: list[int], field: SelectedField) -> set[int]:
    """The partner centres on each centre's page of `partners`, as the field will slice it."""
    try:
        page = paging(info.context.settings, **{a: _argument(field, a) for a in PAGE_ARGS})
    except (GraphQLError, ValueError):
        return set()  # the field itself reports the bad argument
    loader = info.context.loaders.get(PartnersByCentreIdLoader)
    shown: set[int] = set()
    for centre_id in ids:
        entries, _window = page.slice(loader.peek(centre_id, []))
        shown.update(e.partner_id for e in entries)
    return shown


async def _prefetch_partner_centres(
    info: Info, ids: list[int], fields: list[SelectedField]
) -> None:
    shown = set().union(*(_shown_partner_ids(info, ids, f) for f in fields))
    if shown:
        await info.context.loaders.get(CentreByIdLoader).load_many(sorted(shown))
