"""Random differential: sigdef.make_tensor_proto / make_ndarray against TensorFlow's, in one
process. `python tests/tensor_differential.py [SEED] [N]` prints a JSON summary; run by
test_tensor_differential.py where TensorFlow is installed."""

from __future__ import annotations

import json
import random
import sys
import warnings
from typing import Any

import ml_dtypes  # noqa: F401
import numpy as np
import tensorflow as tf

import sigdef

DTYPES = [None, "float32", "float64", "float16", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "uint16",
          "uint32", "uint64", "bool", "string", "complex64", "complex128", "qint8", "quint8", "qint16", "quint16",
          "qint32", "float8_e5m2", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e4m3b11fnuz", "float8_e5m2fnuz",
          "float4_e2m1fn", "int4", "uint4", "int2", "uint2", "float", "double", "half", "int32_ref", "bfloat16_ref",
          "float32_ref", "string_ref", "resource", "variant"]
NP_DTYPES = ["float32", "float64", "float16", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
             "uint64", "bool", "complex64", "complex128", "bfloat16", "float8_e5m2", "int4", "S3", "U2", "object", ">f4", ">i8"]
INTS = [0, 1, -1, 7, 127, 128, 255, 256, -129, 2**15, 2**31 - 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**62 + 2**40 + 1,
        2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1]
FLOATS = [0.0, -0.0, 1.5, -2.25, 0.1, 1e-40, 1e-320, 65504.0, 65520.0, 3.4028235677973366e38, 1e40, 1e300,
          float("nan"), float("inf"), float("-inf"), 16777217.0, 2.0**-24]
STRS = ["", "a", "héllo", "x" * 5, "a\x00b"]
BYTES = [b"", b"a", b"\xff\x00", b"ab\x00", b"xyz"]


def scalar(rng: random.Random, kind: str) -> Any:
    if kind == "int":
        return rng.choice(INTS) if rng.random() < 0.5 else rng.randint(-1000, 1000)
    if kind == "float":
        return rng.choice(FLOATS) if rng.random() < 0.5 else rng.uniform(-1e6, 1e6)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "complex":
        return complex(scalar(rng, "float"), scalar(rng, "float"))
    if kind == "str":
        return rng.choice(STRS)
    if kind == "bytes":
        return rng.choice(BYTES)
    if kind == "tuple":
        return (rng.randint(-200, 300),)
    return None


def python_value(rng: random.Random) -> Any:
    kinds = ["int", "float", "bool", "complex", "str", "bytes", "tuple", "none"]
    main = rng.choice(kinds[:7])
    def leaf() -> Any:
        return scalar(rng, main if rng.random() < 0.9 else rng.choice(kinds))
    rank = rng.choice([0, 1, 1, 2, 3])
    if rank == 0:
        return leaf()
    dims = [rng.choice([0, 1, 2, 3, 5]) for _ in range(rank)]
    def build(level: int) -> Any:
        if level == rank:
            return leaf()
        n = dims[level] + (rng.choice([-1, 1]) if rng.random() < 0.05 and dims[level] else 0)
        items = [build(level + 1) for _ in range(n)]
        return tuple(items) if rng.random() < 0.1 else items
    return build(0)


def numpy_value(rng: random.Random, nprng: np.random.Generator) -> Any:
    name = rng.choice(NP_DTYPES)
    shape = tuple(rng.choice([0, 1, 2, 3, 4]) for _ in range(rng.choice([0, 1, 2, 3])))
    size = int(np.prod(shape))
    if name in ("S3", "U2", "object"):
        items = [rng.choice(BYTES if name != "U2" else STRS) for _ in range(size)]
        arr = np.empty(size, dtype=object)
        arr[:] = items
        arr = arr.reshape(shape)
        return arr if name == "object" else arr.astype(name)
    raw = nprng.standard_normal(size) * rng.choice([1, 100, 1e6])
    if name in ("int4",):
        raw = np.clip(raw, -8, 7)
    arr = raw.astype(np.dtype(name)).reshape(shape)
    if rng.random() < 0.3:
        return arr.reshape(-1)[0] if size else arr
    return arr


def shape_arg(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.6:
        return None
    if r < 0.95:
        return [rng.choice([0, 1, 2, 3, 4, 6]) for _ in range(rng.choice([0, 1, 2]))]
    return rng.choice([[-1], [2.0], 3, (2, 2), [None]])


FIELDS = {"float_val": "float", "double_val": "float", "int_val": "int32", "int64_val": "int64", "uint32_val": "uint32",
          "uint64_val": "uint64", "half_val": "uint16", "bool_val": "bool", "string_val": "bytes",
          "scomplex_val": "float", "dcomplex_val": "float", "float8_val": "bytes1"}


def random_proto(rng: random.Random) -> bytes:
    """A serialized TensorProto of a random dtype and shape with random values in a random field."""
    proto = sigdef.TensorProto()
    proto.dtype = rng.choice([*range(0, 34), 99, 101, 103, 107, 114])  # type: ignore[assignment]
    for _ in range(rng.choice([0, 1, 1, 2])):
        proto.tensor_shape.dim.add(size=rng.choice([0, 1, 2, 3, -1]))
    if rng.random() < 0.3:
        proto.tensor_content = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 2, 3, 4, 8, 12, 24])))
    else:
        field, kind = rng.choice(list(FIELDS.items()))
        count = rng.choice([0, 1, 2, 3, 4, 6, 7])
        if kind == "bytes1":
            proto.float8_val = bytes(rng.randrange(256) for _ in range(count))
        else:
            values = {
                "float": lambda: rng.choice(FLOATS[:12]),
                "int32": lambda: rng.randint(-(2**31), 2**31 - 1),
                "int64": lambda: rng.randint(-(2**63), 2**63 - 1),
                "uint32": lambda: rng.randint(0, 2**32 - 1),
                "uint64": lambda: rng.randint(0, 2**64 - 1),
                "uint16": lambda: rng.randint(0, 2**16 + 5),
                "bool": lambda: rng.random() < 0.5,
                "bytes": lambda: rng.choice(BYTES),
            }[kind]
            getattr(proto, field).extend([values() for _ in range(count)])
    return proto.SerializeToString()


def dtype_spelling(rng: random.Random, name: str | None) -> Any:
    """The dtype as a name, a DataType number, a numpy dtype or type, or a TF DType."""
    if name is None:
        return None
    dtype = tf.as_dtype(name)
    r = rng.random()
    if r < 0.15:
        return dtype.as_datatype_enum
    if r < 0.3:
        return dtype
    if r < 0.45 and dtype.is_numpy_compatible and not dtype._is_ref_dtype:
        return np.dtype(dtype.as_numpy_dtype) if rng.random() < 0.5 else dtype.as_numpy_dtype
    return name


def outcome(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            proto = fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - errors are compared too
        return ("error", type(e).__name__, str(e))
    return ("ok", proto.SerializeToString(deterministic=True))


def nd_outcome(fn: Any, data: bytes, proto_cls: Any) -> tuple[Any, ...]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = fn(proto_cls.FromString(data))
    except Exception as e:  # noqa: BLE001
        return ("error", type(e).__name__, str(e))
    body = repr(arr.tolist()) if arr.dtype == object else arr.tobytes()
    return ("ok", str(arr.dtype), arr.shape, body)


def run(seed: int, n: int) -> dict[str, Any]:
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    from tensorflow.core.framework import tensor_pb2

    calls = errors = nd_calls = 0
    mismatches: list[str] = []
    for _ in range(n):
        values = numpy_value(rng, nprng) if rng.random() < 0.35 else python_value(rng)
        dtype = rng.choice(DTYPES)
        shape = shape_arg(rng)
        verify = rng.random() < 0.15
        broadcast = not verify and rng.random() < 0.15
        spelling = dtype_spelling(rng, dtype)
        theirs = outcome(tf.make_tensor_proto, values, spelling, shape, verify, broadcast)
        mine = outcome(sigdef.make_tensor_proto, values, spelling, shape, verify, broadcast)
        calls += 1
        errors += theirs[0] == "error"
        if mine != theirs:
            mismatches.append(f"make_tensor_proto({values!r}, {dtype!r}, {shape!r}, {verify}, {broadcast}): TF {theirs!r} sigdef {mine!r}"[:600])
            continue
        if theirs[0] == "ok":
            nd_calls += 1
            nd_theirs = nd_outcome(tf.make_ndarray, theirs[1], tensor_pb2.TensorProto)
            nd_mine = nd_outcome(sigdef.make_ndarray, theirs[1], sigdef.TensorProto)
            if nd_mine != nd_theirs:
                mismatches.append(f"make_ndarray({theirs[1].hex()}): TF {nd_theirs!r} sigdef {nd_mine!r}"[:600])
    for _ in range(n // 3):  # make_ndarray on hand-built protos: short, long, misfit values
        data = random_proto(rng)
        nd_calls += 1
        nd_theirs = nd_outcome(tf.make_ndarray, data, tensor_pb2.TensorProto)
        nd_mine = nd_outcome(sigdef.make_ndarray, data, sigdef.TensorProto)
        if nd_mine != nd_theirs:
            mismatches.append(f"make_ndarray({data.hex()}): TF {nd_theirs!r} sigdef {nd_mine!r}"[:600])
    return {"seed": seed, "calls": calls, "tf_errors": errors, "make_ndarray_calls": nd_calls, "mismatches": mismatches}


if __name__ == "__main__":
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 2026
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    print(json.dumps(run(seed, count)))
