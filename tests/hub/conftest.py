"""Fixtures of the hub tests."""

from tests.hub.fixtures import network_db  # noqa: F401
