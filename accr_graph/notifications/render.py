"""Texts in the reader's language: one sentence per notification, and whole e-mails (plain text
and HTML from Jinja2 templates, strings from the ``notifications`` gettext domain)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment, PackageLoader, select_autoescape

from accr_graph.i18n import pick
from accr_graph.notifications.kinds import kind_of
from accr_graph.translations import DEFAULT_LANGUAGE, available_languages, translations

UNSUBSCRIBE_SALT = "accr-unsubscribe"
UNSUBSCRIBE_DAYS = 365


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "…"  # a placeholder the event did not fill: never a crash, never a raw key


def language(preferred: str | None) -> str:
    """A language we have catalogs for: the preferred one, else the ACCR's default."""
    return preferred if preferred in available_languages() else DEFAULT_LANGUAGE


def sentence(kind: str, payload: Mapping[str, Any], lang: str) -> str:
    """The notification's one-sentence text in ``lang``."""
    values = _Values()
    for key, value in payload.items():
        values[key] = pick(value, lang) if isinstance(value, dict) else str(value)
    template = translations(lang).gettext(kind_of(kind).text)
    return template % values


def link(public_url: str, object_type: str | None, object_id: int | None) -> str:
    """Where the notification leads on the web app (the inbox when the object has no page)."""
    base = public_url.rstrip("/")
    if object_type == "Fair" and object_id:
        return f"{base}/fairs/{object_id}/schedule"
    return f"{base}/inbox"


# --- unsubscribe tokens ---------------------------------------------------------------------------


def unsubscribe_token(secret: str, user_id: int, kind: str) -> str:
    return URLSafeTimedSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps([user_id, kind])


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str] | None:
    """``(user id, kind)`` of a valid token; None when forged, altered or too old."""
    serializer = URLSafeTimedSerializer(secret, salt=UNSUBSCRIBE_SALT)
    try:
        user_id, kind = serializer.loads(token, max_age=UNSUBSCRIBE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind


# --- e-mails ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    link: str


@dataclass(frozen=True, slots=True)
class Email:
    subject: str
    text: str
    html: str


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("accr_graph", "templates/notifications"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def email(
    lang: str,
    name: str,
    items: Sequence[Item],
    urls: Mapping[str, str],
    digest: bool,
) -> Email:
    """An e-mail for one notification or a digest of several, in ``lang``."""
    env = _environment()
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    context = {"lang": lang, "name": name, "items": items, "urls": urls, "digest": digest}
    gettext = translations(lang).gettext
    if digest:
        subject = gettext("[ACCR] Your digest: %(count)s new notifications") % {"count": len(items)}
    else:
        subject = "[ACCR] " + items[0].text
    return Email(
        subject=subject[:200],
        text=env.get_template("email.txt").render(context),
        html=env.get_template("email.html").render(context),
    )
