"""Resolve the `$ref`s that x-sigdef annotations use to name constants and dtypes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin

from .errors import Location, fail
from .load import SchemaDoc


@dataclass(frozen=True)
class Target:
    """What a `$ref` points at."""

    doc: SchemaDoc
    pointer: str
    node: Any

    @property
    def name(self) -> str:
        """The last pointer token (a `$defs` name)."""
        return self.pointer.rsplit("/", 1)[-1]


def resolve(docs: dict[str, SchemaDoc], base: SchemaDoc, ref: object, where: Location) -> Target:
    """Resolve `ref` against `base`'s URI into a document and JSON pointer."""
    if not isinstance(ref, str):
        raise fail(where, "REF_UNRESOLVED", "$ref must be a string")
    uri, _, fragment = urljoin(base.uri, ref).partition("#")
    doc = docs.get(uri)
    if doc is None:
        raise fail(where, "REF_UNRESOLVED", f"$ref {ref!r}: no schema has URI {uri!r}")
    node: Any = doc.data
    pointer = unquote(fragment)
    if pointer and not pointer.startswith("/"):
        raise fail(where, "REF_UNRESOLVED", f"$ref {ref!r}: only JSON-pointer fragments name constants")
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise fail(where, "REF_UNRESOLVED", f"$ref {ref!r}: {doc.path} has nothing at {pointer!r}")
    return Target(doc, pointer, node)


def resolve_const(docs: dict[str, SchemaDoc], base: SchemaDoc, holder: object, where: Location) -> Target:
    """Resolve `{"$ref": ...}` that must point at a `const` definition."""
    ref = holder.get("$ref") if isinstance(holder, dict) else None
    target = resolve(docs, base, ref, where.child("$ref"))
    if not isinstance(target.node, dict) or "const" not in target.node:
        raise fail(where.child("$ref"), "REF_NOT_CONST", f"$ref {ref!r} does not point at a `const` definition")
    return target
