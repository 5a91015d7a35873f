"""Replays tests/data/conformance/serving_json.json (TF Serving's json_tensor_test.cc calls)
through sigdef.serving, with the compare modes its README defines."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import text_format
from google.protobuf.message import Message

from sigdef import protos, serving

DATA = Path(os.environ.get("SIGDEF_SERVING_JSON", Path(__file__).parent / "data" / "conformance" / "serving_json.json"))
CASES = json.loads(DATA.read_text("utf-8"))["cases"]


def _signature(spec: dict[str, Any]) -> dict[str, protos.TensorInfo]:
    infos = {}
    for name, info in spec.items():
        tensor_info = protos.TensorInfo(dtype=protos.DataType.Value(info["dtype"]))
        if info["shape"] is not None:
            for size in info["shape"]:
                tensor_info.tensor_shape.dim.add(size=size)
        infos[name] = tensor_info
    return infos


def _json_text(case: dict[str, Any]) -> str:
    if "json" in case:
        text: str = case["json"]
        return text
    g = case["json_generator"]
    assert g["kind"] == "nested_list"
    return str(g["prefix"] + "[" * g["depth"] + g["leaf"] + "]" * g["depth"] + g["suffix"])


class _Number(str):
    """A number token's source text (json_values_as_strings)."""


def _json_equal(a: Any, b: Any) -> bool:
    """rapidjson Value ==: key order ignored, numbers by value (as doubles if either is one)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_json_equal, a, b))
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b) if isinstance(a, float) or isinstance(b, float) else a == b
    return type(a) is type(b) and bool(a == b)


def _parse_as_strings(text: str) -> Any:
    return json.loads(text, parse_float=_Number, parse_int=_Number, parse_constant=_Number)


def _compare_json(mode: str, ours: str, expected: str) -> None:
    if mode == "exact":
        assert ours == expected
    elif mode == "json":
        assert _json_equal(json.loads(ours), json.loads(expected)), (ours, expected)
    else:
        assert mode == "json_values_as_strings"
        a, b = _parse_as_strings(ours), _parse_as_strings(expected)
        assert _strings_equal(a, b), (ours, expected)


def _strings_equal(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_strings_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_strings_equal, a, b))
    return type(a) is type(b) and a == b


def _approximately_equal(a: Any, b: Any, nan_equal: bool) -> bool:
    """MessageDifferencer::ApproximatelyEquals (maps compared without order)."""
    if isinstance(a, Message):
        fields_a = {f.name: v for f, v in a.ListFields()}
        fields_b = {f.name: v for f, v in b.ListFields()}
        if fields_a.keys() != fields_b.keys():
            return False
        return all(_approximately_equal(fields_a[k], fields_b[k], nan_equal) for k in fields_a)
    if hasattr(a, "keys") and hasattr(b, "keys"):
        return set(a.keys()) == set(b.keys()) and all(_approximately_equal(a[k], b[k], nan_equal) for k in a.keys())
    if hasattr(a, "__len__") and not isinstance(a, (str, bytes)):
        return len(a) == len(b) and all(_approximately_equal(x, y, nan_equal) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return nan_equal and math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=0.0) or a == b
    return bool(a == b)


def _check_error(case: dict[str, Any], call: Any) -> None:
    with pytest.raises(ValueError) as info:
        call()
    assert case["expect"]["message_contains"] in str(info.value)


def _request_case(case: dict[str, Any], fn: Any, cls: Any) -> None:
    expect = case["expect"]
    text = _json_text(case)
    if not expect["ok"]:
        _check_error(case, lambda: fn(text))
        return
    ours = fn(text)
    wanted = text_format.Parse(expect["request_text"], cls())
    mode = expect.get("proto_compare", "serialized_bytes")
    if mode == "serialized_bytes":
        assert ours.SerializeToString(deterministic=True) == wanted.SerializeToString(deterministic=True), ours
    else:
        assert _approximately_equal(ours, wanted, mode == "approximate_nan_equal"), ours


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    fn, expect = case["fn"], case["expect"]
    if fn == "predict_request_from_json":
        signature = _signature(case["signature"])
        text = _json_text(case)
        if not expect["ok"]:
            _check_error(case, lambda: serving.predict_request_from_json(text, signature))
            return
        request, format = serving.predict_request_and_format_from_json(text, signature)
        assert format == expect["format"]
        assert len(request.inputs) == expect["inputs_count"]
        assert request.model_spec.signature_name == expect.get("signature_name", "")
        mode = expect.get("proto_compare", "serialized_bytes")
        for name, tensor_text in expect["inputs"].items():
            wanted = text_format.Parse(tensor_text, protos.TensorProto())
            if mode == "serialized_bytes":
                assert request.inputs[name].SerializeToString() == wanted.SerializeToString(), (name, request.inputs[name])
            else:
                assert _approximately_equal(request.inputs[name], wanted, mode == "approximate_nan_equal")
        assert serving.predict_request_from_json(text, signature) == request
    elif fn == "classification_request_from_json":
        _request_case(case, serving.classification_request_from_json, protos.ClassificationRequest)
    elif fn == "regression_request_from_json":
        _request_case(case, serving.regression_request_from_json, protos.RegressionRequest)
    elif fn == "json_from_tensors":
        tensors = {name: text_format.Parse(t, protos.TensorProto()) for name, t in case["tensors"].items()}
        if not expect["ok"]:
            _check_error(case, lambda: serving.json_from_tensors(tensors, case["format"]))
            return
        _compare_json(expect["compare"], serving.json_from_tensors(tensors, case["format"]), expect["json"])
    elif fn in ("json_from_classification_result", "json_from_regression_result"):
        cls = protos.ClassificationResult if fn == "json_from_classification_result" else protos.RegressionResult
        result = text_format.Parse(case["result_text"], cls())
        call = getattr(serving, fn)
        if not expect["ok"]:
            _check_error(case, lambda: call(result))
            return
        _compare_json(expect["compare"], call(result), expect["json"])
    else:
        assert fn == "json_from_status", fn
        status = case["status"]
        _compare_json(expect["compare"], serving.json_from_status(status["code"], status["message"]), expect["json"])


def test_every_case_has_a_known_function() -> None:
    known = {
        "predict_request_from_json",
        "classification_request_from_json",
        "regression_request_from_json",
        "json_from_tensors",
        "json_from_classification_result",
        "json_from_regression_result",
        "json_from_status",
    }
    assert {c["fn"] for c in CASES} <= known
    assert len(CASES) >= 52
