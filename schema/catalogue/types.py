"""Themes, competencies and countries."""

from __future__ import annotations

import strawberry

from accr_graph.countries import country_name
from accr_graph.db import models as m
from schema.context import Info
from schema.i18n import LangArg, Translation, localise, translations
from schema.relay import Node, to_global_id


@strawberry.type(description="A subject of work (heritage and creation, residencies, music...).")
class Theme(Node):
    slug: str = strawberry.field(description="Stable identifier used in filters.")
    _texts: strawberry.Private[dict[str, str]]

    @strawberry.field(description="The theme's name.")
    def name(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._texts, info, lang)

    @strawberry.field(description="The name in every language it exists in.")
    def name_translations(self) -> list[Translation]:
        return translations(self._texts)

    @classmethod
    def from_model(cls, row: m.Theme) -> Theme:
        return cls(id=to_global_id("Theme", row.id), slug=row.slug, _texts=row.name)


@strawberry.type(description="A skill or resource in the shared pool.")
class Competency(Node):
    slug: str = strawberry.field(description="Stable identifier used in filters.")
    category: str = strawberry.field(description="Group of competencies (e.g. mediation).")
    _texts: strawberry.Private[dict[str, str]]

    @strawberry.field(description="The competency's name.")
    def name(self, info: Info, lang: LangArg = None) -> str:
        return localise(self._texts, info, lang)

    @strawberry.field(description="The name in every language it exists in.")
    def name_translations(self) -> list[Translation]:
        return translations(self._texts)

    @classmethod
    def from_model(cls, row: m.Competency) -> Competency:
        return cls(
            id=to_global_id("Competency", row.id),
            slug=row.slug,
            category=row.category,
            _texts=row.name,
        )


@strawberry.type(description="A country (ISO 3166-1).")
class Country:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    name: str = strawberry.field(description="English short name.")
    centre_count: int | None = strawberry.field(
        default=None, description="Number of centres in this country (in `countries` only)."
    )

    @classmethod
    def of(cls, code: str, centre_count: int | None = None) -> Country:
        return cls(code=code, name=country_name(code), centre_count=centre_count)
