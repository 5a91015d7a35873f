"""Talk to TF Serving without TensorFlow: its REST JSON codec (TF Serving's json_tensor.cc,
in Python) and a gRPC client for its PredictionService (needs the `grpc` extra).

The dtype and shape rules the codec applies are documented in `sigdef.serving.rules`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .request import (
    classification_request_from_json,
    predict_request_and_format_from_json,
    predict_request_from_json,
    regression_request_from_json,
)
from .response import (
    json_from_classification_result,
    json_from_regression_result,
    json_from_status,
    json_from_tensors,
)

if TYPE_CHECKING:
    from .client import Client as Client
    from .client import signature_def_map as signature_def_map

__all__ = [
    "Client",
    "classification_request_from_json",
    "json_from_classification_result",
    "json_from_regression_result",
    "json_from_status",
    "json_from_tensors",
    "predict_request_and_format_from_json",
    "predict_request_from_json",
    "regression_request_from_json",
    "signature_def_map",
]


def __getattr__(name: str) -> Any:
    if name in ("Client", "signature_def_map"):  # grpcio loads only when the client is used
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
