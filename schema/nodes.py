"""Late binding between object types that link to each other (a centre lists its proposals,
a proposal names its owner centre...).

Each types module registers how to build its type from a row; a type that links to another
builds it here by name, and names the other type in its annotations with ``strawberry.lazy``.
So no types module imports another one that imports it back: the arrows inside ``schema/`` stay
acyclic (``tests/test_architecture.py``) without function-local imports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_BUILDERS: dict[str, Callable[[Any], Any]] = {}


def register(type_name: str, build_from: Callable[[Any], Any]) -> None:
    _BUILDERS[type_name] = build_from


def builder(type_name: str) -> Callable[[Any], Any]:
    """How to build the type from its row (its types module is imported by the schema root)."""
    try:
        return _BUILDERS[type_name]
    except KeyError:
        raise LookupError(f"{type_name} is not registered; import its types module") from None
