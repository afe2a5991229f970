"""Per-request DataLoaders (DESIGN.md §3, §5).

Every loader batch opens its own short session from the sessionmaker, because graphql-core
resolves sibling fields concurrently and an AsyncSession must not be shared between them.
Loaders are named ``XByYLoader`` and return results in key order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

if TYPE_CHECKING:
    from schema.context import Context

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
L = TypeVar("L", bound="SessionLoader[Any, Any]")


class SessionLoader(DataLoader[K, V], Generic[K, V]):
    """A DataLoader whose batch function is ``fetch(session, keys) -> {key: value}``."""

    def __init__(self, context: Context) -> None:
        super().__init__(load_fn=self._load_batch)
        self.context = context
        self._done: dict[K, V] = {}  # what batches answered, for peek()

    async def _load_batch(self, keys: Sequence[K]) -> list[V]:
        async with self.context.sessionmaker() as session:
            found = await self.fetch(session, list(keys))
        values = [found[key] if key in found else self.missing() for key in keys]
        self._done.update(zip(keys, values, strict=True))
        return values

    def peek(self, key: K, default: V) -> V:
        """The value of a key a batch already answered, else ``default``; never loads."""
        return self._done.get(key, default)

    def has(self, key: K) -> bool:
        return key in self._done

    async def fetch(self, session: AsyncSession, keys: list[K]) -> Mapping[K, V]:
        raise NotImplementedError

    def missing(self) -> V:
        """The value for a key that has no row: None for objects, [] for lists."""
        return None  # type: ignore[return-value]


class ListLoader(SessionLoader[K, list[V]], Generic[K, V]):
    def missing(self) -> list[V]:
        return []


class Loaders:
    """One instance of each loader class per request, created on first use."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._instances: dict[type[Any], Any] = {}

    def get(self, loader_class: type[L]) -> L:
        loader = self._instances.get(loader_class)
        if loader is None:
            loader = self._instances[loader_class] = loader_class(self._context)
        return loader


R = TypeVar("R")


async def _converted(pending: Awaitable[V], convert: Callable[[V], R]) -> R:
    return convert(await pending)


def resolved(loader: SessionLoader[K, V], key: K, convert: Callable[[V], R]) -> R:
    """``convert(loader.load(key))`` without a coroutine when the value is already loaded.

    List resolvers prefetch a page's relations in one batch per loader; the nested fields then
    answer synchronously, which spares graphql-core a task per field (most of a large list's
    cost). Otherwise this returns an awaitable, which graphql-core awaits like an async
    resolver's result; the cast only tells the type checker about the value it resolves to.
    """
    if loader.has(key):
        return convert(loader.peek(key, loader.missing()))
    return cast(R, _converted(loader.load(key), convert))
