"""`sigdef-gen diff`: the corpus of schema change pairs, the report's shape, --against a git ref."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from diff_corpus import PAIRS, Pair, apply
from sigdef_gen.cli import main
from sigdef_gen.diff import Options, compare
from sigdef.diff_rules import BREAKING, CHANGE_RULES, Change
from sigdef.diff_schema import changes_of
from sigdef_gen.load import load_schema_set

REPO = Path(__file__).resolve().parents[1]
BASES = {"te": REPO / "examples" / "text_embedding" / "schemas", "bundled": REPO / "schemas"}


def pair_dirs(tmp_path: Path, case: Pair) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    for root, patch in ((old, case.old), (new, case.new)):
        shutil.copytree(BASES[case.base], root)
        apply(root, patch)
    return old, new


def test_corpus_has_30_pairs_of_every_sort() -> None:
    assert len(PAIRS) >= 30
    assert len({p.name for p in PAIRS}) == len(PAIRS)
    assert sum(p.breaking for p in PAIRS) >= 15 and sum(not p.breaking for p in PAIRS) >= 10
    assert all(r in CHANGE_RULES for p in PAIRS for r in p.rules)


def reference_kinds(root: Path) -> dict[str, tuple[Any, Draft202012Validator]]:
    """jsonschema (not sigdef's compiler) for each kind of a schema directory: its document and validator."""
    schemas = load_schema_set(root)
    registry: Registry[Any] = Registry().with_resources((d.uri, Resource.from_contents(d.data)) for d in schemas.docs)
    return {
        d.data["x-sigdef"]["kind"]["name"]: (d, Draft202012Validator(d.data, registry=registry))
        for d in schemas.own
        if "kind" in d.data.get("x-sigdef", {})
    }


@pytest.mark.parametrize("case", PAIRS, ids=[p.name for p in PAIRS])
def test_pair_is_classified_as_expected(tmp_path: Path, case: Pair) -> None:
    old, new = pair_dirs(tmp_path, case)
    changes = compare(old, new)
    rules = {c.rule for c in changes}
    assert rules == case.rules, "\n".join(map(str, changes))
    assert any(c.breaking for c in changes) == case.breaking
    for c in changes:
        assert c.file and (c.category == BREAKING) == c.breaking
    # Every old example that jsonschema, applying the new schemas, rejects is reported with its pointers.
    before, after = reference_kinds(old), reference_kinds(new)
    for kind, (doc, _) in before.items():
        if kind not in after:
            continue
        for i, example in enumerate(doc.data.get("examples", ())):
            pointers = {"/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in e.absolute_path) if e.absolute_path else "" for e in after[kind][1].iter_errors(example)}
            reported = {c.instance for c in changes if c.rule == "DOCUMENT_REJECTED" and (c.file, c.pointer) == (doc.path, f"/examples/{i}")}
            assert reported == pointers, (kind, i)


def test_every_rejected_old_example_is_reported_with_its_pointer(tmp_path: Path) -> None:
    case = next(p for p in PAIRS if p.name.startswith("method name constant changed"))
    old, new = pair_dirs(tmp_path, case)
    rejected = [c for c in compare(old, new) if c.rule == "DOCUMENT_REJECTED" and c.pointer.startswith("/examples/")]
    examples = json.loads((old / "signatures" / "text_embedding.schema.json").read_text())["examples"]
    assert {c.pointer for c in rejected} == {f"/examples/{i}" for i in range(len(examples))}
    assert {c.instance for c in rejected} == {"/methodName"} and {c.old for c in rejected} == {"acme/serving/embed"}


def test_generated_documents_are_deterministic_and_bounded(tmp_path: Path) -> None:
    case = next(p for p in PAIRS if p.name.startswith("priority minimum 0 -> 1"))
    old, new = pair_dirs(tmp_path, case)
    first = compare(old, new, Options(samples=40, seed=3))
    assert first == compare(old, new, Options(samples=40, seed=3))
    generated = [c for c in first if c.rule == "DOCUMENT_REJECTED"]
    assert generated and all(c.instance == "/priority" and c.old == 0 for c in generated)
    assert "of 40 documents generated" in generated[0].message or "of 3" in generated[0].message
    assert not [c for c in compare(old, new, Options(samples=0)) if c.rule == "DOCUMENT_REJECTED"]


def test_message_changed_shows_both_texts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = next(p for p in PAIRS if p.name == "check message changed")
    old, new = pair_dirs(tmp_path, case)
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert 'MESSAGE_CHANGED [breaking]' in out
    assert '(old: "Text embedding `text` cannot be None."; new: "`text` is required.")' in out
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "file": "signatures/text_embedding.schema.json",
            "pointer": "/x-sigdef/kind/builder/checks/0/message",
            "rule": "MESSAGE_CHANGED",
            "category": "breaking",
            "breaking": True,
            "instance": None,
            "message": "text_embedding_signature_def's check EMBED_TEXT_NONE says something else",
            "old": "Text embedding `text` cannot be None.",
            "new": "`text` is required.",
        }
    ]


def test_removed_output_reports_old_value_and_pointer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = PAIRS[0]
    old, new = pair_dirs(tmp_path, case)
    assert main(["diff", str(old), str(new), "--format", "json", "--samples", "20"]) == 1
    rows = json.loads(capsys.readouterr().out)
    removed = [r for r in rows if r["rule"] == "OUTPUT_REMOVED"]
    assert removed and removed[0]["instance"] == "/outputs/classes"
    example = [r for r in rows if r["rule"] == "DOCUMENT_REJECTED" and r["pointer"] == "/examples/0"]
    assert example and example[0]["instance"] == "/outputs" and "classes" in example[0]["old"]


def test_list_rules_and_compatible_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--list-rules"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == list(CHANGE_RULES)
    case = next(p for p in PAIRS if p.name == "tier enum gains platinum")
    old, new = pair_dirs(tmp_path, case)
    assert main(["diff", str(old), str(new)]) == 0
    assert "ENUM_WIDENED [compatible] at /tier" in capsys.readouterr().out


def test_generic_engine_on_plain_schemas() -> None:
    """No sigdef annotations: the narrowing comparison works on any JSON Schema."""
    rules = lambda old, new: sorted(c.rule for c in changes_of(old, new))  # noqa: E731
    assert rules({"type": "string"}, {"type": "string", "minLength": 2}) == ["BOUND_TIGHTENED"]
    assert rules({"items": {"type": "integer"}}, {"items": {"type": "number"}}) == ["TYPE_WIDENED"]
    assert rules({"prefixItems": [{}, {}]}, {"prefixItems": [{}, {}], "items": False}) == ["ITEMS_CLOSED"]
    assert rules({"properties": {"a": {}}, "additionalProperties": False}, {"properties": {"b": {}}, "additionalProperties": False}) == ["PROPERTY_RENAMED"]
    assert rules({"type": "string", "pattern": "^a+$"}, {"type": "string", "pattern": "^a{1,3}$"}) == ["PATTERN_NARROWED"]
    assert rules({"type": "string", "pattern": "^a{1,3}$"}, {"type": "string", "pattern": "^a+$"}) == ["PATTERN_WIDENED"]
    assert rules({"$defs": {"n": {"maximum": 3}}, "$ref": "#/$defs/n"}, {"$defs": {"n": {"maximum": 2}}, "$ref": "#/$defs/n"}) == ["BOUND_TIGHTENED"]
    assert rules({"dependentRequired": {"a": ["b"]}}, {}) == ["REQUIRED_REMOVED"]
    change = next(iter(changes_of({"enum": [1, 2]}, {"enum": [1]})))
    assert (change.rule, change.old, change.new, change.instance) == ("ENUM_NARROWED", [1, 2], 1, "")


def test_model_contract_rules_come_from_refinement() -> None:
    """A contract written as a SignatureDef-shaped schema maps onto the model-diff rule IDs."""
    from sigdef.diff_rules import SIGNATURE_REFINEMENTS, refine

    def contract(dtype: str, dims: list[dict[str, object]], outputs: list[str]) -> dict[str, object]:
        tensor = {"type": "object", "properties": {"dtype": {"const": dtype}, "tensorShape": {"properties": {"dim": {"prefixItems": dims, "minItems": len(dims), "maxItems": len(dims)}}}}}
        return {
            "properties": {
                "inputs": {"properties": {"x": tensor}, "required": ["x"], "additionalProperties": False},
                "outputs": {"properties": {o: {} for o in outputs}, "additionalProperties": False},
            }
        }

    any_dim, fixed = {"properties": {"size": {"type": "string"}}}, {"properties": {"size": {"const": "3"}}}
    base = contract("DT_FLOAT", [any_dim, any_dim], ["y", "z"])
    cases = {
        "DTYPE_CHANGED": contract("DT_INT64", [any_dim, any_dim], ["y", "z"]),
        "DIM_NARROWED": contract("DT_FLOAT", [any_dim, fixed], ["y", "z"]),
        "OUTPUT_REMOVED": contract("DT_FLOAT", [any_dim, any_dim], ["y"]),
    }
    for rule, new in cases.items():
        assert [c.rule for c in refine(changes_of(base, new), SIGNATURE_REFINEMENTS)] == [rule]
    ranks = {c.rule for c in refine(changes_of(base, contract("DT_FLOAT", [any_dim], ["y", "z"])), SIGNATURE_REFINEMENTS)}
    assert "RANK_CHANGED" in ranks


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def committed_repo(root: Path) -> Path:
    """A fresh git repository holding a copy of the text_embedding schemas, committed."""
    repo = root / "acme"
    shutil.copytree(BASES["te"], repo / "schemas")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "schemas")
    return repo


def test_against_head_reads_the_repository_it_runs_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    repo = committed_repo(tmp_path)
    case = next(p for p in PAIRS if p.name.startswith("embedding width fixed to 128"))
    apply(repo / "schemas", case.new)
    monkeypatch.chdir(repo)
    assert main(["diff", "--against", "HEAD", "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert {r["rule"] for r in rows} == {"DIM_NARROWED", "DOCUMENT_REJECTED"}
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    assert main(["diff", "--against", "HEAD", "--schemas", "../schemas"]) == 1
    assert "DIM_NARROWED" in capsys.readouterr().out
    monkeypatch.chdir(repo)
    git(repo, "commit", "-qam", "fixed width")
    assert main(["diff", "--against", "HEAD"]) == 0
    assert main(["diff", "--against", "HEAD~1"]) == 1
    assert "DIM_NARROWED" in capsys.readouterr().out
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True)
    assert status.stdout == "?? sub/\n" or status.stdout == ""  # nothing written into the repository


def test_against_from_the_command_line(tmp_path: Path) -> None:
    """The installed entry point, in another team's repository: no sigdef checkout involved."""
    repo = committed_repo(tmp_path)
    apply(repo / "schemas", next(p for p in PAIRS if p.name == "check message changed").new)
    result = subprocess.run([sys.executable, "-m", "sigdef_gen", "diff", "--against", "HEAD"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 1 and "MESSAGE_CHANGED [breaking]" in result.stdout and "KIND_REMOVED" not in result.stdout
    assert result.stderr == "sigdef-gen diff: 1 breaking, 0 compatible\n"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--against", "no-such-ref"], "'no-such-ref' is not a commit"),
        (["--against", "HEAD", "--schemas", "elsewhere"], "elsewhere"),
        (["--against", "HEAD", "--schemas", "/"], "is not inside the git repository"),
        (["old", "new", "--against", "HEAD"], "either OLD NEW or --against"),
        (["--samples", "-1", "a", "b"], "--samples"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], expected: str) -> None:
    repo = committed_repo(tmp_path)
    monkeypatch.chdir(repo)
    before = sorted(p.name for p in repo.iterdir())
    assert main(["diff", *args]) == 2
    err = capsys.readouterr().err
    assert expected in err and len(err.strip().splitlines()) == 1, err
    assert sorted(p.name for p in repo.iterdir()) == before


def test_against_outside_a_repository_and_missing_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(BASES["te"], tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["diff", "--against", "HEAD"]) == 2
    assert "not a git repository" in capsys.readouterr().err
    git(tmp_path, "init", "-q")
    (tmp_path / "README").write_text("x")
    git(tmp_path, "add", "README")
    git(tmp_path, "commit", "-qm", "no schemas yet")
    assert main(["diff", "--against", "HEAD"]) == 2
    assert "schemas/ does not exist at HEAD" in capsys.readouterr().err


def test_change_text_form() -> None:
    change = Change("CONST_CHANGED", "a.schema.json", "/properties/x/const", "the pinned value changed", "a", "b", "/x")
    assert str(change) == 'a.schema.json:/properties/x/const: CONST_CHANGED [breaking] at /x the pinned value changed (old: "a"; new: "b")'


def test_against_head_in_this_checkout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """In sigdef's own repository the default --schemas is ./schemas, compared with itself at HEAD."""
    status = subprocess.run(["git", "status", "--porcelain", "--", "schemas"], cwd=REPO, capture_output=True, text=True)
    if status.returncode != 0:
        pytest.skip("not a git checkout")
    monkeypatch.chdir(REPO)
    code = main(["diff", "--against", "HEAD"])
    out = capsys.readouterr().out
    if not status.stdout.strip():
        assert (code, out) == (0, "")
    else:
        assert code in (0, 1) and "KIND_REMOVED" not in out


def test_report_is_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    case = next(p for p in PAIRS if p.name.startswith("classify outputs require"))
    old, new = pair_dirs(tmp_path, case)
    runs = {
        subprocess.run([sys.executable, "-m", "sigdef_gen", "diff", str(old), str(new), "--samples", "30"], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "4242")
    }
    assert len(runs) == 1 and "REQUIRED_ADDED" in runs.pop()


@pytest.mark.parametrize("pattern", ["^a{100000}$", "(a|b)*c{2,}$", "[^\\W\\d]+", "(?=x)y", "((((((((((a))))))))))+", "\\p"])
def test_strings_from_hostile_patterns_are_bounded(pattern: str) -> None:
    import random

    from sigdef.diff_strings import string_for

    rng = random.Random(0)
    for _ in range(50):
        text = string_for([pattern], 0, None, rng)
        assert text is None or len(text) < 10_000
    assert string_for([], 10**9, None, rng) is None
    assert len(string_for([], 2, 10**9, rng) or "") <= 2 + 64


def test_branchy_schemas_are_compared_within_a_bound() -> None:
    """anyOf inside anyOf multiplies sub-comparisons: the engine stops and says so."""
    import time

    def nest(depth: int, leaf: dict[str, object]) -> dict[str, object]:
        schema = leaf
        for _ in range(depth):
            schema = {"anyOf": [{"properties": {"a": schema}}, {"properties": {"b": schema}}, {"properties": {"c": schema}}]}
        return schema

    start = time.perf_counter()
    changes = list(changes_of(nest(8, {"type": "string"}), nest(8, {"type": "integer"})))
    assert time.perf_counter() - start < 60
    assert "COMPARISON_CUT" in {c.rule for c in changes} and any(c.breaking for c in changes)
