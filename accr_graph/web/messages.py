"""Texts that reach pages from elsewhere (services, auth), marked for the `web` catalog.

Services speak English to every adapter; the pages translate the messages they show through
the catalog, so each such message is listed here for ``pybabel extract`` (keyword ``N_``).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """The gettext convention for "mark for extraction, do not translate here"."""
    return message


SERVICE_MESSAGES = (
    N_("Wrong e-mail or password."),
    N_("must not be empty"),
    N_("needs a text in at least one language"),
    N_("The object changed while you were saving it."),
    N_("Sign in (or send an API token) to make changes."),
)
