"""Relay conventions: opaque global IDs, the Node interface, connections with capped pages."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError

from accr_graph import ids
from accr_graph.repositories.common import Window
from accr_graph.settings import Settings

T = TypeVar("T")
N = TypeVar("N")


@strawberry.interface(description="An object with a stable, opaque global ID (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global ID; use it with `node(id:)`.")


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(ids.to_global_id(type_name, pk))


from_global_id = ids.from_global_id


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    has_previous_page: bool = strawberry.field(description="True when items come before this page.")
    start_cursor: str | None = strawberry.field(
        description="Cursor of the first item; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item; null when the page is empty."
    )


@strawberry.type(description="One item of a list and its cursor.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Pass it as `after` or `before` to page on.")
    node: N = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list (Relay connection) and the list's total size.")
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The page's items, each with its cursor.")
    page_info: PageInfo = strawberry.field(
        description="Where this page sits; use its cursors to page on."
    )
    total_count: int = strawberry.field(description="Number of items in the whole list.")

    @strawberry.field(description="The page's items without cursors (shortcut for edges.node).")
    def nodes(self) -> list[N]:
        return [edge.node for edge in self.edges]


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode()).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        decoded = ""
    kind, _, raw = decoded.partition(":")
    offset = ids.parse_int(raw, 0, ids.MAX_PK) if kind == "o" and len(cursor) <= 40 else None
    if offset is None or raw.startswith("-"):
        raise GraphQLError(f"`{argument}` is not a valid cursor: {cursor[:40]!r}")
    return offset


@dataclass(frozen=True, slots=True)
class Paging:
    """Validated paging arguments; ``window(total)`` gives the rows to fetch."""

    first: int | None
    last: int | None
    after: int | None
    before: int | None

    def window(self, total: int) -> Window:
        start = 0 if self.after is None else min(self.after + 1, total)
        end = total if self.before is None else max(min(self.before, total), start)
        if self.first is not None:
            end = min(end, start + self.first)
        if self.last is not None:
            start = max(start, end - self.last)
        return Window(offset=start, limit=end - start)

    def slice(self, items: Sequence[T]) -> tuple[Sequence[T], Window]:
        """The page of a list already in memory, and where it sits: the one place nested
        connections are cut (their resolvers and the prefetch that prepares them)."""
        window = self.window(len(items))
        return items[window.offset : window.offset + window.limit], window

    @property
    def needs_total_first(self) -> bool:
        return self.last is not None or self.before is not None


def _check_size(name: str, value: int | None, settings: Settings) -> None:
    if value is None:
        return
    if value < 0:
        raise GraphQLError(f"`{name}` must not be negative (got {value}).")
    if value > settings.page_size_max:
        raise GraphQLError(
            f"`{name}` is {value}, above the maximum page size of {settings.page_size_max}."
        )


def paging(
    settings: Settings,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Paging:
    _check_size("first", first, settings)
    _check_size("last", last, settings)
    if first is None and last is None:
        first = settings.page_size_default
    return Paging(
        first=first,
        last=last,
        after=None if after is None else decode_cursor(after, "after"),
        before=None if before is None else decode_cursor(before, "before"),
    )


def connection(
    items: Sequence[T], window: Window, total: int, to_node: Callable[[T], N]
) -> Connection[N]:
    """Wrap the fetched page (already sliced to ``window``) as a connection."""
    edges = [
        Edge(cursor=encode_cursor(window.offset + i), node=to_node(item))
        for i, item in enumerate(items)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=window.offset + len(items) < total,
            has_previous_page=window.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def slice_connection(items: Sequence[T], page: Paging, to_node: Callable[[T], N]) -> Connection[N]:
    """A connection over a list already in memory (nested lists loaded through a loader)."""
    chosen, window = page.slice(items)
    return connection(chosen, window, len(items), to_node)
