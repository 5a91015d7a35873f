"""Reading input files safely (regular files only, never more than a stated size), and
deleting files safely (never a directory)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRejected(Exception):
    """The path is not a regular file, or is larger than the limit (the message says which)."""


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path` (symlinks followed) if it is a regular file of at most `limit` bytes.

    Opened non-blocking, so a FIFO or device never blocks; raises FileRejected or OSError.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise FileRejected(f"is {what}, not a regular file")
        if info.st_size > limit:
            raise FileRejected(f"file is {info.st_size} bytes; the limit is {limit}")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileRejected(f"file grew past the limit of {limit} bytes while being read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_prefix(path: Path, size: int) -> bytes | None:
    """The first `size` bytes of `path` if it is a regular file (never blocks), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        return os.read(fd, size) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except OSError:
        return None
    finally:
        os.close(fd)


def discard(path: Path) -> None:
    """Delete the file or symlink at `path` (a directory stays); a missing path is fine."""
    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink()
    except (FileNotFoundError, NotADirectoryError):
        pass  # nothing there (or a file where a parent directory should be)
