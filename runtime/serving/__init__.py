"""Talk to TF Serving without TensorFlow: its REST JSON codec (TF Serving's json_tensor.cc,
in Python) and a gRPC client for its PredictionService (needs the `grpc` extra).

The dtype and shape rules the codec applies are documented in `sigdef.serving.rules`.
Names load on first use (the `sigdef` CLI imports this package's `cli` module cheaply)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Client": "client",
    "classification_request_from_json": "request",
    "json_from_classification_result": "response",
    "json_from_regression_result": "response",
    "json_from_status": "response",
    "json_from_tensors": "response",
    "predict_request_and_format_from_json": "request",
    "predict_request_from_json": "request",
    "regression_request_from_json": "request",
    "signature_def_map": "client",
}

if TYPE_CHECKING:
    from .client import Client as Client
    from .client import signature_def_map as signature_def_map
    from .request import classification_request_from_json as classification_request_from_json
    from .request import predict_request_and_format_from_json as predict_request_and_format_from_json
    from .request import predict_request_from_json as predict_request_from_json
    from .request import regression_request_from_json as regression_request_from_json
    from .response import json_from_classification_result as json_from_classification_result
    from .response import json_from_regression_result as json_from_regression_result
    from .response import json_from_status as json_from_status
    from .response import json_from_tensors as json_from_tensors

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
