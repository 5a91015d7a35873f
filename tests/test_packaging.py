"""The generator from a wheel, in a team's own repository (issue 15's "done when").

A wheel built from the checkout is installed into a fresh venv outside it; in an empty git
repository holding a copy of examples/text_embedding/schemas the installed `sigdef-gen`
lints, generates, writes docs and diffs against a git ref, and the generated package
imports and passes its generated tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from gitrepo import git
from datafiles import REPO, SAVEDMODELS

pytestmark = pytest.mark.packaging

EXAMPLE = REPO / "examples" / "text_embedding" / "schemas"


def run(*command: str | Path, cwd: Path, env: dict[str, str], status: int = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == status, f"{command}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout (its bin directory)."""
    root = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
    return root / "bin"


def clean_env(bin_dir: Path, home: Path) -> dict[str, str]:
    """The environment of a user of that venv: no checkout on sys.path, caches under `home`."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SIGDEF_CACHE_DIR")}
    return {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "XDG_CACHE_HOME": str(home / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def test_wheel_carries_the_bundled_sources(wheel: Path, source_repo: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        bundled = {n.removeprefix("sigdef_gen/bundled/") for n in archive.namelist() if n.startswith("sigdef_gen/bundled/")}
        licenses = [n for n in archive.namelist() if n.endswith("licenses/LICENSE")]
    sources = set(git(source_repo, "ls-files", "schemas", "templates", "runtime").split())
    assert bundled == sources
    assert "schemas/meta.schema.json" in bundled and licenses


def test_sigdef_gen_without_the_extra_names_it(wheel: Path, venv: Path, tmp_path: Path) -> None:
    env = clean_env(venv, tmp_path)
    run(venv / "pip", "install", "-q", wheel, cwd=tmp_path, env=env)
    for args in ([], ["--help"], ["lint"], ["--version"]):
        result = run(venv / "sigdef-gen", *args, cwd=tmp_path, env=env, status=2)
        assert result.stdout == "" and len(result.stderr.splitlines()) == 1 and "pip install 'sigdef[gen]'" in result.stderr, result.stderr
    assert run(venv / "sigdef", "--version", cwd=tmp_path, env=env).stdout.strip() == f"sigdef {metadata.version('sigdef')}"


def test_team_repository_workflow_from_the_wheel(wheel: Path, venv: Path, tmp_path: Path) -> None:
    env = clean_env(venv, tmp_path)
    pytest_pin = f"pytest=={metadata.version('pytest')}"
    run(venv / "pip", "install", "-q", f"{wheel}[gen]", pytest_pin, cwd=tmp_path, env=env)
    team = tmp_path / "team"
    team.mkdir()
    git(team, "init", "-q")
    run(sys.executable, "-c", f"import shutil; shutil.copytree({str(EXAMPLE)!r}, 'schemas')", cwd=team, env=env)
    git(team, "add", "-A")
    git(team, "commit", "-q", "-m", "our kinds")
    gen = venv / "sigdef-gen"
    assert run(gen, "--version", cwd=team, env=env).stdout.strip() == f"sigdef-gen {metadata.version('sigdef')}"

    run(gen, "lint", "--schemas", "schemas", cwd=team, env=env)
    run(gen, "lint", "--schemas", "schemas", "schemas/signatures/text_embedding.schema.json", cwd=team, env=env)
    run(gen, "generate", "--schemas", "schemas", "--out", "out", "--package", "acme_sigs", cwd=team, env=env)
    run(gen, "check", "--schemas", "schemas", "--out", "out", "--package", "acme_sigs", cwd=team, env=env)
    docs = run(gen, "docs", "--schemas", "schemas", "--out", "out", "--package", "acme_sigs", cwd=team, env=env)
    assert "0 written" in docs.stdout and (team / "out" / "docs" / "text_embedding.md").is_file()
    # Nothing but the output (and generate's lock file beside it) lands in the team's
    # repository: the cache lives under XDG_CACHE_HOME.
    status = git(team, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert any(line.startswith("?? out/") for line in status)
    assert all(line.startswith(("?? out/", "?? .out.sigdef-lock")) for line in status), status

    # The generated package imports from the install (sigdef from site-packages) and passes its tests.
    pkg_env = {**env, "PYTHONPATH": str(team / "out")}
    tests = run(venv / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "out/tests", cwd=team, env=pkg_env)
    assert " passed" in tests.stdout and "failed" not in tests.stdout
    code = "import acme_sigs, sigdef; print(sigdef.__file__); print(acme_sigs.text_embedding_signature_def(sigdef.tensor('t:0', 'string', [None]), sigdef.tensor('e:0', 'float32', [None, 8])).method_name)"
    where, method = run(venv / "python", "-c", code, cwd=team, env=pkg_env).stdout.split()
    assert method == "acme/serving/embed" and Path(where).is_relative_to(venv.parent)

    # diff --against reads schemas/ of this repository at the ref: first an uncommitted change...
    constants = team / "schemas" / "constants" / "acme_constants.schema.json"
    doc = json.loads(constants.read_text("utf-8"))
    doc["$defs"]["EMBED_METHOD_NAME"]["const"] = "acme/serving/embed_v2"
    constants.write_text(json.dumps(doc, indent=2) + "\n", "utf-8")
    changed = run(gen, "diff", "--against", "HEAD", "--schemas", "schemas", cwd=team, env=env, status=1)
    assert "acme/serving/embed_v2" in changed.stdout and "EMBED_METHOD_NAME" in changed.stdout
    # ...then, committed, HEAD has it (no change) and HEAD~1 does not; from a subdirectory too.
    git(team, "commit", "-q", "-am", "rename the method")
    unchanged = run(gen, "diff", "--against", "HEAD", "--schemas", "schemas", cwd=team, env=env)
    assert unchanged.stdout == "" and "0 breaking, 0 compatible" in unchanged.stderr
    again = run(gen, "diff", "--against", "HEAD~1", "--schemas", ".", cwd=team / "schemas", env=env, status=1)
    assert again.stdout == changed.stdout

    # `sigdef validate --schemas` (the team's kinds on top of the bundled ones) from the install.
    model = SAVEDMODELS / "tf1_estimator_like"
    run(venv / "sigdef", "validate", "--dir", model, "--schemas", "schemas", cwd=team, env=env)


def test_sdist_holds_every_source_file(source_repo: Path, tmp_path: Path) -> None:
    """What rebuilds and tests everything: every file of the repository, plus metadata."""
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path), str(source_repo)], capture_output=True, text=True, check=True, timeout=300)
    (sdist,) = tmp_path.glob("sigdef-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name and not archive.getmember(name).isdir()}
    tracked = set(git(source_repo, "ls-files").split("\n")) - {""}
    assert tracked <= names, sorted(tracked - names)
    extra = {n for n in names - tracked if not n.startswith("sigdef.egg-info/")}
    assert extra <= {"PKG-INFO", "setup.cfg"} and "PKG-INFO" in names, extra  # tracked already when the sources are an sdist
