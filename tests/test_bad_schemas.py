"""tests/bad_schemas/: each broken schema directory makes `sigdef-gen generate` exit 2 with a
located message (`file:/pointer: RULE ...`), no traceback, and leaves existing output as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from sigdef_gen.cli import main

HERE = Path(__file__).resolve().parent
CORPUS = sorted(p for p in (HERE / "bad_schemas").iterdir() if p.is_dir())
EXAMPLE = HERE.parent / "examples" / "text_embedding" / "schemas"


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def existing_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("existing") / "out"
    assert main(["generate", "--schemas", str(EXAMPLE), "--out", str(out), "--package", "acme_sigs", "--quiet"]) == 0
    return out


def generate_broken(schemas: Path, existing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out = tmp_path / "out"
    shutil.copytree(existing, out)
    before = digest(out)
    code = main(["generate", "--schemas", str(schemas), "--out", str(out), "--package", "acme_sigs"])
    captured = capsys.readouterr()
    assert code == 2, captured.out + captured.err
    assert "Traceback" not in captured.err
    assert digest(out) == before, "existing output changed"
    assert not [p for p in tmp_path.rglob("*") if ".sigdef-new-" in p.name or p.name.endswith(".sigdef-journal")]
    return captured.err


def test_corpus_is_large() -> None:
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("case", CORPUS, ids=[p.name for p in CORPUS])
def test_bad_schema_dir(case: Path, existing_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = (case / "expected.txt").read_text().strip()
    err = generate_broken(case / "schemas", existing_output, tmp_path, capsys)
    assert expected in err, err
    for line in err.strip().splitlines():
        assert line.startswith("error: ") and ": " in line[7:], line


@pytest.mark.parametrize("case", CORPUS, ids=[p.name for p in CORPUS])
def test_lint_reports_exactly_what_generate_reports(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """lint and generate run the same rules: the same problem lines, both exit 2."""
    schemas = str(Path(case) / "schemas")
    assert main(["generate", "--schemas", schemas, "--out", str(tmp_path / "out"), "--package", "acme_sigs"]) == 2
    generated = sorted(line.removeprefix("error: ") for line in capsys.readouterr().err.strip().splitlines())
    assert main(["lint", "--schemas", schemas, "--package", "acme_sigs"]) == 2
    assert sorted(capsys.readouterr().out.strip().splitlines()) == generated


def test_fifty_megabyte_schema(existing_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(EXAMPLE, schemas)
    big = schemas / "signatures" / "big.schema.json"
    with big.open("w") as handle:
        handle.write('{"description": "')
        handle.write("x" * (50 * 1024 * 1024))
        handle.write('"}')
    err = generate_broken(schemas, existing_output, tmp_path / "run", capsys)
    assert "signatures/big.schema.json:/: LOAD file is" in err
