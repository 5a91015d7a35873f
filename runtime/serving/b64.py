"""JSON strings to bytes as TF Serving stores them: {"b64": ...} objects (absl::Base64Unescape)
and plain strings (their UTF-8 bytes, invalid input bytes kept)."""

from __future__ import annotations

import binascii
import re
from typing import Any, Final

__all__ = ["is_b64_object", "decode_object", "utf8"]

_WHITESPACE: Final = re.compile(r"[ \t\n\v\f\r]+")
_ALPHABET: Final = re.compile(r"[A-Za-z0-9+/]*")


def is_b64_object(value: Any) -> bool:
    """IsValBase64Object: an object whose only member is "b64", holding a string."""
    return type(value) is dict and len(value) == 1 and type(value.get("b64")) is str


def decode(text: str) -> bytes | None:
    """absl::Base64Unescape: standard alphabet, whitespace skipped, padding ('=' or '.')
    optional but never more than completes the last quantum; None when invalid."""
    data = _WHITESPACE.sub("", text)
    body = data.rstrip("=.")
    pad = len(data) - len(body)
    if not _ALPHABET.fullmatch(body) or len(body) % 4 == 1 or (pad and (pad > 2 or (len(body) + pad) % 4)):
        return None
    try:
        return binascii.a2b_base64(body + "=" * (-len(body) % 4))
    except binascii.Error:  # pragma: no cover - the checks above rule this out
        return None


def decode_object(value: Any) -> bytes | None:
    """The bytes of a {"b64": ...} object; None when it is not one or does not decode."""
    return decode(value["b64"]) if is_b64_object(value) else None


def utf8(text: str) -> bytes:
    """The bytes of a parsed JSON string: UTF-8, raw input bytes restored (surrogateescape)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate in a str the caller built
            return text.encode("utf-8", "surrogatepass")
