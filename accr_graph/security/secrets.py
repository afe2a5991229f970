"""Random secrets for API tokens and browser sessions: shown once, stored only as a hash.

The secrets carry 256 bits of randomness, so a fast hash (SHA-256) is enough to store them:
there is nothing to brute-force as there is with a password.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "accr_"


def new_secret(prefix: str = TOKEN_PREFIX) -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    """The first characters, so a person can tell their tokens apart in a list."""
    return secret[: len(TOKEN_PREFIX) + 6]
