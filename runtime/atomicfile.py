"""Replace a file atomically, safely beside other writers: a locked temporary file in the
same directory, fsync, rename, fsync of the directory; the replaced file's mode and owner
kept. Temporaries are named `.<name>.<16 hex>.tmp` and locked (flock) while in use, so a
later replace removes those of killed writers and never those of live ones.

Errors are plain `OSError`s; callers name the file.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any

__all__ = ["fsync_dir", "lock", "locked", "remove_stale", "replace", "temp_name"]

CHUNK = 1 << 20


def replace(target: Path, produce: Callable[[IO[bytes]], Any], *, around_rename: Callable[[], AbstractContextManager[None]] = nullcontext, stale: tuple[str, ...] = ()) -> bool:
    """Write `target` with `produce(handle)`; False if its content was already that (the
    file is then left untouched). `around_rename` wraps the rename; `stale` names other
    files whose dead temporaries are removed too. The temporary is removed on every
    failure this process survives."""
    folder = target.parent
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    tmp, fd = _create_temp(folder, target.name)
    try:
        remove_stale(folder, (target.name, *stale))
        with open(fd, "wb", closefd=False) as handle:
            produce(handle)
            handle.flush()
            os.fsync(fd)
        if old is not None:
            _keep_mode_and_owner(fd, old)
            if _same_content(tmp, target):
                os.unlink(tmp)
                return False
        with around_rename():
            os.replace(tmp, target)
            fsync_dir(folder)
        return True
    except BaseException:
        _discard(tmp, fd)
        raise
    finally:
        os.close(fd)


def temp_name(name: str) -> str:
    """A fresh temporary name for `name`, in the pattern remove_stale recognises."""
    return f".{name}.{secrets.token_hex(8)}.tmp"


def _temp_pattern(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(f".{name}.") + r"[0-9a-f]{16}\.tmp")


def _create_temp(folder: Path, name: str) -> tuple[Path, int]:
    """A new temporary file (mode 0666 less the umask, as any new file), locked by us."""
    while True:
        tmp = folder / temp_name(name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        lock(fd, blocking=True)
        if _is_same_file(tmp, fd):  # not removed as stale between open and lock
            return tmp, fd
        os.close(fd)


def lock(fd: int, blocking: bool) -> bool:
    """flock(LOCK_EX) on `fd`; without blocking, False if another holds it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no stale-temporary cleanup
        return blocking
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _is_same_file(path: Path, fd: int) -> bool:
    try:
        return os.path.samestat(os.lstat(path), os.fstat(fd))
    except OSError:
        return False


def remove_stale(folder: Path, names: tuple[str, ...]) -> None:
    """Remove the temporaries of these names whose writer is gone (their lock is free)."""
    patterns = [_temp_pattern(name) for name in names]
    for entry in os.scandir(folder):
        if not any(p.fullmatch(entry.name) for p in patterns):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode) and lock(fd, blocking=False) and _is_same_file(Path(entry.path), fd):
                os.unlink(entry.path)
        finally:
            os.close(fd)


def _keep_mode_and_owner(fd: int, old: os.stat_result) -> None:
    os.fchmod(fd, stat.S_IMODE(old.st_mode))
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (old.st_uid, old.st_gid) or not hasattr(os, "fchown"):
        return
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.fchown(fd, uid, gid)
            break
        except OSError:
            continue
    os.fchmod(fd, stat.S_IMODE(old.st_mode))  # chown may clear setuid/setgid bits


def _same_content(a: Path, b: Path) -> bool:
    try:
        if os.stat(a).st_size != os.stat(b).st_size:
            return False
        with open(a, "rb") as first, open(b, "rb") as second:
            while True:
                x, y = first.read(CHUNK), second.read(CHUNK)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (where directories can be fsynced)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not supported here (e.g. Windows)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _discard(tmp: Path, fd: int) -> None:
    if _is_same_file(tmp, fd):
        try:
            os.unlink(tmp)
        except OSError:
            pass


@contextmanager
def locked(file: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock (flock) on `file` itself while a read-modify-replace runs, so
    that such runs take turns, each reading what the one before wrote; when the file was
    replaced while we waited, the new one is locked. No lock file is created."""
    path = Path(file)
    while True:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        lock(fd, blocking=True)
        try:
            current = os.stat(path)
        except OSError:
            break  # gone: reading it will say so
        if os.path.samestat(current, os.fstat(fd)):
            break
        os.close(fd)  # replaced while we waited: lock the new file
    try:
        yield
    finally:
        os.close(fd)
