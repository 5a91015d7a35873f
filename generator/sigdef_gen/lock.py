"""One publishing run at a time per output: an `fcntl.flock` on a file beside the output."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import Location, fail


def lock_path(out: Path) -> Path:
    """`<parent>/.<name>.sigdef-lock` for output directory `<parent>/<name>`."""
    out = out.absolute()
    return out.parent / f".{out.name}.sigdef-lock"


@contextmanager
def output_lock(out: Path, wait: bool = True) -> Iterator[None]:
    """Hold the output's lock. If another run holds it: wait for it (saying so on stderr),
    or with `wait=False` raise OUTPUT_LOCKED naming the holder's process id.

    The lock file stays (removing it would let a third run lock a different file); the
    kernel releases the lock when its holder exits, however it exits.
    """
    try:
        import fcntl
    except ImportError:  # no flock on this platform: runs are not serialized
        yield
        return
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise fail(Location(str(path)), "OUTPUT_LOCKED", f"another sigdef-gen run ({holder}) is writing {out}; try again when it ends, or leave out --no-wait to wait") from None
            print(f"sigdef-gen: waiting for {holder}, which is writing {out}", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f"pid {text}" if text.isdigit() else "pid unknown"
