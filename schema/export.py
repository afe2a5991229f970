from __future__ import annotations

from strawberry.printer import print_schema


def export_sdl() -> str:
    from schema.schema import schema

    return print_schema(schema) + "\n"
