"""Strings for JSON Schema string keywords: generated from a `pattern` (Python's own regex
parser reads it; anchors and lookarounds are ignored, the caller re-checks with re.search)
or of a length between minLength and maxLength. Deterministic for a seeded `random.Random`."""

from __future__ import annotations

import random
import re
import string
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

MAX_REPEAT_COPIES = 256  # a pattern repeating more than this is not sampled
MAX_LENGTH = 4096  # nor is a minLength above this
MAX_REPEAT_EXTRA = 8  # an unbounded repeat adds at most this many copies past its minimum
_TEXT = string.ascii_letters + string.digits + "_-:/. "


class _Unsupported(Exception):
    pass


def string_for(patterns: list[str], low: int, high: int | None, rng: random.Random) -> str | None:
    """A string of length low..high, or one matched by one of `patterns` (None when the
    pattern uses what this generator does not read)."""
    if patterns:
        try:
            return from_pattern(rng.choice(patterns), rng)
        except (_Unsupported, RecursionError, ValueError, re.error):
            return None
    if low > MAX_LENGTH:
        return None
    top = min(low + MAX_REPEAT_EXTRA if high is None else high, low + 8 * MAX_REPEAT_EXTRA)
    length = rng.choice([low, top, rng.randint(low, max(low, top))]) if top >= low else low
    return "".join(rng.choice(_TEXT) for _ in range(length))


def from_pattern(pattern: str, rng: random.Random) -> str:
    """A string `re.search(pattern, ...)` finds a match in (anchors and lookarounds ignored)."""
    groups: dict[int, str] = {}
    return _sequence(_parser.parse(pattern), rng, groups)


def _sequence(items: Any, rng: random.Random, groups: dict[int, str]) -> str:
    return "".join(_item(op, arg, rng, groups) for op, arg in items)


def _item(op: Any, arg: Any, rng: random.Random, groups: dict[int, str]) -> str:
    if op is C.LITERAL:
        return chr(arg)
    if op is C.NOT_LITERAL:
        return rng.choice([c for c in _TEXT if ord(c) != arg])
    if op is C.ANY:
        return rng.choice(_TEXT)
    if op is C.IN:
        return _in(arg, rng)
    if op is C.BRANCH:
        return _sequence(rng.choice(arg[1]), rng, groups)
    if op is C.SUBPATTERN:
        text = _sequence(arg[-1], rng, groups)
        if arg[0] is not None:
            groups[arg[0]] = text
        return text
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)):
        low, high, body = arg
        if low > MAX_REPEAT_COPIES:
            raise _Unsupported(f"a repeat of more than {MAX_REPEAT_COPIES} copies")
        top = low + MAX_REPEAT_EXTRA if high is C.MAXREPEAT else min(high, low + 4 * MAX_REPEAT_EXTRA)
        count = rng.choice([low, top, rng.randint(low, top)])
        return "".join(_sequence(body, rng, groups) for _ in range(count))
    if op is C.GROUPREF:
        return groups.get(arg, "")
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return ""
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(arg, rng, groups)
    raise _Unsupported(str(op))


_CATEGORIES = {
    C.CATEGORY_DIGIT: string.digits,
    C.CATEGORY_NOT_DIGIT: string.ascii_letters + "_-",
    C.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    C.CATEGORY_NOT_WORD: " -./:",
    C.CATEGORY_SPACE: " \t",
    C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}


def _in(items: Any, rng: random.Random) -> str:
    chars: list[str] = []
    negate = False
    for op, arg in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            chars.append(chr(arg))
        elif op is C.RANGE:
            low, high = arg
            chars.extend(chr(c) for c in range(low, min(high, low + 255) + 1))
        elif op is C.CATEGORY:
            chars.extend(_CATEGORIES.get(arg, ""))
        else:
            raise _Unsupported(str(op))
    if negate:
        chars = [c for c in _TEXT if c not in chars]
    if not chars:
        raise _Unsupported("empty character class")
    return rng.choice(chars)
