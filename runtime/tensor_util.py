"""`make_tensor_proto` and `make_ndarray`: TensorFlow 2.21's, without TensorFlow.

Python values (scalars, nested lists and tuples, str and bytes) are encoded in pure
Python, reproducing what numpy would have made of them; numpy arrays and scalars, and the
few Python inputs only numpy converts exactly (ml_dtypes types, array-likes), go through
`tensor_numpy`, which needs the `sigdef[numpy]` extra. Bytes, errors and messages are
TensorFlow's (its slow path: the TF 2.21 wheel has no `fast_tensor_util`).
"""

from __future__ import annotations

import math
import numbers
import struct
import sys
from array import array
from collections.abc import Callable, Iterator
from typing import Any

from .float_bits import SMALL_FLOATS, bfloat16_bits, half_bits, small_float_bits
from .protos import TensorProto, TensorShapeProto
from .tensor_dtypes import BY_TF_NAME, TFDType, as_dtype

__all__ = ["make_tensor_proto", "make_ndarray", "as_dtype"]

NUMPY_EXTRA = "pip install 'sigdef[numpy]'"
_INT64 = (-(1 << 63), (1 << 63) - 1)
_UINT64_MAX = (1 << 64) - 1
_FLOAT32 = BY_TF_NAME["float32"]
_INT32 = BY_TF_NAME["int32"]


_PLAIN = frozenset([list, tuple, float, int, bool, str, bytes, complex])


class _NeedsNumpy(Exception):
    """This input is one only numpy converts exactly."""


def _numpy_module(what: str = "sigdef.make_tensor_proto of this input") -> Any:
    try:
        from . import tensor_numpy  # noqa: PLC0415 - numpy loads on first use only
    except ImportError as e:
        raise ImportError(f"{what} needs numpy and ml_dtypes: {NUMPY_EXTRA} ({e})") from e
    return tensor_numpy


def make_tensor_proto(
    values: Any,
    dtype: Any = None,
    shape: Any = None,
    verify_shape: bool = False,
    allow_broadcast: bool = False,
) -> TensorProto:
    """`tf.make_tensor_proto`: the same TensorProto, byte for byte, or the same error.

    `values`: a Python scalar, nested lists/tuples, bytes or str, a TensorProto (returned
    as is), or a numpy array or scalar; `dtype`: a TF dtype name ("float32", "bfloat16",
    "qint8", "float", "half", "int32_ref"), a `DT_*` name or number, or a numpy dtype.
    """
    if allow_broadcast and verify_shape:
        raise ValueError("allow_broadcast and verify_shape are not both allowed.")
    tf_dtype = as_dtype(dtype) if dtype else None
    if type(values) in _PLAIN:  # the common case, checked first
        try:
            return _from_python(values, tf_dtype, shape, verify_shape, allow_broadcast)
        except _NeedsNumpy:
            return _numpy_module().from_values(values, tf_dtype, shape, verify_shape, allow_broadcast)  # type: ignore[no-any-return]
    if isinstance(values, TensorProto):
        return values
    descriptor = getattr(values, "DESCRIPTOR", None)
    if getattr(descriptor, "full_name", None) == "tensorflow.TensorProto":  # TF's own class
        return TensorProto.FromString(values.SerializeToString())
    np = sys.modules.get("numpy")  # numpy values exist only once something imported numpy
    if np is None or not _is_numpy_value(values, np):
        try:
            return _from_python(values, tf_dtype, shape, verify_shape, allow_broadcast)
        except _NeedsNumpy:
            pass
    return _numpy_module().from_values(values, tf_dtype, shape, verify_shape, allow_broadcast)  # type: ignore[no-any-return]


def make_ndarray(tensor: Any) -> Any:
    """`tf.make_ndarray`: the numpy array a TensorProto holds (needs `sigdef[numpy]`)."""
    return _numpy_module("sigdef.make_ndarray").make_ndarray(tensor)


def _is_numpy_value(values: Any, np: Any) -> bool:
    return isinstance(values, (np.ndarray, np.generic)) or is_array_like(values)


# -- shared with tensor_numpy ---------------------------------------------------------


def is_array_like(obj: object) -> bool:
    """TF's `_is_array_like`: __array__, __array_interface__, or a buffer that is not bytes."""
    if callable(getattr(obj, "__array__", None)) or isinstance(getattr(obj, "__array_interface__", None), dict):
        return True
    try:
        memoryview(obj)  # type: ignore[arg-type]
    except TypeError:
        return False
    return not isinstance(obj, bytes)


class _Mismatch(Exception):
    pass


def _nest_flatten(values: Any) -> Iterator[Any]:
    """tf.nest.flatten for what make_tensor_proto sees: lists, tuples, dicts (by key), iteratively;
    nesting past the recursion limit raises TF's RecursionError."""
    limit = sys.getrecursionlimit()
    stack: list[Iterator[Any]] = [iter((values,))]
    while stack:
        for v in stack[-1]:
            if isinstance(v, (list, tuple, dict)):
                if len(stack) >= limit:
                    raise RecursionError("maximum recursion depth exceeded in flatten")
                stack.append(iter(v) if not isinstance(v, dict) else iter([v[k] for k in sorted(v)]))
                break
            yield v
        else:
            stack.pop()


_CHECK_TYPES: dict[str, tuple[tuple[type, ...], tuple[str, ...]]] = {
    # kind: (Python types, numpy abstract types by name)
    "int": ((numbers.Integral,), ("integer",)),
    "float": ((numbers.Real,), ("integer", "floating")),
    "complex": ((numbers.Complex,), ("number",)),
    "string": ((bytes, str), ()),
    "bool": ((bool,), ()),
}


def _isinstance_check(kind: str) -> Callable[[Any], None]:
    py_types, np_names = _CHECK_TYPES[kind]

    def check(values: Any) -> None:
        np = sys.modules.get("numpy")
        types = py_types + tuple(getattr(np, n) for n in np_names) if np is not None else py_types
        for v in _nest_flatten(values):
            if isinstance(v, types):
                continue
            if np is not None and isinstance(v, np.ndarray) and issubclass(v.dtype.type, types):
                continue
            raise _Mismatch(v)

    return check


_check_int = _isinstance_check("int")


def _check_quantized(values: Any) -> None:
    if not isinstance(values, (list, tuple)):
        raise _Mismatch(values)
    if isinstance(values, tuple):
        for v in values:
            _check_int(v)
    else:
        for v in values:
            _check_quantized(v)


def _check_nothing(values: Any) -> None:
    """dtype None and resource/variant: TF only rejects TF tensors, which sigdef never sees."""


_CHECKERS: dict[str, Callable[[Any], None]] = {
    "int": _check_int,
    "uint": _check_int,
    "float": _isinstance_check("float"),
    "complex": _isinstance_check("complex"),
    "quantized": _check_quantized,
    "string": _isinstance_check("string"),
    "bool": _isinstance_check("bool"),
}


def assert_compatible(values: Any, dtype: TFDType | None) -> None:
    """TF's _AssertCompatible: Python values must suit the requested dtype."""
    if dtype is None or (dtype.is_ref and dtype.kind in ("string", "bool")):
        return
    try:
        _CHECKERS.get(dtype.kind, _check_nothing)(values)
    except _Mismatch as e:
        [mismatch] = e.args
        raise TypeError(f"Expected {dtype.name}, but got {mismatch} of type '{type(mismatch).__name__}'.") from None


def dense_dims(values: Any) -> list[int]:
    """TF's _GetDenseDimensions: the shape the first elements suggest."""
    dims: list[int] = []
    while isinstance(values, (list, tuple)):
        dims.append(len(values))
        if not values:
            break
        values = values[0]
    return dims


def as_bytes(value: Any) -> bytes:
    """tf.compat.as_bytes."""
    if isinstance(value, bytearray):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError(f"Expected binary or unicode string, got {value!r}")


def flatten_strings(values: Any) -> Iterator[Any]:
    if isinstance(values, (list, tuple)):
        for v in values:
            yield from flatten_strings(v)
    else:
        yield values


def add_strings(proto: TensorProto, values: Any) -> TensorProto:
    """TF's string branch: the original (not numpy's) values, flattened, as bytes."""
    try:
        strings = [as_bytes(x) for x in flatten_strings(values)]
    except TypeError:
        raise TypeError(
            f"Failed to convert elements of {values} to Tensor. Consider casting elements to a "
            "supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF dtypes."
        ) from None
    proto.string_val.extend(strings)
    return proto


def dense_error(values: Any, have: list[int]) -> ValueError:
    return ValueError(
        f"Expected values {values} to be a dense tensor with shape {dense_dims(values)}, but got shape {have}."
    )


def check_shape(dims: list[int], shape_size: int, have: tuple[int, ...], size: int, verify: bool, broadcast: bool) -> None:
    """The shape / verify_shape / allow_broadcast checks, with TF's messages."""
    if broadcast:
        if have != (1,) and have != () and size != shape_size:
            raise TypeError(f"Expected Tensor's shape: {tuple(dims)}, but got {have}.")
        return
    if verify and have != tuple(dims):
        raise TypeError(f"Expected Tensor's shape: {tuple(dims)}, but got {have}.")
    if size > shape_size:
        raise ValueError(f"Too many elements provided. Takes at most {shape_size:d}, but got {size:d}.")


def new_proto(dtype: TFDType, dims: list[int]) -> TensorProto:
    """TensorProto(dtype, tensor_shape) as TF builds it (TensorShape rejects negative dims)."""
    shape = TensorShapeProto()
    for d in dims:
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
        shape.dim.add(size=d)
    return TensorProto(dtype=dtype.base.number, tensor_shape=shape)  # type: ignore[arg-type]


# -- the pure-Python path ---------------------------------------------------------------
#
# An "array" here is (kind, shape, flat): kind is the numpy kind np.array(values) would
# give ("b" bool, "i" int64, "u" uint64, "f" float64, "c" complex128, "U"/"S" strings,
# "O" object) or, once cast, the TF dtype name; flat holds Python values in C order.

_LEAF_KINDS: dict[type, str] = {bool: "b", int: "i", float: "f", complex: "c", str: "U", bytes: "S", type(None): "O"}


_SEQUENCES = frozenset([list, tuple])
_MAX_DIMS = 64  # numpy's limit on an array's rank, which TF's np.array call meets


def _discover(values: Any, object_dtype: bool) -> tuple[list[int], list[Any], set[type]]:
    """numpy's shape discovery over lists and tuples: (shape, flat leaves, leaf types)."""
    shape: list[int] = []
    level = [values]
    while True:
        kinds = [*map(type, level)]
        first = kinds[0] if kinds else None
        types = {first} if first is not None and kinds.count(first) == len(kinds) else set(kinds)  # one type: cheaper
        if types.isdisjoint(_SEQUENCES):
            return shape, level if type(level) is list else list(level), types
        lengths = set(map(len, level)) if types <= _SEQUENCES else None
        if lengths is None or len(lengths) != 1:
            if object_dtype:
                return shape, list(level), types
            raise ValueError(
                "setting an array element with a sequence. The requested array has an inhomogeneous "
                f"shape after {len(shape)} dimensions. The detected shape was {tuple(shape)} + inhomogeneous part."
            )
        (n,) = lengths
        if len(shape) == _MAX_DIMS:
            raise ValueError(
                "setting an array element with a sequence. The requested array would exceed the maximum "
                f"number of dimension of {_MAX_DIMS}."
            )
        shape.append(n)
        level = level[0] if len(level) == 1 else [x for v in level for x in v]
        if n == 0:
            return shape, list(level), set()


def _infer_kind(flat: list[Any], types: set[type]) -> str:
    """The numpy kind of np.array(values) for these Python leaves (of these types)."""
    if not types or types == {float}:
        return "f"
    kinds = set()
    for t in types:
        kind = _LEAF_KINDS.get(t)
        if kind is None:
            raise _NeedsNumpy
        kinds.add(kind)
    if "i" in kinds:
        ints = [x for x in flat if type(x) is int]
        low, high = min(ints), max(ints)
        if low < _INT64[0] or high > _UINT64_MAX:
            kinds.add("O")
        elif high > _INT64[1]:
            kinds.discard("i")
            kinds.add("f" if low < 0 or any(0 <= x <= _INT64[1] for x in ints) else "u")
    if "U" in kinds and "S" in kinds and "O" not in kinds:
        for x in flat:  # numpy makes str of the bytes: ASCII only
            if type(x) is bytes:
                x.decode("ascii")
    for kind in ("O", "U", "S", "c", "f", "u", "i", "b"):
        if kind in kinds:
            return kind
    raise _NeedsNumpy  # pragma: no cover - every leaf type has a kind


def _f32_of_int(x: int) -> float:
    """An integer rounded once to float32 (as a C cast from int64/uint64 does)."""
    a = abs(x)
    if a < (1 << 24):
        return float(x)
    shift = a.bit_length() - 24
    q, r = divmod(a, 1 << shift)
    half = 1 << (shift - 1)
    if r > half or (r == half and q & 1):
        q += 1
    value = float(q << shift)
    return value if x > 0 else -value


def _check_object_ints(flat: list[Any], target: TFDType) -> None:
    """numpy's object -> int cast: each value through C long, then bounds-checked."""
    bits, signed = _INT_BITS[str(target.fmt)]
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    for x in flat:
        if not _INT64[0] <= x <= _INT64[1]:
            if bits == 64 and not signed and 0 <= x <= _UINT64_MAX:
                raise _NeedsNumpy  # numpy's uint64 conversion of big ints
            raise OverflowError("Python int too large to convert to C long")
        if not low <= x <= high:
            if bits == 64:
                raise _NeedsNumpy
            raise OverflowError(f"Python integer {x} out of bounds for {target.base.name}")


def _wrap(x: int, bits: int, signed: bool) -> int:
    x &= (1 << bits) - 1
    return x - (1 << bits) if signed and x >> (bits - 1) else x


_INT_BITS = {"b": (8, True), "B": (8, False), "h": (16, True), "H": (16, False), "i": (32, True), "I": (32, False), "q": (64, True), "Q": (64, False)}


def _cast(flat: list[Any], kind: str, target: TFDType) -> list[Any]:
    """numpy's astype from an inferred kind to a numeric TF dtype, as Python values.

    float32 values come back as doubles still to be narrowed (array('f') does the C cast);
    float16 values come back as their bits.
    """
    name = target.base.name
    fmt = str(target.fmt)
    if kind == "O":  # Python ints beyond (u)int64 make an object array
        if target.is_integer:
            _check_object_ints(flat, target)
        elif target.kind == "complex":
            flat = [complex(x) for x in flat]
            kind = "c"
        else:
            flat = [float(x) for x in flat]
            kind = "f"
    if target.is_integer:
        if kind in ("f", "c") and flat:
            raise _NeedsNumpy  # float -> int casts out of range are the CPU's (x86 vs arm)
        bits, signed = _INT_BITS[fmt]
        return [_wrap(int(x), bits, signed) for x in flat]
    if name in ("float32", "complex64"):
        if kind in ("i", "u"):
            flat = [_f32_of_int(x) for x in flat]
        elif kind == "b":
            flat = [float(x) for x in flat]
        if name == "complex64":
            parts = array("f", [p for x in flat for p in (complex(x).real, complex(x).imag)]).tolist()
            return [complex(r, i) for r, i in zip(parts[::2], parts[1::2])]
        return flat
    if name == "float16":
        return [half_bits(float(x)) for x in flat]
    if name == "float64":
        return [float(x) for x in flat]
    if name == "complex128":
        return [complex(x) for x in flat]
    raise _NeedsNumpy


_NARROW_INTS = {"int4": (4, True), "uint4": (4, False), "int2": (2, True), "uint2": (2, False)}
_ML_DTYPES = frozenset(["bfloat16", *_NARROW_INTS, *SMALL_FLOATS])
SLOW_APPEND_MISSING = frozenset(["float8_e4m3fnuz", "float8_e4m3b11fnuz", "float8_e5m2fnuz"])  # TF has no Slow* append


def _ml_dtypes_cast(flat: list[Any], kind: str, target: TFDType) -> list[int]:
    """np.array(values, dtype=<ml_dtypes type>): each Python number converted alone, as bits
    (float types) or wrapped ints (int4 & co., which go through C long)."""
    name = target.name
    if target.is_integer:
        bits, signed = _NARROW_INTS[name]
        for x in flat:
            if not _INT64[0] <= x <= _INT64[1]:
                raise OverflowError("Python int too large to convert to C long")
        return [_wrap(int(x), bits, signed) for x in flat]
    if kind not in ("b", "i", "u", "f", "O") or (kind == "O" and max(map(abs, flat)) >= 2**1023):
        raise _NeedsNumpy
    if name == "bfloat16":
        return [bfloat16_bits(float(x)) for x in flat]
    return [small_float_bits(float(x), name) for x in flat]


def _shape_product(shape: Any) -> int:
    """np.prod(shape, dtype=np.int64) of a Python shape (wrapping as int64 does)."""
    if type(shape) is int:
        dims = [shape]
    elif type(shape) in (list, tuple):
        dims = list(shape)
    else:
        raise _NeedsNumpy
    product = 1
    for d in dims:
        if type(d) is float and math.isfinite(d):
            d = int(d)
        elif d is None:
            raise TypeError("int() argument must be a string, a bytes-like object or a real number, not 'NoneType'")
        elif type(d) is not int and type(d) is not bool:
            raise _NeedsNumpy
        if not _INT64[0] <= d <= _INT64[1]:
            raise _NeedsNumpy
        product = _wrap(product * int(d), 64, True)
    return product


def _empty_shape(shape: Any) -> tuple[int, ...]:
    """The shape np.empty(shape) makes (only ints reach here)."""
    dims = [shape] if type(shape) is int else list(shape)
    if any(type(d) not in (int, bool) for d in dims):
        raise _NeedsNumpy
    if any(d < 0 for d in dims):
        raise ValueError("negative dimensions are not allowed")
    return tuple(int(d) for d in dims)


_INFERRED = {"b": "bool", "i": "int64", "u": "uint64", "f": "float64", "c": "complex128", "O": "string", "U": "string", "S": "string"}


def _inferred(flat: list[Any], kind: str, narrow: bool) -> tuple[list[Any], str]:
    """The values of np.array(values) as its TF dtype; `narrow`: TF's float64 -> float32
    and int64 -> int32 (when lossless) for dtype=None."""
    name = _INFERRED[kind]
    if name == "float64" and narrow:
        return flat, "float32"  # array('f') casts ints and floats as numpy does via float64
    if name == "int64" and narrow and all(-(1 << 31) <= x < (1 << 31) for x in flat):
        name = "int32"
    if name in ("int64", "int32", "uint64", "float64", "complex128"):
        return _cast(flat, kind, BY_TF_NAME[name]), name
    return flat, name


def _numpy_dtype_str(kind: str, flat: list[Any]) -> str:
    """str(np.array(values).dtype), which TF's resource/variant message shows."""
    if kind in ("U", "S"):
        if set(map(type, flat)) != {str if kind == "U" else bytes}:
            raise _NeedsNumpy  # strings mixed with numbers: numpy's width rules
        width = max([1, *map(len, flat)])
        return f"<U{width}" if kind == "U" else f"|S{width}"
    return {"O": "object", **{k: v for k, v in _INFERRED.items() if k not in "OUS"}}[kind]


def _quantized_array(values: Any, dtype: TFDType) -> tuple[list[int], list[int]]:
    """np.array(values, dtype=<quantized record dtype>): lists are dims, tuples records."""
    shape: list[int] = []
    level = [values]
    while any(type(v) is list for v in level):
        if not all(type(v) is list for v in level) or len({len(v) for v in level}) != 1:
            raise _NeedsNumpy
        shape.append(len(level[0]))
        level = [x for v in level for x in v]
    bits, signed = _INT_BITS[str(dtype.fmt)]
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    flat = []
    for record in level:
        if type(record) is not tuple:
            raise _NeedsNumpy
        if len(record) != 1:
            raise ValueError(f"could not assign tuple of length {len(record)} to structure with 1 fields.")
        (x,) = record
        if type(x) is tuple:
            raise TypeError("int() argument must be a string, a bytes-like object or a real number, not 'tuple'")
        if type(x) is not int:
            raise _NeedsNumpy
        if not _INT64[0] <= x <= _INT64[1]:
            raise OverflowError("Python int too large to convert to C long")
        if not low <= x <= high:
            raise OverflowError(f"Python integer {x} out of bounds for {'' if signed else 'u'}int{bits}")
        flat.append(x)
    return shape, flat


def _from_python(values: Any, dtype: TFDType | None, shape: Any, verify_shape: bool, allow_broadcast: bool) -> TensorProto:
    """make_tensor_proto of Python values, or _NeedsNumpy where only numpy is exact."""
    if values is None:
        raise ValueError("None values not supported.")
    if type(values) not in _PLAIN and is_array_like(values):
        raise _NeedsNumpy
    target = dtype.base if dtype is not None and dtype.numpy_compatible else None
    kind: str
    if shape is not None and _shape_product(shape) == 0:
        have = _empty_shape(shape)
        flat: list[Any] = []
        kind = "f" if target is None else target.name
        shape_list = list(have)
    else:
        assert_compatible(values, dtype)
        if target is not None and target.kind == "quantized":
            shape_list, flat = _quantized_array(values, target)
            kind = target.name
        else:
            object_dtype = target is not None and target.kind == "string"
            shape_list, flat, types = _discover(values, object_dtype)
            kind = "string" if object_dtype else _infer_kind(flat, types)
            if target is not None and target.kind == "bool":
                if kind not in ("b", "i", "u", "f", "c"):  # only bool_ref lets non-bools in
                    raise _NeedsNumpy
                flat = [bool(x) for x in flat]
                kind = "bool"
            elif target is not None and target.name in _ML_DTYPES:  # each value converted alone
                flat = _ml_dtypes_cast(flat, kind, target)
                kind = target.name
            elif target is not None and not object_dtype:
                flat = _cast(flat, kind, target)
                kind = target.name
        have = tuple(shape_list)
        unchecked = dtype is not None and dtype.kind == "quantized" and not dtype.is_ref
        if shape_list != dense_dims(values) and not unchecked:
            raise dense_error(values, shape_list)
    if dtype is not None and target is None:  # resource / variant: never compatible
        raise TypeError(f"`dtype` {dtype} is not compatible with {values} of dtype {_numpy_dtype_str(kind, flat)}.")
    if len(kind) == 1:  # no numeric target: numpy's inferred dtype, then TF's narrowing
        flat, kind = _inferred(flat, kind, narrow=dtype is None)
    tf_dtype = BY_TF_NAME[kind]
    size = math.prod(have)
    if shape is None:
        dims = list(have)
        shape_size = size
    else:
        dims = [int(dim) for dim in shape]
        shape_size = _shape_product(dims)
        check_shape(dims, shape_size, have, size, verify_shape, allow_broadcast)
    proto = new_proto(tf_dtype, dims)
    if tf_dtype.kind == "string":
        return add_strings(proto, values)
    if size == shape_size and tf_dtype.content and shape_size > 1:
        proto.tensor_content = _pack(flat, tf_dtype)
        return proto
    _append(proto, flat, tf_dtype)
    return proto


def _pack(flat: list[Any], dtype: TFDType) -> bytes:
    """Little-endian tensor_content of cast values."""
    code = "H" if dtype.name == "float16" else str(dtype.fmt)  # half types hold their bits
    try:
        return struct.pack(f"<{len(flat)}{code}", *flat)
    except OverflowError:  # float32 beyond its range: the C cast's inf, as numpy
        data = array("f", flat)
        if sys.byteorder == "big":
            data.byteswap()
        return data.tobytes()


def _append(proto: TensorProto, flat: list[Any], dtype: TFDType) -> None:
    """The *_val field of cast values (TF's Slow*Append* results)."""
    name = dtype.name
    if name in SLOW_APPEND_MISSING:
        raise TypeError(f"Element type not supported in TensorProto: {name}.")
    if dtype.field == "float8_val":
        proto.float8_val += bytes(flat)
        return
    field = getattr(proto, str(dtype.field))
    if name == "float32":
        field.extend(array("f", flat).tolist())
    elif name == "complex64":
        field.extend(array("f", [p for x in flat for p in (x.real, x.imag)]).tolist())
    elif name == "complex128":
        field.extend([p for x in flat for p in (x.real, x.imag)])
    else:
        field.extend(flat)
