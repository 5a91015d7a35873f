"""Helpers for tests on SavedModel files: the shared model, CLI runs, directory snapshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sigdef.wire import length_delimited as field
from sigdef.wire import varint_bytes as varint

MODELS = Path(os.environ.get("SIGDEF_SAVEDMODELS", Path(__file__).resolve().parent / "data" / "conformance" / "savedmodels"))
MODEL = MODELS / "tf1_estimator_like"


def cli(*args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sigdef", *args], capture_output=True, text=True, timeout=timeout, input=stdin)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str | None]]:
    """Every entry under `folder` (hidden ones too): mode and content (or link target)."""
    result: dict[str, tuple[int, bytes | str | None]] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            info = os.lstat(path)
            if path.is_symlink():
                result[str(path.relative_to(folder))] = (info.st_mode, os.readlink(path))
            elif path.is_file():
                result[str(path.relative_to(folder))] = (info.st_mode, path.read_bytes())
            else:
                result[str(path.relative_to(folder))] = (info.st_mode, None)
    return result


def copy_model(tmp_path: Path, name: str = "m") -> Path:
    """A writable copy of the shared TF1 estimator-like model."""
    import shutil

    target = tmp_path / name
    shutil.copytree(MODEL, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target
