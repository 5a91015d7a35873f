"""TF Serving's REST JSON responses from gRPC results, as json_tensor.cc writes them
(MakeJsonFromTensors, MakeJsonFromClassificationResult, MakeJsonFromRegressionResult,
MakeJsonFromStatus): rapidjson's PrettyWriter layout, floats as `jsontext.decimal` prints them,
DT_STRING outputs named "*_bytes" as {"b64": ...}."""

from __future__ import annotations

import base64
import struct
from collections.abc import Mapping
from typing import Any

from .jsontext import PrettyWriter, decimal
from .rules import BYTES_SUFFIX, DT_BOOL, DT_DOUBLE, DT_FLOAT, DT_STRING, JSON_DTYPES, MAX_RANK, dtype_string

__all__ = ["json_from_tensors", "json_from_classification_result", "json_from_regression_result", "json_from_status"]

# tensor_content layouts (little-endian) of the dtypes JSON carries.
_CONTENT = {1: "f", 2: "d", 3: "i", 4: "B", 5: "h", 6: "b", 9: "q", 10: "?", 22: "I", 23: "Q"}


def _values(name: str, tensor: Any) -> list[Any]:
    field = JSON_DTYPES.get(tensor.dtype)
    if field is None:
        return []
    values = list(getattr(tensor, field))
    if not values and tensor.dtype != DT_STRING and tensor.tensor_content:
        code = _CONTENT[tensor.dtype]
        values = list(struct.unpack(f"<{len(tensor.tensor_content) // struct.calcsize(code)}{code}", tensor.tensor_content))
    return values


class _Tensor:
    """One output tensor being written: its values, shape and how its strings are written."""

    def __init__(self, name: str, tensor: Any) -> None:
        self.name = name
        self.dtype = int(tensor.dtype)
        self.shape = [int(d.size) for d in tensor.tensor_shape.dim]
        if len(self.shape) > MAX_RANK:
            raise ValueError(f"Tensor name: {name} has {len(self.shape)} dimensions, more than TensorFlow's {MAX_RANK}")
        self.values = _values(name, tensor)
        self.as_bytes = self.dtype == DT_STRING and name.endswith(BYTES_SUFFIX)
        self.offset = 0

    def write(self, writer: PrettyWriter, dim: int) -> None:
        """AddTensorValues from `dim` on."""
        if dim > len(self.shape) - 1:
            self._one(writer)
            return
        writer.start("[")
        for _ in range(self.shape[dim]):
            if dim == len(self.shape) - 1:
                self._one(writer)
            else:
                self.write(writer, dim + 1)
        writer.end()

    def _one(self, writer: PrettyWriter) -> None:
        """AddSingleValueAndAdvance."""
        if JSON_DTYPES.get(self.dtype) is None:
            raise ValueError(f"Failed to write JSON value for tensor type: {dtype_string(self.dtype)}")
        if self.offset >= len(self.values):
            raise ValueError(f"Tensor name: {self.name} has {len(self.values)} values, fewer than its shape {self.shape} holds")
        value = self.values[self.offset]
        self.offset += 1
        if self.dtype == DT_FLOAT or self.dtype == DT_DOUBLE:
            writer.raw(decimal(value, self.dtype == DT_FLOAT))
        elif self.dtype == DT_STRING:
            if self.as_bytes:
                writer.start("{")
                writer.key("b64")
                writer.string(base64.b64encode(value).decode("ascii"))
                writer.end()
            else:
                writer.string(value.decode("utf-8", "surrogateescape"))
        elif self.dtype == DT_BOOL:
            writer.raw("true" if value else "false")
        else:
            writer.raw(str(value))


def json_from_tensors(tensors: Mapping[str, Any], format: str) -> str:
    """The REST predict response body TF Serving writes for output tensors (a name ->
    TensorProto mapping such as PredictResponse.outputs, sigdef's or TF's protos): "row" ->
    {"predictions": [...]} (one entry per batch item), "columnar" -> {"outputs": ...}."""
    if not tensors:
        raise ValueError("Cannot convert empty tensor map to JSON")
    if format not in ("row", "columnar"):
        raise ValueError("Invalid request format")
    items = [_Tensor(name, tensors[name]) for name in sorted(tensors)]
    writer = PrettyWriter()
    objects = len(items) > 1
    writer.start("{")
    if format == "row":
        batch = -1
        for t in items:
            if not t.shape:
                raise ValueError(f"Tensor name: {t.name} has no shape information ")
            if batch >= 0 and batch != t.shape[0]:
                raise ValueError(f"Tensor name: {t.name} has inconsistent batch size: {t.shape[0]} expecting: {batch}")
            batch = t.shape[0]
        writer.key("predictions")
        writer.start("[")
        for _ in range(batch):
            if objects:
                writer.start("{")
            writer.single_line_arrays = True
            for t in items:
                if objects:
                    writer.key(t.name)
                t.write(writer, 1)
            writer.single_line_arrays = False
            if objects:
                writer.end()
        writer.end()
    else:
        writer.key("outputs")
        if objects:
            writer.start("{")
        for t in items:
            if objects:
                writer.key(t.name)
            t.write(writer, 0)
        if objects:
            writer.end()
    writer.end()
    return writer.text()


def json_from_classification_result(result: Any) -> str:
    """{"results": [[[label, score], ...], ...]} for a ClassificationResult (ours or TF Serving's)."""
    if not len(result.classifications):
        raise ValueError("Cannot convert empty ClassificationResults to JSON")
    writer = PrettyWriter()
    writer.start("{")
    writer.key("results")
    writer.start("[")
    for classifications in result.classifications:
        writer.single_line_arrays = True
        writer.start("[")
        for cls in classifications.classes:
            writer.start("[")
            writer.string(cls.label)
            writer.raw(decimal(cls.score, True))
            writer.end()
        writer.end()
        writer.single_line_arrays = False
    writer.end()
    writer.end()
    return writer.text()


def json_from_regression_result(result: Any) -> str:
    """{"results": [value, ...]} for a RegressionResult (ours or TF Serving's)."""
    if not len(result.regressions):
        raise ValueError("Cannot convert empty RegressionResults to JSON")
    writer = PrettyWriter()
    writer.start("{")
    writer.key("results")
    writer.single_line_arrays = True
    writer.start("[")
    for regression in result.regressions:
        writer.raw(decimal(regression.value, True))
    writer.end()
    writer.end()
    return writer.text()


def json_from_status(code: str | int, message: str) -> str:
    """MakeJsonFromStatus: "" for OK (code "OK" or 0), else {"error": message}."""
    if code in ("OK", 0):
        return ""
    writer = PrettyWriter()
    writer.start("{")
    writer.key("error")
    writer.string(message)
    writer.end()
    return writer.text()
