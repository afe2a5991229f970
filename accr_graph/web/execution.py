"""Execution that counts the fields it resolves and stops at a field count or a deadline.

The cost estimate refuses expensive documents before execution; this meter is the backstop
that holds whatever the estimate missed, and the clock that keeps one request's CPU work from
starving the others (and ``/healthz``): graphql-core resolves synchronous fields without
yielding to the event loop, so a timer cannot interrupt it, but the executor can look at the
clock as it goes.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError
from graphql.execution.incremental.incremental_executor import IncrementalExecutor

CLOCK_EVERY = 128  # fields between two looks at the clock (time.monotonic costs ~50 ns)


@dataclass
class Meter:
    max_fields: int | None
    deadline: float  # time.monotonic() value
    seconds: float
    resolved: int = 0
    tripped: str | None = field(default=None)  # the limit hit, once hit

    def count(self) -> None:
        self.resolved += 1
        if self.tripped is None:
            self._check()
        if self.tripped is not None:
            raise GraphQLError(self.tripped, extensions={"code": "QUERY_TOO_EXPENSIVE"})

    def _check(self) -> None:
        if self.max_fields is not None and self.resolved > self.max_fields:
            self.tripped = (
                f"The query resolved more than {self.max_fields} fields "
                "(max_query_cost); ask for fewer or smaller pages."
            )
        elif self.resolved % CLOCK_EVERY == 0 and time.monotonic() > self.deadline:
            self.trip_time()

    def trip_time(self) -> None:
        self.tripped = (
            f"The query ran longer than {self.seconds:g} s (max_execution_seconds); "
            "ask for fewer or smaller pages."
        )


_METER: contextvars.ContextVar[Meter | None] = contextvars.ContextVar("accr_meter", default=None)


def start_meter(max_fields: int | None, seconds: float) -> Meter:
    """A meter for the execution about to start in this task (and the tasks it spawns)."""
    meter = Meter(max_fields, time.monotonic() + seconds, seconds)
    _METER.set(meter)
    return meter


class MeteredExecutor(IncrementalExecutor):
    def execute_field(self, *args: Any, **kwargs: Any) -> Any:
        meter = _METER.get()
        if meter is not None:
            meter.count()
        return super().execute_field(*args, **kwargs)
