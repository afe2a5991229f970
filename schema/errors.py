"""Typed errors returned in mutation payloads: a user's mistake is data, not an exception."""

from __future__ import annotations

import strawberry

from accr_graph.services.errors import Conflict as ConflictFailure
from accr_graph.services.errors import Failure, Invalid, Missing, Refused


@strawberry.type(description="Input was rejected; `field` names the input field (dotted path).")
class ValidationError:
    field: str
    message: str


@strawberry.type(description="The object does not exist or is not visible to you.")
class NotFound:
    message: str
    id: str | None = None


@strawberry.type(description="Someone changed the object since you read it; nothing was written.")
class Conflict:
    message: str
    current_version: int


@strawberry.type(description="You are not allowed to do this; nothing was written.")
class PermissionDenied:
    message: str


MutationError = ValidationError | NotFound | Conflict | PermissionDenied


def to_graphql_error(failure: Failure) -> MutationError:
    match failure:
        case Invalid(field=field, message=message):
            return ValidationError(field=field, message=message)
        case Missing(message=message, id=ident):
            return NotFound(message=message, id=ident)
        case ConflictFailure(message=message, current_version=version):
            return Conflict(message=message, current_version=version)
        case Refused(message=message):
            return PermissionDenied(message=message)
    raise AssertionError(f"unhandled failure {failure!r}")
