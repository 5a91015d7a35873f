"""sigdef.jsonform gives exactly json_format.MessageToDict for every recorded SignatureDef."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import json_format

import sigdef
from conformance import load_vectors
from sigdef.jsonform import signature_to_json


def recorded_hex() -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("hex"), str):
                found.append(node["hex"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_vectors()["cases"])
    return sorted(set(found))


HEX = recorded_hex()


@pytest.mark.parametrize("data", HEX)
def test_matches_message_to_dict(data: str) -> None:
    message = sigdef.SignatureDef.FromString(bytes.fromhex(data))
    assert signature_to_json(message) == json_format.MessageToDict(message)


def test_edge_cases_match() -> None:
    message = sigdef.SignatureDef()
    message.inputs["a"].name = ""  # oneof member set to the empty string is still present
    message.inputs["b"].coo_sparse.SetInParent()
    message.inputs["c"].tensor_shape.dim.add(size=0, name="batch")
    message.inputs["d"].dtype = 999  # unknown enum number
    message.outputs["e"].composite_tensor.components.add(name="x:0")
    assert signature_to_json(message) == json_format.MessageToDict(message)
