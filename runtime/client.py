"""What generated per-model clients (`sigdef-gen client`) call: request values to JSON, a call's
REST body and gRPC request, and response parsing.

The gRPC request is made from the REST body by sigdef's REST codec (`sigdef.serving`), so both
forms of one call always carry the same tensors.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .protos import SignatureDef

__all__ = ["ArrayLike", "Call", "ServingError", "json_value", "outputs_of", "parse_response"]


class ArrayLike(Protocol):
    """A numpy array (or anything with `tolist()`): passed as its nested lists."""

    def tolist(self) -> Any: ...


class ServingError(ValueError):
    """TF Serving answered `{"error": ...}`; `str()` is its message."""


def json_value(value: object) -> Any:
    """A tensor value as TF Serving's JSON: nested lists, bytes as `{"b64": ...}`."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (bytes, bytearray)):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


@dataclass(frozen=True)
class Call:
    """One request to one model: the REST body, its URL path, and the same request for gRPC."""

    verb: str
    model_name: str
    signature_key: str
    signature: SignatureDef = field(repr=False)
    body: dict[str, Any]
    version: int | None = None

    @property
    def path(self) -> str:
        """`/v1/models/NAME[/versions/N]:verb`, relative to the server's REST address."""
        version = f"/versions/{self.version}" if self.version is not None else ""
        return f"/v1/models/{self.model_name}{version}:{self.verb}"

    def json(self) -> str:
        """The REST body as JSON text."""
        return json.dumps(self.body, allow_nan=True)

    def grpc_request(self) -> Any:
        """The PredictRequest / ClassificationRequest / RegressionRequest the body becomes."""
        from . import serving

        text = self.json()
        request: Any
        if self.verb == "predict":
            request = serving.predict_request_from_json(text, self.signature)
        elif self.verb == "classify":
            request = serving.classification_request_from_json(text)
        else:
            request = serving.regression_request_from_json(text)
        request.model_spec.name = self.model_name
        request.model_spec.signature_name = self.signature_key
        if self.version is not None:
            request.model_spec.version.value = self.version
        return request


def parse_response(text: str | bytes) -> Any:
    """A TF Serving REST response as JSON; `{"error": ...}` raises ServingError."""
    document = json.loads(text)
    if isinstance(document, dict) and set(document) == {"error"}:
        raise ServingError(str(document["error"]))
    return document


def outputs_of(document: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """A predict response's outputs by name, from the row (`predictions`) or columnar (`outputs`) form."""
    if "outputs" in document:
        outputs = document["outputs"]
        return dict(outputs) if len(names) != 1 or (isinstance(outputs, dict) and set(outputs) == set(names)) else {names[0]: outputs}
    rows = document.get("predictions")
    if not isinstance(rows, list):
        raise ServingError("response has neither 'outputs' nor 'predictions'")
    if len(names) == 1:
        return {names[0]: rows}
    return {name: [row[name] for row in rows] for name in names}
