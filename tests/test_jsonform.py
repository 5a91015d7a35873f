"""sigdef.jsonform gives exactly json_format.MessageToDict for every recorded SignatureDef."""

from __future__ import annotations

import pytest
from google.protobuf import json_format

import sigdef
from conformance import recorded
from sigdef.jsonform import signature_to_json


HEX = sorted(set(recorded(lambda node: node["hex"] if isinstance(node.get("hex"), str) else None)))


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
