"""libpq-style ``sslmode`` / ``sslrootcert`` URL parameters, translated for asyncpg.

Hosting platforms hand out URLs like ``postgres://…/db?sslmode=require``; asyncpg takes an
``ssl`` argument instead (and SQLAlchemy passes unknown query parameters on as keyword
arguments, which asyncpg refuses with a TypeError).
"""

from __future__ import annotations

import ssl
from typing import Any

from sqlalchemy.engine import make_url

LIBPQ_ONLY = ("sslmode", "sslrootcert", "sslcert", "sslkey")
MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def _context(mode: str, root_cert: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=root_cert)
    context.check_hostname = mode == "verify-full"
    return context


def split_ssl(url: str) -> tuple[str, dict[str, Any]]:
    """The URL without libpq's SSL parameters, and asyncpg's connect arguments for them."""
    parsed = make_url(url)
    query = dict(parsed.query)
    mode = str(query.get("sslmode", "")).lower()
    root_cert = query.get("sslrootcert")
    cert, key = query.get("sslcert"), query.get("sslkey")
    if not any(name in query for name in LIBPQ_ONLY):
        return url, {}
    if mode and mode not in MODES:
        raise ValueError(f"sslmode={mode!r} is not one of {', '.join(MODES)}")
    stripped = parsed.difference_update_query(LIBPQ_ONLY).render_as_string(hide_password=False)
    if mode in ("", "disable", "allow", "prefer", "require") and not (root_cert or cert):
        return stripped, ({"ssl": mode} if mode else {})
    context = _context(mode or "verify-full", str(root_cert) if root_cert else None)
    if mode == "require":  # libpq: with a root certificate, "require" verifies like verify-ca
        context.check_hostname = False
    if cert:
        context.load_cert_chain(str(cert), str(key) if key else None)
    return stripped, {"ssl": context}
