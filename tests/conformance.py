"""Replay helpers for the TensorFlow 2.21 conformance vectors (see test_conformance.py)."""

from __future__ import annotations

import json
import re
from typing import Any

import sigdef
from sigdef import tensors

from datafiles import VECTORS


OP_TYPES = {
    "placeholder": "Placeholder",
    "placeholder_with_default": "PlaceholderWithDefault",
    "identity": "Identity",
    "identity_n": "IdentityN",
    "string_length_float": "Cast",
}


def load_vectors() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VECTORS.read_text("utf-8"))
    return data


def recorded(match: Any) -> list[Any]:
    """Every value `match(node)` returns (not None) for the dicts anywhere in the vectors' cases."""
    found: list[Any] = []
    stack: list[Any] = [load_vectors()["cases"]]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            value = match(node)
            if value is not None:
                found.append(value)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def make_tensors(specs: list[dict[str, Any]]) -> dict[str, Any]:
    """The recorded TF objects of a case as sigdef tensor-likes, by name."""
    objects: dict[str, Any] = {}
    for spec in specs:
        objects[spec["name"]] = make_tensor(spec, objects)
    return objects


def make_tensor(spec: dict[str, Any], objects: dict[str, Any]) -> Any:
    """The sigdef tensor-like standing for one recorded TF object (`of` = the tensors its op reads)."""
    kind = spec["kind"]
    of = spec.get("of")
    inputs = [objects[o] for o in ([of] if isinstance(of, str) else of or [])]
    if kind in OP_TYPES:
        return tensors.tensor(spec["tensor_name"], spec["dtype"], spec["shape"], op_type=OP_TYPES[kind], inputs=inputs)
    if kind in ("const", "eager_const"):
        return tensors.constant(spec["value"], spec["dtype"], spec["shape"], name=spec["tensor_name"] or spec["name"] + ":0")
    if kind == "sparse_placeholder":
        c = spec["components"]
        return tensors.sparse_tensor(spec["name"], spec["dtype"], spec["shape"], values=c["values"], indices=c["indices"], dense_shape=c["dense_shape"])
    if kind == "ragged_placeholder":
        c = spec["components"]
        return tensors.ragged_tensor(spec["name"], spec["dtype"], spec["shape"], ragged_rank=spec["ragged_rank"], flat_values=c["flat_values"], row_splits=c["row_splits"])
    if kind == "resource_variable":
        return tensors.variable(spec["tensor_name"], spec["dtype"], spec["shape"])
    if kind == "ref_variable":
        return tensors.variable(spec["tensor_name"], spec["dtype"].removesuffix("_ref"), spec["shape"], ref=True)
    if kind == "no_op":
        return tensors.op(spec["op_name"], spec["op_type"])
    if kind == "metric_mean":
        return tuple(tensors.tensor(e["tensor_name"], e["dtype"], e["shape"], op_type="Identity", inputs=inputs) for e in spec["elements"])
    raise NotImplementedError(f"tensor kind {kind!r}")


def decode(value: Any, objects: dict[str, Any]) -> Any:
    """Decode the vectors' argument encoding into sigdef values."""
    from google.protobuf import json_format

    if isinstance(value, list):
        return [decode(v, objects) for v in value]
    if not isinstance(value, dict):
        return value
    if "$tensor" in value:
        return objects[value["$tensor"]]
    if "$tensor_info_of" in value:
        return sigdef.build_tensor_info(objects[value["$tensor_info_of"]])
    if "$tensor_info_of_op" in value:
        return sigdef.build_tensor_info_from_op(objects[value["$tensor_info_of_op"]])
    if "$tensor_info" in value:
        return json_format.ParseDict(value["$tensor_info"], sigdef.TensorInfo())
    if "$signature_def" in value:
        return json_format.ParseDict(value["$signature_def"], sigdef.SignatureDef())
    if "$dict" in value:
        return {_key(decode(k, objects)): decode(v, objects) for k, v in value["$dict"]}
    if "$tuple" in value:
        return tuple(decode(v, objects) for v in value["$tuple"])
    if "$list" in value:
        return [decode(v, objects) for v in value["$list"]]
    if "$bytes_hex" in value:
        return bytes.fromhex(value["$bytes_hex"])
    if "$export_output" in value:
        cls = getattr(sigdef, value["$export_output"].rsplit(".", 1)[-1])
        return cls(**{k: decode(v, objects) for k, v in value["kwargs"].items()})
    raise NotImplementedError(f"argument encoding {sorted(value)}")


def _key(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


_TF_CLASS = re.compile(r"<class\\ 'tensorflow\\\.[^']*'>")
_TF_TENSOR_TYPES = re.compile(r"'(SymbolicTensor|EagerTensor)'")


def message_pattern(expected: str) -> re.Pattern[str]:
    """The exact message, except that TF class paths (which name TF's own classes) match
    whichever sigdef class was passed, and TF's tensor class names match sigdef's `Tensor`."""
    pattern = _TF_CLASS.sub(lambda _: r"<class 'sigdef\.[\w.]+'>", re.escape(expected))
    pattern = _TF_TENSOR_TYPES.sub("'Tensor'", pattern)
    return re.compile(pattern, re.DOTALL)


PYTHON_TYPES = {"Tensor": "Tensor", "SparseTensor": "SparseTensor", "RaggedTensor": "RaggedTensor", "Variable": "ResourceVariable"}


def describe(value: Any) -> Any:
    """A recorded-style description of an export output's attribute."""
    if value is None:
        return None
    if isinstance(value, dict):
        return [[k, describe(v)] for k, v in value.items()]
    dims = value.shape.dims
    return {
        "dtype": value.dtype.python_name,
        "python_type": PYTHON_TYPES[type(value).__name__],
        "shape": None if dims is None else list(dims),
        "tensor_name": value.name,
    }
