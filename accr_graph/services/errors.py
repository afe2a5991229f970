"""Failures a service reports to its caller. Raised as ``ServiceFailure``; the transaction is
rolled back by the surrounding ``sessionmaker.begin()`` and the API turns them into typed errors."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Invalid:
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Missing:
    message: str
    type_name: str | None = None  # API type of the missing object, to report its global ID
    pk: int | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    message: str
    current_version: int


@dataclass(frozen=True, slots=True)
class Refused:
    message: str


Failure = Invalid | Missing | Conflict | Refused


class ServiceFailure(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure)
        self.failure = failure


def fail(failure: Failure) -> ServiceFailure:
    return ServiceFailure(failure)
