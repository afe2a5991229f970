from __future__ import annotations

from pathlib import Path

from accr_graph.db import models as m
from accr_graph.services import resources
from accr_graph.services.resources import ResourceSpec, Upload
from accr_graph.services.uow import Actor
from accr_graph.storage import LocalStorage
from tests.conftest import Database

MAX = 50 * 1024 * 1024


async def add(
    db: Database,
    actor: Actor,
    storage: LocalStorage,
    title: list[tuple[str, str]],
    *,
    abstract: list[tuple[str, str]] | None = None,
    languages: list[str] | None = None,
    visibility: m.ResourceVisibility = m.ResourceVisibility.PUBLIC,
    kind: m.ResourceKind = m.ResourceKind.STUDY,
    file: tuple[str, bytes] | None = None,
    **extra: object,
) -> m.Resource:
    spec = ResourceSpec(
        kind=kind,
        title=title,
        abstract=abstract,
        languages=languages or [title[0][0]],
        visibility=visibility,
        file=Upload(*file) if file else None,
        **extra,  # type: ignore[arg-type]
    )
    return await resources.create_resource(db.sessionmaker, actor, storage, spec, MAX)


def storage_in(folder: Path) -> LocalStorage:
    return LocalStorage(folder / "storage")
