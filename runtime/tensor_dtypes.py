"""TensorFlow's dtypes as `tf.as_dtype` knows them, without numpy.

Each `TFDType` carries what encoding a tensor of it needs: its `DataType` number, the
`TensorProto` field its values go in, its `struct` format, whether multi-element tensors
use `tensor_content`, and its numpy name (resolved only when numpy is in use).
"""

from __future__ import annotations

import sys
from typing import Any, Final, NamedTuple

from .types import BY_NUMBER

__all__ = ["TFDType", "DTYPES", "BY_TF_NAME", "as_dtype", "from_numpy"]


class TFDType(NamedTuple):
    """One TensorFlow dtype (a `_ref` dtype shares its base's encoding)."""

    number: int
    name: str  # TF's name: "float32", "float32_ref"
    kind: str  # int uint float complex bool string quantized resource variant
    field: str | None  # TensorProto *_val field
    fmt: str | None  # struct format of one element (None: no fixed layout)
    content: bool  # multi-element, full tensors go to tensor_content
    numpy_name: str | None  # numpy / ml_dtypes dtype name; None: not numpy-compatible

    @property
    def base(self) -> TFDType:
        return BY_NUMBER_TF[self.number - 100] if self.number > 100 else self

    @property
    def is_ref(self) -> bool:
        return self.number > 100

    @property
    def is_integer(self) -> bool:
        return self.kind in ("int", "uint")

    @property
    def is_floating(self) -> bool:
        return self.kind == "float"

    @property
    def numpy_compatible(self) -> bool:
        return self.numpy_name is not None

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __repr__(self) -> str:
        return f"tf.{self.name}"


# number, TF name, kind, *_val field, struct format, tensor_content, numpy name
_BASE: Final[tuple[tuple[int, str, str, str | None, str | None, bool, str | None], ...]] = (
    (1, "float32", "float", "float_val", "f", True, "float32"),
    (2, "float64", "float", "double_val", "d", True, "float64"),
    (3, "int32", "int", "int_val", "i", True, "int32"),
    (4, "uint8", "uint", "int_val", "B", True, "uint8"),
    (5, "int16", "int", "int_val", "h", True, "int16"),
    (6, "int8", "int", "int_val", "b", True, "int8"),
    (7, "string", "string", "string_val", None, False, "object"),
    (8, "complex64", "complex", "scomplex_val", "f", False, "complex64"),
    (9, "int64", "int", "int64_val", "q", True, "int64"),
    (10, "bool", "bool", "bool_val", "?", False, "bool"),
    (11, "qint8", "quantized", "int_val", "b", True, "qint8"),
    (12, "quint8", "quantized", "int_val", "B", True, "quint8"),
    (13, "qint32", "quantized", "int_val", "i", True, "qint32"),
    (14, "bfloat16", "float", "half_val", "H", True, "bfloat16"),
    (15, "qint16", "quantized", "int_val", "h", True, "qint16"),
    (16, "quint16", "quantized", "int_val", "H", True, "quint16"),
    (17, "uint16", "uint", "int_val", "H", False, "uint16"),
    (18, "complex128", "complex", "dcomplex_val", "d", False, "complex128"),
    (19, "float16", "float", "half_val", "e", True, "float16"),
    (20, "resource", "resource", None, None, False, None),
    (21, "variant", "variant", None, None, False, None),
    (22, "uint32", "uint", "uint32_val", "I", True, "uint32"),
    (23, "uint64", "uint", "uint64_val", "Q", True, "uint64"),
    (24, "float8_e5m2", "float", "float8_val", "B", True, "float8_e5m2"),
    (25, "float8_e4m3fn", "float", "float8_val", "B", True, "float8_e4m3fn"),
    (26, "float8_e4m3fnuz", "float", "float8_val", "B", True, "float8_e4m3fnuz"),
    (27, "float8_e4m3b11fnuz", "float", "float8_val", "B", True, "float8_e4m3b11fnuz"),
    (28, "float8_e5m2fnuz", "float", "float8_val", "B", True, "float8_e5m2fnuz"),
    (29, "int4", "int", "int_val", None, False, "int4"),
    (30, "uint4", "uint", "int_val", None, False, "uint4"),
    (31, "int2", "int", "int_val", None, False, "int2"),
    (32, "uint2", "uint", "int_val", None, False, "uint2"),
    (33, "float4_e2m1fn", "float", "float8_val", "B", True, "float4_e2m1fn"),
)

DTYPES: Final[tuple[TFDType, ...]] = tuple(
    TFDType(n + ref, name + ("_ref" if ref else ""), kind, field, fmt, content, np_name)
    for ref in (0, 100)
    for n, name, kind, field, fmt, content, np_name in _BASE
)
BY_NUMBER_TF: Final[dict[int, TFDType]] = {d.number: d for d in DTYPES}
BY_TF_NAME: Final[dict[str, TFDType]] = {d.name: d for d in DTYPES}

# tf.as_dtype's own table: enum numbers, names and aliases, and three Python types.
_ANY: Final[dict[Any, TFDType]] = {
    **BY_NUMBER_TF,
    **BY_TF_NAME,
    "half": BY_TF_NAME["float16"],
    "half_ref": BY_TF_NAME["float16_ref"],
    "float": BY_TF_NAME["float32"],
    "float_ref": BY_TF_NAME["float32_ref"],
    "double": BY_TF_NAME["float64"],
    "double_ref": BY_TF_NAME["float64_ref"],
    float: BY_TF_NAME["float32"],
    bool: BY_TF_NAME["bool"],
    object: BY_TF_NAME["string"],
}

_NUMPY_TYPE_NAMES: Final[dict[str, str]] = {
    "bool": "bool", "object_": "string", "bytes_": "string", "str_": "string",
    **{d.numpy_name: d.name for d in DTYPES[:33] if d.numpy_name and d.kind not in ("quantized", "string", "bool")},
}
_ML_DTYPES_MODULES: Final = ("ml_dtypes", "ml_dtypes._ml_dtypes_ext")


def _numpy() -> Any:
    """numpy if something already imported it (sigdef never imports it for dtypes)."""
    return sys.modules.get("numpy")


def from_numpy(dtype: Any) -> TFDType | None:
    """The TF dtype of a numpy dtype (its scalar type decides, as in TF); None if none."""
    scalar = dtype.type
    module = scalar.__module__.split(".")[0]
    if module == "numpy":
        if scalar.__name__ == "void":
            np = _numpy()
            for d in DTYPES[:33]:
                if d.kind == "quantized" and dtype == np.dtype([(d.name, "<" + str(d.fmt))]):
                    return d
            return None
        if scalar.__name__ in ("longdouble", "clongdouble", "datetime64", "timedelta64"):
            return None
        name = _NUMPY_TYPE_NAMES.get(scalar.__name__)
        return BY_TF_NAME[name] if name else None
    if module == "ml_dtypes":
        name = _NUMPY_TYPE_NAMES.get(scalar.__name__)
        return BY_TF_NAME[name] if name else None
    return None


def as_dtype(value: Any) -> TFDType:
    """`tf.as_dtype(value)`: a TF dtype name or alias, a DataType number, a numpy dtype or
    scalar type, a TF DType; sigdef also takes `DT_*` names and its own `types.DType`."""
    if isinstance(value, TFDType):
        return value
    np = _numpy()
    if np is not None and isinstance(value, np.dtype):
        found = from_numpy(value)
        if found is not None:
            return found
    try:
        return _ANY[value]
    except (KeyError, TypeError):
        pass
    if np is not None and isinstance(value, type) and issubclass(value, np.generic):
        found = from_numpy(np.dtype(value))
        if found is not None:
            return found
    if np is not None and hasattr(value, "dtype"):
        try:
            found = from_numpy(np.dtype(value.dtype))
        except TypeError:
            found = None
        if found is not None:
            return found
    number = getattr(value, "as_datatype_enum", None)  # a TF DType
    if isinstance(number, int) and number in BY_NUMBER_TF:
        return BY_NUMBER_TF[number]
    if isinstance(value, str) and value.startswith("DT_"):
        entry = next((d for d in BY_NUMBER.values() if d.name == value), None)
        if entry is not None and entry.number in BY_NUMBER_TF:
            return BY_NUMBER_TF[entry.number]
    if type(value).__name__ == "DType" and isinstance(getattr(value, "number", None), int):
        if value.number in BY_NUMBER_TF:  # sigdef.types.DType
            return BY_NUMBER_TF[value.number]
    raise TypeError(f"Cannot convert the argument `type_value`: {value!r} to a TensorFlow DType.")
