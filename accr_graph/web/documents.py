"""Parsed and validated documents, cached by their text.

Validation is most of a small request's cost, and strawberry's depth/alias extensions disable
its cache (DESIGN.md, known pitfalls), so every rule, limits included, runs here once per
distinct document. The cache is bounded in entries and in (estimated) bytes: a parsed document
takes about AST_BYTES_PER_CHAR bytes per character of its text (measured with tracemalloc on
graphql-core 3.3), so twenty 1 MB documents cannot pin gigabytes.
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

AST_BYTES_PER_CHAR = 120
TOO_MANY_ERRORS = "Validation aborted."


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
        max_bytes: int = 64_000_000,
    ) -> None:
        self._schema = schema
        self._rules = (*specified_rules, *extra_rules)
        self._max_tokens = max_tokens
        self._size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[str, PreparedDocument] = OrderedDict()

    def get(self, query: str) -> PreparedDocument:
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
            return entry
        entry = self._prepare(query)
        weight = len(query) * AST_BYTES_PER_CHAR
        if weight <= self.max_bytes // 4:  # one huge document may not flush everything else
            self._entries[query] = entry
            self.bytes += weight
            self._evict()
        return entry

    def _evict(self) -> None:
        while self._entries and (len(self._entries) > self._size or self.bytes > self.max_bytes):
            query, _ = self._entries.popitem(last=False)
            self.bytes -= len(query) * AST_BYTES_PER_CHAR

    def __len__(self) -> int:
        return len(self._entries)

    def _prepare(self, query: str) -> PreparedDocument:
        try:
            document = parse(query, max_tokens=self._max_tokens)
        except GraphQLSyntaxError as error:
            return PreparedDocument(None, (_explain_token_limit(error, self._max_tokens),))
        errors = [_explain_abort(e) for e in validate(self._schema, document, self._rules)]
        return PreparedDocument(None if errors else document, tuple(errors))


def _explain_abort(error: GraphQLError) -> GraphQLError:
    if TOO_MANY_ERRORS in error.message:
        return GraphQLError(
            "The document has more than 100 validation errors; fix the first ones and send it "
            "again (the rest were not checked)."
        )
    return error


def _explain_token_limit(error: GraphQLSyntaxError, max_tokens: int | None) -> GraphQLError:
    if max_tokens is not None and "tokens" in error.message and "more than" in error.message:
        return GraphQLError(
            f"Query too large: more than the maximum of {max_tokens} tokens (max_tokens).",
            extensions={"code": "QUERY_TOO_COMPLEX"},
        )
    return error
