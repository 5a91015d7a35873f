"""Real TensorFlow graph tensors passed to sigdef give TF's own bytes (runs where TF is installed,
e.g. with the bench-tf extra; skipped otherwise)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

requires_tf = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="TensorFlow is not installed (pip install -e '.[bench-tf]')")

CODE = r"""
import tensorflow as tf
import sigdef
v1 = tf.compat.v1
g = tf.Graph()
with g.as_default():
    ex = v1.placeholder(tf.string, [None], name="examples")
    cl = v1.placeholder(tf.string, [None, 3], name="classes")
    sc = v1.placeholder(tf.float32, [None, 3], name="scores")
    sp = v1.sparse_placeholder(tf.float32, [None, 5], name="sp")
    rg = tf.RaggedTensor.from_row_splits(v1.placeholder(tf.int32, [None], name="vals"), v1.placeholder(tf.int64, [None], name="splits"))
    d = tf.constant([1.5, 2.5], name="d")
    pairs = [
        (v1.saved_model.classification_signature_def(ex, cl, sc), sigdef.classification_signature_def(ex, cl, sc)),
        (v1.saved_model.predict_signature_def({"sp": sp, "rg": rg}, {"s": sc}), sigdef.predict_signature_def({"sp": sp, "rg": rg}, {"s": sc})),
        (v1.saved_model.build_signature_def(defaults={"d": d}), sigdef.build_signature_def(defaults={"d": d})),
    ]
    for theirs, mine in pairs:
        assert theirs.SerializeToString(deterministic=True) == mine.SerializeToString(deterministic=True), (theirs, mine)
    try:
        sigdef.classification_signature_def(ex, None, v1.placeholder(tf.float64, [None], name="s64"))
    except ValueError as e:
        assert str(e) == "Classification scores must be a float Tensor."
print("ok")
"""


@requires_tf
def test_real_tf_tensors_match_tf() -> None:
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=300)
    assert result.stdout.strip().endswith("ok"), result.stderr[-3000:]


IS_VALID_CODE = r"""
import random, sys
sys.path.insert(0, "tests")
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2
import sigdef
from test_message_backend import DTYPES, _signature
DTYPES += [-1, 2**31 - 1]  # numbers DataType does not name, at both ends
for seed in range(5000):
    sig = _signature(random.Random(seed).choice)
    theirs = meta_graph_pb2.SignatureDef.FromString(sig.SerializeToString())
    assert sigdef.is_valid_signature(sig) is tf.compat.v1.saved_model.is_valid_signature(theirs), (seed, sig)
print("ok")
"""


@requires_tf
def test_is_valid_signature_agrees_with_tf_on_random_signatures() -> None:
    result = subprocess.run([sys.executable, "-c", IS_VALID_CODE], capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[1])
    assert result.stdout.strip().endswith("ok"), result.stderr[-3000:]


@requires_tf
def test_builders_and_export_outputs_agree_with_tf_on_every_argument_kind() -> None:
    script = Path(__file__).with_name("tf_differential.py")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert re.fullmatch(r"checked [1-9]\d*, mismatched 0", last), result.stdout[-3000:] + result.stderr[-3000:]


@requires_tf
def test_inspect_all_equals_saved_model_cli_on_models_tf_writes_now() -> None:
    """TF1 Builder, tf.saved_model.save and Keras export models built afresh (tests/tf_written_models.py;
    the recorded copies in tests/data/tf_written_models/ run without TF in test_concrete_functions.py)."""
    script = Path(__file__).with_name("tf_written_models.py")
    result = subprocess.run([sys.executable, str(script), "compare"], capture_output=True, text=True, timeout=900)
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert re.fullmatch(r"compared [1-9]\d*, mismatched 0", last), result.stdout[-3000:] + result.stderr[-3000:]


INTEROP_CODE = r"""
import sys, tempfile
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2
from tensorflow.python.tools import saved_model_utils
from tensorflow_serving.apis import get_model_metadata_pb2, predict_pb2
import sigdef
from sigdef import savedmodel
from sigdef.protos import convert
v1 = tf.compat.v1
folder = tempfile.mkdtemp() + "/m"
with tf.Graph().as_default(), v1.Session() as session:
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    y = tf.identity(x * 2.0, name="y")
    c = tf.constant([[1.0, 2.0, 3.0]], name="c")
    info_x, info_y = v1.saved_model.utils.build_tensor_info(x), v1.saved_model.utils.build_tensor_info(y)
    # TF's TensorInfos and TensorProto taken by sigdef: the same bytes as TF's own builder
    mine = sigdef.build_signature_def({"x": info_x}, {"y": info_y}, "tensorflow/serving/predict", {"x": c})
    theirs = v1.saved_model.build_signature_def({"x": info_x}, {"y": info_y}, "tensorflow/serving/predict", {"x": c})
    assert mine.SerializeToString(deterministic=True) == theirs.SerializeToString(deterministic=True)
    op = sigdef.Operation("c", "Const", value=c.op.get_attr("value"))
    assert op.get_attr("value").SerializeToString() == c.op.get_attr("value").SerializeToString()
    # sigdef's SignatureDef into TF's Builder, converted
    builder = v1.saved_model.Builder(folder)
    builder.add_meta_graph_and_variables(session, ["serve"], signature_def_map={"serving_default": convert(mine, meta_graph_pb2.SignatureDef)})
    builder.save()
tf_model = saved_model_utils.read_saved_model(folder)
ours = savedmodel.read(folder)
assert savedmodel.graph_ops(tf_model.meta_graphs[0]) == savedmodel.graph_ops(ours.meta_graphs[0])
savedmodel.set_signature(ours, "serve", "copy", tf_model.meta_graphs[0].signature_def["serving_default"])
savedmodel.set_signature(tf_model, "serve", "copy", mine)
assert convert(tf_model, sigdef.SavedModel).meta_graphs[0].signature_def["copy"] == ours.meta_graphs[0].signature_def["copy"] == mine
# TF Serving's messages, both ways
metadata = get_model_metadata_pb2.SignatureDefMap()
metadata.signature_def["serving_default"].CopyFrom(convert(mine, meta_graph_pb2.SignatureDef))
assert convert(metadata, sigdef.protos.SignatureDefMap).signature_def["serving_default"] == mine
request = convert(sigdef.protos.PredictRequest(output_filter=["y"]), predict_pb2.PredictRequest)
assert list(request.output_filter) == ["y"]
print("ok")
"""


@requires_tf
def test_tensorflow_and_tf_serving_messages_both_ways() -> None:
    result = subprocess.run([sys.executable, "-c", INTEROP_CODE], capture_output=True, text=True, timeout=300)
    assert result.stdout.strip().endswith("ok"), result.stderr[-3000:]


EAGER_CODE = r"""
import tensorflow as tf  # eager, as TF2 starts
import sigdef
v1 = tf.compat.v1
assert tf.executing_eagerly()
# sigdef's own tensor-likes are graph objects in any mode: they still build
sp, rg = sigdef.sparse_tensor("sp", "float32", [None, 3]), sigdef.ragged_tensor("rg", "int32", [None, None])
assert sigdef.predict_signature_def({"sp": sp, "rg": rg}, {"y": sigdef.tensor("y:0", "float32")}).inputs["sp"].HasField("coo_sparse")
# TF's eager tensors: TF's RuntimeError, and as defaults TF's encoding
for build in (lambda m: m.predict_signature_def({"x": tf.constant([1.0])}, {"y": tf.constant([2.0])}),
              lambda m: m.regression_signature_def(tf.constant(["a"]), tf.constant([1.0]))):
    errors = []
    for module in (v1.saved_model, sigdef):
        try:
            build(module)
        except Exception as e:
            errors.append((type(e), str(e)))
    assert errors[0] == errors[1] == (RuntimeError, "`build_tensor_info` is not supported in eager execution."), errors
d = tf.constant([[1.5, 2.0]], tf.float16)
assert sigdef.build_signature_def(defaults={"d": d}).SerializeToString() == v1.saved_model.build_signature_def(defaults={"d": d}).SerializeToString()
print("ok")
"""


@requires_tf
def test_eager_mode_as_tf() -> None:
    result = subprocess.run([sys.executable, "-c", EAGER_CODE], capture_output=True, text=True, timeout=300)
    assert result.stdout.strip().endswith("ok"), result.stderr[-3000:]
