"""Protobuf wire-format scanning without building messages: the one place sigdef reads
protobuf bytes by hand (to find a graph's op types and to skip what inspection does not need).

Every function runs in time linear in the bytes it looks at and copies nothing (slices of a
`memoryview`, e.g. over an mmap). A varint is at most 10 bytes, groups nest at most
`MAX_DEPTH` deep; anything else is a `WireError` naming the byte offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["MAX_DEPTH", "Field", "WireError", "fields", "length_delimited", "varint", "varint_bytes"]

MAX_DEPTH = 100  # protobuf's own recursion limit
_MAX_VARINT = 10
VARINT, FIXED64, LENGTH, START_GROUP, END_GROUP, FIXED32 = range(6)


class WireError(ValueError):
    """Bytes that are not a protobuf message; `offset` is relative to the scanned buffer."""

    def __init__(self, offset: int, problem: str) -> None:
        super().__init__(f"{problem} at byte {offset}")
        self.offset = offset
        self.problem = problem


class Field(NamedTuple):
    """One field of a message: number, wire type, and offsets of its header, payload and end.

    For a length-delimited field the payload is `data[start:end]`; for a group it is the
    bytes between the start and end markers."""

    number: int
    wire: int
    head: int
    start: int
    end: int


def varint(data: memoryview | bytes, pos: int) -> tuple[int, int]:
    """The varint at `pos` and the position after it (at most 10 bytes are read)."""
    result = shift = 0
    limit = min(len(data), pos + _MAX_VARINT)
    start = pos
    while pos < limit:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
    if pos - start >= _MAX_VARINT:
        raise WireError(start, "varint longer than 10 bytes")
    raise WireError(start, "truncated varint")


def fields(data: memoryview | bytes, base: int = 0) -> Iterator[Field]:
    """Every field of the message `data`, in order; offsets are relative to `data`.

    `base` is only added to the offsets in error messages (the buffer's place in its file)."""
    pos, size = 0, len(data)
    while pos < size:
        head = pos
        try:
            number, wire, start, end, pos = _field(data, pos, size)
        except WireError as exc:
            raise WireError(exc.offset + base, exc.problem) from None
        if wire == END_GROUP:
            raise WireError(head + base, f"end of group {number} without its start")
        yield Field(number, wire, head, start, end)


def _field(data: memoryview | bytes, pos: int, size: int) -> tuple[int, int, int, int, int]:
    """(number, wire type, payload start, payload end, next position) of the field at `pos`."""
    head = pos
    key, pos = varint(data, pos)
    number, wire = key >> 3, key & 7
    if number == 0 or number >= 1 << 29:
        raise WireError(head, f"invalid field number {number}")
    if wire == VARINT:
        _, end = varint(data, pos)
        return number, wire, pos, end, end
    if wire == LENGTH:
        length, start = varint(data, pos)
        end = start + length
        if end > size:
            raise WireError(head, f"field {number} runs {end - size} bytes past the end")
        return number, wire, start, end, end
    if wire in (FIXED64, FIXED32):
        end = pos + (8 if wire == FIXED64 else 4)
        if end > size:
            raise WireError(head, f"truncated fixed-size field {number}")
        return number, wire, pos, end, end
    if wire == START_GROUP:
        end, after = _skip_group(data, pos, size, number)
        return number, wire, pos, end, after
    if wire == END_GROUP:
        return number, wire, pos, pos, pos
    raise WireError(head, f"invalid wire type {wire}")


def _skip_group(data: memoryview | bytes, pos: int, size: int, number: int) -> tuple[int, int]:
    """End of the group `number` starting at `pos` (before its end marker) and the position
    after the marker; nested groups are followed with an explicit stack, not recursion."""
    open_groups = [number]
    while pos < size:
        head = pos
        inner, wire, _, _, pos = _field(data, pos, size) if _peek_wire(data, pos) != START_GROUP else _group_start(data, pos)
        if wire == START_GROUP:
            open_groups.append(inner)
            if len(open_groups) > MAX_DEPTH:
                raise WireError(head, f"groups nested more than {MAX_DEPTH} deep")
        elif wire == END_GROUP:
            if inner != open_groups.pop():
                raise WireError(head, f"end of group {inner} inside another group")
            if not open_groups:
                return head, pos
    raise WireError(pos, f"group {number} has no end")


def _peek_wire(data: memoryview | bytes, pos: int) -> int:
    return data[pos] & 7


def _group_start(data: memoryview | bytes, pos: int) -> tuple[int, int, int, int, int]:
    head = pos
    key, pos = varint(data, pos)
    if key >> 3 == 0 or key >> 3 >= 1 << 29:
        raise WireError(head, f"invalid field number {key >> 3}")
    return key >> 3, START_GROUP, pos, pos, pos


def varint_bytes(n: int) -> bytes:
    """The varint encoding of a non-negative `n` (for building test and benchmark inputs)."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def length_delimited(number: int, payload: bytes) -> bytes:
    """A length-delimited field: key, length, payload."""
    return varint_bytes(number << 3 | LENGTH) + varint_bytes(len(payload)) + payload
