"""What mutations share: translation inputs, IDs decoded into typed errors, payload unions.

A mutation decodes its input, calls one service function (which owns the transaction, the
audit entry and the version bumps) and maps its result or ``ServiceFailure`` to the payload."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry

from accr_graph import ids
from accr_graph.services.errors import ServiceFailure
from schema.errors import ValidationError, to_graphql_error

if TYPE_CHECKING:
    from schema.errors import MutationError

T = TypeVar("T")
S = TypeVar("S")


async def attempt(work: Callable[[], Awaitable[T]], success: Callable[[T], S]) -> S | MutationError:
    """Run one service call; its typed failure (or a bad ID in the input) becomes the payload."""
    try:
        result = await work()
    except ServiceFailure as failure:
        return to_graphql_error(failure.failure)
    return success(result)


@strawberry.input(description="A text in one language.")
class TranslationInput:
    lang: str = strawberry.field(description="ISO 639-1 language code.")
    text: str = strawberry.field(description="The text in that language.")


def texts(items: list[TranslationInput] | None) -> list[tuple[str, str]] | None:
    return None if items is None else [(i.lang, i.text) for i in items]


# Global IDs in inputs: a malformed or foreign ID is a ValidationError on that field.
pk = ids.decode_optional
required_pk = ids.decode


def payload(name: str, success: type, description: str) -> object:
    """The union `Success | ValidationError | NotFound | Conflict | PermissionDenied`."""
    from schema.errors import Conflict as ConflictType
    from schema.errors import NotFound, PermissionDenied

    union = success | ValidationError | NotFound | ConflictType | PermissionDenied
    return Annotated[union, strawberry.union(name, description=description)]
