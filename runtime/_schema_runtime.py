"""Helpers shared by the compiled validators: findings and JSON value semantics."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

__all__ = ["Finding", "fail", "json_equal", "json_in", "json_unique", "message_json", "multiple_of", "pointer_token"]


class Finding(NamedTuple):
    """One validation error: where in the document, which schema keyword, why."""

    doc_pointer: str
    schema_pointer: str
    keyword: str
    message: str


def fail(out: list[Finding], pointer: str, location: str, keyword: str, message: str) -> None:
    """Record a finding of `keyword` (at schema `location`) for the value at `pointer`."""
    out.append(Finding(pointer, location + "/" + keyword, keyword, message))


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true != 1 and false != 0; deep for arrays and objects."""
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if ta in (int, float) and tb in (int, float):
        return bool(a == b)
    if ta is list and tb is list:
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if ta is dict and tb is dict:
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return ta is tb and bool(a == b)


def json_in(value: Any, values: tuple[Any, ...]) -> bool:
    """`value` equals (JSON equality) one of `values`."""
    return any(json_equal(value, v) for v in values)


def json_unique(items: list[Any]) -> bool:
    """No two items are JSON-equal."""
    return not any(json_equal(items[i], items[j]) for i in range(len(items)) for j in range(i + 1, len(items)))


def multiple_of(value: Any, divisor: Any) -> bool:
    """`value` is an integer multiple of `divisor` (floats compared as jsonschema does)."""
    if isinstance(divisor, float):
        quotient = value / divisor
        try:
            return bool(int(quotient) == quotient)
        except OverflowError:
            return (Fraction(value) / Fraction(divisor)).denominator == 1
    return not value % divisor


def pointer_token(key: str) -> str:
    """One escaped JSON pointer token (RFC 6901)."""
    return "/" + key.replace("~", "~0").replace("/", "~1")


def message_json(message: Any) -> Any:
    """A message's proto3-JSON form (for the checks the message backend leaves to JSON)."""
    from google.protobuf import json_format

    return json_format.MessageToDict(message)
