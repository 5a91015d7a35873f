"""With TensorFlow 2.21: every `sigdef edit` action on models written by TF itself (TF1 Builder,
`tf.saved_model.save` of tf.Modules and of Keras models, Keras `model.export`), each also
converted to `.pbtxt` by TF, leaves a model that TF's v1 loader loads in a Session and runs
signature by signature with the outputs it had before the edit, and that `saved_model_cli
show --all` shows with the edit exactly as `sigdef inspect --all` does (ops and dict keys
compared as sets). TF runs in subprocesses; everything is skipped without TF."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from modelfiles import cli
from tf_written_models import MODELS, _build_all, normalize, saved_model_cli, sigdef_inspect

from sigdef import savedmodel
from sigdef.jsonform import signature_to_json

pytestmark = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="TensorFlow is not installed (pip install -e '.[bench-tf]')")

HELPER = Path(__file__).resolve().parent / "tf_models.py"
TEXT = ("tf1_builder", "tf2_module", "keras_export")  # also converted to saved_model.pbtxt by TF
# TF Serving's own test-data models, where SIGDEF_TF_SERVING_TESTDATA names a copy of its
# `servables/tensorflow/testdata` directory (the repository does not carry other projects' files).
SERVING = os.environ.get("SIGDEF_TF_SERVING_TESTDATA", "")


def _tf(*args: str) -> Any:
    result = subprocess.run([sys.executable, str(HELPER), *args], capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _key(folder: Path) -> str:
    """The signature each action edits: serving_default, else the first user signature."""
    keys = sorted(k for k in savedmodel.find_meta_graph(savedmodel.read(folder), "serve").signature_def if not k.startswith("__"))
    return "serving_default" if "serving_default" in keys else keys[0]


def _actions(key: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    """action -> (edit arguments, {signature in the edited model: the original it must run as}).
    All with --force: TF-written signatures need not pass validate's rules (tf.saved_model.save
    of a function without inputs makes a predict signature TF's own builder would refuse)."""
    return {
        "method_name": (["--signature_def", key, "--method_name", "tensorflow/serving/regress", "--force"], {key: key}),
        "rename": (["--signature_def", key, "--rename", "renamed", "--force"], {"renamed": key}),
        "remove": (["--signature_def", key, "--remove", "--force"], {}),
        "from_json": (["--signature_def", "from_json", "--from_json", "-", "--force"], {"from_json": key, key: key}),
        "copy_from": (["--signature_def", "copied", "--copy_from", key, "--force"], {"copied": key, key: key}),
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("tf_written")
    _build_all(base)
    models = {name: base / name for name in MODELS}
    if SERVING:
        for model in sorted(Path(SERVING).glob("*/*/saved_model.pb")):
            name = f"{model.parent.parent.name}_{model.parent.name}"  # MODEL_VERSION
            models[name] = shutil.copytree(model.parent, base / name)
    for name in TEXT:
        text = shutil.copytree(base / name, base / f"{name}_text")
        _tf("to-text", str(text))
        models[f"{name}_text"] = text
    return models


@pytest.fixture(scope="module")
def edited(corpus: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each model after each action (made with the CLI), and what TF runs of all of them."""
    root = tmp_path_factory.mktemp("edited")
    cases: dict[str, Any] = {}
    for name, source in corpus.items():
        key = _key(source)
        for action, (args, sources) in _actions(key).items():
            folder = shutil.copytree(source, root / f"{name}-{action}")
            signature = savedmodel.find_meta_graph(savedmodel.read(folder), "serve").signature_def[key]
            stdin = json.dumps(signature_to_json(signature)) if action == "from_json" else None
            result = cli("edit", "--dir", str(folder), *args, stdin=stdin)
            cases[f"{name}-{action}"] = {"model": name, "folder": folder, "result": result, "key": key, "sources": sources, "action": action}
    folders = [*corpus.values(), *(c["folder"] for c in cases.values())]
    runs = _tf("run", *(f"{folder}=3" for folder in folders))
    return {"cases": cases, "runs": {Path(k).name: v for k, v in runs.items()}}


def test_every_edit_succeeds_in_the_models_own_format(edited: dict[str, Any]) -> None:
    for case_name, case in edited["cases"].items():
        assert case["result"].returncode == 0, (case_name, case["result"].stderr)
        files = {p.name for p in case["folder"].iterdir()}
        text = case["model"].endswith("_text")
        assert ("saved_model.pbtxt" in files, "saved_model.pb" in files) == (text, not text), (case_name, files)


def test_tf_loads_and_runs_every_edited_signature_as_before(edited: dict[str, Any]) -> None:
    runs = edited["runs"]
    for case_name, case in edited["cases"].items():
        before, after = runs[case["model"]], runs[case["folder"].name]
        expected = {k: v for k, v in before.items() if not k.endswith("/method") and k != case["key"]}
        for new, old in case["sources"].items():
            expected[new] = before[old]
        got = {k: v for k, v in after.items() if not k.endswith("/method")}
        if case["model"].startswith("saved_model_counter"):
            # stateful signatures (a counter variable): values depend on the order they run in
            assert {k: isinstance(v, str) for k, v in got.items()} == {k: isinstance(v, str) for k, v in expected.items()}, case_name
            continue
        assert got == expected, case_name
        if case["action"] == "method_name":
            assert after[f"{case['key']}/method"] == "tensorflow/serving/regress"


def test_saved_model_cli_shows_the_edit_as_inspect_does(edited: dict[str, Any]) -> None:
    for case_name, case in edited["cases"].items():
        theirs = normalize(saved_model_cli(case["folder"]))
        assert theirs == normalize(sigdef_inspect(case["folder"])), case_name
        shown = "\n".join(theirs)
        for new in case["sources"]:
            assert f"signature_def['{new}']" in shown, (case_name, new)
        if case["action"] in ("rename", "remove"):
            assert f"signature_def['{case['key']}']" not in shown, case_name
