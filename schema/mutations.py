"""Running a mutation: one transaction, service failures as typed errors, IDs decoded safely."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, TypeVar

import strawberry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from accr_graph.db.models import AuditEntry
from accr_graph.ids import pk_of
from accr_graph.repositories import audit, data_version
from accr_graph.services.errors import Conflict, Invalid, ServiceFailure, fail
from schema.context import Info
from schema.errors import MutationError, ValidationError, to_graphql_error

T = TypeVar("T")
S = TypeVar("S")


@strawberry.input(description="A text in one language.")
class TranslationInput:
    lang: str = strawberry.field(description="ISO 639-1 language code.")
    text: str = strawberry.field(description="The text in that language.")


def texts(items: list[TranslationInput] | None) -> list[tuple[str, str]] | None:
    return None if items is None else [(i.lang, i.text) for i in items]


def pk(global_id: str | None, expected_type: str, field: str) -> int | None:
    """The primary key inside a global ID; a foreign or malformed ID is a ValidationError."""
    if global_id is None:
        return None
    key = pk_of(global_id, expected_type)
    if key is None:
        raise fail(Invalid(field, f"'{global_id}' is not a valid {expected_type} ID"))
    return key


def required_pk(global_id: str, expected_type: str, field: str) -> int:
    value = pk(global_id, expected_type, field)
    assert value is not None
    return value


def provided(data: object, skip: tuple[str, ...] = ("id", "expected_version")) -> list[str]:
    """The input fields a caller set (for the audit log), in API spelling."""
    names = [f.name for f in dataclasses.fields(data) if getattr(data, f.name) is not None]  # type: ignore[arg-type]
    return [_camel(n) for n in names if n not in skip]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def _audit(session: AsyncSession, info: Info, result: object, changed: Sequence[str]) -> None:
    viewer = info.context.viewer
    result = getattr(result, "audit_target", result)
    await data_version.bump(session)  # any change, accounts and the audit log included
    await audit.record(
        session,
        AuditEntry(
            user_id=viewer.user_id,
            token_id=viewer.token_id,
            action=info.field_name,
            object_type=type(result).__name__ if hasattr(result, "id") else None,
            object_id=getattr(result, "id", None),
            changed_fields=list(changed),
            address=info.context.address or None,
        ),
    )


async def run(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[T]],
    success: Callable[[T], S],
    stale_version: Callable[[AsyncSession], Awaitable[int]] | None = None,
    changed: Sequence[str] = (),
) -> S | MutationError:
    """Run ``work`` in one transaction and record it in the audit log; nothing is written
    (the audit entry included) unless it returns normally."""
    try:
        async with info.context.sessionmaker.begin() as session:
            result = await work(session)
            await _audit(session, info, result, changed)
    except ServiceFailure as failure:
        return to_graphql_error(failure.failure)
    except StaleDataError:
        # Another writer committed between our read and our write (version_id_col caught it).
        version = 0
        if stale_version is not None:
            async with info.context.sessionmaker() as session:
                version = await stale_version(session)
        return to_graphql_error(Conflict("The object changed while you were saving it.", version))
    except IntegrityError:
        return ValidationError(field="input", message="conflicts with data saved meanwhile; retry")
    return success(result)


def payload(name: str, success: type, description: str) -> object:
    """The union `Success | ValidationError | NotFound | Conflict | PermissionDenied`."""
    from schema.errors import Conflict as ConflictType
    from schema.errors import NotFound, PermissionDenied

    union = success | ValidationError | NotFound | ConflictType | PermissionDenied
    return Annotated[union, strawberry.union(name, description=description)]
