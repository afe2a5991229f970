"""Typed errors returned in mutation payloads: a user's mistake is data, not an exception."""

from __future__ import annotations

import strawberry

from accr_graph.services.errors import Conflict as ConflictFailure
from accr_graph.services.errors import Failure, Invalid, Missing, Refused
from schema.relay import to_global_id


@strawberry.interface(
    description="Every typed error a mutation can answer: select `message` (and `__typename`) "
    "on `Error` to handle errors generically."
)
class Error:
    message: str = strawberry.field(description="What went wrong, in English.")


@strawberry.type(description="Input was rejected; `field` names the input field (dotted path).")
class ValidationError(Error):
    field: str = strawberry.field(
        description="The rejected input field, as a dotted path (e.g. `input.title`)."
    )
    message: str = strawberry.field(description="What is wrong, in English.")


@strawberry.type(description="The object does not exist or is not visible to you.")
class NotFound(Error):
    message: str = strawberry.field(description="What was not found, in English.")
    id: str | None = strawberry.field(
        default=None, description="The ID that was not found; null when not tied to one ID."
    )


@strawberry.type(description="Someone changed the object since you read it; nothing was written.")
class Conflict(Error):
    message: str = strawberry.field(description="What conflicted, in English.")
    current_version: int = strawberry.field(
        description="The version now saved; read the object again before retrying."
    )


@strawberry.type(description="You are not allowed to do this; nothing was written.")
class PermissionDenied(Error):
    message: str = strawberry.field(description="Why not, in English.")


MutationError = ValidationError | NotFound | Conflict | PermissionDenied


def to_graphql_error(failure: Failure) -> MutationError:
    match failure:
        case Invalid(field=field, message=message):
            return ValidationError(field=field, message=message)
        case Missing(message=message, type_name=type_name, pk=pk):
            ident = to_global_id(type_name, pk) if type_name and pk is not None else None
            return NotFound(message=message, id=ident)
        case ConflictFailure(message=message, current_version=version):
            return Conflict(message=message, current_version=version)
        case Refused(message=message):
            return PermissionDenied(message=message)
    raise AssertionError(f"unhandled failure {failure!r}")
