"""Platform-team workflows: custom kinds, lint, docs, overrides, kills (diff: test_diff.py)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sigdef_gen.cli import main
from sigdef_gen.journal import journal_path, recover
from sigdef_gen.rules import RULES

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
EXAMPLE = REPO / "examples" / "text_embedding" / "schemas"


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def test_custom_kind_package_builds_imports_and_passes_its_tests(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["generate", "--schemas", str(EXAMPLE), "--out", str(out), "--package", "acme_sigs", "--quiet"]) == 0
    assert {"acme_sigs/kinds/text_embedding.py", "acme_sigs/validators/text_embedding.py", "tests/test_text_embedding.py", "docs/text_embedding.md"} <= set(digest(out))
    env = {**os.environ, "PYTHONPATH": str(out)}
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(out / "tests")], capture_output=True, text=True, env=env, cwd=out)
    assert tests.returncode == 0 and " passed" in tests.stdout, tests.stdout + tests.stderr
    code = """
import acme_sigs, sigdef
sig = acme_sigs.text_embedding_signature_def(sigdef.tensor("text:0", "string", [None]), sigdef.tensor("emb:0", "float32", [None, 64]))
print(sig.method_name, acme_sigs.acme_constants.EMBED_METHOD_NAME, acme_sigs.validate_text_embedding({"methodName": "x"})[0].keyword)
"""
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.split()
    assert shown == ["acme/serving/embed", "acme/serving/embed", "required"]
    typed = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(out / "acme_sigs")], capture_output=True, text=True, env={**env, "MYPYPATH": str(REPO / "generated")})
    assert typed.returncode == 0, typed.stdout


def test_lint_clean_and_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint"]) == 0
    assert main(["lint", "--list-rules"]) == 0
    listed = capsys.readouterr().out
    assert all(rule in listed for rule in RULES)


def test_lint_reports_located_problems_as_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(EXAMPLE, schemas)
    path = schemas / "signatures" / "text_embedding.schema.json"
    doc = json.loads(path.read_text())
    doc["x-sigdef"]["kind"]["invalid_examples"].append(doc["examples"][0])  # claims invalid, is valid
    doc["properties"]["methodName"] = {"const": "acme/serving/embed"}  # repeats a constant
    path.write_text(json.dumps(doc))
    assert main(["lint", "--schemas", str(schemas)]) == 2
    out = capsys.readouterr().out
    assert "signatures/text_embedding.schema.json:/x-sigdef/kind/invalid_examples/2: EXAMPLE_ACCEPTED" in out
    assert "signatures/text_embedding.schema.json:/properties/methodName/const: CONST_REPEATED" in out
    assert main(["lint", "--schemas", str(schemas), "--format", "json"]) == 2
    rows = json.loads(capsys.readouterr().out)
    assert {r["rule"] for r in rows} == {"EXAMPLE_ACCEPTED", "CONST_REPEATED"}


def test_template_override_is_used(tmp_path: Path) -> None:
    overrides = tmp_path / "templates" / "docs"
    overrides.mkdir(parents=True)
    (overrides / "index.md.jinja").write_text("# {{ package.name }}: {{ package.kinds | length }} kinds (custom index)\n")
    out = tmp_path / "out"
    assert main(["generate", "--schemas", str(EXAMPLE), "--out", str(out), "--package", "acme_sigs", "--templates", str(tmp_path / "templates"), "--quiet"]) == 0
    assert (out / "docs" / "README.md").read_text() == "# acme_sigs: 1 kinds (custom index)\n"


def test_docs_command_writes_only_docs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["docs", "--schemas", str(EXAMPLE), "--out", str(out), "--package", "acme_sigs"]) == 0
    assert sorted(digest(out)) == [".sigdef-manifest", "docs/README.md", "docs/text_embedding.md"]


def test_sigkill_mid_run_leaves_old_output_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["generate", "--out", str(out), "--quiet"]) == 0
    old = digest(out)
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    path = schemas / "constants" / "tag_constants.schema.json"
    doc = json.loads(path.read_text())
    doc["$defs"]["SERVING"]["description"] = "Changed, so that a run has real work."
    path.write_text(json.dumps(doc))
    args = [sys.executable, "-m", "sigdef_gen", "generate", "--schemas", str(schemas), "--out", str(out), "--package", "sigdef", "--no-cache", "--quiet"]
    new: dict[str, str] | None = None
    for delay in (0.3, 0.8, 1.5, 2.2, 2.8, 3.4):
        process = subprocess.Popen(args, cwd=REPO)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = published(out)
        assert now == old or (new is not None and now == new) or _complete_new(now, old), f"partial output after {delay}s"
    assert subprocess.run(args, cwd=REPO).returncode == 0
    new = digest(out)
    assert new != old
    assert not [p for p in tmp_path.rglob("*") if ".sigdef-new-" in p.name or p.name.endswith(".sigdef-journal")]
    time.sleep(0.5)
    assert not _processes_mentioning(str(schemas)), "worker processes outlived a killed run"


def published(out: Path) -> dict[str, str]:
    """The digest of `out` once a killed run's journal is recovered (as the next run does)."""
    recover(journal_path(out))
    return digest(out)


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain `text` (Linux /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in args:
            found.append(args)
    return found


def _complete_new(now: dict[str, str], old: dict[str, str]) -> bool:
    """A finished run changes exactly the tag constants module and its docs."""
    changed = {k for k in now.keys() | old.keys() if now.get(k) != old.get(k)}
    return changed <= {"sigdef/tag_constants.py", "docs/README.md", ".sigdef-manifest"} and now.keys() == old.keys()
