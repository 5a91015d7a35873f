"""git in throwaway repositories, with a fixed identity."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd`; its stdout (raises when git fails)."""
    command = ["git", "-c", "user.name=sigdef tests", "-c", "user.email=tests@sigdef.invalid", "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True, timeout=120).stdout
