"""Compile a (meta-checked) JSON Schema 2020-12 document into a ValidatorModule IR."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from .ir import Entry, Node, ValidatorModule

ANNOTATIONS = frozenset({
    "$schema", "$id", "$anchor", "$defs", "$comment", "title", "description", "default", "deprecated",
    "readOnly", "writeOnly", "examples", "format", "contentEncoding", "contentMediaType", "contentSchema",
})
VALIDATION = frozenset({
    "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
    "maxProperties", "minProperties", "required", "dependentRequired", "properties", "patternProperties",
    "additionalProperties", "propertyNames", "dependentSchemas", "prefixItems", "items", "contains",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref",
})
SUPPORTED_KEYWORDS: frozenset[str] = ANNOTATIONS | VALIDATION
"""Every keyword the compiler understands; the meta-schema allows exactly these (plus `x-*`)."""

META_2020_12 = "https://json-schema.org/draft/2020-12/schema"
INLINE_DEPTH = 6  # deeper subschemas become functions (Python limits nested blocks)
# Keywords whose values are data, not schemas: never searched for $id/$anchor.
_DATA = frozenset({"const", "enum", "examples", "default"})
_SUBSCHEMA_MAPS = ("$defs", "properties", "patternProperties", "dependentSchemas")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA = ("additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else", "contentSchema")


class CompileError(Exception):
    """A schema the compiler cannot compile; `.location` is `uri#pointer`."""

    def __init__(self, message: str, location: str) -> None:
        super().__init__(message)
        self.location = location


class UnsupportedKeyword(CompileError):
    def __init__(self, keyword: str, location: str) -> None:
        super().__init__(f"keyword {keyword!r} is not supported by the sigdef keyword compiler", location)
        self.keyword = keyword


class UnresolvedRef(CompileError):
    def __init__(self, ref: str, location: str) -> None:
        super().__init__(f"$ref {ref!r} cannot be resolved (only schemas in the schema set are known)", location)
        self.ref = ref


class RefCycle(CompileError):
    def __init__(self, ref: str, location: str) -> None:
        super().__init__(f"$ref {ref!r} leads back to itself without descending into the document (validation would never end)", location)
        self.ref = ref


def compile_schema(root_uri: str, registry: Mapping[str, Any], *, name: str) -> ValidatorModule:
    """Compile `registry[root_uri]`; `$ref`s resolve against every document in `registry`."""
    return compile_schemas([(name, root_uri)], registry)


def compile_schemas(roots: list[tuple[str, str]], registry: Mapping[str, Any]) -> ValidatorModule:
    """Compile several root schemas (name, URI) into one module; shared $refs compile once."""
    compiler = _Compiler(registry)
    for name, uri in roots:
        compiler.add(uri, name)
    compiler.module.patterns = list(compiler.patterns)
    _number_locations(compiler.module)
    return compiler.module


def _number_locations(module: ValidatorModule) -> None:
    """Give every node the index of its schema location in `module.locations`."""
    index: dict[str, int] = {}
    stack = [e.root for e in module.entries] + module.functions + module.bool_functions
    while stack:
        node = stack.pop()
        node.loc_id = index.setdefault(node.loc, len(index))
        stack.extend(node.children())
    module.locations = list(index)


class _Compiler:
    def __init__(self, registry: Mapping[str, Any]) -> None:
        self.resources: dict[str, Any] = {}  # base URI -> resource root
        self.anchors: dict[str, tuple[str, Any]] = {}  # uri#anchor -> (base, node)
        self.bases: dict[int, str] = {}  # id(node) -> its base URI, for nodes with $id
        for uri, document in registry.items():
            self.resources[uri.rstrip("#")] = document
            self._index(document, uri.rstrip("#"))
        self.refs: dict[int, int] = {}  # id(node) -> function index
        self.patterns: dict[str, int] = {}
        self.module = ValidatorModule()

    def _index(self, node: Any, base: str) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$id"), str):
                base = urldefrag(_join(base, node["$id"]))[0]
                self.bases[id(node)] = base
            self.resources.setdefault(base, node)
            if isinstance(node.get("$anchor"), str):
                self.anchors[f"{base}#{node['$anchor']}"] = (base, node)
            for key, value in node.items():
                if key not in _DATA and not key.startswith("x-"):
                    self._index_child(key, value, base)
        elif isinstance(node, list):
            for value in node:
                self._index(value, base)

    def _index_child(self, key: str, value: Any, base: str) -> None:
        if key in _SUBSCHEMA_MAPS and isinstance(value, dict):
            for child in value.values():
                self._index(child, base)
        elif key in _SUBSCHEMA_LISTS or key in _SUBSCHEMA:
            self._index(value, base)

    def add(self, root_uri: str, name: str) -> None:
        uri = root_uri.rstrip("#")
        root = self.resources.get(uri)
        if root is None:
            raise UnresolvedRef(root_uri, root_uri)
        self.module.entries.append(Entry(name, self.node(root, uri, uri + "#")))

    def node(self, schema: Any, base: str, loc: str, depth: int = 0, chain: tuple[int, ...] = ()) -> Node:
        """Compile one subschema; `chain` holds the $ref targets entered for this same
        instance (no descent into a child value since), to reject cycles that never end."""
        if depth >= INLINE_DEPTH and isinstance(schema, dict):
            index = len(self.module.functions)
            self.module.functions.append(Node(loc=loc))
            self.module.functions[index] = self.node(schema, base, loc, 0, chain)
            return Node(loc=loc, ref=index)
        if schema is True:
            return Node(loc=loc)
        if schema is False:
            return Node(loc=loc, false=True)
        if not isinstance(schema, dict):
            raise CompileError("a schema must be an object or a boolean", loc)
        base = self.bases.get(id(schema), base)
        for keyword in schema:
            if keyword not in SUPPORTED_KEYWORDS and not keyword.startswith("x-"):
                raise UnsupportedKeyword(keyword, f"{loc}/{keyword}")
        if "$schema" in schema and schema["$schema"].rstrip("#") != META_2020_12:
            raise UnsupportedKeyword("$schema", f"{loc}/$schema")
        n = Node(loc=loc)
        s = schema
        if "type" in s:
            n.types = tuple(s["type"]) if isinstance(s["type"], list) else (s["type"],)
        if "const" in s:
            n.const = (s["const"],)
        if "enum" in s:
            n.enum = tuple(s["enum"])
        n.minimum, n.maximum = s.get("minimum"), s.get("maximum")
        n.exclusive_minimum, n.exclusive_maximum = s.get("exclusiveMinimum"), s.get("exclusiveMaximum")
        n.multiple_of = s.get("multipleOf")
        n.min_length, n.max_length = s.get("minLength"), s.get("maxLength")
        if "pattern" in s:
            n.pattern = self.pattern(s["pattern"], f"{loc}/pattern")
        n.min_items, n.max_items = s.get("minItems"), s.get("maxItems")
        n.unique_items = bool(s.get("uniqueItems", False))
        n.prefix_items = tuple(self.node(x, base, f"{loc}/prefixItems/{i}", depth + 1) for i, x in enumerate(s.get("prefixItems", ())))
        if "items" in s:
            n.items = self.node(s["items"], base, f"{loc}/items", depth + 1)
        if "contains" in s:
            n.contains = self.branch(s["contains"], base, f"{loc}/contains")
            n.min_contains = s.get("minContains", 1)
            n.max_contains = s.get("maxContains")
        n.min_properties, n.max_properties = s.get("minProperties"), s.get("maxProperties")
        n.required = tuple(s.get("required", ()))
        n.dependent_required = tuple((k, tuple(v)) for k, v in s.get("dependentRequired", {}).items() if v)
        n.properties = tuple((k, self.node(v, base, f"{loc}/properties/{_escape(k)}", depth + 1)) for k, v in s.get("properties", {}).items())
        n.pattern_properties = tuple(
            (self.pattern(p, f"{loc}/patternProperties"), self.node(v, base, f"{loc}/patternProperties/{_escape(p)}", depth + 1))
            for p, v in s.get("patternProperties", {}).items()
        )
        if "additionalProperties" in s:
            n.additional = self.node(s["additionalProperties"], base, f"{loc}/additionalProperties", depth + 1)
        if "propertyNames" in s:
            n.property_names = self.node(s["propertyNames"], base, f"{loc}/propertyNames", depth + 1)
        n.dependent_schemas = tuple((k, self.node(v, base, f"{loc}/dependentSchemas/{_escape(k)}", depth + 1, chain)) for k, v in s.get("dependentSchemas", {}).items())
        n.all_of = tuple(self.node(x, base, f"{loc}/allOf/{i}", depth + 1, chain) for i, x in enumerate(s.get("allOf", ())))
        n.any_of = tuple(self.branch(x, base, f"{loc}/anyOf/{i}", chain) for i, x in enumerate(s.get("anyOf", ())))
        n.one_of = tuple(self.branch(x, base, f"{loc}/oneOf/{i}", chain) for i, x in enumerate(s.get("oneOf", ())))
        if "not" in s:
            n.not_ = self.branch(s["not"], base, f"{loc}/not", chain)
        if "if" in s:
            n.if_ = self.branch(s["if"], base, f"{loc}/if", chain)
            if "then" in s:
                n.then = self.node(s["then"], base, f"{loc}/then", depth + 1, chain)
            if "else" in s:
                n.else_ = self.node(s["else"], base, f"{loc}/else", depth + 1, chain)
        if "$ref" in s:
            target_base, target = self.resolve(s["$ref"], base, f"{loc}/$ref")
            if _leaf(target):  # a small leaf (e.g. a constant): check it inline
                n.all_of += (self.node(target, target_base, self.location_of(s["$ref"], base), depth + 1, chain),)
            else:
                n.ref = self.ref(s["$ref"], base, f"{loc}/$ref", chain)
        return n

    def branch(self, schema: Any, base: str, loc: str, chain: tuple[int, ...] = ()) -> int:
        """A subschema evaluated as a boolean (combinator branch): its own function."""
        index = len(self.module.bool_functions)
        self.module.bool_functions.append(Node(loc=loc))
        self.module.bool_functions[index] = self.node(schema, base, loc, 0, chain)
        return index

    def ref(self, ref: str, base: str, loc: str, chain: tuple[int, ...] = ()) -> int:
        target_base, target = self.resolve(ref, base, loc)
        key = id(target)
        if key in chain:
            raise RefCycle(ref, loc)
        if key in self.refs:
            return self.refs[key]
        index = len(self.module.functions)
        self.refs[key] = index
        self.module.functions.append(Node(loc=loc))  # placeholder: recursion sees the index
        self.module.functions[index] = self.node(target, target_base, self.location_of(ref, base), 0, (*chain, key))
        return index

    def location_of(self, ref: str, base: str) -> str:
        uri, fragment = urldefrag(_join(base, ref))
        return f"{uri}#{fragment}"

    def resolve(self, ref: str, base: str, loc: str) -> tuple[str, Any]:
        uri, fragment = urldefrag(_join(base, ref))
        if fragment and not fragment.startswith("/"):
            found = self.anchors.get(f"{uri}#{fragment}")
            if found is None:
                raise UnresolvedRef(ref, loc)
            return found
        node = self.resources.get(uri)
        if node is None:
            raise UnresolvedRef(ref, loc)
        target_base = uri
        for token in fragment.split("/")[1:] if fragment else ():
            token = unquote(token).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise UnresolvedRef(ref, loc)
            if isinstance(node, dict) and id(node) in self.bases:
                target_base = self.bases[id(node)]
        return target_base, node

    def pattern(self, pattern: str, loc: str) -> int:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CompileError(f"pattern {pattern!r} is not a valid regular expression: {exc}", loc) from None
        return self.patterns.setdefault(pattern, len(self.patterns))


_LEAF_KEYWORDS = ANNOTATIONS - {"$id", "$anchor", "$defs", "contentSchema"} | {
    "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern",
}


def _leaf(schema: Any) -> bool:
    """A small schema with scalar checks only (no subschemas, refs or ids): cheap to inline."""
    if isinstance(schema, bool):
        return True
    checks = {k: v for k, v in schema.items() if k not in ANNOTATIONS and not k.startswith("x-")} if isinstance(schema, dict) else None
    return checks is not None and all(k in _LEAF_KEYWORDS for k in checks) and len(repr(checks)) <= 120


def _join(base: str, ref: str) -> str:
    """RFC 3986 reference resolution, also for non-hierarchical bases such as `urn:`."""
    if ref.startswith("#"):
        return urldefrag(base)[0] + ref
    return urljoin(base, ref)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
