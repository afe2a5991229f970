"""Parsed and validated documents, cached by their text.

Validation is most of a small request's cost, and strawberry's depth/alias extensions disable
its cache (DESIGN.md, known pitfalls), so every rule, limits included, runs here once per
distinct document.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    parse,
    specified_rules,
    validate,
)


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]  # syntax or validation errors; empty when valid


class DocumentCache:
    def __init__(
        self,
        schema: GraphQLSchema,
        extra_rules: Sequence[type[ASTValidationRule]] = (),
        max_tokens: int | None = None,
        size: int = 1024,
    ) -> None:
        self._schema = schema
        self._rules = (*specified_rules, *extra_rules)
        self._max_tokens = max_tokens
        self._size = size
        self._entries: OrderedDict[str, PreparedDocument] = OrderedDict()

    def get(self, query: str) -> PreparedDocument:
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
            return entry
        entry = self._prepare(query)
        self._entries[query] = entry
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return entry

    def _prepare(self, query: str) -> PreparedDocument:
        try:
            document = parse(query, max_tokens=self._max_tokens)
        except GraphQLSyntaxError as error:
            return PreparedDocument(None, (_explain_token_limit(error, self._max_tokens),))
        errors = validate(self._schema, document, self._rules)
        return PreparedDocument(None if errors else document, tuple(errors))


def _explain_token_limit(error: GraphQLSyntaxError, max_tokens: int | None) -> GraphQLError:
    if max_tokens is not None and "tokens" in error.message and "more than" in error.message:
        return GraphQLError(f"Query too large: more than the maximum of {max_tokens} tokens.")
    return error
