"""Replay every recorded TensorFlow 2.21 call through sigdef: one test per case, id = case id.

Results are compared as serialized bytes (deterministic), text format, proto3 JSON and
`is_valid_signature`; errors as exception type and exact message (TF class paths inside a
message match the sigdef class passed instead; protobuf-runtime texts are upb's own).
"""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import json_format, text_format

import sigdef
from conformance import decode, describe, load_vectors, make_tensors, message_pattern

VECTORS = load_vectors()
CASES = VECTORS["cases"]

# Behaviour that exists only because TF executes eagerly; sigdef has no eager mode.
EAGER_ONLY = {"eager/err-regress-eager", "eager/err-predict-eager"}


def call(case: dict[str, Any]) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    objects = make_tensors(case["tensors"])
    function = getattr(sigdef, case["fn"].rsplit(".", 1)[-1], None)
    if function is None:
        pytest.skip(f"{case['fn']} is not part of sigdef yet")
    args = {k: decode(v, objects) for k, v in case["args"].items()}
    return function, args, objects


def check(result: dict[str, Any], produce: Any) -> None:
    if "error" in result:
        expected = result["error"]
        with pytest.raises(Exception) as caught:
            produce()
        assert type(caught.value).__name__ == expected["type"]
        assert message_pattern(expected["message"]).fullmatch(str(caught.value)), str(caught.value)
        return
    value = produce()
    if "value" in result:
        assert value is result["value"]
    elif "signature_def" in result:
        expected = result["signature_def"]
        assert value.SerializeToString(deterministic=True).hex() == expected["hex"]
        assert text_format.MessageToString(value) == expected["text"]
        assert json_format.MessageToDict(value) == expected["json"]
        assert sigdef.is_valid_signature(value) is expected["is_valid_signature"]
    elif "signature_def_map" in result:
        assert sorted(value) == sorted(k for k, _ in result["signature_def_map"])
        for key, signature in result["signature_def_map"]:
            check({"signature_def": signature}, lambda key=key: value[key])
    elif "export_output" in result:
        expected = dict(result["export_output"])
        assert type(value).__name__ == expected.pop("class")
        for name, description in expected.items():
            assert describe(getattr(value, name)) == description, name
    else:
        pytest.fail(f"unknown result kind {sorted(result)}")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    if case["id"] in EAGER_ONLY:
        pytest.skip("eager-only: TF raises because it executes eagerly; sigdef has no eager mode")
    function, args, objects = call(case)
    made: list[Any] = []
    check(case["result"], lambda: made.append(function(**args)) or made[0])
    for follow_up in case.get("then", []):
        method = getattr(made[0], follow_up["method"])
        follow_args = {k: decode(v, objects) for k, v in follow_up["args"].items()}
        check(follow_up["result"], lambda: method(**follow_args))
