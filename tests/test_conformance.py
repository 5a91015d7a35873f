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
from conformance import decode, load_vectors, make_tensor, message_pattern

VECTORS = load_vectors()
CASES = VECTORS["cases"]

# Behaviour that exists only because TF executes eagerly; sigdef has no eager mode.
EAGER_ONLY = {"eager/err-regress-eager", "eager/err-predict-eager"}


def call(case: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    objects = {t["name"]: make_tensor(t) for t in case["tensors"]}
    function = getattr(sigdef, case["fn"].rsplit(".", 1)[-1], None)
    if function is None:
        pytest.skip(f"{case['fn']} is not part of sigdef yet")
    args = {k: decode(v, objects) for k, v in case["args"].items()}
    return function, args


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
    else:
        pytest.fail(f"unknown result kind {sorted(result)}")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    if case["id"] in EAGER_ONLY:
        pytest.skip("eager-only: TF raises because it executes eagerly; sigdef has no eager mode")
    function, args = call(case)
    if "then" in case:
        pytest.skip("export output follow-up calls are not part of sigdef yet")
    check(case["result"], lambda: function(**args))
