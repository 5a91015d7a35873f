"""The codec's fast path: a parsed JSON value checked as a dense tensor and written into a
TensorProto's packed field in bulk (C-level map/set/chain and one `extend` per tensor, no
per-element Python loop for numbers and bools).

Each function answers only "accepted or not": on any doubt it returns None/False and the
caller replays the value through the exact, element-by-element port of TF Serving's rules
(`request.py`), which finds the first offending value and TF Serving's message for it.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from .b64 import decode_object, utf8
from .rules import DT_BOOL, DT_DOUBLE, DT_FLOAT, DT_STRING, INT32, INT64, INT_VAL_DTYPES, JSON_DTYPES, UINT32, UINT64

__all__ = ["dense", "extend"]

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


def dense(value: Any) -> tuple[list[int], list[Any]] | None:
    """(shape, row-major leaves) when `value` is a dense nesting of lists whose leaves are not
    lists; None otherwise."""
    shape = shape_of(value)
    items = [value]
    for size in shape:
        if set(map(type, items)) != _LIST or set(map(len, items)) != {size}:
            return None
        items = list(chain.from_iterable(items))
    if items and list in set(map(type, items)):
        return None
    return shape, items


def extend(tensor: Any, dtype: int, leaves: list[Any]) -> bool:
    """Append `leaves` to the field of `dtype` in `tensor` when every leaf is a JSON value TF
    Serving accepts for `dtype` (rules.py); False (tensor untouched) otherwise."""
    if not leaves:
        return True
    field = JSON_DTYPES.get(dtype)
    if field is None:
        return False
    kinds = set(map(type, leaves))
    values: Any = leaves
    if dtype == DT_FLOAT or dtype == DT_DOUBLE:
        if not kinds <= _NUMBER:
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
