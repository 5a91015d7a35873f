"""A content-addressed cache (black output, protoc output) under `.sigdef-cache/`."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class Cache:
    """Maps a key (hashed) to bytes; `None` directory disables caching."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    @staticmethod
    def key(*parts: str | bytes) -> str:
        digest = hashlib.sha256()
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little") + data)
        return digest.hexdigest()

    def get(self, kind: str, key: str) -> bytes | None:
        if self.directory is None:
            return None
        try:
            return (self.directory / kind / key[:2] / key).read_bytes()
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes) -> None:
        if self.directory is None:
            return
        folder = self.directory / kind / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, folder / key)
        except OSError:
            pass  # a cache that cannot be written is only slower
