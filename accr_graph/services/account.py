"""The signed-in user's account: who is asking (for the page header) and their preferences."""

from __future__ import annotations

from dataclasses import dataclass

from accr_graph.repositories import account
from accr_graph.services.errors import Invalid, Refused, fail
from accr_graph.services.uow import Actor, Database, unit_of_work
from accr_graph.viewer import Viewer


@dataclass(frozen=True, slots=True)
class Identity:
    """What every page shows about the reader: name, centre, language, what awaits an answer."""

    user_id: int
    display_name: str
    email: str
    language: str | None
    centre_slug: str | None
    centre_name: str | None
    pending: int


async def identity(db: Database, viewer: Viewer) -> Identity | None:
    """None for anonymous readers and API tokens of deleted users."""
    if viewer.user_id is None:
        return None
    async with db() as session:
        user, centre = await account.user_with_centre(session, viewer.user_id)
        pending = await account.pending_answers(session, centre.id) if centre else 0
    return Identity(
        user_id=user.id,
        display_name=user.display_name,
        email=user.email,
        language=user.language,
        centre_slug=centre.slug if centre else None,
        centre_name=centre.name if centre else None,
        pending=pending,
    )


async def set_language(
    db: Database, actor: Actor, language: str | None, available: tuple[str, ...]
) -> None:
    """Save (or with None, forget) the language the pages use for the signed-in user."""
    user_id = actor.viewer.user_id
    if user_id is None:
        raise fail(Refused("Sign in to save a language preference."))
    if language is not None and language not in available:
        raise fail(Invalid("language", f"choose among {', '.join(available)}"))
    async with unit_of_work(db, actor, "setLanguage") as uow:
        user = await account.user_by_id(uow.session, user_id)
        if user is None:
            raise fail(Refused("Sign in to save a language preference."))
        user.language = language
        uow.changed(user, ["language"])
