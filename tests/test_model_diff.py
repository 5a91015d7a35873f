"""`sigdef diff OLD_MODEL NEW_MODEL`: the model-version corpus, classified; CLI behaviour."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from model_pairs import FIXTURES, PAIRS, build_pairs
from sigdef import savedmodel
from sigdef.modeldiff import diff_models


def _classify(folder: Path) -> tuple[set[str], bool]:
    changes = diff_models(savedmodel.read(folder / "old"), savedmodel.read(folder / "new"))
    return {c.rule for c in changes}, any(c.breaking for c in changes)


def test_corpus_has_at_least_20_pairs() -> None:
    assert len(PAIRS) >= 20
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(PAIRS)


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_recorded_pair_is_classified(name: str) -> None:
    _, _, rules, breaking = PAIRS[name]
    assert _classify(FIXTURES / name) == (rules, breaking)


def test_pairs_rebuilt_with_tensorflow_are_classified_alike(tmp_path: Path) -> None:
    pytest.importorskip("tensorflow")
    build_pairs(tmp_path)
    for name, (_, _, rules, breaking) in PAIRS.items():
        assert _classify(tmp_path / name) == (rules, breaking), name


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sigdef", "diff", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["unchanged", "input_dim_widened", "signature_removed", "output_renamed"])
def test_cli_exit_codes_and_reports(name: str) -> None:
    _, _, rules, breaking = PAIRS[name]
    old, new = str(FIXTURES / name / "old"), str(FIXTURES / name / "new")
    text = _cli(old, new)
    assert text.returncode == (1 if breaking else 0), text.stderr
    assert text.stdout.splitlines()[-1].endswith(" compatible")
    report = _cli(old, new, "--format", "json")
    assert report.returncode == text.returncode
    changes = json.loads(report.stdout)
    assert {c["rule"] for c in changes} == rules
    assert all({"rule", "category", "breaking", "message", "old", "new", "instance", "file"} <= set(c) for c in changes)


def test_reports_show_old_and_new_values() -> None:
    report = _cli(str(FIXTURES / "input_dtype_changed" / "old"), str(FIXTURES / "input_dtype_changed" / "new"), "--format", "json")
    (change,) = json.loads(report.stdout)
    assert (change["rule"], change["file"], change["instance"], change["old"], change["new"]) == ("DTYPE_CHANGED", "scores", "/inputs/x/dtype", "DT_FLOAT", "DT_DOUBLE")


def test_list_rules_shares_sigdef_gen_ids() -> None:
    listed = _cli("--list-rules")
    assert listed.returncode == 0
    ids = {line.split()[0] for line in listed.stdout.splitlines()}
    model_rules = {"SIGNATURE_REMOVED", "DEFAULT_SIGNATURE_CHANGED", "METHOD_NAME_CHANGED", "INPUT_ADDED", "INPUT_REMOVED", "DTYPE_CHANGED", "RANK_CHANGED", "DIM_NARROWED", "DIM_WIDENED", "OUTPUT_REMOVED", "OUTPUT_RENAMED"}
    assert model_rules <= ids
    generator = subprocess.run([sys.executable, "-m", "sigdef_gen", "diff", "--list-rules"], capture_output=True, text=True, timeout=120)
    assert ids == {line.split()[0] for line in generator.stdout.splitlines() if line.strip()}


@pytest.mark.parametrize("args", [["/nonexistent/a", "/nonexistent/b"], [str(FIXTURES / "unchanged" / "old")]])
def test_bad_arguments_exit_2(args: list[str]) -> None:
    result = _cli(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_tag_set_exit_2() -> None:
    result = _cli(str(FIXTURES / "unchanged" / "old"), str(FIXTURES / "unchanged" / "new"), "--tag_set", "train")
    assert result.returncode == 2 and "train" in result.stderr and "Traceback" not in result.stderr
