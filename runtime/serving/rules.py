"""What TF Serving's REST JSON can carry: the dtype and shape rules of its codec
(`tensorflow_serving/util/json_tensor.cc`), in one place for the codec, the CLI and the
OpenAPI contracts built on them.

JSON numbers are classified as rapidjson classifies them (TF Serving parses with rapidjson):
an integer token is an Int (int32), Uint (uint32), Int64 or Uint64 by range; an integer token
outside [-2**63, 2**64) and any token with a fraction or exponent, NaN or Infinity is a Double.

| dtype | JSON value accepted | TensorProto field |
|---|---|---|
| DT_FLOAT | any number (double rounded to float32; beyond float32's range -> +-inf) | float_val |
| DT_DOUBLE | any number | double_val |
| DT_INT32, DT_INT16, DT_INT8, DT_UINT8 | integer token in int32 range (no narrower check) | int_val |
| DT_INT64 | integer token in int64 range | int64_val |
| DT_UINT32 | integer token in [0, 2**32) | uint32_val |
| DT_UINT64 | integer token in [0, 2**64) | uint64_val |
| DT_BOOL | true / false | bool_val |
| DT_STRING | string (its UTF-8 bytes, unvalidated) or {"b64": "<base64>"} | string_val |

Any other dtype (half, bfloat16, complex, quantized, ...) cannot be carried in JSON: TF Serving
answers "Conversion of JSON Value: ... to type: ...". A tensor's shape is the nesting of its
lists, read along first elements; every list at one level has the same length and every leaf
sits at the deepest level. In the row format ("instances") each element is one batch item, all
of one shape; in the columnar format ("inputs") each value is the whole tensor. A tensor has at
most 254 dimensions (TensorFlow's TensorShape limit, which TF Serving's server enforces).
Outputs: the same dtypes, floats printed as `%g` (six digits), or with 9 (float) / 17 (double)
significant digits when six do not round-trip, ".0" appended to whole numbers; DT_STRING
outputs whose name ends in "_bytes" are written as {"b64": ...}.
"""

from __future__ import annotations

from typing import Final

from ..types import BY_NUMBER

__all__ = [
    "JSON_DTYPES",
    "MAX_RANK",
    "INT32",
    "INT64",
    "UINT32",
    "UINT64",
    "dtype_string",
    "json_type",
    "is_int",
    "is_int64",
    "is_uint",
    "is_uint64",
    "is_double",
]

# dtype number -> the TensorProto field holding its values in JSON requests and responses.
JSON_DTYPES: Final[dict[int, str]] = {
    1: "float_val",  # DT_FLOAT
    2: "double_val",  # DT_DOUBLE
    3: "int_val",  # DT_INT32
    4: "int_val",  # DT_UINT8
    5: "int_val",  # DT_INT16
    6: "int_val",  # DT_INT8
    7: "string_val",  # DT_STRING
    9: "int64_val",  # DT_INT64
    10: "bool_val",  # DT_BOOL
    22: "uint32_val",  # DT_UINT32
    23: "uint64_val",  # DT_UINT64
}
DT_FLOAT, DT_DOUBLE, DT_STRING, DT_INT64, DT_BOOL, DT_UINT32, DT_UINT64 = 1, 2, 7, 9, 10, 22, 23
INT_VAL_DTYPES: Final = frozenset({3, 4, 5, 6})
MAX_RANK: Final = 254  # TensorShape::MaxDimensions()

# Integer ranges as half-open (low, high) intervals.
INT32: Final = (-(2**31), 2**31)
UINT32: Final = (0, 2**32)
INT64: Final = (-(2**63), 2**63)
UINT64: Final = (0, 2**64)
BASE64_KEY: Final = "b64"
BYTES_SUFFIX: Final = "_bytes"

_SPECIAL_NAMES: Final = {"float32": "float", "float64": "double", "float16": "half"}


def dtype_string(number: int) -> str:
    """TensorFlow's DataTypeString: "float", "double", "half", "int32", "string", "float_ref", ..."""
    ref = number > 100
    entry = BY_NUMBER.get(number - 100 if ref else number)
    if entry is None or entry.python_name is None:
        return f"unknown dtype enum ({number})"
    name = _SPECIAL_NAMES.get(entry.python_name, entry.python_name)
    return name + "_ref" if ref else name


def json_type(value: object) -> str:
    """rapidjson's type name of a parsed JSON value (JsonTypeString)."""
    if value is None:
        return "Null"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, dict):
        return "Object"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, str):
        return "String"
    return "Number"


def is_int(value: object) -> bool:
    """rapidjson IsInt: an integer token in int32 range."""
    return type(value) is int and INT32[0] <= value < INT32[1]


def is_uint(value: object) -> bool:
    """rapidjson IsUint: an integer token in [0, 2**32)."""
    return type(value) is int and UINT32[0] <= value < UINT32[1]


def is_int64(value: object) -> bool:
    """rapidjson IsInt64: an integer token in int64 range."""
    return type(value) is int and INT64[0] <= value < INT64[1]


def is_uint64(value: object) -> bool:
    """rapidjson IsUint64: an integer token in [0, 2**64)."""
    return type(value) is int and UINT64[0] <= value < UINT64[1]


def is_double(value: object) -> bool:
    """rapidjson IsDouble: a number with a fraction, exponent, NaN/Infinity, or an integer
    token too large for (u)int64."""
    return type(value) is float or (type(value) is int and not (INT64[0] <= value < UINT64[1]))
