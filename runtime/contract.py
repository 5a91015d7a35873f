"""A model's serving contract: its signatures as JSON Schema 2020-12, by TF Serving's REST rules.

The rules are those of TF Serving's REST codec (`json_tensor.cc`): a predict body is
`{"signature_name"?, "instances": [...]}` (row form: one item per batch element, the batch
dimension dropped; a single input may be given bare) or `{"signature_name"?, "inputs": ...}`
(columnar form: whole tensors; a single input may be given bare); DT_STRING is a string or
`{"b64": ...}`; integer dtypes are integers, float dtypes numbers, DT_BOOL booleans. A
classify or regress body is `{"signature_name"?, "context"?, "examples": [...]}` of
tf.Example feature maps.

Two modes. `strict` enforces the declared shapes (known dimensions as exact array lengths,
-1 as any, rank as nesting depth) and each dtype's value range: it matches TF's Python
session, which refuses a feed whose shape contradicts the placeholder's. `lenient` checks
dtypes and structure only: it matches TF Serving's C++ session, which does not enforce a
placeholder's static shape (TF Serving's half_plus_three declares `()` and serves
`{"instances": [1.0, 2.0, 5.0]}`).

What JSON Schema cannot state, and the codec enforces: that the lengths of a `-1` (or, in
lenient mode, any) dimension agree across sibling arrays and across instances; that an
integer dtype gets an integer *token* (`1.0` is an integer to JSON Schema, not to TF
Serving); the NaN/Infinity tokens TF Serving accepts for float dtypes (JSON has no such
numbers, so the contract's finite bounds refuse them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .protos import MetaGraphDef, SignatureDef, TensorInfo
from .types import BY_NUMBER

__all__ = [
    "MODES",
    "UNSUPPORTED",
    "ContractError",
    "element_schema",
    "example_body",
    "request_schema",
    "response_schema",
    "served_name",
    "signature_verbs",
    "tensor_dims",
    "tensor_schema",
]

MODES = ("strict", "lenient")
PREDICT, CLASSIFY, REGRESS = "tensorflow/serving/predict", "tensorflow/serving/classify", "tensorflow/serving/regress"
VERBS = {"predict": PREDICT, "classify": CLASSIFY, "regress": REGRESS}
DEFAULT_SIGNATURE = "serving_default"

_FLOAT32_MAX = 3.4028234663852886e38
_FLOAT64_MAX = 1.7976931348623157e308
# Integers a float dtype holds exactly; the codec refuses integer tokens beyond (IsLosslessDecimal).
_EXACT_INT = {"DT_FLOAT": 2**24 - 1, "DT_DOUBLE": 2**53 - 1}
_INT_RANGES = {
    "DT_INT8": (-(2**7), 2**7 - 1),
    "DT_UINT8": (0, 2**8 - 1),
    "DT_INT16": (-(2**15), 2**15 - 1),
    "DT_INT32": (-(2**31), 2**31 - 1),
    "DT_INT64": (-(2**63), 2**63 - 1),
    "DT_UINT32": (0, 2**32 - 1),
    "DT_UINT64": (0, 2**64 - 1),
}
# The codec's own int range where it is wider than the dtype's (it reads int8/int16/uint8 as int32).
_CODEC_INT_RANGES = {"DT_INT8": _INT_RANGES["DT_INT32"], "DT_UINT8": _INT_RANGES["DT_INT32"], "DT_INT16": _INT_RANGES["DT_INT32"]}
UNSUPPORTED = "cannot be carried in TF Serving's REST JSON (its codec converts no JSON value to this dtype)"
B64 = {"type": "object", "properties": {"b64": {"type": "string"}}, "required": ["b64"], "additionalProperties": False}


class ContractError(ValueError):
    """A model or argument no contract can be made from; `str()` is one line."""


class Components:
    """Named schemas of one document (`#/components/schemas/NAME`), shared by every use."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def ref(self, name: str, schema: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """A `$ref` to `name`, defining it from `schema()` on first use."""
        if name not in self.schemas:
            self.schemas[name] = {}  # placed first: a recursive schema refers to itself
            self.schemas[name] = schema()
        return {"$ref": f"#/components/schemas/{name}"}


def dtype_name(dtype: int) -> str:
    """`DT_FLOAT` for 1; `DT_<n>` for numbers the DataType enum does not name."""
    entry = BY_NUMBER.get(dtype)
    return entry.name if entry is not None else f"DT_{dtype}"


def element_schema(dtype: int, mode: str = "strict") -> dict[str, Any] | None:
    """One scalar of `dtype` in JSON, or None when TF Serving's JSON cannot carry it."""
    name = dtype_name(dtype)
    if name == "DT_STRING":
        return {"if": {"type": "object"}, "then": B64, "else": {"type": "string"}}
    if name == "DT_BOOL":
        return {"type": "boolean"}
    if name in _INT_RANGES:
        low, high = _INT_RANGES[name] if mode == "strict" else _CODEC_INT_RANGES.get(name, _INT_RANGES[name])
        return {"type": "integer", "minimum": low, "maximum": high}
    if name in _EXACT_INT:
        bound, exact = (_FLOAT32_MAX if name == "DT_FLOAT" else _FLOAT64_MAX), _EXACT_INT[name]
        return {
            "type": "number",
            "minimum": -bound,
            "maximum": bound,
            "if": {"type": "integer"},
            "then": {"minimum": -exact, "maximum": exact},
        }
    return None


def tensor_dims(info: TensorInfo) -> list[int] | None:
    """The declared dimensions (-1 for unknown ones), or None for an unknown rank."""
    if not info.HasField("tensor_shape") or info.tensor_shape.unknown_rank:
        return None
    return [d.size for d in info.tensor_shape.dim]


def tensor_schema(components: Components, dtype: int, dims: Sequence[int] | None, mode: str) -> dict[str, Any]:
    """A tensor of `dims` as nested JSON arrays of `dtype` values (`dims` None: any rank)."""
    element = _element(components, dtype, mode)
    if dims is None or mode == "lenient":
        name = f"{dtype_name(dtype)}.{mode}.any_rank"
        return components.ref(name, lambda: {"if": {"type": "array"}, "then": {"items": {"$ref": f"#/components/schemas/{name}"}}, "else": element})
    schema = element
    for size in reversed(dims):
        array: dict[str, Any] = {"type": "array", "items": schema}
        if size >= 0:
            array["minItems"] = array["maxItems"] = size
        schema = array
    return schema


def _element(components: Components, dtype: int, mode: str) -> dict[str, Any]:
    def schema() -> dict[str, Any]:
        element = element_schema(dtype, mode)
        if element is None:
            return {"not": {}, "description": f"{dtype_name(dtype)} {UNSUPPORTED}"}
        return {**element, "description": f"one {dtype_name(dtype)} value"}

    return components.ref(f"{dtype_name(dtype)}.{mode}", schema)


def signature_verbs(signature: SignatureDef) -> list[str]:
    """The REST verbs TF Serving serves a signature under: predict always; classify/regress by method."""
    verbs = ["predict"]
    if signature.method_name == CLASSIFY:
        verbs.append("classify")
    if signature.method_name == REGRESS:
        verbs.append("regress")
    return verbs


def unsupported_inputs(signature: SignatureDef) -> list[str]:
    """Input names whose dtype TF Serving's JSON cannot carry."""
    return [name for name, info in sorted(signature.inputs.items()) if element_schema(info.dtype) is None]


def request_schema(components: Components, key: str, signature: SignatureDef, verb: str, mode: str = "strict") -> dict[str, Any]:
    """The JSON Schema of a `:verb` request body aimed at signature `key`."""
    if mode not in MODES:
        raise ContractError(f"--mode: {mode!r} is not one of {', '.join(MODES)}")
    properties: dict[str, Any] = {"signature_name": {"const": key}}
    required: list[str] = [] if key == DEFAULT_SIGNATURE else ["signature_name"]
    if verb == "predict":
        return _predict_request(components, signature, mode, properties, required)
    example = components.ref("Example", lambda: _EXAMPLE)
    properties["context"] = example
    properties["examples"] = {"type": "array", "minItems": 1, "items": example}
    return {"type": "object", "properties": properties, "required": [*required, "examples"], "additionalProperties": False}


def _predict_request(components: Components, signature: SignatureDef, mode: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    inputs = sorted(signature.inputs.items())
    if not inputs:
        # TF Serving: "Failed to get input map for signature"; no body reaches the model.
        return {"not": {}, "description": "the signature has no inputs: TF Serving refuses every predict body for it"}
    whole: dict[str, dict[str, Any]] = {}
    rows: dict[str, dict[str, Any]] = {}
    for input_name, info in inputs:
        dims = tensor_dims(info)
        whole[input_name] = tensor_schema(components, info.dtype, dims, mode)
        if mode == "strict" and dims == []:
            rows[input_name] = {"not": {}, "description": "a scalar input has no batch dimension for the row form"}
        else:
            rows[input_name] = tensor_schema(components, info.dtype, None if dims is None else dims[1:], mode)
    base = {"type": "object", "additionalProperties": False}
    instances = {**properties, "instances": {"type": "array", "minItems": 1, "items": _named_or_bare(rows)}}
    columnar = {**properties, "inputs": _named_or_bare(whole)}
    # As the codec: "instances" makes the row form, otherwise the columnar form ("inputs" required).
    return {
        "type": "object",
        "if": {"required": ["instances"]},
        "then": {**base, "properties": instances, "required": [*required, "instances"]},
        "else": {**base, "properties": columnar, "required": [*required, "inputs"]},
    }


def _named_or_bare(tensors: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """An object of every named input; with one input, also that input's value alone."""
    named = {"type": "object", "properties": dict(tensors), "required": list(tensors), "additionalProperties": False}
    if len(tensors) > 1:
        return named
    (value,) = tensors.values()
    # The codec takes any object but {"b64": ...} as named inputs, anything else as the value.
    return {"if": {"type": "object", "not": B64}, "then": named, "else": value}


# One tf.Example feature map (json_tensor.cc MakeExampleFromJsonObject): a value or a list of
# values per feature; strings and {"b64"} make bytes_list, integer tokens and booleans int64_list,
# other numbers float_list; one kind per feature; no nulls, no nested lists.
_FEATURE_SCALAR = {"if": {"type": "object"}, "then": B64, "else": {"type": ["string", "boolean", "number"]}}
_FEATURE_LISTS = [
    {"type": "array", "items": {"if": {"type": "object"}, "then": B64, "else": {"type": "string"}}},
    {"type": "array", "items": {"anyOf": [{"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}, {"type": "boolean"}]}},
    {"type": "array", "items": {"type": "number", "minimum": -_FLOAT32_MAX, "maximum": _FLOAT32_MAX}},
]
_EXAMPLE = {"type": "object", "additionalProperties": {"if": {"type": "array"}, "then": {"anyOf": _FEATURE_LISTS}, "else": _FEATURE_SCALAR}}


def response_schema(components: Components, signature: SignatureDef, verb: str, mode: str = "strict") -> dict[str, Any]:
    """The JSON Schema of a successful `:verb` response for this signature (TF Serving's writer)."""
    if verb == "classify":
        pair = {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "minItems": 2, "maxItems": 2}
        return _object({"results": {"type": "array", "items": {"type": "array", "items": pair}}})
    if verb == "regress":
        return _object({"results": {"type": "array", "items": {"type": "number"}}})
    whole, rows = {}, {}
    for output_name, info in sorted(signature.outputs.items()):
        element = _output_element(output_name, info.dtype)
        dims = tensor_dims(info)
        whole[output_name] = _nest(element, dims)
        rows[output_name] = _nest(element, None if dims is None else dims[1:])
    if not whole:
        return _object({})
    row = next(iter(rows.values())) if len(rows) == 1 else _object(rows)
    column = next(iter(whole.values())) if len(whole) == 1 else _object(whole)
    return {"oneOf": [_object({"predictions": {"type": "array", "items": row}}), _object({"outputs": column})]}


def _nest(element: dict[str, Any], dims: Sequence[int] | None) -> dict[str, Any]:
    """Output values as TF Serving writes them: arrays by the declared rank (unknown rank: not stated)."""
    if dims is None:
        return {}
    schema = element
    for _ in dims:
        schema = {"type": "array", "items": schema}
    return schema


def _output_element(name: str, dtype: int) -> dict[str, Any]:
    """How TF Serving writes one output value: `_bytes` DT_STRING outputs as b64 objects."""
    kind = dtype_name(dtype)
    if kind == "DT_STRING":
        return B64 if name.endswith("_bytes") else {"type": "string"}
    if kind in ("DT_HALF", "DT_FLOAT", "DT_DOUBLE"):
        return {"type": "number"}  # and the NaN/Infinity tokens, which JSON Schema cannot state
    element = element_schema(dtype)
    if element is None:
        return {"not": {}, "description": f"{kind}: TF Serving cannot write this dtype as JSON"}
    return element


def _object(properties: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": dict(properties), "required": list(properties), "additionalProperties": False}


ERROR_SCHEMA = _object({"error": {"type": "string"}})


def example_body(key: str, signature: SignatureDef, verb: str) -> dict[str, Any]:
    """A body the strict contract accepts: a batch of one, of zeros, "" and false.

    The row form, unless an input is a scalar (it has no batch dimension): then the columnar form.
    """
    body: dict[str, Any] = {} if key == DEFAULT_SIGNATURE else {"signature_name": key}
    if verb != "predict":
        body["examples"] = [{"x": [0.0]}]
        return body
    inputs = sorted(signature.inputs.items())
    row = all(tensor_dims(info) != [] for _, info in inputs)
    values = {}
    for name, info in inputs:
        dims = tensor_dims(info)
        shape = [] if dims is None else (dims[1:] if row else dims)
        value = _example_value(info.dtype)
        for size in reversed(shape):
            value = [value] * (size if size >= 0 else 1)
        values[name] = value
    one: Any = values if len(values) != 1 else next(iter(values.values()))
    if row:
        body["instances"] = [one]
    else:
        body["inputs"] = one
    return body


def _example_value(dtype: int) -> Any:
    name = dtype_name(dtype)
    if name == "DT_STRING":
        return ""
    if name == "DT_BOOL":
        return False
    if name in _EXACT_INT:
        return 0.0
    return 0


def served_name(directory: Path) -> str:
    """The model's name in a TF Serving base path: MODEL/VERSION/saved_model.pb names it MODEL."""
    resolved = directory.resolve()
    return resolved.parent.name if resolved.name.isdigit() and resolved.parent.name else resolved.name


def json_pointer_token(key: str) -> str:
    """`key` as one JSON Pointer reference token (RFC 6901: `~` -> `~0`, `/` -> `~1`)."""
    return key.replace("~", "~0").replace("/", "~1")


def component_name(*parts: str) -> str:
    """An OpenAPI component name (`^[a-zA-Z0-9._-]+$`) made of `parts`."""
    return ".".join(re.sub(r"[^A-Za-z0-9_-]", lambda m: f"-{ord(m.group()):x}-", part) for part in parts)


def meta_graph_signatures(meta_graph: MetaGraphDef, keys: Iterable[str] | None) -> list[tuple[str, SignatureDef]]:
    """The chosen (or every) signature of a MetaGraph, sorted by key."""
    available = dict(meta_graph.signature_def.items())
    if keys is None:
        return sorted(available.items())
    chosen = []
    for key in keys:
        if key not in available:
            raise ContractError(f"--signature_def: no signature {key!r}; the MetaGraph has: {', '.join(sorted(available)) or 'none'}")
        chosen.append((key, available[key]))
    return sorted(chosen)
