"""The codec's parts on their own: the bulk fast path (dense.py) against the exact path, the
rapidjson-compatible reader and writer (jsontext.py), base64 and the dtype rules."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sigdef import protos, serving
from sigdef.serving import b64, dense, jsontext, rules
from sigdef.serving.request import _fill_exact

DTYPES = sorted(rules.JSON_DTYPES) + [19, 14, 8]  # + half, bfloat16, complex64 (not carried)


def _exact(value: Any, dtype: int) -> protos.TensorProto | None:
    tensor = protos.TensorProto()
    try:
        _fill_exact(value, dense.shape_of(value), dtype, tensor)
    except Exception:
        return None
    return tensor


json_leaf = st.one_of(
    st.integers(min_value=-(2**65), max_value=2**65),
    st.floats(allow_nan=False, width=64),
    st.booleans(),
    st.text(max_size=3),
    st.just({"b64": "aGk="}),
    st.just({"b64": "!"}),
    st.none(),
)
json_value = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=3), max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(value=json_value, dtype=st.sampled_from(DTYPES))
@example(value=[0, 1.8446744073709552e19], dtype=1)  # a float past 2**64 beside an int: no int bound applies to it
def test_fast_path_accepts_exactly_what_the_exact_path_accepts(value: Any, dtype: int) -> None:
    exact = _exact(value, dtype)
    found = dense.dense(value)
    fast = protos.TensorProto()
    accepted = found is not None and dense.extend(fast, dtype, found)
    if accepted:
        assert exact is not None, value  # the fast path never accepts what TF Serving rejects
        assert fast.SerializeToString() == exact.SerializeToString()
    if exact is not None and found is not None and found.leaves:
        # it falls back only for errors, dtypes JSON cannot carry and integers past (u)int64 in
        # float tensors (those take rapidjson's own double conversion)
        huge = any(type(x) is int and not (rules.INT64[0] <= x < rules.UINT64[1]) for x in found.leaves)
        assert accepted or dtype not in rules.JSON_DTYPES or huge, value


# Tokens whose correctly rounded double (Python's float) is not the double rapidjson's Reader
# makes (checked against rapidjson 1.1 through python-rapidjson's NM_NATIVE mode, 200,000
# random tokens, no difference): TF Serving's double tensors get rapidjson's.
RAPIDJSON_DOUBLES = {
    "1.5e-30": 1.5000000000000001e-30,
    "0.30000000000000004": 0.30000000000000004,
    "18446744073709551616": 1.8446744073709552e19,
    "1e-400": 0.0,
}


def test_read_double_is_rapidjsons() -> None:
    for token, value in RAPIDJSON_DOUBLES.items():
        assert jsontext.read_double(token) == value, token
    assert jsontext.read_double("1.5e-30") != float("1.5e-30")
    assert jsontext.read_double("1e309") is None and jsontext.read_double("0.1e309") == 1e308
    assert jsontext.read_double("9" * 400 + ".5") is None
    rng = random.Random(3)
    for _ in range(2000):  # short tokens: rapidjson is exact there too
        token = "%.6g" % rng.uniform(-1e6, 1e6)
        assert jsontext.read_double(token) == float(token)


def test_double_tensors_get_rapidjsons_doubles() -> None:
    body = '{"instances": [1.5e-30, 18446744073709551617, 0.5]}'
    doubles = serving.predict_request_from_json(body, {"x": protos.TensorInfo(dtype=2)})
    assert list(doubles.inputs["x"].double_val) == [1.5000000000000001e-30, 1.8446744073709552e19, 0.5]
    floats = serving.predict_request_from_json(body, {"x": protos.TensorInfo(dtype=1)})
    assert list(floats.inputs["x"].float_val) == [jsontext.float32(1.5e-30), jsontext.float32(1.8446744073709552e19), 0.5]
    with pytest.raises(ValueError, match="Number too big to be stored in double."):
        serving.predict_request_from_json('{"instances": [' + "9" * 400 + ".5]}", {"x": protos.TensorInfo(dtype=2)})


def test_dense_shapes() -> None:
    assert dense.dense([[1, 2], [3, 4], [5, 6]]) == dense.Dense([3, 2], [1, 2, 3, 4, 5, 6], {int})
    assert dense.dense(7) == dense.Dense([], [7], {int})
    assert dense.dense([[], []]) == dense.Dense([2, 0], [], set())
    assert dense.dense([[1, 2], [3]]) is None
    assert dense.dense([[1, 2], 3]) is None
    assert dense.dense([[1], [[2]]]) is None
    assert dense.shape_of([[[]]]) == [1, 1, 0]


def test_extend_ranges() -> None:
    for dtype, low, high in [(3, -(2**31), 2**31 - 1), (9, -(2**63), 2**63 - 1), (22, 0, 2**32 - 1), (23, 0, 2**64 - 1)]:
        tensor = protos.TensorProto()
        assert dense.extend(tensor, dtype, dense.Dense([2], [low, high], {int}))
        assert not dense.extend(protos.TensorProto(), dtype, dense.Dense([1], [high + 1], {int}))
        assert not dense.extend(protos.TensorProto(), dtype, dense.Dense([1], [low - 1], {int}))
    assert not dense.extend(protos.TensorProto(), 1, dense.Dense([1], [True], {bool}))  # a bool is no number
    assert not dense.extend(protos.TensorProto(), 10, dense.Dense([1], [1], {int}))
    nan_and_huge = dense.Dense([2], [math.nan, 2**2000], {float, int})  # min/max cannot order NaN
    assert not dense.extend(protos.TensorProto(), 1, nan_and_huge)
    assert not dense.extend(protos.TensorProto(), 2, dense.Dense([2], [1.0, math.inf], {float}))


def test_parser_agrees_with_json_on_random_documents() -> None:
    rng = random.Random(5)

    def value(depth: int) -> Any:
        r = rng.random()
        if depth > 5 or r < 0.3:
            return rng.choice([0, -7, 2**70, 1.5, -0.0, 1e300, "a\"\\\u00e9\n", True, False, None, [], {}])
        if r < 0.65:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {f"k{i}": value(depth + 1) for i in range(rng.randint(0, 3))}

    for _ in range(500):
        doc = value(0)
        text = json.dumps(doc, indent=rng.choice([None, 2]))
        assert jsontext.parse(text) == doc
        assert jsontext._Iterative(text).parse(0)[0] == doc


def test_parse_stops_after_the_document_and_skips_a_bom() -> None:
    assert jsontext.parse('{"a": 1} trailing [') == {"a": 1}
    assert jsontext.parse('\ufeff{"a": NaN}')["a"] != jsontext.parse('{"a": NaN}')["a"]  # NaN, from both
    assert jsontext.parse(b'\xef\xbb\xbf{"a": -Infinity}') == {"a": -math.inf}


def test_surrogate_escapes() -> None:
    assert jsontext.parse('"\\ud83d\\ude00"') == "\U0001f600"
    assert jsontext.parse('"\\\\ud800"') == "\\ud800"  # an escaped backslash, then text
    for bad in ['"\\ud800"', '"\\ud800\\u0041"', '"\\udc00"', '"\\ud800x\\udc00"']:
        with pytest.raises(jsontext.JsonError, match="The surrogate pair in string is invalid."):
            jsontext.parse(bad)


def test_number_too_big_only_outside_strings() -> None:
    assert jsontext.parse('{"a": "1e999"}') == {"a": "1e999"}
    assert jsontext.parse('[1e308, 1E-999]') == [1e308, 0.0]
    with pytest.raises(jsontext.JsonError, match="Number too big"):
        jsontext.parse('{"e": "e", "x": [1, 2E+400]}')
    text = '{"words": "' + "e" * 10_000 + '", "x": -1e999}'  # many e's: the one-pass scan
    with pytest.raises(jsontext.JsonError, match="Number too big"):
        jsontext.parse(text)


@pytest.mark.parametrize(
    "value,printed",
    [
        (1.8446744073709552e19, "18446744073709552000.0"),
        (1e21, "1e21"),
        (1e22, "1e22"),
        (1.234e33, "1.234e33"),
        (0.001234, "0.001234"),
        (1e-7, "1e-7"),
        (12.34, "12.34"),
        (100.0, "100.0"),
        (-0.0, "-0.0"),
        (5e-324, "5e-324"),
    ],
)
def test_format_double_layout(value: float, printed: str) -> None:
    assert jsontext.format_double(value) == printed


@pytest.mark.parametrize(
    "value,is_float32,printed",
    [
        (9000000.0, True, "9e+06"),
        (999999.0, True, "999999.0"),
        (0.0003, True, "0.0003"),
        (3e-05, True, "3e-05"),
        (555557.5, True, "555557.5"),
        (0.1, True, "0.1"),
        (16777217.0, True, "16777216.0"),
        (1.0000001, True, "1.00000012"),
        (0.1 + 0.2, False, "0.30000000000000004"),
        (math.nan, True, "NaN"),
        (-math.inf, False, "-Infinity"),
    ],
)
def test_decimal_as_tf_serving_prints(value: float, is_float32: bool, printed: str) -> None:
    assert jsontext.decimal(jsontext.float32(value) if is_float32 else value, is_float32) == printed


def test_debug_string_is_cut_and_stops_at_nan() -> None:
    text = jsontext.debug_string(list(range(1000)))
    assert text.startswith("[0, 1, 2") and 256 <= len(text) < 270 and not text.endswith("]")
    assert jsontext.debug_string([1.0, math.nan, 2]) == "[1.0, "
    assert jsontext.debug_string({"a": [1, {"b": "x"}]}) == '{\n    "a": [1, {\n            "b": "x"\n        }]\n}'


def test_base64_as_absl() -> None:
    assert b64.decode("aGVsbG8=") == b"hello"
    assert b64.decode("aGVsbG8") == b"hello"
    assert b64.decode(" aGVs\nbG8= ") == b"hello"
    assert b64.decode("") == b""
    for bad in ["aGVsbG8===", "a", "aGVs*G8=", "aGVsbG8=x"]:
        assert b64.decode(bad) is None, bad
    assert b64.is_b64_object({"b64": "x"}) and not b64.is_b64_object({"b64": "x", "y": 1}) and not b64.is_b64_object({"b64": 1})


def test_dtype_strings() -> None:
    assert [rules.dtype_string(n) for n in (1, 2, 19, 7, 14, 101, 999)] == [
        "float", "double", "half", "string", "bfloat16", "float_ref", "unknown dtype enum (999)"]


def test_signature_forms() -> None:
    body = '{"instances": [[1.5]]}'
    sd = protos.SignatureDef()
    sd.inputs["x"].dtype = protos.DataType.Value("DT_FLOAT")
    from_sd = serving.predict_request_from_json(body, sd)
    from_map = serving.predict_request_from_json(body, {"x": sd.inputs["x"]})
    assert from_sd == from_map and list(from_sd.inputs["x"].float_val) == [1.5]
    with pytest.raises(TypeError, match="SignatureDef or a mapping"):
        serving.predict_request_from_json(body, 5)


def test_json_from_tensors_reads_tensor_content() -> None:
    import struct

    tensor = protos.TensorProto(dtype=protos.DataType.Value("DT_FLOAT"), tensor_content=struct.pack("<3f", 1.5, 0.1, -2))
    tensor.tensor_shape.dim.add(size=3)
    assert json.loads(serving.json_from_tensors({"y": tensor}, "columnar")) == {"outputs": [1.5, 0.1, -2.0]}
    short = protos.TensorProto(dtype=1, float_val=[1.0])
    short.tensor_shape.dim.add(size=2)
    with pytest.raises(ValueError, match="fewer than its shape"):
        serving.json_from_tensors({"y": short}, "row")
    with pytest.raises(ValueError, match="Invalid request format"):
        serving.json_from_tensors({"y": short}, "rows")
    half = protos.TensorProto(dtype=19, half_val=[1])
    half.tensor_shape.dim.add(size=1)
    with pytest.raises(ValueError, match="Failed to write JSON value for tensor type: half"):
        serving.json_from_tensors({"y": half}, "row")


def test_string_outputs_keep_raw_bytes_and_bytes_suffix() -> None:
    tensor = protos.TensorProto(dtype=7, string_val=[b"a\xff", b'q"\n'])
    tensor.tensor_shape.dim.add(size=2)
    text = serving.json_from_tensors({"s": tensor, "s_bytes": tensor}, "row")
    assert json.loads(text.encode("utf-8", "surrogateescape").decode("latin-1"))["predictions"][1] == {"s": 'q"\n', "s_bytes": {"b64": "cSIK"}}
    assert '"a\udcff"' in text  # the raw byte, as TF Serving writes it (no validation)
