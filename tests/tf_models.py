"""TensorFlow side of tests/test_edit_tensorflow.py, run as a subprocess (TF and protoc in one
process crash, so pytest's own process never imports TF). Prints one JSON document.

    python tests/tf_models.py build DIR          # TF1 Builder models, binary and text
    python tests/tf_models.py run DIR=WIDTH ...  # v1 loader in a Session: every signature's outputs
    python tests/tf_models.py text ESTIMATOR_PB_DIR ESTIMATOR_TEXT_DIR BUILDER_TEXT_DIR
    python tests/tf_models.py tf2 DIR            # tf.saved_model.save of a small module
    python tests/tf_models.py tf2-check DIR      # v1 loader runs 'second'; tf.saved_model.load's signatures
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tensorflow as tf  # noqa: E402

v1 = tf.compat.v1


def build(folder: Path, as_text: bool) -> None:
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


def to_text(folder: Path) -> None:
    """Replace saved_model.pb by the text TF's own types print for it."""
    from google.protobuf import text_format
    from tensorflow.core.protobuf import saved_model_pb2

    pb = folder / "saved_model.pb"
    message = saved_model_pb2.SavedModel.FromString(pb.read_bytes())
    (folder / "saved_model.pbtxt").write_text(text_format.MessageToString(message))
    pb.unlink()


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
            except (tf.errors.OpError, ValueError) as exc:  # ValueError: a feed the placeholder refuses (TF Serving's half_plus_* declare shapes their graphs do not have)
                results[key] = type(exc).__name__
            results[key + "/method"] = signature.method_name
    return results


def text_checks(estimator: Path, estimator_text: Path, builder_text: Path) -> dict[str, Any]:
    """What TF makes of our text, and of TF's text as we read it."""
    import tempfile

    from google.protobuf import text_format
    from tensorflow.core.protobuf import saved_model_pb2

    from sigdef import savedmodel

    binary = (estimator / "saved_model.pb").read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        written = savedmodel.write(Path(tmp), savedmodel.read(estimator), as_text=True).read_text()
    ours_parsed_by_tf = text_format.Parse(written, saved_model_pb2.SavedModel()).SerializeToString(deterministic=True)
    reads = {}
    for folder in (estimator_text, builder_text):
        theirs = text_format.Parse((folder / "saved_model.pbtxt").read_text(), saved_model_pb2.SavedModel())
        reads[folder.name] = savedmodel.read(folder).SerializeToString(deterministic=True) == theirs.SerializeToString(deterministic=True)
    return {
        "our_read_of_tf_text_equals_tf_binary": savedmodel.read(estimator_text).SerializeToString(deterministic=True) == binary,
        "our_text_is_text_format": written == text_format.MessageToString(saved_model_pb2.SavedModel.FromString(binary)),
        "tf_parses_our_text_to_the_binary": ours_parsed_by_tf == binary,
        "our_reads_equal_tf_parse": reads,
    }


def tf2(folder: Path) -> None:
    class Doubler(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def double(self, x: Any) -> Any:
            return {"y": x * 2.0}

    module = Doubler()
    tf.saved_model.save(module, str(folder), signatures={"serving_default": module.double})


def tf2_check(folder: Path) -> dict[str, Any]:
    graph = tf.Graph()
    with v1.Session(graph=graph) as session:
        meta_graph = v1.saved_model.loader.load(session, ["serve"], str(folder))
        info = meta_graph.signature_def["second"]
        out = session.run(graph.get_tensor_by_name(info.outputs["y"].name), {graph.get_tensor_by_name(info.inputs["x"].name): [[1.0, 2.0, 3.0]]})
        keys = sorted(meta_graph.signature_def)
    return {"v1_keys": keys, "second": out.tolist(), "tf2_signatures": sorted(tf.saved_model.load(str(folder)).signatures)}


def descriptors_match() -> bool:
    import base64
    import zlib

    from tf_descriptor_set import descriptor_set

    from sigdef import tf_protos

    return zlib.decompress(base64.b64decode("".join(tf_protos._BLOB))) == descriptor_set()


def main(argv: list[str]) -> Any:
    command, args = argv[0], argv[1:]
    if command == "build":
        root = Path(args[0])
        build(root / "builder", as_text=False)
        build(root / "builder_text", as_text=True)
        return "built"
    if command == "to-text":
        to_text(Path(args[0]))
        return "converted"
    if command == "run":
        return {spec.rsplit("=", 1)[0]: run_all(Path(spec.rsplit("=", 1)[0]), int(spec.rsplit("=", 1)[1])) for spec in args}
    if command == "text":
        return text_checks(*(Path(a) for a in args))
    if command == "tf2":
        tf2(Path(args[0]))
        return "saved"
    if command == "tf2-check":
        return tf2_check(Path(args[0]))
    if command == "descriptors":
        return descriptors_match()
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), default=lambda value: value.hex() if isinstance(value, bytes) else repr(value)))
