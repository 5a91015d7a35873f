"""With TensorFlow 2.21: every `sigdef edit` action leaves a model that TF's v1 loader loads
in a Session and runs signature by signature, for TF1 Builder models, the shared
estimator-like model, and each converted to .pbtxt by TF; text written as TF writes it;
`saved_model_cli show --all` agrees with `sigdef inspect --all`. Skipped without TF."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from modelfiles import MODEL, cli

tf = pytest.importorskip("tensorflow")

from sigdef import savedmodel  # noqa: E402
from sigdef.jsonform import signature_to_json  # noqa: E402

v1 = tf.compat.v1


def build_model(folder: Path, as_text: bool) -> Path:
    """A TF1 Builder model with the four classic signatures (examples parsed with defaults)."""
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        serialized = v1.placeholder(tf.string, [None], name="input_example_tensor")
        parsed = v1.parse_example(serialized, {"x": v1.FixedLenFeature([3], tf.float32, default_value=[1.0, 2.0, 3.0])})["x"]
        weights = v1.get_variable("w", initializer=tf.constant([[0.5, -1.0], [1.5, 2.0], [-0.25, 0.75]]))
        y = tf.nn.softmax(tf.matmul(x, weights), name="y")
        scores = tf.nn.softmax(tf.matmul(parsed, weights), name="scores")
        value = tf.reduce_sum(tf.matmul(parsed, weights), axis=1, keepdims=True, name="value")
        signatures = {
            "serving_default": v1.saved_model.predict_signature_def({"x": x}, {"y": y}),
            "predict": v1.saved_model.predict_signature_def({"examples": serialized}, {"scores": scores}),
            "classification": v1.saved_model.classification_signature_def(serialized, None, scores),
            "regression": v1.saved_model.regression_signature_def(serialized, value),
        }
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            builder = v1.saved_model.Builder(str(folder))
            builder.add_meta_graph_and_variables(session, ["serve"], signature_def_map=signatures)
            builder.save(as_text=as_text)
    return folder


def tf_to_text(source: Path, folder: Path) -> Path:
    """A copy of `source` whose saved_model.pb TF itself converted to saved_model.pbtxt."""
    from google.protobuf import text_format
    from tensorflow.core.protobuf import saved_model_pb2

    shutil.copytree(source, folder)
    pb = folder / "saved_model.pb"
    message = saved_model_pb2.SavedModel.FromString(pb.read_bytes())
    (folder / "saved_model.pbtxt").write_text(text_format.MessageToString(message))
    pb.unlink()
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("corpus")
    builder = build_model(base / "builder", as_text=False)
    models = {
        "builder": builder,
        "builder_text": build_model(base / "builder_text", as_text=True),
        "estimator": shutil.copytree(MODEL, base / "estimator"),
    }
    models["estimator_text"] = tf_to_text(models["estimator"], base / "estimator_text")
    for folder in models.values():
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    return models


WIDTH = {"builder": 3, "estimator": 2}  # length of the float feature "x" each model parses


def _feed(info: Any, width: int) -> Any:
    import numpy as np

    dims = [2 if d.size < 0 else d.size for d in info.tensor_shape.dim]
    if info.dtype == tf.string.as_datatype_enum:
        example = tf.train.Example()
        example.features.feature["x"].float_list.value.extend([0.25 * (i + 1) for i in range(width)])
        return np.array([example.SerializeToString()] * (dims[0] if dims else 1), dtype=object).reshape(dims or [])
    return np.zeros(dims, dtype=tf.dtypes.as_dtype(info.dtype).as_numpy_dtype) + 0.5


def run_all(folder: Path, width: int) -> dict[str, Any]:
    """TF's v1 loader in a Session: every signature's dense outputs (or error type), by key."""
    results: dict[str, Any] = {}
    graph = tf.Graph()
    with v1.Session(graph=graph) as session:
        meta_graph = v1.saved_model.loader.load(session, ["serve"], str(folder))
        for key, signature in sorted(meta_graph.signature_def.items()):
            if key.startswith("__saved_model_"):
                continue
            feed = {graph.get_tensor_by_name(info.name): _feed(info, width) for info in signature.inputs.values() if info.name}
            fetch = {name: graph.get_tensor_by_name(info.name) for name, info in signature.outputs.items() if info.name}
            try:
                results[key] = {k: v.tolist() for k, v in session.run(fetch, feed).items()}
            except tf.errors.OpError as exc:
                results[key] = type(exc).__name__
            results[key + "/method"] = signature.method_name
    return results


ACTIONS: dict[str, list[str]] = {
    "method_name": ["--signature_def", "regression", "--method_name", "tensorflow/serving/predict"],
    "rename": ["--signature_def", "predict", "--rename", "predict_renamed"],
    "remove": ["--signature_def", "classification", "--remove"],
    "from_json": ["--signature_def", "from_json", "--from_json", "-"],
    "copy_from": ["--signature_def", "copied", "--copy_from", "predict"],
}


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
@pytest.mark.parametrize("name", ["builder", "builder_text", "estimator", "estimator_text"])
def test_edited_models_load_and_run_in_tf(corpus: dict[str, Path], tmp_path: Path, name: str, action: str) -> None:
    source = corpus[name]
    width = WIDTH[name.split("_")[0]]
    before = run_all(source, width)
    assert sum(isinstance(v, dict) for v in before.values()) >= 3  # signatures really run
    folder = shutil.copytree(source, tmp_path / "m")
    regression = savedmodel.find_meta_graph(savedmodel.read(folder), "serve").signature_def["regression"]
    stdin = json.dumps(signature_to_json(regression)) if action == "from_json" else None
    result = cli("edit", "--dir", str(folder), *ACTIONS[action], stdin=stdin)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("saved_model")) == sorted(p.name for p in source.iterdir() if p.name.startswith("saved_model"))
    assert run_all(folder, width) == expected(before, action)


def _saved_model_cli() -> str:
    return shutil.which("saved_model_cli") or str(Path(sys.executable).parent / "saved_model_cli")


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
    theirs = subprocess.run([_saved_model_cli(), "show", "--dir", str(folder), "--all"], capture_output=True, text=True, timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert theirs.returncode == 0, theirs.stderr[-2000:]
    mine = cli("inspect", "--dir", str(folder), "--all")
    assert "signature_def['predict_renamed']:" in theirs.stdout
    assert _ops_as_sets(mine.stdout.strip()) == _ops_as_sets(theirs.stdout.strip())


def test_text_read_and_written_as_tf(corpus: dict[str, Path], tmp_path: Path) -> None:
    """Our read of TF's text equals TF's binary; our text is text_format's (maps sorted by
    key; TF's builder writes upb's str(), same message, other map order) and TF parses it
    to the same message."""
    from google.protobuf import text_format
    from tensorflow.core.protobuf import saved_model_pb2

    binary = (corpus["estimator"] / "saved_model.pb").read_bytes()
    assert savedmodel.read(corpus["estimator_text"]).SerializeToString(deterministic=True) == binary
    written = savedmodel.write(tmp_path, savedmodel.read(corpus["estimator"]), as_text=True).read_text()
    assert written == text_format.MessageToString(saved_model_pb2.SavedModel.FromString(binary))
    assert text_format.Parse(written, saved_model_pb2.SavedModel()).SerializeToString(deterministic=True) == binary
    for name in ("builder_text", "estimator_text"):
        theirs = text_format.Parse((corpus[name] / "saved_model.pbtxt").read_text(), saved_model_pb2.SavedModel())
        assert savedmodel.read(corpus[name]).SerializeToString(deterministic=True) == theirs.SerializeToString(deterministic=True)


def test_descriptor_set_is_tensorflows() -> None:
    """runtime/tf_protos.py holds exactly TF 2.21's descriptors (tests/tf_descriptor_set.py)."""
    import base64
    import zlib

    from tf_descriptor_set import descriptor_set

    from sigdef import tf_protos

    assert zlib.decompress(base64.b64decode("".join(tf_protos._BLOB))) == descriptor_set()


def test_tf2_model_fingerprint_removed_and_loads(tmp_path: Path) -> None:
    """tf.saved_model.save writes fingerprint.pb; after an edit it is gone (and said so),
    the v1 loader runs the edited signature map, and tf.saved_model.load still works."""

    class Doubler(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def double(self, x: Any) -> Any:
            return {"y": x * 2.0}

    module = Doubler()
    folder = tmp_path / "tf2"
    tf.saved_model.save(module, str(folder), signatures={"serving_default": module.double})
    assert (folder / "fingerprint.pb").exists()
    unchanged = cli("edit", "--dir", str(folder), "--signature_def", "serving_default", "--copy_from", "serving_default")
    assert unchanged.returncode == 0 and (folder / "fingerprint.pb").exists()  # same bytes: nothing replaced
    assert unchanged.stdout.splitlines()[-1] == "Unchanged: the model file already holds this; nothing written."
    result = cli("edit", "--dir", str(folder), "--signature_def", "second", "--copy_from", "serving_default")
    assert result.returncode == 0, result.stderr
    assert "Removed fingerprint.pb" in result.stdout and not (folder / "fingerprint.pb").exists()
    graph = tf.Graph()
    with v1.Session(graph=graph) as session:
        meta_graph = v1.saved_model.loader.load(session, ["serve"], str(folder))
        assert {"serving_default", "second"} <= set(meta_graph.signature_def)
        info = meta_graph.signature_def["second"]
        out = session.run(graph.get_tensor_by_name(info.outputs["y"].name), {graph.get_tensor_by_name(info.inputs["x"].name): [[1.0, 2.0, 3.0]]})
        assert out.tolist() == [[2.0, 4.0, 6.0]]
    assert list(tf.saved_model.load(str(folder)).signatures) == ["serving_default"]  # object graph: edit unseen
