"""Translatable text in the API: `field(lang:)` picks one text, `fieldTranslations` lists all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import strawberry

from accr_graph.i18n import pick
from schema.context import Info


@strawberry.type(description="A text in one language.")
class Translation:
    lang: str = strawberry.field(description="ISO 639-1 language code.")
    text: str = strawberry.field(description="The text in that language.")


def translations(texts: Mapping[str, str]) -> list[Translation]:
    return [Translation(lang=lang, text=texts[lang]) for lang in sorted(texts) if texts[lang]]


def localise(texts: Mapping[str, str], info: Info, lang: str | None) -> str:
    """The `lang` argument, else the request's Accept-Language, else the fallback order."""
    return pick(texts, (lang or info.context.lang or "").strip().lower() or None)


LANG_DESCRIPTION = (
    "Language (ISO 639-1). Default: the Accept-Language header, then English, then French, "
    "then the first other language in alphabetical order."
)
LangArg = Annotated[str | None, strawberry.argument(description=LANG_DESCRIPTION)]
