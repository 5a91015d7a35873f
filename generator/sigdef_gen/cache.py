"""A content-addressed cache (black output, protoc output) under `.sigdef-cache/`.

Every entry stores its own key and the SHA-256 of its payload in a header line; an entry
that does not carry exactly the requested key and a matching hash (truncated, empty, swapped,
corrupt), or that its reader cannot parse, is deleted and recomputed, never used.
Tool versions belong in the key: callers pass them (see `tool_versions`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

from .files import FileRejected, discard, read_regular

T = TypeVar("T")
MAGIC = b"sigdef-cache-1"
MAX_ENTRY_BYTES = 256 * 1024 * 1024


def tool_versions(*distributions: str) -> str:
    """`name=version` of each installed distribution (`name=absent` if missing), for keys."""
    parts = []
    for name in distributions:
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=absent")
    return ",".join(parts)


class Cache:
    """Maps a key (hashed) to verified bytes; `None` directory disables caching."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    @staticmethod
    def key(*parts: str | bytes) -> str:
        digest = hashlib.sha256()
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little") + data)
        return digest.hexdigest()

    def _path(self, kind: str, key: str) -> Path:
        assert self.directory is not None
        return self.directory / kind / key[:2] / key

    def load(self, kind: str, key: str, parse: Callable[[bytes], T]) -> T | None:
        """The parsed entry, or None when absent; a bad entry is deleted and gives None."""
        if self.directory is None:
            return None
        path = self._path(kind, key)
        try:
            raw = read_regular(path, MAX_ENTRY_BYTES)
        except FileNotFoundError:
            return None
        except (OSError, FileRejected):
            self._drop(path)
            return None
        header, newline, payload = raw.partition(b"\n")
        expected = b" ".join((MAGIC, kind.encode(), key.encode(), hashlib.sha256(payload).hexdigest().encode()))
        if not newline or header != expected:
            self._drop(path)
            return None
        try:
            return parse(payload)
        except Exception:  # noqa: BLE001 - any parse failure means the entry is unusable
            self._drop(path)
            return None

    def get(self, kind: str, key: str) -> bytes | None:
        """The verified bytes of an entry, or None."""
        return self.load(kind, key, lambda payload: payload)

    def put(self, kind: str, key: str, data: bytes) -> None:
        if self.directory is None:
            return
        folder = self.directory / kind / key[:2]
        header = b" ".join((MAGIC, kind.encode(), key.encode(), hashlib.sha256(data).hexdigest().encode()))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(header + b"\n" + data)
                os.replace(tmp, folder / key)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass  # a cache that cannot be written is only slower

    @staticmethod
    def _drop(path: Path) -> None:
        try:
            discard(path)
        except OSError:
            pass  # a bad entry that cannot be deleted is still never used
