"""Make the tests/ helpers importable as plain modules; shared fixtures."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datafiles import REPO  # noqa: E402
from gitrepo import git  # noqa: E402

# What a checkout holds that is not the project: environments, caches, build output.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv*", "__pycache__", ".sigdef-cache", ".sigdef-staging-*", "build", "dist", "*.egg-info", ".mypy_cache", ".pytest_cache", ".hypothesis")


@pytest.fixture(scope="session")
def source_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's sources as they are now (uncommitted edits included), committed in a
    fresh git repository outside the checkout: what a wheel is built from and pre-commit clones."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    src = tmp_path_factory.mktemp("sigdef-src") / "sigdef"
    shutil.copytree(REPO, src, ignore=NOT_SOURCES, symlinks=True)
    git(src, "init", "-q")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "sigdef sources under test")
    return src


@pytest.fixture(scope="session")
def wheel(source_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the sources (no build isolation: the dev extra brings `build`)."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source_repo)], capture_output=True, text=True, check=True, timeout=300)
    (built,) = dist.glob("sigdef-*.whl")
    return built
