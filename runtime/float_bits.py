"""The bits of a double rounded to TF's narrow float types, as numpy and ml_dtypes round it.

Each conversion rounds once, to nearest with ties to even, from the double itself (no
float32 step): float16 (numpy), bfloat16, the five float8 types and float4_e2m1fn
(ml_dtypes' non-saturating casts: overflow gives inf, or NaN where the type has no inf;
float4_e2m1fn, with neither, saturates).
"""

from __future__ import annotations

import bisect
import math
import struct
from typing import Final, NamedTuple

__all__ = ["half_bits", "bfloat16_bits", "small_float_bits", "SMALL_FLOATS"]


def half_bits(x: float) -> int:
    """float16 bits (numpy's cast; overflow is inf)."""
    try:
        return struct.unpack("<H", struct.pack("<e", x))[0]  # type: ignore[no-any-return]
    except OverflowError:
        return 0xFC00 if x < 0 else 0x7C00


def bfloat16_bits(x: float) -> int:
    """bfloat16 bits (ml_dtypes' cast)."""
    if math.isnan(x):
        return 0xFFC0 if math.copysign(1.0, x) < 0 else 0x7FC0
    sign = 0x8000 if math.copysign(1.0, x) < 0 else 0
    a = abs(x)
    if a == 0.0 or math.isinf(a):
        return sign | (0x7F80 if a else 0)
    exponent = math.frexp(a)[1] - 1  # a = 1.xxx * 2**exponent
    quantum = 2.0 ** (max(exponent, -126) - 7)  # 8 significant bits; subnormals below 2**-126
    value = round(a / quantum) * quantum  # exact scaling; round() ties to even
    if value >= 2.0**128:
        return sign | 0x7F80
    return sign | struct.unpack("<I", struct.pack("<f", value))[0] >> 16  # type: ignore[no-any-return]


class _Format(NamedTuple):
    mantissa: int  # stored mantissa bits
    bias: int
    sign: int  # the sign bit's value
    inf: int | None  # code of +inf (None: no inf)
    nan: tuple[int, int] | None  # codes of +NaN and -NaN (None: no NaN)
    negative_zero: bool
    finite: tuple[float, ...]  # values of the codes 0, 1, ... up to the largest finite one


def _format(exponent: int, mantissa: int, bias: int, *, ieee: bool = False, fn: bool = False, fnuz: bool = False) -> _Format:
    sign = 1 << (exponent + mantissa)
    top = sign - 1  # the largest code with the sign clear
    if ieee:
        last = top - (1 << mantissa)  # the all-ones exponent holds inf and NaN
    elif fn:
        last = top - 1  # only all-ones is NaN
    else:
        last = top
    values = []
    for code in range(last + 1):
        e, m = code >> mantissa, code & ((1 << mantissa) - 1)
        values.append(m * 2.0 ** (1 - bias - mantissa) if e == 0 else (1 + m / (1 << mantissa)) * 2.0 ** (e - bias))
    if ieee:
        return _Format(mantissa, bias, sign, last + 1, (top - 1, sign | (top - 1)), True, tuple(values))
    if fn:
        return _Format(mantissa, bias, sign, None, (top, sign | top), True, tuple(values))
    if fnuz:
        return _Format(mantissa, bias, sign, None, (sign, sign), False, tuple(values))
    return _Format(mantissa, bias, sign, None, (sign, 0), True, tuple(values))  # float4: no NaN either


SMALL_FLOATS: Final[dict[str, _Format]] = {
    "float8_e5m2": _format(5, 2, 15, ieee=True),
    "float8_e4m3fn": _format(4, 3, 7, fn=True),
    "float8_e4m3fnuz": _format(4, 3, 8, fnuz=True),
    "float8_e4m3b11fnuz": _format(4, 3, 11, fnuz=True),
    "float8_e5m2fnuz": _format(5, 2, 16, fnuz=True),
    "float4_e2m1fn": _format(2, 1, 1),
}


def small_float_bits(x: float, name: str) -> int:
    """The code of `x` in a float8 type or float4_e2m1fn."""
    f = SMALL_FLOATS[name]
    negative = math.copysign(1.0, x) < 0
    if math.isnan(x):
        assert f.nan is not None
        return f.nan[1] if negative else f.nan[0]
    a = abs(x)
    largest = f.finite[-1]
    ulp = 2.0 ** (math.frexp(largest)[1] - 1 - f.mantissa)
    if a > largest + ulp / 2 or (a == largest + ulp / 2 and (len(f.finite) - 1) & 1):
        if f.inf is not None:
            code = f.inf
        elif f.nan is not None and f.nan != (f.sign, 0):
            return f.nan[1] if negative and f.negative_zero else f.nan[0]
        else:
            code = len(f.finite) - 1  # float4_e2m1fn saturates
    else:
        i = bisect.bisect_left(f.finite, a)
        if i == len(f.finite):
            code = i - 1
        elif f.finite[i] == a or i == 0:
            code = i
        else:
            below, above = a - f.finite[i - 1], f.finite[i] - a
            code = i if above < below or (above == below and i % 2 == 0) else i - 1
    if negative and (code or f.negative_zero):
        code |= f.sign
    return code
