"""Bad REST bodies: TF Serving's message (as a ValueError), no crash, linear work (the big
cases here would not finish if any path were quadratic)."""

from __future__ import annotations

import json

import pytest

from sigdef import protos, serving


def sig(**dtypes: str) -> dict[str, protos.TensorInfo]:
    return {name: protos.TensorInfo(dtype=protos.DataType.Value(dtype)) for name, dtype in dtypes.items()}


def error(text: str | bytes, signature: dict[str, protos.TensorInfo]) -> str:
    with pytest.raises(ValueError) as info:
        serving.predict_request_from_json(text, signature)
    assert "Traceback" not in str(info.value)
    return str(info.value)


def test_nesting_far_beyond_pythons_recursion_limit_parses_as_rapidjson_does() -> None:
    # TF Serving's parser is iterative: an ignored deeply nested member is fine ...
    text = '{"instances": [1], "nested": ' + "[" * 300_000 + "]" * 300_000 + "}"
    request = serving.predict_request_from_json(text, sig(x="DT_INT32"))
    assert list(request.inputs["x"].int_val) == [1]
    # ... a malformed one is a parse error at its offset, not a RecursionError
    message = error('{"instances": ' + "[" * 300_000 + "1 2", sig(x="DT_INT32"))
    assert message == f"JSON Parse error: Missing a comma or ']' after an array element. at offset: {14 + 300_000 + 2}"


def test_tensor_nested_beyond_tensorflows_rank_limit() -> None:
    message = error('{"inputs": ' + "[" * 255 + "1" + "]" * 255 + "}", sig(x="DT_INT32"))
    assert "has too many dimensions" in message and "rank 255 > 254" in message
    request = serving.predict_request_from_json('{"inputs": ' + "[" * 254 + "1" + "]" * 254 + "}", sig(x="DT_INT32"))
    assert len(request.inputs["x"].tensor_shape.dim) == 254
    deep = '{"instances": [' + "[" * 100_000 + "1" + "]" * 100_000 + "]}"
    assert "has too many dimensions" in error(deep, sig(x="DT_INT32"))


def test_invalid_utf8() -> None:
    # rapidjson does not validate UTF-8 (no kParseValidateEncodingFlag): bytes reach string_val as sent
    request = serving.predict_request_from_json(b'{"instances": ["a\xff\xfeb", "\xc3\xa9"]}', sig(s="DT_STRING"))
    assert list(request.inputs["s"].string_val) == [b"a\xff\xfeb", "é".encode()]
    # outside a string an invalid byte is an invalid value
    assert error(b'{"instances": [\xff]}', sig(s="DT_STRING")) == "JSON Parse error: Invalid value. at offset: 15"
    assert "surrogate pair in string is invalid" in error('{"instances": ["\\ud800"]}', sig(s="DT_STRING"))


def test_bad_base64() -> None:
    assert error('{"instances": [{"b64": "@@@@"}]}', sig(s="DT_STRING")).endswith("Unable to base64 decode")
    assert "Unable to base64 decode" in error('{"inputs": {"b64": "aGVsbG8==="}}', sig(s="DT_STRING"))
    # {"b64": 5} is no base64 object, so in a row it is a named-inputs object
    assert error('{"instances": [{"b64": 5}]}', sig(s="DT_STRING")).endswith("JSON object: does not have named input: b64")
    message = error('{"inputs": [{"b64": 5}]}', sig(s="DT_STRING"))
    assert message == 'JSON Value: {\n    "b64": 5\n} not formatted correctly for base64 data'
    request = serving.predict_request_from_json('{"inputs": [{"b64": "aGVs bG8"}]}', sig(s="DT_STRING"))
    assert list(request.inputs["s"].string_val) == [b"hello"]  # absl skips whitespace, padding optional


def test_rows_mixing_objects_and_lists() -> None:
    two = sig(a="DT_INT32", b="DT_INT32")
    assert error('{"instances": [{"a": 1, "b": 2}, [1, 2]]}', two) == "Expecting object but got list at item 1 of input list"
    assert error('{"instances": [[1, 2], {"x": 1}]}', sig(x="DT_INT32")) == "Expecting value/list but got object at item 1 of input list"
    assert error('{"instances": [[1, 2], [3, 4]]}', two).startswith("instances is a plain list, but expecting list of objects")


def test_integers_beyond_int64_and_uint64() -> None:
    message = error('{"instances": [9223372036854775808]}', sig(x="DT_INT64"))
    assert message == (
        "Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: "
        "JSON Value: 9223372036854775808 Type: Number is not of expected type: int64"
    )
    message = error('{"instances": [18446744073709551616]}', sig(x="DT_UINT64"))
    assert "JSON Value: 18446744073709552000.0 Type: Number is not of expected type: uint64" in message
    assert "is not of expected type: uint32" in error('{"instances": [-1]}', sig(x="DT_UINT32"))
    assert "is not of expected type: int32" in error('{"inputs": [2147483648]}', sig(x="DT_INT32"))
    ok = serving.predict_request_from_json('{"instances": [18446744073709551615, 0]}', sig(x="DT_UINT64"))
    assert list(ok.inputs["x"].uint64_val) == [2**64 - 1, 0]
    with pytest.raises(ValueError, match="Only int64_t is supported"):
        serving.classification_request_from_json('{"examples": [{"f": 9223372036854775808}]}')


def test_float_overflow() -> None:
    assert error('{"instances": [1e400]}', sig(x="DT_DOUBLE")) == "JSON Parse error: Number too big to be stored in double. at offset: 20"
    assert "Number too big to be stored in double." in error('{"instances": [' + "9" * 400 + "]}", sig(x="DT_DOUBLE"))
    assert "Number too big to be stored in double." in error('{"instances": [' + "9" * 5000 + "]}", sig(x="DT_DOUBLE"))
    long_mantissa = '{"instances": [1.0, ' + "9" * 400 + '.5]}'  # no exponent, still past the double range
    assert "Number too big to be stored in double." in error(long_mantissa, sig(x="DT_FLOAT"))
    assert "Number too big to be stored in double." in error(long_mantissa, sig(x="DT_DOUBLE"))
    with pytest.raises(ValueError, match="Number too big"):
        serving.classification_request_from_json('{"examples": [{"f": ' + "9" * 400 + ".5}]}")
    literal = serving.predict_request_from_json('{"instances": [Infinity, -Infinity]}', sig(x="DT_FLOAT"))
    assert list(literal.inputs["x"].float_val) == [float("inf"), float("-inf")]
    # beyond float32 but within double: TF Serving narrows to inf (FloatTensorThatExceedsMaxReturnsInf)
    request = serving.predict_request_from_json('{"instances": [1e39, -1e39, 1e-50]}', sig(x="DT_FLOAT"))
    assert list(request.inputs["x"].float_val) == [float("inf"), float("-inf"), 0.0]


def test_unknown_and_missing_inputs() -> None:
    two = sig(a="DT_INT32", b="DT_INT32")
    message = error('{"instances": [{"a": 1, "zzz": 2}]}', two)
    assert message == (
        "Failed to process element: 0 key: zzz of 'instances' list. Error: INVALID_ARGUMENT: JSON object: does not have named input: zzz"
    )
    assert error('{"instances": [{"a": 1}]}', two).endswith("keys must be equal to: a,b")
    assert error('{"inputs": {"a": [1]}}', two) == "Missing named input: b in 'inputs' object."
    assert error('{"signature_name": "s", "inputs": [1]}', {}) == "Failed to get input map for signature: s"


def test_dtype_json_cannot_carry() -> None:
    message = error('{"instances": [1.5]}', sig(x="DT_HALF"))
    assert message == "Failed to process element: 0 of 'instances' list. Error: UNIMPLEMENTED: Conversion of JSON Value: 1.5 to type: half"
    assert error('{"inputs": [[1]]}', sig(x="DT_COMPLEX64")) == "Conversion of JSON Value: 1 to type: complex64"
    # no value, nothing to convert: TF Serving accepts it
    assert serving.predict_request_from_json('{"inputs": [[]]}', sig(x="DT_BFLOAT16")).inputs["x"].dtype == 14


def test_error_at_the_end_of_a_big_body_is_found_in_linear_time() -> None:
    rows = [[float(i), 1.0] for i in range(200_000)] + [[1.0, "x"]]
    message = error(json.dumps({"instances": rows}), sig(x="DT_FLOAT"))
    assert message == (
        "Failed to process element: 200000 of 'instances' list. Error: INVALID_ARGUMENT: "
        'JSON Value: "x" Type: String is not of expected type: float'
    )
    ragged = [[1, 2]] * 200_000 + [[1]]
    assert error(json.dumps({"instances": ragged}), sig(x="DT_INT32")).endswith("Expecting tensor size: 2 but got: 1")


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "JSON Parse error: The document is empty"),
        ("[1]", "JSON Value: [1] Is not object"),
        ('{"instances": 1}', "Expecting 'instances' to be an list/array"),
        ('{"instances": []}', "No values in 'instances' array"),
        ('{"x": 1}', "Missing 'inputs' or 'instances' key"),
        ('{"instances": [1, 2', "JSON Parse error: Missing a comma or ']' after an array element. at offset: 19"),
        ('{"instances" [1]}', "JSON Parse error: Missing a colon after a name of object member. at offset: 13"),
        ('{"instances": [[1], [[2]]]}', "Expecting shape [1] but got: [1,1]"),
    ],
)
def test_document_errors(text: str, message: str) -> None:
    assert message in error(text, sig(x="DT_INT32"))


def test_classify_bad_input() -> None:
    for text, message in [
        ('{"examples": [{"f": [1, "a"]}]}', "Unexpected element type in feature: f expecting type: int64"),
        ('{"examples": [{"f": {"b64": "!!"}}]}', "Unable to base64 decode"),
        ('{"examples": []}', "'examples' value is an empty array"),
        ('{"context": {"c": null}, "examples": [{}]}', "Feature: c has element with unexpected JSON type: Null"),
        ('{"signature_name": 1, "examples": [{}]}', "'signature_name' key must be a string value."),
    ]:
        with pytest.raises(ValueError) as info:
            serving.regression_request_from_json(text)
        assert message in str(info.value)
