"""SignatureDef -> proto3 JSON, exactly as `json_format.MessageToDict`, without its
reflection overhead (validation runs on this form)."""

from __future__ import annotations

from typing import Any

from .types import BY_NUMBER

__all__ = ["signature_to_json", "tensor_info_to_json"]


def signature_to_json(signature_def: Any) -> dict[str, Any]:
    """The proto3-JSON dict of a SignatureDef (ours or TensorFlow's)."""
    if not all(hasattr(signature_def, field) for field in ("inputs", "outputs", "method_name", "defaults")):
        raise TypeError(f"Expected a SignatureDef or its proto3-JSON dict, got {type(signature_def).__name__}: {signature_def!r:.80}")
    document: dict[str, Any] = {}
    if signature_def.inputs:
        document["inputs"] = {key: tensor_info_to_json(info) for key, info in signature_def.inputs.items()}
    if signature_def.outputs:
        document["outputs"] = {key: tensor_info_to_json(info) for key, info in signature_def.outputs.items()}
    if signature_def.method_name:
        document["methodName"] = signature_def.method_name
    if signature_def.defaults:
        from google.protobuf import json_format

        document["defaults"] = {key: json_format.MessageToDict(value) for key, value in signature_def.defaults.items()}
    return document


def tensor_info_to_json(info: Any) -> dict[str, Any]:
    """The proto3-JSON dict of a TensorInfo."""
    document: dict[str, Any] = {}
    encoding = info.WhichOneof("encoding")
    if encoding == "name":
        document["name"] = info.name
    elif encoding == "coo_sparse":
        sparse = info.coo_sparse
        document["cooSparse"] = {
            json_name: value
            for json_name, value in (
                ("valuesTensorName", sparse.values_tensor_name),
                ("indicesTensorName", sparse.indices_tensor_name),
                ("denseShapeTensorName", sparse.dense_shape_tensor_name),
            )
            if value
        }
    elif encoding == "composite_tensor":
        from google.protobuf import json_format

        document["compositeTensor"] = json_format.MessageToDict(info.composite_tensor)
    if info.dtype:
        entry = BY_NUMBER.get(info.dtype)
        document["dtype"] = entry.name if entry else info.dtype
    if info.HasField("tensor_shape"):
        document["tensorShape"] = _shape(info.tensor_shape)
    return document


def _shape(shape: Any) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if shape.dim:
        dims = []
        for dim in shape.dim:
            entry: dict[str, Any] = {}
            if dim.size:
                entry["size"] = str(dim.size)
            if dim.name:
                entry["name"] = dim.name
            dims.append(entry)
        document["dim"] = dims
    if shape.unknown_rank:
        document["unknownRank"] = True
    return document
