"""What a list query selects on each of its items, to prefetch relations for the whole page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from schema.context import Info


def _flatten(selections: Iterable[Any]) -> list[SelectedField]:
    """Fields of a selection list, fragments expanded."""
    fields: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            fields.append(selection)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            fields.extend(_flatten(selection.selections))
    return fields


def item_selections(info: Info) -> list[SelectedField]:
    """Fields selected on the items of the connection this resolver returns
    (under `edges { node { ... } }` and under `nodes { ... }`)."""
    items: list[SelectedField] = []
    for connection in _flatten(info.selected_fields):
        for part in _flatten(connection.selections):
            if part.name == "nodes":
                items.extend(_flatten(part.selections))
            elif part.name == "edges":
                for edge_part in _flatten(part.selections):
                    if edge_part.name == "node":
                        items.extend(_flatten(edge_part.selections))
    return items


def children(field: SelectedField, *path: str) -> list[SelectedField]:
    """Fields selected under ``field`` along ``path`` (e.g. "nodes", "centre")."""
    level = [field]
    for name in path:
        level = [f for parent in level for f in _flatten(parent.selections) if f.name == name]
    return level
