"""GraphQL over HTTP, done fully: POST JSON and GET, both response media types, spec status codes.

graphql-core runs the strawberry schema directly so that parsing and validation are cached
(``DocumentCache``), whole responses can be cached (``ResponseCache``) and the status codes
follow the GraphQL-over-HTTP specification:

- ``application/graphql-response+json``: 400 when the request fails before execution (syntax,
  validation, unknown operation, variable coercion), 200 once execution started.
- ``application/json`` (older clients): 200 for every well-formed GraphQL request.
- Both: 400 for a body that is not a GraphQL request, 405 for a mutation over GET, 415 for a
  POST that is not JSON, 406 when no acceptable media type is asked for.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

import orjson
from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
)
from graphql.execution.values import get_variable_values
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from accr_graph.web.cost import TableSizes
from accr_graph.web.documents import DocumentCache
from accr_graph.web.execution import MeteredExecutor, start_meter
from accr_graph.web.graphql_multipart import is_multipart, read_multipart
from accr_graph.web.graphql_request import (
    APPLICATION_JSON,
    GRAPHQL_RESPONSE_JSON,
    GraphQLParams,
    RequestError,
    read_params,
    response_media_type,
)
from accr_graph.web.middleware import DatabaseUnavailable, is_database_outage, note
from accr_graph.web.response_cache import ResponseCache, cache_key

log = logging.getLogger("accr_graph.graphql")

ContextFactory = Callable[[Request], Awaitable[Any]]
# (document, operation, coerced variables, table sizes) -> the cost estimate
CostFunction = Callable[[Any, OperationDefinitionNode, dict[str, Any], TableSizes], int]
SizesReader = Callable[[], Awaitable[TableSizes]]
# Checks a caller may run the operation at this cost; raises RequestError (403, 429...) if not.
Admission = Callable[[Any, OperationDefinitionNode, int, Any], Awaitable[None]]
DataVersionReader = Callable[[Any], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class EndpointOptions:
    max_body_bytes: int = 1_000_000
    mask_errors: bool = True
    max_cost: int | None = None
    max_execution_seconds: float = 10.0
    max_cached_body_bytes: int = 256_000
    max_upload_bytes: int = 50_000_000


def _with_code(error: GraphQLError, code: str) -> GraphQLError:
    if not (error.extensions or {}).get("code"):
        error.extensions = {**(error.extensions or {}), "code": code}
    return error


def _request_code(error: GraphQLError) -> str:
    """Errors before execution: syntax, validation (limits apart), unknown operation."""
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED"


class GraphQLEndpoint:
    def __init__(
        self,
        schema: GraphQLSchema,
        documents: DocumentCache,
        context_factory: ContextFactory,
        ide_html: str,
        options: EndpointOptions,
        response_cache: ResponseCache | None = None,
        data_version: DataVersionReader | None = None,
        cost: CostFunction | None = None,
        admission: Admission | None = None,
        sizes: SizesReader | None = None,
    ) -> None:
        self.sizes = sizes
        self.cost = cost
        self.admission = admission
        self.schema = schema
        self.documents = documents
        self.context_factory = context_factory
        self.ide_html = ide_html
        self.options = options
        self.response_cache = response_cache
        self.data_version = data_version

    async def handle(self, request: Request) -> Response:
        if self._wants_ide(request):
            return HTMLResponse(self.ide_html)
        response = await self._answer(request)
        # Answers depend on the media type asked, the language and the caller.
        response.headers["Vary"] = "Accept, Accept-Language, Authorization, Cookie"
        return response

    async def _answer(self, request: Request) -> Response:
        media_type = APPLICATION_JSON
        try:
            media_type = response_media_type(request.headers.get("accept"))
            if is_multipart(request):  # file uploads (the `Upload` scalar)
                params = await read_multipart(request, self.options.max_upload_bytes)
            else:
                params = await read_params(request, self.options.max_body_bytes)
            return await self._handle(request, params, media_type)
        except RequestError as error:
            return Response(error.body(), error.status, error.headers, media_type)

    @staticmethod
    def _wants_ide(request: Request) -> bool:
        accept = request.headers.get("accept", "")
        return (
            request.method in ("GET", "HEAD")
            and "query" not in request.query_params
            and "text/html" in accept
        )

    async def _handle(self, request: Request, params: GraphQLParams, media_type: str) -> Response:
        prepared = self.documents.get(params.query)
        if prepared.document is None:
            return self._request_failed(prepared.errors, media_type)
        operation = get_operation_ast(prepared.document, params.operation_name)
        if operation is None:
            problem = GraphQLError(
                _operation_problem(params), extensions={"code": "OPERATION_RESOLUTION_FAILURE"}
            )
            return self._request_failed([problem], media_type)
        if params.method == "GET" and operation.operation is not OperationType.QUERY:
            raise RequestError(
                405, "Only queries may be sent with GET; use POST.", {"Allow": "POST"}
            )
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), params.variables or {}, max_errors=20
        )
        if isinstance(coerced, list):
            errors = [_with_code(e, "BAD_USER_INPUT") for e in coerced]
            return self._request_failed(errors, media_type)
        sizes = await self.sizes() if self.sizes else {}
        cost = self.cost(prepared.document, operation, coerced.coerced, sizes) if self.cost else 0
        limit = self.options.max_cost
        if limit is not None and cost > limit:
            message = (
                f"Query cost is {cost}, above the limit of {limit} (max_query_cost); "
                "ask for fewer or smaller pages."
            )
            error = GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"})
            return self._request_failed([error], media_type)
        context = await self.context_factory(request)
        note(
            request.scope,
            operation=operation.name.value if operation.name else None,
            kind=operation.operation.value,
            cost=cost,
            user_id=context.viewer.user_id,
        )
        if self.admission is not None:
            await self.admission(context, operation, cost, prepared.document)
        response = await self._execute(params, prepared.document, operation, context, media_type)
        for hook in getattr(context, "response_hooks", ()):
            hook(response)
        return response

    async def _execute(
        self,
        params: GraphQLParams,
        document: Any,
        operation: OperationDefinitionNode,
        context: Any,
        media_type: str,
    ) -> Response:
        cacheable = self.response_cache is not None and operation.operation is OperationType.QUERY
        key, version = "", 0
        if cacheable:
            assert self.response_cache is not None and self.data_version is not None
            key = cache_key(
                params.query, params.operation_name, params.variables, context.audience()
            )
            version = await self.data_version(context)
            body = self.response_cache.get(key, version)
            if body is not None:
                return Response(body, 200, media_type=media_type)
        result = await self._run(params, document, context)
        body = self._serialise(result, context)
        if cacheable and not result.errors and len(body) <= self.options.max_cached_body_bytes:
            assert self.response_cache is not None
            self.response_cache.put(key, version, body)
        return Response(body, 200, media_type=media_type)

    async def _run(self, params: GraphQLParams, document: Any, context: Any) -> ExecutionResult:
        """Execute under the field meter and the clock; a tripped limit is the only error."""
        seconds = self.options.max_execution_seconds
        meter = start_meter(self.options.max_cost, seconds)
        try:
            async with asyncio.timeout(seconds):
                result = execute(
                    self.schema,
                    document,
                    context_value=context,
                    variable_values=params.variables,
                    operation_name=params.operation_name,
                    executor_class=MeteredExecutor,
                )
                if isawaitable(result):
                    result = await result
        except TimeoutError:
            meter.trip_time()
        if meter.tripped is not None:
            code = "TIMEOUT" if "max_execution_seconds" in meter.tripped else "QUERY_TOO_COMPLEX"
            return ExecutionResult(None, [GraphQLError(meter.tripped, extensions={"code": code})])
        assert isinstance(result, ExecutionResult)
        if any(is_database_outage(e.original_error) for e in result.errors or ()):
            raise DatabaseUnavailable  # a JSON 503 for the whole request, not a masked field
        return result

    def _request_failed(self, errors: Any, media_type: str) -> Response:
        status = 400 if media_type == GRAPHQL_RESPONSE_JSON else 200
        errors = [_with_code(e, _request_code(e)) for e in errors]
        body = orjson.dumps({"errors": [e.formatted for e in errors]})
        return Response(body, status, media_type=media_type)

    def _serialise(self, result: ExecutionResult, context: Any) -> bytes:
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [self._format_error(e, context) for e in result.errors]
        return orjson.dumps(payload)

    def _format_error(self, error: GraphQLError, context: Any) -> dict[str, Any]:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            return _with_code(error, "BAD_USER_INPUT").formatted  # type: ignore[return-value]
        if not self.options.mask_errors:
            return _with_code(error, "INTERNAL").formatted  # type: ignore[return-value]
        # An unexpected exception: full trace to the log, a reference for the caller.
        request_id = getattr(context, "request_id", None) or uuid.uuid4().hex[:12]
        log.error("unexpected error (request %s)", request_id, exc_info=original)
        masked = GraphQLError(
            f"Internal server error (request id {request_id}).",
            error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )
        return masked.formatted  # type: ignore[return-value]


def _operation_problem(params: GraphQLParams) -> str:
    if params.operation_name:
        return f"Unknown operation named '{params.operation_name}'."
    return "The document holds several operations: say which one with `operationName`."
