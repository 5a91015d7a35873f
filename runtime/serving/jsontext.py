"""JSON text as TF Serving's rapidjson reads and writes it, on Python's json module.

Reading (`parse`): NaN/Infinity/-Infinity accepted, anything after the first complete value
ignored (kParseStopWhenDoneFlag), UTF-8 not validated (invalid bytes in strings survive, as
lone surrogates under the 'surrogateescape' error handler), any nesting depth (rapidjson's
iterative parser: past Python's recursion limit a linear, explicit-stack parser takes over),
numbers too large for a double rejected, errors worded as rapidjson's GetParseError_En.
Writing: `debug_string` (JsonValueToDebugString: PrettyWriter, single-line arrays, cut at 256
bytes), `decimal` (WriteDecimal: how TF Serving prints floats) and `PrettyWriter`.
"""

from __future__ import annotations

import gc
import json
import math
import re
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable, Final

from .rules import INT64, UINT64

__all__ = ["JsonError", "parse", "gc_paused", "debug_string", "decimal", "float32", "dump_string", "PrettyWriter"]


class JsonError(ValueError):
    """A JSON parse error, worded as TF Serving reports it."""


# The float objects of the NaN/Infinity/-Infinity literals: any other infinite float in a parsed
# document is a number token past the double range, which rapidjson rejects ("Number too big").
POS_INF: Final = float("inf")
NEG_INF: Final = float("-inf")
_CONSTANTS: Final = {"Infinity": POS_INF, "-Infinity": NEG_INF, "NaN": float("nan")}
_DECODER: Final = json.JSONDecoder(parse_constant=_CONSTANTS.__getitem__)
scanstring: Final[Callable[[str, int, bool], tuple[str, int]]] = getattr(json.decoder, "scanstring")
_WS: Final = re.compile(r"[ \t\n\r]*")
_BIG_EXPONENT: Final = re.compile(r"[eE]\+?0*[1-9][0-9]{2,}")
_NUMBER_TOKEN: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_ESCAPE_U: Final = re.compile(r"(\\+)u([0-9a-fA-F]{4})")
_MESSAGES: Final = {
    "Expecting value": "Invalid value.",
    "Expecting property name enclosed in double quotes": "Missing a name for object member.",
    "Expecting ':' delimiter": "Missing a colon after a name of object member.",
    "Unterminated string starting at": "Missing a closing quotation mark in string.",
    "Invalid control character at": "Invalid encoding in string.",
    "Invalid \\escape": "Invalid escape character in string.",
    "Invalid \\uXXXX escape": "Incorrect hex digit after \\u escape in string.",
}
TOO_BIG: Final = "Number too big to be stored in double."
SURROGATE: Final = "The surrogate pair in string is invalid."


def _skip(text: str, pos: int) -> int:
    """The position after the whitespace at `pos`."""
    m = _WS.match(text, pos)
    return m.end() if m else pos


def _error(text: str, message: str, offset: int) -> JsonError:
    return JsonError(f"JSON Parse error: {message} at offset: {len(text[:offset].encode('utf-8', 'surrogatepass'))}")


class _TooBig(Exception):
    """A number token rapidjson rejects as too big for a double."""


def _rapidjson_float(token: str) -> float:
    value = read_double(token)
    if value is None:
        raise _TooBig(token)
    return value


_RAPIDJSON_DECODER: Final = json.JSONDecoder(parse_float=_rapidjson_float, parse_constant=_CONSTANTS.__getitem__)


def overflowed(value: float) -> bool:
    """Whether a parsed float is an infinity that came from a number token, not a literal."""
    return math.isinf(value) and value is not POS_INF and value is not NEG_INF


def parse(source: str | bytes, rapidjson_doubles: bool = False) -> Any:
    """The JSON value of `source` (bytes are UTF-8, invalid sequences kept), as rapidjson
    would read it with TF Serving's flags. Raises JsonError with TF Serving's message.

    Numbers with a fraction or exponent are Python's correctly rounded floats, or with
    `rapidjson_doubles` exactly the doubles rapidjson makes of them (`read_double`; a Python
    call per number, so only where a double tensor needs its exact bits)."""
    text = source.decode("utf-8", "surrogateescape") if isinstance(source, (bytes, bytearray, memoryview)) else source
    if not text:
        raise JsonError("JSON Parse error: The document is empty")
    start = _skip(text, 1 if text[0] == "\ufeff" else 0)  # a UTF-8 BOM is skipped
    if start == len(text):
        raise _error(text, "The document is empty.", start)
    if "\\u" in text:
        _check_surrogates(text)
    with gc_paused():
        value, end = _decode(text, start, rapidjson_doubles)
    _check_number_sizes(text, start, end)
    return value


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector paused (reentrant): a parsed document and the tensors made of it
    hold no cycles, and the collector would rescan millions of new objects as they appear."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _decode(text: str, start: int, rapidjson_doubles: bool) -> tuple[Any, int]:
    try:
        return (_RAPIDJSON_DECODER if rapidjson_doubles else _DECODER).raw_decode(text, start)
    except RecursionError:
        return _Iterative(text, _rapidjson_float if rapidjson_doubles else float).parse(start)
    except _TooBig as e:
        raise _error(text, TOO_BIG, text.find(e.args[0], start) + len(e.args[0])) from None
    except json.JSONDecodeError as e:
        raise _translate(text, e) from None
    except ValueError as e:  # int() beyond sys.get_int_max_str_digits()
        raise _error(text, TOO_BIG, start) from e


def _translate(text: str, e: json.JSONDecodeError) -> JsonError:
    if e.msg == "Expecting ',' delimiter":
        inside = _enclosing(text, e.pos)
        message = "Missing a comma or '}' after an object member." if inside == "{" else "Missing a comma or ']' after an array element."
        return _error(text, message, e.pos)
    if e.msg.startswith("Unterminated string"):
        return _error(text, _MESSAGES["Unterminated string starting at"], len(text))
    return _error(text, _MESSAGES.get(e.msg, e.msg + "."), e.pos)


def _enclosing(text: str, pos: int) -> str:
    """'{' or '[': the container open at `pos` (error path only; linear)."""
    stack: list[str] = []
    i = 0
    while i < pos:
        c = text[i]
        if c == '"':
            try:
                i = scanstring(text, i + 1, False)[1]
            except ValueError:
                break
            continue
        if c in "[{":
            stack.append(c)
        elif c in "]}" and stack:
            stack.pop()
        i += 1
    return stack[-1] if stack else "["


def _check_surrogates(text: str) -> None:
    """rapidjson rejects a \\u escape of a lone UTF-16 surrogate (Python would keep it)."""
    pending = -1  # end of a high-surrogate escape that needs a low one right after it
    for m in _ESCAPE_U.finditer(text):
        if len(m.group(1)) % 2 == 0:  # an escaped backslash followed by "u"
            continue
        code = int(m.group(2), 16)
        low = 0xDC00 <= code <= 0xDFFF
        if pending >= 0:
            if not (low and m.start(1) + len(m.group(1)) - 1 == pending):
                raise _error(text, SURROGATE, pending)
            pending = -1
            continue
        if 0xD800 <= code <= 0xDBFF:
            pending = m.end()
        elif low:
            raise _error(text, SURROGATE, m.end())
    if pending >= 0:
        raise _error(text, SURROGATE, pending)


def _check_number_sizes(text: str, start: int, end: int) -> None:
    """A number token beyond the double range is an error in rapidjson (Python gives inf)."""
    for token_start in _big_exponents(text, start, end):
        while token_start > 0 and text[token_start - 1] in "0123456789.-+eE":
            token_start -= 1
        token = _NUMBER_TOKEN.match(text, token_start)
        if token is not None and math.isinf(float(token.group())) and _in_code(text, token_start):
            raise _error(text, TOO_BIG, token.end())


def _big_exponents(text: str, start: int, end: int) -> Iterator[int]:
    """Where an exponent of 3+ digits starts: str.find over the (usually few) letters e/E, or
    one regex pass when the text is full of them; both linear."""
    if text.count("e", start, end) + text.count("E", start, end) > (end - start) // 256:
        yield from (m.start() for m in _BIG_EXPONENT.finditer(text, start, end))
        return
    for letter in "eE":
        i = text.find(letter, start, end)
        while i >= 0:
            if _BIG_EXPONENT.match(text, i):
                yield i
            i = text.find(letter, i + 1, end)


def _in_code(text: str, pos: int) -> bool:
    """Whether `pos` is outside every string literal (error path only)."""
    i = 0
    while True:
        q = text.find('"', i, pos)
        if q < 0:
            return True
        try:
            i = scanstring(text, q + 1, False)[1]
        except ValueError:
            return False
        if i > pos:
            return False


_TOKEN: Final = re.compile(r'[ \t\n\r]*(?:([\[\]{},:])|(")|(-?Infinity|NaN)|(true|false|null)|(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?)')
_OPEN_RUN: Final = re.compile(r"(?:\[[ \t\n\r]*)+")
_CLOSE_ONE: Final = re.compile(r"[ \t\n\r]*\]")
_LITERALS: Final[dict[str, Any]] = {"true": True, "false": False, "null": None, **_CONSTANTS}


class _Iterative:
    """A JSON parser with an explicit stack, for documents nested beyond Python's recursion limit."""

    def __init__(self, text: str, read_float: Callable[[str], float] = float) -> None:
        self.text = text
        self.read_float = read_float

    def parse(self, pos: int) -> tuple[Any, int]:
        text = self.text
        stack: list[tuple[list[Any] | dict[str, Any], str | None]] = []
        expect_value = True
        while True:
            if expect_value:
                value, pos = self._value(pos, stack)
                if value is _OPEN:
                    continue
            else:
                value = _NONE
            # after a value (or an opened container that just closed): attach and find the next token
            while True:
                if value is not _NONE:
                    if not stack:
                        return value, pos
                    container, key = stack[-1]
                    if isinstance(container, list):
                        container.append(value)
                    else:
                        container[key] = value  # type: ignore[index]
                m = _TOKEN.match(text, pos)
                c = m.group(1) if m else None
                container = stack[-1][0]
                close = "]" if isinstance(container, list) else "}"
                if c == ",":
                    pos = m.end()  # type: ignore[union-attr]
                    if isinstance(container, dict):
                        pos = self._key(pos, stack)
                    expect_value = True
                    break
                if c == close:
                    pos = m.end()  # type: ignore[union-attr]
                    value = stack.pop()[0]
                    if close == "]":  # close a run of "]" while the enclosing containers are lists
                        while len(stack) > 0 and isinstance(stack[-1][0], list):
                            run = _CLOSE_ONE.match(text, pos)
                            if run is None:
                                break
                            stack[-1][0].append(value)
                            value = stack.pop()[0]
                            pos = run.end()
                    continue
                where = _skip(text, pos)
                message = "Missing a comma or ']' after an array element." if close == "]" else "Missing a comma or '}' after an object member."
                raise _error(text, message, where)

    def _key(self, pos: int, stack: list[tuple[list[Any] | dict[str, Any], str | None]]) -> int:
        text = self.text
        pos = _skip(text, pos)
        if pos >= len(text) or text[pos] != '"':
            raise _error(text, "Missing a name for object member.", pos)
        key, pos = self._string(pos + 1)
        pos = _skip(text, pos)
        if pos >= len(text) or text[pos] != ":":
            raise _error(text, "Missing a colon after a name of object member.", pos)
        stack[-1] = (stack[-1][0], key)
        return pos + 1

    def _string(self, pos: int) -> tuple[str, int]:
        try:
            return scanstring(self.text, pos, True)
        except json.JSONDecodeError as e:
            raise _translate(self.text, e) from None

    def _value(self, pos: int, stack: list[tuple[list[Any] | dict[str, Any], str | None]]) -> tuple[Any, int]:
        text = self.text
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _error(text, "Invalid value.", _skip(text, pos))
        c = m.group(1)
        if c == "[":  # a run of "[" opens that many lists in one step
            run = _OPEN_RUN.match(text, m.start(1))
            assert run is not None
            for _ in range(run.group().count("[") - 1):
                stack.append(([], None))
            after = run.end()
            if text.startswith("]", after):
                return [], after + 1
            stack.append(([], None))
            return _OPEN, after
        if c == "{":
            after = _skip(text, m.end())
            if text.startswith("}", after):
                return {}, after + 1
            stack.append(({}, None))
            return _OPEN, self._key(m.end(), stack)
        if c is not None:
            raise _error(text, "Invalid value.", m.start(1))
        if m.group(2):
            return self._string(m.end())
        if m.group(3) or m.group(4):
            return _LITERALS[m.group(3) or m.group(4)], m.end()
        if m.group(6) or m.group(7):
            try:
                number = self.read_float(m.group(5) + (m.group(6) or "") + (m.group(7) or ""))
            except _TooBig:
                raise _error(text, TOO_BIG, m.end()) from None
            if math.isinf(number):
                raise _error(text, TOO_BIG, m.end())
            return number, m.end()
        return int(m.group(5)), m.end()


_OPEN: Final = object()
_NONE: Final = object()


# ---- rapidjson's number reading -----------------------------------------------------------

_POW10: Final = tuple(float(f"1e{n}") for n in range(309))
_DIGITS: Final = frozenset("0123456789")
DBL_MAX: Final = 1.7976931348623157e308


def read_double(token: str) -> float | None:
    """The double rapidjson's Reader (without kParseFullPrecisionFlag, as TF Serving parses)
    makes of a number token it stores as a double; None where it fails "Number too big".

    Its significand is exact up to 2**53 and then built as d * 10 + digit, and the result is
    significand * 10**p or / 10**-p, so for tokens of 16+ digits or exponents beyond 22 it can
    differ from the correctly rounded value Python's float() gives by an ulp or so."""
    if len(token) < 17 and "e" not in token and "E" not in token:
        return float(token)  # <= 15 significant digits, exact 10**p: the same correctly rounded result
    n = len(token)
    pos = 1 if token[0] == "-" else 0
    minus = pos == 1
    i = int(token[pos])
    pos += 1
    use64 = use_double = False
    d = 0.0
    significant = 0
    if i:
        limit, last = (214748364, "8") if minus else (429496729, "5")
        while pos < n and token[pos] in _DIGITS:
            if i >= limit and (i != limit or token[pos] > last):
                use64 = True
                break
            i = i * 10 + ord(token[pos]) - 48
            pos += 1
            significant += 1
        if use64:
            limit, last = (922337203685477580, "8") if minus else (1844674407370955161, "5")
            while pos < n and token[pos] in _DIGITS:
                if i >= limit and (i != limit or token[pos] > last):
                    d, use_double = float(i), True
                    break
                i = i * 10 + ord(token[pos]) - 48
                pos += 1
                significant += 1
        if use_double:
            while pos < n and token[pos] in _DIGITS:
                if d >= 1.7976931348623157e307:
                    return None
                d = d * 10 + (ord(token[pos]) - 48)
                pos += 1
    exp_frac = 0
    if pos < n and token[pos] == ".":
        pos += 1
        if not use_double:
            while pos < n and token[pos] in _DIGITS:
                if i > 0x1FFFFFFFFFFFFF:
                    break
                i = i * 10 + ord(token[pos]) - 48
                exp_frac -= 1
                pos += 1
                if i:
                    significant += 1
            d, use_double = float(i), True
        while pos < n and token[pos] in _DIGITS:
            if significant < 17:
                d = d * 10.0 + (ord(token[pos]) - 48)
                exp_frac -= 1
                if d > 0.0:
                    significant += 1
            pos += 1
    exp = 0
    if pos < n and token[pos] in "eE":
        pos += 1
        if not use_double:
            d, use_double = float(i), True
        exp_minus = token[pos] == "-"
        if token[pos] in "+-":
            pos += 1
        exp = ord(token[pos]) - 48
        pos += 1
        if exp_minus:
            max_exp = int((exp_frac + 2147483639) / 10)  # C division truncates
            while pos < n:
                if exp > max_exp:
                    break
                exp = exp * 10 + ord(token[pos]) - 48
                pos += 1
            exp = -exp
        else:
            max_exp = 308 - exp_frac
            while pos < n:
                exp = exp * 10 + ord(token[pos]) - 48
                pos += 1
                if exp > max_exp:
                    return None
    if not use_double:
        return float(-i if minus else i)
    p = exp + exp_frac
    if p < -308:
        d = _fast_path(_fast_path(d, -308), p + 308)
    else:
        d = _fast_path(d, p)
    if d > DBL_MAX:
        return None
    return -d if minus else d


def _fast_path(significand: float, exp: int) -> float:
    if exp < -308:
        return 0.0
    return significand * _POW10[exp] if exp >= 0 else significand / _POW10[-exp]


# ---- writing ----------------------------------------------------------------------------

_FLT: Final = struct.Struct("<f")


def float32(value: float) -> float:
    """`value` rounded to float32 as C's cast does (beyond float32's range: +-inf)."""
    try:
        return float(_FLT.unpack(_FLT.pack(value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)


def decimal(value: float, is_float32: bool) -> str:
    """WriteDecimal: six-digit %g, or %.9g/%.17g when that does not round-trip; ".0" added to
    whole numbers; NaN, Infinity, -Infinity."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "-Infinity" if value < 0 else "Infinity"
    text = "%g" % value
    back = float(text)
    if (float32(back) if is_float32 else back) != value:
        text = ("%.9g" if is_float32 else "%.17g") % value
    if "." not in text and "e" not in text:
        text += ".0"
    return text


_ESCAPES: Final = {i: "\\u%04X" % i for i in range(0x20)} | {8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def dump_string(value: str) -> str:
    """A JSON string literal as rapidjson's Writer writes it (non-ASCII kept as is)."""
    return '"' + value.translate(_ESCAPES) + '"'


def format_double(value: float) -> str:
    """rapidjson Writer::Double for a finite double (shortest digits, its Prettify layout)."""
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, frac = mantissa.partition(".")
    significant = (whole + frac).lstrip("0")
    digits = significant.rstrip("0")
    k = int(exponent or 0) - len(frac) + len(significant) - len(digits)  # value = int(digits) * 10**k
    length = len(digits)
    kk = length + k
    if 0 <= k and kk <= 21:
        out = digits + "0" * k + ".0"
    elif 0 < kk <= 21:
        out = digits[:kk] + "." + digits[kk:]
    elif -6 < kk <= 0:
        out = "0." + "0" * -kk + digits
    elif length == 1:
        out = digits + "e" + str(kk - 1)
    else:
        out = digits[0] + "." + digits[1:] + "e" + str(kk - 1)
    return sign + out


def _scalar(value: object) -> str | None:
    """A scalar as rapidjson's Writer writes it; None where it refuses (NaN, Infinity)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return dump_string(value)
    if type(value) is int:
        if INT64[0] <= value < UINT64[1]:
            return str(value)
        try:
            value = float(value)
        except OverflowError:  # rapidjson would not have parsed it
            return str(value)
    assert isinstance(value, float)
    return None if math.isinf(value) or math.isnan(value) else format_double(value)


DEBUG_LIMIT: Final = 256  # kMaxJsonDebugStringBytes


def debug_string(value: Any, limit: int = DEBUG_LIMIT) -> str:
    """JsonValueToDebugString: PrettyWriter with single-line arrays, each write made only while
    fewer than `limit` bytes are out; a NaN or Infinity stops the writer (rapidjson refuses them)."""
    writer = PrettyWriter(single_line_arrays=True)
    for kind, item in _events(value):
        if writer.size >= limit:
            break
        if kind == "scalar":
            raw = _scalar(item)
            if raw is None:
                writer.prefix()
                break
            writer.raw(raw)
        elif kind == "key":
            writer.key(item)
        elif kind == "[":
            writer.start("[")
        elif kind == "{":
            writer.start("{")
        else:
            writer.end()
    return writer.text()


def _events(value: Any) -> Iterator[tuple[str, Any]]:
    """Writer events for a JSON value, without recursion (values may be nested arbitrarily)."""
    stack: list[Iterator[Any]] = []
    pending: list[Any] = [value]
    while True:
        if pending:
            v = pending.pop()
            if isinstance(v, list):
                yield "[", None
                stack.append(iter(v))
            elif isinstance(v, dict):
                yield "{", None
                stack.append(iter(v.items()))
            else:
                yield "scalar", v
        if not stack:
            return
        top = stack[-1]
        nxt = next(top, _NONE)
        if nxt is _NONE:
            stack.pop()
            yield "end", None
            if not stack:
                return
            continue
        if isinstance(nxt, tuple):
            yield "key", nxt[0]
            pending.append(nxt[1])
        else:
            pending.append(nxt)


class PrettyWriter:
    """rapidjson's PrettyWriter (4-space indent) into a list of string parts; like rapidjson's
    kFormatSingleLineArray, `single_line_arrays` applies to whatever is written while it is set."""

    def __init__(self, single_line_arrays: bool = False) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.single_line_arrays = single_line_arrays
        self.levels: list[list[Any]] = []  # [is_array, value_count]

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.size += len(s)

    def prefix(self) -> None:
        if not self.levels:
            return
        level = self.levels[-1]
        if level[0]:
            if level[1] > 0:
                self._put(", " if self.single_line_arrays else ",")
            if not self.single_line_arrays:
                self._put("\n" + "    " * len(self.levels))
        else:
            if level[1] > 0:
                self._put(",\n" if level[1] % 2 == 0 else ": ")
            else:
                self._put("\n")
            if level[1] % 2 == 0:
                self._put("    " * len(self.levels))
        level[1] += 1

    def raw(self, text: str) -> None:
        self.prefix()
        self._put(text)

    def string(self, value: str) -> None:
        self.raw(dump_string(value))

    key = string

    def start(self, bracket: str) -> None:
        self.prefix()
        self._put(bracket)
        self.levels.append([bracket == "[", 0])

    def end(self) -> None:
        is_array, count = self.levels.pop()
        if count and not (is_array and self.single_line_arrays):
            self._put("\n" + "    " * len(self.levels))
        self._put("]" if is_array else "}")

    def text(self) -> str:
        return "".join(self.parts)
