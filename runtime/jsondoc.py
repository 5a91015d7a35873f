"""Reading a JSON document as protobuf's `json_format.Parse` reads it, with located errors:
a duplicate member name is refused with json_format's words ("duplicate key NAME."),
and so are what is not JSON (invalid UTF-8, NaN/Infinity tokens, numbers Python cannot
hold) and nesting deeper than json_format's default recursion limit."""

from __future__ import annotations

import json
from typing import Any

from ._schema_runtime import pointer_token

__all__ = ["MAX_DEPTH", "JsonDocumentError", "load_document"]

MAX_DEPTH = 100  # json_format.Parse's default max_recursion_depth


class JsonDocumentError(ValueError):
    """A document that is not acceptable JSON: `pointer` (JSON pointer, "" = the
    document, None when not known) and `problem` (one line)."""

    def __init__(self, pointer: str | None, problem: str) -> None:
        super().__init__(problem if pointer is None else f"{pointer or '/'}: {problem}")
        self.pointer = pointer
        self.problem = problem


def load_document(data: bytes) -> Any:
    """The value of the JSON text `data` (UTF-8)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonDocumentError(None, f"not UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})") from None
    duplicates: dict[int, str] = {}

    def members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, value in pairs:
            if name in result and not duplicates:
                duplicates[id(result)] = name
            result[name] = value
        return result

    try:
        document = json.loads(text, object_pairs_hook=members, parse_constant=_no_constant)
    except RecursionError:
        raise JsonDocumentError(None, f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # JSONDecodeError, and numbers of more than 4300 digits
        raise JsonDocumentError(None, f"not valid JSON ({exc})") from None
    if type(document) in _CONTAINERS:
        _check(document, duplicates)
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _check(document: Any, duplicates: dict[int, str]) -> None:
    """Refuse nesting beyond MAX_DEPTH and the first duplicate member, located. The walk
    is iterative and visits only objects and arrays (a document of a million numbers
    costs no pointer strings)."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, pointer, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JsonDocumentError(pointer, f"nested deeper than {MAX_DEPTH} levels")
        if type(value) is dict:
            name = duplicates.get(id(value))
            if name is not None:
                raise JsonDocumentError(pointer, f"Failed to load JSON: duplicate key {name}.")
            inner = [(item, pointer + pointer_token(key), depth + 1) for key, item in value.items() if type(item) in _CONTAINERS]
        else:
            inner = [(item, f"{pointer}/{index}", depth + 1) for index, item in enumerate(value) if type(item) in _CONTAINERS]
        stack.extend(reversed(inner))


_CONTAINERS = (dict, list)
