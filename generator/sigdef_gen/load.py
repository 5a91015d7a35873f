"""Read a schema directory into documents with URIs; JSON problems become located errors."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Location, Problem, SchemaError, escape_pointer, fail
from .files import FileRejected, read_regular
from .resources import SCHEMAS

BUNDLED_SCHEMAS = SCHEMAS
LOCAL_BASE = "https://local.sigdef.invalid/"
META_SCHEMA = "meta.schema.json"
MAX_SCHEMA_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_MEMBERS = 1000  # members of one object or array (an enum, properties, examples)
MAX_VALUES = 5000  # JSON values in one file (the largest bundled schema has 517)


@dataclass(frozen=True)
class SchemaDoc:
    """One parsed schema file."""

    path: str  # relative to its schema root, with "/" separators
    uri: str  # its $id, or a stable local URI
    data: Any
    bundled: bool  # part of the bundled schemas, loaded for $ref only

    @property
    def location(self) -> Location:
        return Location(self.path)


@dataclass(frozen=True)
class SchemaSet:
    """Every document of a schema directory, plus the bundled ones it may reference."""

    root: Path
    docs: tuple[SchemaDoc, ...]

    @property
    def own(self) -> tuple[SchemaDoc, ...]:
        """Documents of the directory itself (these produce output)."""
        return tuple(d for d in self.docs if not d.bundled)

    def by_uri(self) -> dict[str, SchemaDoc]:
        return {d.uri: d for d in self.docs}


def schema_files(root: Path) -> Iterator[Path]:
    """The *.schema.json files under root, sorted, excluding the meta-schema."""
    for path in sorted(root.rglob("*.json")):
        if path.name != META_SCHEMA and path.name.endswith(".schema.json"):
            yield path


def load_schema_set(root: Path) -> SchemaSet:
    """Load root's schemas (and the bundled ones when root is another directory)."""
    if not root.is_dir():
        raise fail(Location(str(root)), "LOAD", "schema directory does not exist")
    root = root.resolve()
    problems: list[Problem] = []
    docs: list[SchemaDoc] = []
    roots = [(root, False)]
    if root != BUNDLED_SCHEMAS.resolve():
        roots.append((BUNDLED_SCHEMAS, True))
    for base, bundled in roots:
        for path in schema_files(base):
            rel = path.relative_to(base).as_posix()
            try:
                rel = _file_name(rel)
                data = read_json(path, rel)
            except SchemaError as exc:
                problems.extend(exc.problems)
                continue
            uri = document_uri(data, rel)
            if bundled and any(d.uri == uri for d in docs):
                continue  # the directory's own copy of a bundled schema wins
            docs.append(SchemaDoc(rel, uri, data, bundled))
    if not any(not d.bundled for d in docs) and not problems:
        problems.append(Problem(Location(str(root)), "LOAD", "no *.schema.json files found"))
    seen: dict[str, SchemaDoc] = {}
    for doc in docs:
        if doc.uri in seen and not doc.bundled:
            problems.append(Problem(doc.location.child("$id"), "DUPLICATE_ID", f"$id {doc.uri!r} is also used by {seen[doc.uri].path}"))
        seen.setdefault(doc.uri, doc)
    if problems:
        raise SchemaError(problems)
    return SchemaSet(root, tuple(docs))


def read_json(path: Path, rel: str) -> Any:
    """Parse one JSON file; every failure is a SchemaError naming the file."""
    where = Location(rel)
    try:
        raw = read_regular(path, MAX_SCHEMA_BYTES)
    except FileRejected as exc:
        raise fail(where, "LOAD", f"{exc}; schemas must be regular files of at most {MAX_SCHEMA_BYTES} bytes") from None
    except OSError as exc:
        raise fail(where, "LOAD", f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(where, "LOAD", f"not UTF-8: invalid byte at offset {exc.start}") from None
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))  # parse deep files, then report where they are too deep
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise fail(where, "JSON_SYNTAX", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        raise fail(where, "JSON_SYNTAX", str(exc)) from None
    except RecursionError:
        raise fail(where, "TOO_DEEP", f"nesting is deeper than {MAX_DEPTH} levels") from None
    finally:
        sys.setrecursionlimit(limit)
    problem = _scan(data)
    if problem is not None:
        pointer, rule, message = problem
        raise fail(Location(rel, pointer), rule, message)
    return data


def _scan(data: Any) -> tuple[str, str, str] | None:
    """(pointer, rule, message) of the first value sigdef cannot generate code from: nested
    deeper than MAX_DEPTH, too many members, a non-finite number, a lone surrogate."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    values = 0
    while stack:
        node, pointer, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            return "", "TOO_LARGE", f"the file holds more than {MAX_VALUES} JSON values; sigdef generates code for at most that many"
        if depth > MAX_DEPTH:
            return pointer, "TOO_DEEP", f"nesting is deeper than {MAX_DEPTH} levels"
        if isinstance(node, (dict, list)) and len(node) > MAX_MEMBERS:
            return pointer, "TOO_LARGE", f"{len(node)} members; sigdef generates code for at most {MAX_MEMBERS} per object or array"
        if isinstance(node, dict):
            for key in node:
                if not _encodable(key):
                    return pointer, "TEXT_INVALID", f"member name {_shown(key)} holds a lone surrogate, which UTF-8 cannot encode"
            stack.extend((v, f"{pointer}/{escape_pointer(k)}", depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{pointer}/{i}", depth + 1) for i, v in enumerate(node))
        elif isinstance(node, str) and not _encodable(node):
            return pointer, "TEXT_INVALID", "the string holds a lone surrogate (\\ud800-\\udfff), which UTF-8 cannot encode"
        elif isinstance(node, float) and not math.isfinite(node):
            return pointer, "NUMBER_RANGE", "the number does not fit a 64-bit float"
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """`text` quoted for a one-line message, with surrogates and control characters escaped."""
    return ascii(text) if not _encodable(text) else repr(text)


def _file_name(rel: str) -> str:
    """`rel` if it is UTF-8 (names become locations, module headers, test names); else TEXT_INVALID."""
    if _encodable(rel):
        return rel
    shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
    raise fail(Location(shown), "TEXT_INVALID", "the file name is not UTF-8; rename it")

def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON: {name} is not a JSON value")


def document_uri(data: Any, rel: str) -> str:
    """A document's base URI: its `$id` if it has a string one, else a local URI from its path."""
    if isinstance(data, dict) and isinstance(data.get("$id"), str):
        return str(data["$id"]).split("#", 1)[0]
    return LOCAL_BASE + rel
