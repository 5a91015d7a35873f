"""make_tensor_proto and make_ndarray on numpy: TensorFlow 2.21's rules, step by step.

Loaded only when numpy is in use (numpy inputs, or Python values whose conversion only
numpy reproduces exactly). Follows `tensorflow/python/framework/tensor_util.py` without
`fast_tensor_util`, as the TF 2.21 wheel runs it.
"""

from __future__ import annotations

from typing import Any

import numpy as np  # first: without numpy, fail before ml_dtypes half-loads
import ml_dtypes  # noqa: I001

from .protos import TensorProto
from .tensor_dtypes import BY_TF_NAME, TFDType, as_dtype, from_numpy
from .tensor_util import SLOW_APPEND_MISSING, add_strings, as_bytes, assert_compatible, check_shape, dense_dims, dense_error, is_array_like, new_proto

__all__ = ["numpy_dtype", "from_values", "make_ndarray"]

_QUANTIZED = {d.name for d in BY_TF_NAME.values() if d.kind == "quantized" and not d.is_ref}


def numpy_dtype(dtype: TFDType) -> Any:
    """The numpy dtype TF uses for `dtype` (KeyError, as TF, for resource/variant)."""
    base = dtype.base
    if base.numpy_name is None:
        raise KeyError(dtype.number)
    if base.kind == "quantized":
        return np.dtype([(base.name, "<" + str(base.fmt))])
    if base.kind == "string":
        return np.dtype(object)
    if base.numpy_name in ("float32", "float64", "float16", "complex64", "complex128", "bool") or base.is_integer and base.fmt:
        return np.dtype(base.numpy_name)
    return np.dtype(getattr(ml_dtypes, base.numpy_name))


def _tf_of(dtype: Any) -> TFDType:
    found = from_numpy(dtype)
    if found is None:
        return as_dtype(dtype)  # raises TF's "Cannot convert ..." TypeError
    return found


def _as_array(values: Any, dtype: Any = None) -> Any:
    """TF's numpy_compat.np_array: numeric targets are cast after inference (wrapping)."""
    if dtype is not None and np.issubdtype(dtype, np.number):
        return np.array(values).astype(dtype)
    return np.array(values, dtype=dtype)


# -- make_tensor_proto ---------------------------------------------------------------


def from_values(values: Any, dtype: TFDType | None, shape: Any, verify_shape: bool, allow_broadcast: bool) -> TensorProto:
    """make_tensor_proto after the argument checks, for any input (numpy or Python)."""
    quantized = dtype is not None and dtype.name in _QUANTIZED
    np_dt = numpy_dtype(dtype) if dtype is not None and dtype.numpy_compatible else None
    if is_array_like(values):
        values = np.asarray(values)
    if isinstance(values, (np.ndarray, np.generic)):
        nparray = values.astype(np_dt) if np_dt is not None else values
    else:
        if values is None:
            raise ValueError("None values not supported.")
        if shape is not None and np.prod(shape, dtype=np.int64) == 0:
            nparray = np.empty(shape, dtype=np_dt)
        else:
            assert_compatible(values, dtype)
            nparray = _as_array(values, np_dt)
            if list(nparray.shape) != dense_dims(values) and not quantized:
                raise dense_error(values, list(nparray.shape))
        if nparray.dtype == np.float64 and dtype is None:
            nparray = nparray.astype(np.float32)
        elif nparray.dtype == np.int64 and dtype is None:
            narrowed = nparray.astype(np.int32)
            if np.array_equal(narrowed, nparray):
                nparray = narrowed
    tf_dtype = _tf_of(nparray.dtype)
    if quantized:
        assert dtype is not None
        tf_dtype = dtype
    if dtype is not None and dtype.base != tf_dtype.base:
        raise TypeError(f"`dtype` {dtype} is not compatible with {values} of dtype {nparray.dtype}.")
    shape_size: Any
    if shape is None:
        dims = list(nparray.shape)
        same_size = True
        shape_size = nparray.size
    else:
        dims = [int(dim) for dim in shape]
        shape_size = np.prod(dims, dtype=np.int64)
        same_size = shape_size == nparray.size
        check_shape(dims, shape_size, nparray.shape, nparray.size, verify_shape, allow_broadcast)
    proto = new_proto(tf_dtype, dims)
    if same_size and tf_dtype.content and shape_size > 1:
        if nparray.size * nparray.itemsize >= 1 << 31:
            raise ValueError("Cannot create a tensor proto whose content is larger than 2GB.")
        proto.tensor_content = nparray.tobytes()
        return proto
    if tf_dtype.kind == "string" and not isinstance(values, np.ndarray):
        return add_strings(proto, values)
    _append(proto, nparray.ravel(), tf_dtype)
    return proto


def _append(proto: TensorProto, flat: Any, dtype: TFDType) -> None:
    """TF's Slow*Append* functions, chosen by the array's numpy dtype."""
    kind = flat.dtype
    if kind.type in (np.bytes_, np.str_) or kind == np.object_:
        proto.string_val.extend([as_bytes(x) for x in flat])
        return
    tf_dtype = from_numpy(kind)
    native = kind.isnative or kind.itemsize == 1 or kind.fields is not None
    if tf_dtype is None or tf_dtype.name in SLOW_APPEND_MISSING or not native:
        raise TypeError(f"Element type not supported in TensorProto: {dtype.name}.")
    name = tf_dtype.name
    if tf_dtype.kind == "quantized":
        proto.int_val.extend([x.item()[0] for x in flat])
    elif name in ("float16", "bfloat16"):
        proto.half_val.extend(flat.view(np.uint16).tolist())
    elif tf_dtype.field == "float8_val":
        proto.float8_val += flat.view(np.uint8).tobytes()
    elif tf_dtype.numpy_name in ("int4", "uint4", "int2", "uint2"):
        proto.int_val.extend(flat.astype(np.int8).tolist())
    elif tf_dtype.kind == "complex":
        field = getattr(proto, str(tf_dtype.field))
        field.extend([v.item() for x in flat for v in (x.real, x.imag)])
    else:
        getattr(proto, str(tf_dtype.field)).extend([x.item() for x in flat])


# -- make_ndarray --------------------------------------------------------------------


def make_ndarray(tensor: Any) -> Any:
    """tf.make_ndarray."""
    shape = [d.size for d in tensor.tensor_shape.dim]
    num_elements = np.prod(shape, dtype=np.int64)
    tf_dtype = as_dtype(tensor.dtype)
    dtype = numpy_dtype(tf_dtype)
    if tf_dtype.kind == "string" and not tf_dtype.is_ref:
        dtype = object
    if tensor.tensor_content:
        return np.frombuffer(tensor.tensor_content, dtype=dtype).copy().reshape(shape)
    name = tf_dtype.name
    values: Any
    if name == "string":
        strings: list[Any] = list(tensor.string_val)
        padding = num_elements - len(strings)
        if padding > 0:
            strings.extend([strings[-1] if strings else ""] * padding)
        return np.array(strings, dtype=dtype).reshape(shape)
    if name in ("float16", "bfloat16"):
        values = np.fromiter(tensor.half_val, dtype=np.uint16).view(dtype)
    elif name in ("float8_e5m2", "float8_e4m3fn", "float4_e2m1fn"):
        values = np.fromiter(tensor.float8_val, dtype=np.uint8).view(dtype)
    elif name in ("float32", "float64", "int64", "uint32", "uint64", "bool"):
        values = np.fromiter(getattr(tensor, str(tf_dtype.field)), dtype=dtype)
    elif tf_dtype.field == "int_val" and not tf_dtype.is_ref:
        values = np.fromiter(tensor.int_val, dtype=dtype)
    elif name in ("complex64", "complex128"):
        it = iter(getattr(tensor, str(tf_dtype.field)))
        values = np.array([complex(x[0], x[1]) for x in zip(it, it)], dtype=dtype)
    else:
        raise TypeError(
            f"Unsupported tensor type: {tensor.dtype}. See "
            "https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF dtypes."
        )
    if values.size == 0:
        return np.zeros(shape, dtype)
    if values.size != num_elements:
        values = np.pad(values, (0, num_elements - values.size), "edge")
    return values.reshape(shape)

