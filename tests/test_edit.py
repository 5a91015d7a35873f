"""`sigdef edit` and the edit functions of sigdef.savedmodel (issue 14 items 2 and 4): each
action, each bad input (exit 2, model directory byte-identical), refusals (exit 1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from modelfiles import MODEL, cli, copy_model, snapshot

import sigdef
from sigdef import savedmodel
from sigdef.protos import SavedModel, SignatureDef

CLASSIFY = "tensorflow/serving/classify"
CLASSIFIABLE = {  # a predict signature that TF Serving's Classify API can run (TF #38081)
    "methodName": "tensorflow/serving/predict",
    "inputs": {"inputs": {"name": "input_example_tensor:0", "dtype": "DT_STRING", "tensorShape": {"dim": [{"size": "-1"}]}}},
    "outputs": {"scores": {"name": "head/probabilities:0", "dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "-1"}, {"size": "3"}]}}},
}


def edit(folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return cli("edit", "--dir", str(folder), *args, stdin=stdin)


def serve_signatures(folder: Path) -> dict[str, SignatureDef]:
    return dict(savedmodel.find_meta_graph(savedmodel.read(folder), "serve").signature_def)


@pytest.fixture()
def model(tmp_path: Path) -> Path:
    return copy_model(tmp_path)


def test_method_name_fixes_a_predict_export_for_classify(model: Path, tmp_path: Path) -> None:
    (tmp_path / "sig.json").write_text(json.dumps(CLASSIFIABLE))
    assert edit(model, "--signature_def", "cls", "--from_json", str(tmp_path / "sig.json")).returncode == 0
    result = edit(model, "--signature_def", "cls", "--method_name", CLASSIFY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert serve_signatures(model)["cls"].method_name == CLASSIFY
    assert cli("validate", "--dir", str(model)).returncode == 0


def test_rename(model: Path) -> None:
    before = serve_signatures(model)
    assert edit(model, "--signature_def", "predict", "--rename", "predict_v2").returncode == 0
    after = serve_signatures(model)
    assert "predict" not in after and after["predict_v2"] == before["predict"]
    assert set(after) == set(before) - {"predict"} | {"predict_v2"}


def test_remove(model: Path) -> None:
    assert edit(model, "--signature_def", "classification", "--remove").returncode == 0
    assert "classification" not in serve_signatures(model)


def test_from_json_file_and_stdin(model: Path, tmp_path: Path) -> None:
    (tmp_path / "sig.json").write_text(json.dumps(CLASSIFIABLE))
    assert edit(model, "--signature_def", "from_file", "--from_json", str(tmp_path / "sig.json")).returncode == 0
    assert edit(model, "--signature_def", "from_stdin", "--from_json", "-", stdin=json.dumps(CLASSIFIABLE)).returncode == 0
    signatures = serve_signatures(model)
    expected = savedmodel.signature_from_json(CLASSIFIABLE)
    assert signatures["from_file"] == expected and signatures["from_stdin"] == expected
    replacement = dict(CLASSIFIABLE, methodName=CLASSIFY)
    assert edit(model, "--signature_def", "from_file", "--from_json", "-", stdin=json.dumps(replacement)).returncode == 0
    assert serve_signatures(model)["from_file"].method_name == CLASSIFY


def test_copy_from(model: Path) -> None:
    assert edit(model, "--signature_def", "predict_copy", "--copy_from", "predict").returncode == 0
    signatures = serve_signatures(model)
    assert signatures["predict_copy"] == signatures["predict"]


def test_dry_run_prints_before_and_after_and_writes_nothing(model: Path) -> None:
    before = snapshot(model)
    result = edit(model, "--signature_def", "predict", "--rename", "p2", "--dry_run")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    shown = cli("inspect", "--dir", str(model), "--tag_set", "serve", "--signature_def", "predict").stdout.splitlines()
    assert lines[0] == "Before: signature_def['predict']:"
    assert lines[1 : 1 + len(shown)] == ["  " + line for line in shown]
    assert lines[1 + len(shown)] == "After: signature_def['p2']:"
    assert lines[-1] == "Dry run: nothing written."
    assert snapshot(model) == before
    removed = edit(model, "--signature_def", "classification", "--remove", "--dry_run", "--format", "json")
    document = json.loads(removed.stdout)
    assert document["after"] == {"key": "classification", "signature_def": None} and document["written"] is None
    assert document["before"]["signature_def"]["methodName"] == CLASSIFY
    assert snapshot(model) == before


def test_output_dir_copies_the_whole_model(model: Path, tmp_path: Path) -> None:
    (model / "assets").mkdir()
    (model / "assets" / "vocab.txt").write_text("a\nb\n")
    (model / "assets.extra").mkdir()
    (model / "assets.extra" / "tf_serving_warmup_requests").write_bytes(b"\x00\x01")
    before = snapshot(model)
    out = tmp_path / "out"
    result = edit(model, "--signature_def", "predict", "--remove", "--output_dir", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["written"] == str(out / "saved_model.pb")
    assert snapshot(model) == before
    copied = snapshot(out)
    assert {k: v for k, v in copied.items() if k != "saved_model.pb"} == {k: v for k, v in before.items() if k != "saved_model.pb"}
    assert "predict" not in serve_signatures(out) and "predict" in serve_signatures(model)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert edit(model, "--signature_def", "predict", "--remove", "--output_dir", str(empty)).returncode == 0
    assert "predict" not in serve_signatures(empty)
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_refused_by_the_checks_exit_1_and_force(model: Path) -> None:
    before = snapshot(model)
    result = edit(model, "--signature_def", "predict", "--method_name", CLASSIFY)
    assert result.returncode == 1
    # as `sigdef validate` prints findings: the tag set first
    assert "[serve] predict: CLASSIFY_INPUT_KEY No classification inputs found in SignatureDef (keys: ['examples'])" in result.stdout.splitlines()
    assert snapshot(model) == before
    result = edit(model, "--signature_def", "serving_default", "--remove")
    assert result.returncode == 1 and result.stdout.startswith("[serve] serving_default: SERVING_DEFAULT_MISSING")
    assert snapshot(model) == before
    forced = edit(model, "--signature_def", "predict", "--method_name", CLASSIFY, "--force")
    assert forced.returncode == 0, forced.stderr
    assert serve_signatures(model)["predict"].method_name == CLASSIFY


BAD_ARGUMENTS = {
    "missing-key-method": (["--signature_def", "nope", "--method_name", CLASSIFY], "no signature 'nope' in MetaGraph ['serve']"),
    "missing-key-rename": (["--signature_def", "nope", "--rename", "x"], "no signature 'nope'"),
    "missing-key-remove": (["--signature_def", "nope", "--remove"], "no signature 'nope'"),
    "missing-copy-source": (["--signature_def", "x", "--copy_from", "nope"], "no signature 'nope'"),
    "rename-onto-existing": (["--signature_def", "predict", "--rename", "regression"], "signature 'regression' already exists"),
    "empty-method-name": (["--signature_def", "predict", "--method_name", ""], "method name must be a non-empty string"),
    "unknown-tag-set": (["--tag_set", "gpu", "--signature_def", "predict", "--remove"], "MetaGraphDef associated with tag-set gpu could not be found"),
    "invalid-json": (["--signature_def", "x", "--from_json", "{bad"], "not valid JSON"),
    "non-utf8-json": (["--signature_def", "x", "--from_json", "latin1"], "not UTF-8 (byte 19)"),
    "duplicate-key-json": (["--signature_def", "x", "--from_json", "dup"], "duplicate key 'methodName'"),
    "array-json": (["--signature_def", "x", "--from_json", "array"], "a SignatureDef is a JSON object, not list"),
    "unknown-field-json": (["--signature_def", "x", "--from_json", "unknown"], "not a SignatureDef"),
    "missing-json-file": (["--signature_def", "x", "--from_json", "absent"], "no such file or directory"),
    "output-dir-inside": (["--signature_def", "predict", "--remove", "--output_dir", "<model>/variables/out"], "must lie outside the model directory"),
    "output-dir-equal": (["--signature_def", "predict", "--remove", "--output_dir", "<model>"], "must lie outside the model directory"),
    "output-dir-not-empty": (["--signature_def", "predict", "--remove", "--output_dir", "<full>"], "exists and is not empty"),
}


@pytest.mark.parametrize("name", sorted(BAD_ARGUMENTS))
def test_bad_arguments_exit_2_and_change_nothing(model: Path, tmp_path: Path, name: str) -> None:
    args, message = BAD_ARGUMENTS[name]
    inputs = {"{bad": b"{bad", "latin1": b'{"methodName": "caf\xe9"}', "dup": b'{"methodName": "a", "methodName": "b"}', "array": b"[]", "unknown": b'{"methodName": "a", "bogus": 1}'}
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("keep")
    resolved = []
    for arg in args:
        if arg in inputs:
            (tmp_path / "in.json").write_bytes(inputs[arg])
            arg = str(tmp_path / "in.json")
        elif arg == "absent":
            arg = str(tmp_path / "absent.json")
        resolved.append(arg.replace("<model>", str(model)).replace("<full>", str(full)))
    before, outside = snapshot(model), snapshot(tmp_path)
    result = edit(model, *resolved)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert snapshot(model) == before and snapshot(tmp_path) == outside


@pytest.fixture()
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A model whose directory this process cannot write: mode 0555, or for root (who
    writes anyway) the immutable attribute."""
    model = copy_model(tmp_path)
    model.chmod(0o555)
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(model)], capture_output=True).returncode:
            pytest.skip("running as root without chattr +i: no way to make a directory read-only")
    try:
        yield model
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(model)], check=True)
        model.chmod(0o755)


def test_read_only_model_directory_exit_2(read_only: Path) -> None:
    before = snapshot(read_only)
    result = edit(read_only, "--signature_def", "predict", "--remove")
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr in (f"error: {read_only}/saved_model.pb: cannot write: {why}\n" for why in ("permission denied", "operation not permitted"))
    assert snapshot(read_only) == before


# --- the Python API ----------------------------------------------------------------------


def test_failed_set_signature_leaves_no_empty_signature() -> None:
    model = savedmodel.read(MODEL)
    before = model.SerializeToString(deterministic=True)
    with pytest.raises(TypeError):
        savedmodel.set_signature(model, "serve", "new", "not a SignatureDef")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        savedmodel.set_signature(model, "serve", "", SignatureDef())
    with pytest.raises(KeyError):
        savedmodel.set_signature(model, "gpu", "new", SignatureDef())
    assert model.SerializeToString(deterministic=True) == before


def test_refused_edit_leaves_model_unchanged() -> None:
    model = savedmodel.read(MODEL)
    before = model.SerializeToString(deterministic=True)
    bad = sigdef.predict_signature_def({"x": sigdef.tensor("x:0", "float32", [None])}, {"y": sigdef.tensor("y:0", "float32", [None])})
    bad.method_name = CLASSIFY
    with pytest.raises(savedmodel.SignatureRefused) as caught:
        savedmodel.set_signature(model, "serve", "serving_default", bad)
    assert {f.rule for f in caught.value.findings} >= {"CLASSIFY_INPUT_KEY", "CLASSIFY_OUTPUT_KEYS"}
    assert all(f.signature == "serving_default" for f in caught.value.findings)
    for action in (
        lambda: savedmodel.set_method_name(model, "serve", "predict", "acme/unknown"),
        lambda: savedmodel.rename_signature(model, "serve", "serving_default", "other"),
        lambda: savedmodel.remove_signature(model, "serve", "serving_default"),
        lambda: savedmodel.set_signature(model, "serve", "other", bad),
    ):
        with pytest.raises(savedmodel.SignatureRefused):
            action()
        assert model.SerializeToString(deterministic=True) == before
    savedmodel.set_signature(model, "serve", "serving_default", bad, force=True)
    assert savedmodel.find_meta_graph(model, "serve").signature_def["serving_default"] == bad


def test_copy_model_api(tmp_path: Path) -> None:
    model = savedmodel.read(MODEL)
    savedmodel.remove_signature(model, "serve", "predict")
    written = savedmodel.copy_model(MODEL, tmp_path / "copy", model)
    assert written == tmp_path / "copy" / "saved_model.pb"
    assert savedmodel.read(written) == model
    assert (tmp_path / "copy" / "variables" / "variables.index").read_bytes() == (MODEL / "variables" / "variables.index").read_bytes()
    assert isinstance(savedmodel.read(tmp_path / "copy"), SavedModel)


def test_concurrent_edits_all_land(model: Path) -> None:
    """Eight edits of one model at once: each runs on what the one before wrote (the model
    file is locked while it is read, edited and replaced), so no edit is lost."""
    procs = [subprocess.Popen([sys.executable, "-m", "sigdef", "edit", "--dir", str(model), "--signature_def", f"copy{i}", "--copy_from", "predict"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for i in range(8)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    assert {f"copy{i}" for i in range(8)} <= set(serve_signatures(model))
    assert sorted(os.listdir(model)) == ["saved_model.pb", "variables"]
