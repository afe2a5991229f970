"""Where uploaded files live: a small interface with a local-folder default (``ACCR_STORAGE_DIR``).

Keys are random (never derived from a file's name or a resource's number), so nothing can be
fetched by guessing; files are served only through the access-checked download route. Another
backend (an S3 bucket...) implements the same three methods.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path
from typing import Protocol

from accr_graph.settings import Settings


class Storage(Protocol):
    async def put(self, data: bytes) -> str:
        """Store the bytes under a new key and return the key."""
        ...

    async def get(self, key: str) -> bytes:
        """The bytes stored under the key; FileNotFoundError when gone."""
        ...

    async def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files in a folder, two levels of fan-out; written to a temporary name, then renamed."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not (len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            raise FileNotFoundError(key)  # never a path from outside
        return self.root / key[:2] / key

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    async def put(self, data: bytes) -> str:
        key = secrets.token_hex(32)
        await asyncio.to_thread(self._write, key, data)
        return key

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)


def storage_for(settings: Settings) -> Storage:
    return LocalStorage(settings.storage_dir)
