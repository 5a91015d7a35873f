"""The recorded make_tensor_proto / make_ndarray cases (TF 2.21) and their value encoding
(tests/data/conformance/make_tensor_proto.README.md); SIGDEF_MTP_VECTORS overrides the file."""

from __future__ import annotations

import base64
import importlib.util
import json
import math
import os
from pathlib import Path
from typing import Any

from sigdef.protos import TensorProto

PATH = Path(os.environ.get("SIGDEF_MTP_VECTORS", Path(__file__).resolve().parent / "data" / "conformance" / "make_tensor_proto.json"))
HAVE_NUMPY = importlib.util.find_spec("numpy") is not None and importlib.util.find_spec("ml_dtypes") is not None
NUMPY_KEYS = ("$ndarray", "$npscalar")


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PATH.read_text("utf-8"))
    return data


def needs_numpy(case: dict[str, Any]) -> bool:
    """Cases whose arguments hold numpy values, and every make_ndarray case."""
    if case["fn"] == "make_ndarray":
        return True
    text = json.dumps(case["args"])
    return any(key in text for key in NUMPY_KEYS)


def parse_dtype(name: str) -> Any:
    import ml_dtypes  # noqa: F401 - registers bfloat16 & co. with numpy
    import numpy as np

    if name.startswith("[("):
        field, code = name[3:-3].split("', '")
        return np.dtype([(field, code)])
    return np.dtype(name)


def decode(value: Any) -> Any:
    """A Python (or numpy) value from its JSON encoding."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    ((key, inner),) = value.items()
    if key == "$float":
        return float(inner)
    if key == "$bytes":
        return base64.b64decode(inner)
    if key == "$bytearray":
        return bytearray(base64.b64decode(inner))
    if key == "$complex":
        return complex(decode(inner[0]), decode(inner[1]))
    if key == "$tuple":
        return tuple(decode(v) for v in inner)
    if key == "$tensorproto":
        return TensorProto.FromString(bytes.fromhex(inner))
    import numpy as np

    if key == "$npscalar":
        dtype = parse_dtype(inner["dtype"])
        if dtype.kind in "SU":
            return dtype.type(decode(inner["value"]))
        return np.array(decode(inner["value"]), dtype)[()]
    if key == "$ndarray":
        dtype = parse_dtype(inner["dtype"])
        if "items" in inner:
            flat = np.empty(len(inner["items"]), dtype=object)
            for i, item in enumerate(inner["items"]):
                flat[i] = decode(item)
            return flat.reshape(inner["shape"])
        a = np.frombuffer(base64.b64decode(inner["data_b64"]), dtype=dtype).reshape(inner["shape"]).copy()
        layout = inner.get("layout")
        if layout == "F":
            return np.asfortranarray(a)
        if layout == "strided":
            return np.repeat(a, 2, axis=a.ndim - 1)[..., ::2]
        if layout == "reversed":
            return np.ascontiguousarray(a[::-1])[::-1]
        return a
    raise ValueError(f"unknown encoding {key}")


def outcome_mtp(fn: Any, args: dict[str, Any]) -> dict[str, Any]:
    """What make_tensor_proto does with a case's arguments, in the recorded form."""
    from google.protobuf import text_format

    try:
        proto = fn(
            decode(args["values"]),
            args["dtype"],
            decode(args["shape"]),
            verify_shape=args["verify_shape"],
            allow_broadcast=args["allow_broadcast"],
        )
    except Exception as e:  # noqa: BLE001 - the recorded outcome is the exception
        return {"ok": False, "error": type(e).__name__, "message": str(e)}
    return {"ok": True, "hex": proto.SerializeToString(deterministic=True).hex(), "text": text_format.MessageToString(proto)}


def _element(x: Any) -> Any:
    import numpy as np

    if isinstance(x, bytes):
        return {"$bytes": base64.b64encode(x).decode()}
    if isinstance(x, str):
        return x
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, tuple):
        return [int(v) for v in x]
    if isinstance(x, (complex, np.complexfloating)):
        return [_element(float(x.real)), _element(float(x.imag))]
    if isinstance(x, (int, np.integer)):
        return int(x)
    f = float(x)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f


def outcome_nd(fn: Any, args: dict[str, Any]) -> dict[str, Any]:
    """What make_ndarray does with a case's proto, in the recorded form."""
    import numpy as np

    try:
        arr = fn(TensorProto.FromString(bytes.fromhex(args["tensor_hex"])))
    except Exception as e:  # noqa: BLE001
        return {"ok": False, "error": type(e).__name__, "message": str(e)}
    result: dict[str, Any] = {"ok": True, "dtype": str(arr.dtype), "shape": list(arr.shape)}
    flat = arr.reshape(-1)
    if arr.dtype.fields is not None:
        result["values"] = [_element(tuple(x.item())) for x in flat]
    elif arr.dtype.kind == "V" or type(arr.dtype.type).__module__ == "ml_dtypes" or arr.dtype.type.__module__ == "ml_dtypes":
        kind = np.dtype(arr.dtype).name
        as_int = kind.startswith(("int", "uint"))
        result["values"] = [_element(int(x) if as_int else float(x)) for x in flat]
    else:
        result["values"] = [_element(x.item() if hasattr(x, "item") and arr.dtype != object else x) for x in flat]
    if arr.dtype != object:
        result["data_b64"] = base64.b64encode(arr.tobytes()).decode()
    return result
