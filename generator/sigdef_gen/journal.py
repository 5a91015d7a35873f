"""All of a run's file changes or none: a write-ahead journal beside the output.

`apply` writes every new file as a temporary beside its target, records the renames and
removals in the journal (the commit point), then performs them. `recover`, run first by
every publishing run, completes a committed journal or rolls back a prepared one, so a run
killed at any point leaves the old output or the new one, never a mix, once recovered.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from .errors import Location, fail
from .files import discard

VERSION = 1


def journal_path(out: Path) -> Path:
    """`<parent>/.<name>.sigdef-journal` for output directory `<parent>/<name>`."""
    out = out.absolute()
    return out.parent / f".{out.name}.sigdef-journal"


def apply(journal: Path, writes: dict[Path, bytes], removes: list[Path]) -> None:
    """Replace each `writes` target with its bytes (keeping an existing file's mode) and
    delete each `removes` path, as one transaction. The caller holds the output lock."""
    token = uuid.uuid4().hex[:12]
    temps = {target: target.with_name(f".{target.name}.sigdef-new-{token}") for target in writes}
    created = _missing_dirs(writes)
    record: dict[str, Any] = {
        "version": VERSION,
        "state": "prepared",
        "writes": [[os.fsdecode(t), os.fsdecode(p)] for p, t in temps.items()],
        "removes": [os.fsdecode(p) for p in removes],
        "dirs": [os.fsdecode(d) for d in created],
    }
    _save(journal, record)
    try:
        for directory in created:
            directory.mkdir()
        for target, data in writes.items():
            _write_temp(temps[target], target, data)
    except BaseException:
        _roll_back(record)
        journal.unlink()
        raise
    record["state"] = "committed"
    _save(journal, record)
    _roll_forward(record)
    journal.unlink()


def recover(journal: Path) -> str | None:
    """Finish what a killed run left: 'completed' or 'rolled back', or None if nothing."""
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        discard(journal.with_name(journal.name + ".tmp"))
        return None
    try:
        record = json.loads(raw)
        state = record["state"]
        if record["version"] != VERSION or state not in ("prepared", "committed"):
            raise ValueError(state)
        (_roll_forward if state == "committed" else _roll_back)(record)
    except (ValueError, KeyError, TypeError) as exc:
        raise fail(Location(str(journal)), "OUTPUT_JOURNAL", f"cannot read the journal of an interrupted run ({exc}); check the output, then delete the journal") from None
    journal.unlink()
    return "completed" if state == "committed" else "rolled back"


def _roll_forward(record: dict[str, Any]) -> None:
    for temp, target in record["writes"]:
        if os.path.lexists(temp):
            os.replace(temp, target)
    for path in record["removes"]:
        discard(Path(path))


def _roll_back(record: dict[str, Any]) -> None:
    for temp, _ in record["writes"]:
        discard(Path(temp))
    for directory in reversed(record["dirs"]):
        try:
            os.rmdir(directory)
        except OSError:
            pass  # not empty (someone else's file) or already gone


def _write_temp(temp: Path, target: Path, data: bytes) -> None:
    """Write `temp` with the mode `target` has (or the umask's default for new files)."""
    try:
        mode: int | None = os.lstat(target).st_mode & 0o7777 if target.is_file() and not target.is_symlink() else None
    except OSError:
        mode = None
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _missing_dirs(writes: dict[Path, bytes]) -> list[Path]:
    """Directories to create for the targets, parents before children."""
    missing: set[Path] = set()
    for target in writes:
        for parent in target.parents:
            if parent.is_dir():
                break
            missing.add(parent)
    return sorted(missing, key=lambda p: (len(p.parts), p))


def _save(journal: Path, record: dict[str, Any]) -> None:
    temp = journal.with_name(journal.name + ".tmp")
    temp.write_text(json.dumps(record, indent=1), encoding="utf-8")
    os.replace(temp, journal)

