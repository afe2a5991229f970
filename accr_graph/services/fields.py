"""The names of the fields a caller set, in API spelling: what an audit entry records."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable


def provided(data: object, skip: Iterable[str] = ()) -> list[str]:
    """The fields of a dataclass that are not None, in API spelling (``partnersMin``)."""
    left_out = set(skip)
    names = [f.name for f in dataclasses.fields(data) if getattr(data, f.name) is not None]  # type: ignore[arg-type]
    return [camel(n) for n in names if n not in left_out]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def named(**values: object) -> list[str]:
    """The keyword arguments that are not None, camelCased: for services taking plain values."""
    return [camel(name) for name, value in values.items() if value is not None]
