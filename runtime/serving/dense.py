"""The codec's fast path: a parsed JSON value checked as a dense tensor and written into a
TensorProto's packed field in bulk (C-level map/set/chain and one `extend` per tensor, no
per-element Python loop for numbers and bools).

Each function answers only "accepted or not": on any doubt it returns None/False and the
caller replays the value through the exact, element-by-element port of TF Serving's rules
(`request.py`), which finds the first offending value and TF Serving's message for it.
"""

from __future__ import annotations

import math
from itertools import chain
from typing import Any, NamedTuple

from .b64 import decode_object, utf8
from .rules import DT_BOOL, DT_DOUBLE, DT_FLOAT, DT_STRING, INT32, INT64, INT_VAL_DTYPES, JSON_DTYPES, UINT32, UINT64

__all__ = ["Dense", "dense", "extend", "shape_of"]

_LIST = {list}
_NUMBER = {int, float}
_RANGES: dict[int, tuple[int, int]] = {**{d: INT32 for d in INT_VAL_DTYPES}, 9: INT64, 22: UINT32, 23: UINT64}


def shape_of(value: Any) -> list[int]:
    """TF Serving's GetDenseTensorShape: list lengths along first elements (iterative)."""
    shape: list[int] = []
    while type(value) is list:
        shape.append(len(value))
        if not value:
            break
        value = value[0]
    return shape


class Dense(NamedTuple):
    """A JSON value read as a dense tensor."""

    shape: list[int]
    leaves: list[Any]  # row-major
    kinds: set[type]  # the Python types among the leaves


def dense(value: Any) -> Dense | None:
    """`value` as a dense nesting of lists whose leaves are not lists; None otherwise."""
    shape = shape_of(value)
    items = [value]
    for size in shape:
        if set(map(type, items)) != _LIST or set(map(len, items)) != {size}:
            return None
        items = list(chain.from_iterable(items))
    kinds = set(map(type, items))
    if list in kinds:
        return None
    return Dense(shape, items, kinds)


def extend(tensor: Any, dtype: int, found: Dense) -> bool:
    """Append the leaves to the field of `dtype` in `tensor` when every leaf is a JSON value TF
    Serving accepts for `dtype` (rules.py); False (tensor untouched) otherwise."""
    leaves, kinds = found.leaves, found.kinds
    if not leaves:
        return True
    field = JSON_DTYPES.get(dtype)
    if field is None:
        return False
    values: Any = leaves
    if dtype == DT_FLOAT or dtype == DT_DOUBLE:
        if not kinds <= _NUMBER:
            return False
        if not _finite_in_range(leaves, kinds):
            return False
    elif dtype == DT_BOOL:
        if kinds != {bool}:
            return False
    elif dtype == DT_STRING:
        values = _strings(leaves, kinds)
        if values is None:
            return False
    else:
        low, high = _RANGES[dtype]
        if kinds != {int} or min(leaves) < low or max(leaves) >= high:
            return False
    try:
        getattr(tensor, field).extend(values)
    except (TypeError, ValueError, OverflowError):  # pragma: no cover - the checks above rule these out
        del getattr(tensor, field)[:]
        return False
    return True


def _finite_in_range(leaves: list[Any], kinds: set[type]) -> bool:
    """No integer past (u)int64 (rapidjson makes its own double of those) and no Infinity or
    NaN (an infinity may be a token past the double range): else the exact path decides."""
    try:
        if int in kinds:
            ints = leaves if float not in kinds else [x for x in leaves if type(x) is int]  # floats past 2**64 are fine
            if min(ints) < INT64[0] or max(ints) >= UINT64[1]:
                return False
        return float not in kinds or math.isfinite(sum(leaves))  # one C-level pass
    except OverflowError:  # a huge integer beside a NaN, which min/max do not order
        return False


def _strings(leaves: list[Any], kinds: set[type]) -> list[bytes] | None:
    if kinds == {str}:
        try:
            return list(map(str.encode, leaves))
        except UnicodeEncodeError:  # raw (non-UTF-8) bytes kept as surrogateescape
            return list(map(utf8, leaves))
    if not kinds <= {str, dict}:
        return None
    out: list[bytes] = []
    for leaf in leaves:
        if type(leaf) is str:
            out.append(utf8(leaf))
            continue
        decoded = decode_object(leaf)
        if decoded is None:
            return None
        out.append(decoded)
    return out
