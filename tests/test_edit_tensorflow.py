"""With TensorFlow 2.21: every `sigdef edit` action leaves a model that TF's v1 loader loads
in a Session and runs signature by signature, for TF1 Builder models, the shared
estimator-like model, and each converted to .pbtxt by TF; our text is what TF reads;
`saved_model_cli show --all` agrees with `sigdef inspect --all`. TF runs in subprocesses
(tests/tf_models.py); everything is skipped without TF."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from modelfiles import MODEL, cli

from sigdef import savedmodel
from sigdef.jsonform import signature_to_json

pytestmark = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="TensorFlow is not installed (pip install -e '.[bench-tf]')")

HELPER = Path(__file__).resolve().parent / "tf_models.py"
NAMES = ["builder", "builder_text", "estimator", "estimator_text"]
WIDTH = {"builder": 3, "estimator": 2}  # length of the float feature "x" each model parses
ACTIONS: dict[str, list[str]] = {
    "method_name": ["--signature_def", "regression", "--method_name", "tensorflow/serving/predict"],
    "rename": ["--signature_def", "predict", "--rename", "predict_renamed"],
    "remove": ["--signature_def", "classification", "--remove"],
    "from_json": ["--signature_def", "from_json", "--from_json", "-"],
    "copy_from": ["--signature_def", "copied", "--copy_from", "predict"],
}


def tf_helper(*args: str) -> Any:
    result = subprocess.run([sys.executable, str(HELPER), *args], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def width(name: str) -> int:
    return WIDTH[name.split("_")[0]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("corpus")
    tf_helper("build", str(base))
    shutil.copytree(MODEL, base / "estimator")
    shutil.copytree(MODEL, base / "estimator_text")
    tf_helper("to-text", str(base / "estimator_text"))
    models = {name: base / name for name in NAMES}
    for folder in models.values():
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    return models


@pytest.fixture(scope="module")
def runs(corpus: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every model, before and after each edit (made with the CLI), run by TF in one process."""
    edited = tmp_path_factory.mktemp("edited")
    specs, outcomes = [], {}
    for name, source in corpus.items():
        specs.append(f"{source}={width(name)}")
        for action, args in ACTIONS.items():
            folder = shutil.copytree(source, edited / f"{name}-{action}")
            regression = savedmodel.find_meta_graph(savedmodel.read(folder), "serve").signature_def["regression"]
            stdin = json.dumps(signature_to_json(regression)) if action == "from_json" else None
            result = cli("edit", "--dir", str(folder), *args, stdin=stdin)
            outcomes[f"{name}-{action}"] = (result.returncode, result.stdout + result.stderr, sorted(p.name for p in folder.iterdir()))
            specs.append(f"{folder}={width(name)}")
    results: dict[str, Any] = tf_helper("run", *specs)
    return {"results": {Path(k).name: v for k, v in results.items()}, "outcomes": outcomes}


def expected(before: dict[str, Any], action: str) -> dict[str, Any]:
    after = dict(before)
    if action == "method_name":
        after["regression/method"] = "tensorflow/serving/predict"
    elif action == "rename":
        after["predict_renamed"], after["predict_renamed/method"] = after.pop("predict"), after.pop("predict/method")
    elif action == "remove":
        del after["classification"], after["classification/method"]
    elif action == "from_json":
        after["from_json"], after["from_json/method"] = before["regression"], before["regression/method"]
    else:
        after["copied"], after["copied/method"] = before["predict"], before["predict/method"]
    return after


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("name", NAMES)
def test_edited_models_load_and_run_in_tf(corpus: dict[str, Path], runs: dict[str, Any], name: str, action: str) -> None:
    code, output, files = runs["outcomes"][f"{name}-{action}"]
    assert code == 0, output
    assert files == sorted(p.name for p in corpus[name].iterdir())  # same format, nothing added
    before = runs["results"][name]
    assert sum(isinstance(v, dict) for v in before.values()) >= 3  # signatures really ran
    assert runs["results"][f"{name}-{action}"] == expected(before, action)


def _ops_as_sets(text: str) -> tuple[list[str], list[set[str]]]:
    kept, sets = [], []
    for line in text.splitlines():
        head, sep, tail = line.partition(" contains the following ops: ")
        kept.append(head + sep)
        if sep:
            sets.append(set(ast.literal_eval(tail)) if tail != "set()" else set())
    return kept, sets


@pytest.mark.parametrize("name", ["builder_text", "estimator"])
def test_saved_model_cli_shows_the_edit(corpus: dict[str, Path], tmp_path: Path, name: str) -> None:
    folder = shutil.copytree(corpus[name], tmp_path / "m")
    assert cli("edit", "--dir", str(folder), "--signature_def", "predict", "--rename", "predict_renamed").returncode == 0
    tool = shutil.which("saved_model_cli") or str(Path(sys.executable).parent / "saved_model_cli")
    theirs = subprocess.run([tool, "show", "--dir", str(folder), "--all"], capture_output=True, text=True, timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert theirs.returncode == 0, theirs.stderr[-2000:]
    mine = cli("inspect", "--dir", str(folder), "--all")
    assert "signature_def['predict_renamed']:" in theirs.stdout
    assert _ops_as_sets(mine.stdout.strip()) == _ops_as_sets(theirs.stdout.strip())


def test_text_read_and_written_as_tf(corpus: dict[str, Path]) -> None:
    """Our read of TF's text equals TF's binary; our text is text_format's (maps sorted by
    key; TF's builder writes upb's str(): same message, another map order) and TF parses
    it to the same message."""
    checks = tf_helper("text", str(corpus["estimator"]), str(corpus["estimator_text"]), str(corpus["builder_text"]))
    assert checks == {
        "our_read_of_tf_text_equals_tf_binary": True,
        "our_text_is_text_format": True,
        "tf_parses_our_text_to_the_binary": True,
        "our_reads_equal_tf_parse": {"estimator_text": True, "builder_text": True},
    }


def test_descriptor_set_is_tensorflows() -> None:
    """runtime/tf_protos.py holds exactly TF 2.21's descriptors (tests/tf_descriptor_set.py)."""
    assert tf_helper("descriptors") is True


def test_tf2_model_fingerprint_removed_and_loads(tmp_path: Path) -> None:
    """tf.saved_model.save writes fingerprint.pb; after an edit it is gone (and said so),
    the v1 loader runs the edited signature map, and tf.saved_model.load still works."""
    folder = tmp_path / "tf2"
    tf_helper("tf2", str(folder))
    assert (folder / "fingerprint.pb").exists()
    unchanged = cli("edit", "--dir", str(folder), "--signature_def", "serving_default", "--copy_from", "serving_default")
    assert unchanged.returncode == 0 and (folder / "fingerprint.pb").exists()  # same bytes: nothing replaced
    assert unchanged.stdout.splitlines()[-1] == "Unchanged: the model file already holds this; nothing written."
    result = cli("edit", "--dir", str(folder), "--signature_def", "second", "--copy_from", "serving_default")
    assert result.returncode == 0, result.stderr
    assert "Removed fingerprint.pb" in result.stdout and not (folder / "fingerprint.pb").exists()
    checks = tf_helper("tf2-check", str(folder))
    assert {"serving_default", "second"} <= set(checks["v1_keys"])
    assert checks["second"] == [[2.0, 4.0, 6.0]]
    assert checks["tf2_signatures"] == ["serving_default"]  # the object graph does not see the edit
