"""Webhook deliveries by the Standard Webhooks specification (https://www.standardwebhooks.com):
``webhook-id``, ``webhook-timestamp`` and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"id.timestamp.body">`` with a ``whsec_`` secret, and the address checks that keep the platform
from being used to reach private networks."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

SECRET_PREFIX = "whsec_"
MAX_URL = 2000
# Cloud metadata services: never reachable through a webhook, whatever the address class.
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": "ACCR-Graph-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }


class UnsafeUrl(ValueError):
    """The URL is malformed or leads to an address webhooks may not reach."""


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address in METADATA
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_syntax(url: str) -> str:
    """The host of an http(s) URL without credentials; UnsafeUrl otherwise."""
    if len(url) > MAX_URL or any(c.isspace() for c in url):
        raise UnsafeUrl("must be an http or https URL of at most 2000 characters, no spaces")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("must be an http or https URL")
    if parts.username or parts.password:
        raise UnsafeUrl("must not carry a user name or password")
    try:
        _ = parts.port
    except ValueError:
        raise UnsafeUrl("has an invalid port") from None
    return parts.hostname


async def check_url(url: str, allow_private: bool) -> None:
    """Refuse URLs resolving to loopback, private, link-local or metadata addresses."""
    host = check_syntax(url)
    if allow_private:
        return
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeUrl(f"the host {host!r} cannot be resolved") from None
    for *_, sockaddr in found:
        if _forbidden(ipaddress.ip_address(sockaddr[0])):
            raise UnsafeUrl("leads to a private, loopback, link-local or metadata address")


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status: int | None
    error: str | None


async def post(
    client: httpx.AsyncClient, url: str, secret: str, message_id: str, timestamp: int, body: bytes
) -> Outcome:
    """POST one delivery; 2xx is a success, anything else (or no answer in time) a failure."""
    try:
        response = await client.post(
            url, content=body, headers=headers(secret, message_id, timestamp, body)
        )
    except httpx.HTTPError as error:
        return Outcome(False, None, f"{type(error).__name__}: {error}"[:500])
    if 200 <= response.status_code < 300:
        return Outcome(True, response.status_code, None)
    return Outcome(False, response.status_code, f"HTTP {response.status_code}")
