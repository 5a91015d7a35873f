"""The Python API on bad values raises what TensorFlow 2.21 raises (issue 13 item 9, API part):
`constant()` values and shapes, tensor shapes, SignatureDef map keys, `validate(None, kind)`.

The expected types and messages were recorded from TF 2.21 (graph mode, numpy 2.4); where TF
is installed, test_matches_real_tensorflow replays every case through TF itself."""

from __future__ import annotations

import importlib.util
import math
import struct
import subprocess
import sys
from typing import Any

import pytest

import sigdef
from sigdef.protos import TensorProto
from sigdef.tensors import TensorShape

requires_tf = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="TensorFlow is not installed (pip install -e '.[bench-tf]')")


def deep(levels: int, leaf: object = 0) -> object:
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


# (id, value, dtype, shape, expected): expected is ("ok", TensorProto text) or (error type, message).
# Values are built by name in both this process and the TF subprocess (see VALUES).
VALUES: dict[str, Any] = {
    "big_int32": [2**40, 1],
    "big_int32_scalar": 2**40,
    "int32_2p31": [2**31, 1],
    "strings": ["a", "b"],
    "string": "a",
    "minus_one": -1,
    "minus_one_two": [-1, 2],
    "u8_256": [256, 2],
    "half_1e10": 1e10,
    "half_pair": [1e10, 1.0],
    "f32_1e300": [1e300, -1.0],
    "f32_1e300_scalar": 1e300,
    "bf16_1e300": 1e300,
    "deep_100k": deep(100_000),
    "deep_65": deep(65),
    "deep_strings_300": deep(300, "a"),
    "ragged": [[1], [1, 2]],
    "ragged_2": [[[1, 2]], [[3]]],
    "mixed": [[1, 2], 3],
    "float_for_int": [1.5, 2],
    "none": None,
    "none_in_list": [None, 1.0],
    "ints_for_string": [1, 2],
    "bools_for_int": [True, False],
    "string_for_bool": ["a"],
    "int_for_bool": [2],
    "complex_for_float": [1j],
    "int8_200": [200, 1],
    "int16_40000": 40000,
    "uint32_minus_one": -1,
    "uint64_minus_one": [-1, 1],
    "int64_2p63": [2**63, 1],
    "int64_2p64": [2**64, 1],
    "nan_for_int": math.nan,
    "huge_int_double": 10**400,
    "bytes_for_float": b"a",
    "one": 1,
    "three": [1, 2, 3],
    "nested_one": [[3]],
}

CASES: list[tuple[str, str, list[Any] | None, tuple[str, str]]] = [
    ("big_int32", "int32", None, ("ok", 'dtype: DT_INT32\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\000\\000\\000\\000\\001\\000\\000\\000"\n')),
    ("big_int32_scalar", "int32", None, ("ok", "dtype: DT_INT32\ntensor_shape {\n}\nint_val: 0\n")),
    ("int32_2p31", "int32", None, ("ok", 'dtype: DT_INT32\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\000\\000\\000\\200\\001\\000\\000\\000"\n')),
    ("strings", "float32", None, ("TypeError", "Expected float32, but got a of type 'str'.")),
    ("string", "float32", None, ("TypeError", "Expected float32, but got a of type 'str'.")),
    ("minus_one", "uint8", None, ("ok", "dtype: DT_UINT8\ntensor_shape {\n}\nint_val: 255\n")),
    ("minus_one_two", "uint8", None, ("ok", 'dtype: DT_UINT8\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\377\\002"\n')),
    ("u8_256", "uint8", None, ("ok", 'dtype: DT_UINT8\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\000\\002"\n')),
    ("half_1e10", "float16", None, ("ok", "dtype: DT_HALF\ntensor_shape {\n}\nhalf_val: 31744\n")),
    ("half_pair", "float16", None, ("ok", 'dtype: DT_HALF\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\000|\\000<"\n')),
    ("f32_1e300", "float32", None, ("ok", 'dtype: DT_FLOAT\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\000\\000\\200\\177\\000\\000\\200\\277"\n')),
    ("f32_1e300_scalar", "float32", None, ("ok", "dtype: DT_FLOAT\ntensor_shape {\n}\nfloat_val: inf\n")),
    ("bf16_1e300", "bfloat16", None, ("ok", "dtype: DT_BFLOAT16\ntensor_shape {\n}\nhalf_val: 32640\n")),
    ("deep_100k", "int32", None, ("RecursionError", "maximum recursion depth exceeded in flatten")),
    ("deep_65", "int32", None, ("ValueError", "setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 64.")),
    ("deep_strings_300", "float32", None, ("TypeError", "Expected float32, but got a of type 'str'.")),
    ("ragged", "int32", None, ("ValueError", "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.")),
    ("ragged_2", "float32", None, ("ValueError", "setting an array element with a sequence. The requested array has an inhomogeneous shape after 2 dimensions. The detected shape was (2, 1) + inhomogeneous part.")),
    ("mixed", "int32", None, ("ValueError", "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.")),
    ("float_for_int", "int32", None, ("TypeError", "Expected int32, but got 1.5 of type 'float'.")),
    ("none", "int32", None, ("ValueError", "None values not supported.")),
    ("none_in_list", "float32", None, ("TypeError", "Expected float32, but got None of type 'NoneType'.")),
    ("ints_for_string", "string", None, ("TypeError", "Expected string, but got 1 of type 'int'.")),
    ("bools_for_int", "int32", None, ("ok", 'dtype: DT_INT32\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\001\\000\\000\\000\\000\\000\\000\\000"\n')),
    ("string_for_bool", "bool", None, ("TypeError", "Expected bool, but got a of type 'str'.")),
    ("int_for_bool", "bool", None, ("TypeError", "Expected bool, but got 2 of type 'int'.")),
    ("complex_for_float", "float32", None, ("TypeError", "Expected float32, but got 1j of type 'complex'.")),
    ("int8_200", "int8", None, ("ok", 'dtype: DT_INT8\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\310\\001"\n')),
    ("int16_40000", "int16", None, ("ok", "dtype: DT_INT16\ntensor_shape {\n}\nint_val: -25536\n")),
    ("uint32_minus_one", "uint32", None, ("ok", "dtype: DT_UINT32\ntensor_shape {\n}\nuint32_val: 4294967295\n")),
    ("uint64_minus_one", "uint64", None, ("ok", 'dtype: DT_UINT64\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\377\\377\\377\\377\\377\\377\\377\\377\\001\\000\\000\\000\\000\\000\\000\\000"\n')),
    ("int64_2p63", "int64", None, ("ok", 'dtype: DT_INT64\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\ntensor_content: "\\000\\000\\000\\000\\000\\000\\000\\200\\001\\000\\000\\000\\000\\000\\000\\000"\n')),
    ("int64_2p64", "int64", None, ("OverflowError", "Python int too large to convert to C long")),
    ("nan_for_int", "int32", None, ("TypeError", "Expected int32, but got nan of type 'float'.")),
    ("huge_int_double", "float64", None, ("OverflowError", "int too large to convert to float")),
    ("bytes_for_float", "float32", None, ("TypeError", "Expected float32, but got b'a' of type 'bytes'.")),
    ("one", "int32", [2.7], ("ok", "dtype: DT_INT32\ntensor_shape {\n  dim {\n    size: 2\n  }\n}\nint_val: 1\n")),
    ("one", "int32", ["3"], ("ok", "dtype: DT_INT32\ntensor_shape {\n  dim {\n    size: 3\n  }\n}\nint_val: 1\n")),
    ("one", "int32", [-2], ("ValueError", "Dimension -2 must be >= 0")),
    ("one", "int32", [-1], ("ValueError", "Dimension -1 must be >= 0")),
    ("one", "int32", [None], ("TypeError", "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'")),
    ("three", "int32", [2], ("TypeError", "Expected Tensor's shape: (2,), but got (3,).")),
    ("nested_one", "int32", [2], ("TypeError", "Expected Tensor's shape: (2,), but got (1, 1).")),
    ("three", "int32", [0], ("ok", "dtype: DT_INT32\ntensor_shape {\n  dim {\n  }\n}\n")),
]


def sigdef_outcome(name: str, dtype: str, shape: list[Any] | None) -> tuple[str, str]:
    try:
        tensor = sigdef.constant(VALUES[name], dtype, shape)
    except Exception as exc:  # the type and message are what is compared
        return type(exc).__name__, str(exc)
    return "ok", str(tensor.op.get_attr("value"))


@pytest.mark.parametrize(("name", "dtype", "shape", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_constant_bad_values_as_tensorflow(name: str, dtype: str, shape: list[Any] | None, expected: tuple[str, str]) -> None:
    assert sigdef_outcome(name, dtype, shape) == expected


def test_constant_shape_is_the_one_tf_gives() -> None:
    assert sigdef.constant(1, "int32", [2.7]).shape.as_list() == [2]
    assert sigdef.constant([[1.0, 2.0]], "float32").shape.as_list() == [1, 2]


def test_deep_lists_are_fast_and_bounded() -> None:
    code = "import sigdef, time\nv = 0\nfor _ in range(1_000_000): v = [v]\nt = time.perf_counter()\ntry:\n    sigdef.constant(v, 'int32')\nexcept RecursionError as e:\n    print(type(e).__name__, round(time.perf_counter() - t, 1))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    name, seconds = result.stdout.split()
    assert name == "RecursionError" and float(seconds) < 5, result.stderr


def test_float_rounding_at_the_edge_of_float16_and_float32() -> None:
    half_max, float_max = 65504.0, struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]
    proto = sigdef.constant([half_max, 65519.0, 65520.0, -1e10], "float16").op.get_attr("value")
    assert proto.tensor_content == struct.pack("<4e", half_max, half_max, math.inf, -math.inf)
    proto = sigdef.constant([float_max, 1e39, -1e39], "float32").op.get_attr("value")
    assert proto.tensor_content == struct.pack("<3f", float_max, math.inf, -math.inf)


# -- shapes of tensor-likes: TF's TensorShape / placeholder errors --------------------------


@pytest.mark.parametrize(
    ("dims", "error", "message"),
    [
        ([2.7], TypeError, "Dimension value must be integer or None or have an __index__ method, got value '2.7' with type '<class 'float'>'"),
        ([3.0], TypeError, "Dimension value must be integer or None or have an __index__ method, got value '3.0' with type '<class 'float'>'"),
        (["3"], TypeError, "Dimension value must be integer or None or have an __index__ method, got value ''3'' with type '<class 'str'>'"),
        ([-2], ValueError, "Dimension -2 must be >= 0"),
    ],
)
def test_shape_errors_as_tensorflow(dims: list[Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as raised:
        TensorShape(dims)
    assert str(raised.value) == message  # tf.TensorShape(dims)
    with pytest.raises(error) as raised:
        sigdef.tensor("x:0", "float32", dims)
    assert str(raised.value) == f"Error converting shape to a TensorShape: {message}."  # tf.compat.v1.placeholder


def test_shape_dims_with_index_are_accepted_as_tensorflow() -> None:
    assert TensorShape([True, 2**70, None, -1]).dims == (1, 2**70, None, None)


# -- SignatureDef map keys: protobuf's own errors, as TF's `signature_def.inputs[key]` -------


@pytest.mark.parametrize("key", [None, 1, (1, 2), 1.5])
@pytest.mark.parametrize("where", ["predict_inputs", "predict_outputs", "build", "op", "train"])
def test_bad_keys_raise_protobufs_type_error(key: object, where: str) -> None:
    t = sigdef.tensor("t:0", "float32", [None])
    with pytest.raises(TypeError) as raised:
        if where == "predict_inputs":
            sigdef.predict_signature_def({key: t}, {"o": t})
        elif where == "predict_outputs":
            sigdef.predict_signature_def({"i": t}, {key: t})
        elif where == "build":
            sigdef.build_signature_def({key: sigdef.build_tensor_info(t)})
        elif where == "op":
            sigdef.op_signature_def(sigdef.op("init"), key)
        else:
            sigdef.supervised_train_signature_def({key: t}, loss={"l": t})
    with pytest.raises(TypeError) as theirs:
        sigdef.protos.SignatureDef().inputs[key]  # type: ignore[index]
    assert str(raised.value) == str(theirs.value) == "bad argument type for built-in operation"


def test_bytes_keys_are_decoded_as_protobuf_does() -> None:
    t = sigdef.tensor("t:0", "float32", [None])
    assert list(sigdef.predict_signature_def({b"k": t}, {"o": t}).inputs) == ["k"]
    with pytest.raises(UnicodeDecodeError):
        sigdef.predict_signature_def({b"\xff": t}, {"o": t})


# -- validate() ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 3, "text", [1, 2], object()])
def test_validate_refuses_what_is_not_a_signature(value: object) -> None:
    with pytest.raises(TypeError, match=r"^Expected a SignatureDef or its proto3-JSON dict, got "):
        sigdef.validate(value, "predict")


def test_validate_unknown_kind_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Unknown signature kind 'nope'"):
        sigdef.validate({}, "nope")


# -- the same cases through real TensorFlow ---------------------------------------------------

TF_SCRIPT = r"""
import json, sys
import tensorflow as tf
sys.path.insert(0, sys.argv[1])
from test_api_errors import CASES, VALUES
v1 = tf.compat.v1
out = []
for name, dtype, shape, _ in CASES:
    try:
        with tf.Graph().as_default():
            t = tf.constant(VALUES[name], tf.as_dtype(dtype), shape)
        out.append(["ok", str(t.op.get_attr("value"))])
    except Exception as exc:
        out.append([type(exc).__name__, str(exc)])
shapes = []
for dims in ([2.7], [3.0], ["3"], [-2]):
    try:
        with tf.Graph().as_default():
            v1.placeholder(tf.float32, dims)
        shapes.append("ok")
    except Exception as exc:
        shapes.append(f"{type(exc).__name__}: {exc}")
keys = []
with tf.Graph().as_default():
    t = v1.placeholder(tf.float32, [None])
    for key in (None, 1, (1, 2), 1.5):
        try:
            v1.saved_model.predict_signature_def({key: t}, {"o": t})
            keys.append("ok")
        except Exception as exc:
            keys.append(f"{type(exc).__name__}: {exc}")
print(json.dumps({"cases": out, "shapes": shapes, "keys": keys}))
"""


@requires_tf
def test_matches_real_tensorflow() -> None:
    import json
    from pathlib import Path

    env = {**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", TF_SCRIPT, str(Path(__file__).parent)], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    recorded = json.loads(result.stdout.strip().splitlines()[-1])
    for (name, dtype, shape, expected), theirs in zip(CASES, recorded["cases"]):
        assert tuple(theirs) == expected, (name, dtype, shape, theirs)
        assert sigdef_outcome(name, dtype, shape) == tuple(theirs), (name, dtype, shape)
    for dims, theirs in zip(([2.7], [3.0], ["3"], [-2]), recorded["shapes"]):
        try:
            sigdef.tensor("x:0", "float32", dims)
            mine = "ok"
        except Exception as exc:
            mine = f"{type(exc).__name__}: {exc}"
        assert mine == theirs
    t = sigdef.tensor("t:0", "float32", [None])
    for key, theirs in zip((None, 1, (1, 2), 1.5), recorded["keys"]):
        try:
            sigdef.predict_signature_def({key: t}, {"o": t})
            mine = "ok"
        except Exception as exc:
            mine = f"{type(exc).__name__}: {exc}"
        assert mine == theirs


def test_constant_proto_round_trips() -> None:
    proto = sigdef.constant([[1, 2], [3, 4]], "int64").op.get_attr("value")
    assert TensorProto.FromString(proto.SerializeToString()) == proto
