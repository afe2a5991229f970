"""Fixtures of the meetings tests."""

from tests.hub.fixtures import network_db  # noqa: F401
