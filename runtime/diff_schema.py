"""Does a new JSON Schema (2020-12) accept everything the old one did? Keyword by keyword.

`compare(old, old_uri, new, new_uri)` walks both schemas together, member by member and
item by item (`$ref` and `allOf` are read as one conjunction), and returns a `Change` for
every narrowing (breaking) and widening (compatible), with the schema pointer, the instance
path it concerns, and the old and new values. Standard library only: any contract written as
JSON Schema (a signature kind, a model's serving contract) can flow through it.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from .diff_rules import Change, show
from .diff_strings import string_for

MAX_DEPTH = 64
MAX_VISITS = 10_000  # subschema pairs one comparison may visit (combinators multiply them; a kind takes ~100)
PATTERN_SAMPLES = 64

_TYPES = ("null", "boolean", "object", "array", "number", "integer", "string")
_LOWER_COUNTS = ("minLength", "minItems", "minProperties")
_UPPER_COUNTS = ("maxLength", "maxItems", "maxProperties")


def escape(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def canonical(value: Any) -> str:
    """A key equal for JSON-equal values (1 == 1.0, true != 1, member order ignored)."""
    if isinstance(value, str):
        return "s" + value
    if isinstance(value, bool) or value is None:
        return "c" + str(value)
    if isinstance(value, int) or isinstance(value, float) and value.is_integer():
        return "n" + str(int(value))

    def norm(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    return "j" + json.dumps(norm(value), sort_keys=True)


@dataclass(frozen=True)
class Atom:
    """One schema object (or boolean) of a conjunction, with where it lives."""

    node: Any
    base: str  # base URI for its $refs
    file: str
    pointer: str

    def get(self, key: str, default: Any = None) -> Any:
        return self.node.get(key, default) if isinstance(self.node, dict) else default

    def has(self, key: str) -> bool:
        return isinstance(self.node, dict) and key in self.node

    def child(self, node: Any, *tokens: str) -> Atom:
        return Atom(node, self.base, self.file, self.pointer + "".join("/" + escape(t) for t in tokens))


class Schemas:
    """A set of schema documents by URI, resolving `$ref`s; `files` names each document."""

    def __init__(self, registry: Mapping[str, Any], files: Mapping[str, str] | None = None) -> None:
        self.docs: dict[str, Any] = {}
        self.anchors: dict[str, tuple[Any, str]] = {}
        self.files = {u.rstrip("#"): f for u, f in (files or {}).items()}
        self._flat: dict[tuple[int, str, str], list[Atom]] = {}
        for uri, doc in registry.items():
            self._index(doc, uri.rstrip("#"), 0)

    def _index(self, node: Any, base: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(node, dict):
            if isinstance(node.get("$id"), str):
                base = urldefrag(_join(base, node["$id"]))[0]
            self.docs.setdefault(base, node)
            if isinstance(node.get("$anchor"), str):
                self.anchors[f"{base}#{node['$anchor']}"] = (node, base)
            for key, value in node.items():
                if key not in ("const", "enum", "examples", "default") and not key.startswith("x-"):
                    self._index(value, base, depth + 1)
        elif isinstance(node, list):
            for value in node:
                self._index(value, base, depth + 1)

    def root(self, uri: str) -> Atom:
        uri = uri.rstrip("#")
        if uri not in self.docs:
            raise KeyError(uri)
        return Atom(self.docs[uri], uri, self.files.get(uri, uri), "")

    def resolve(self, atom: Atom) -> Atom | None:
        """The target of `atom`'s `$ref`, or None when it points at nothing."""
        uri, fragment = urldefrag(_join(atom.base, str(atom.get("$ref"))))
        if fragment and not fragment.startswith("/"):
            found = self.anchors.get(f"{uri}#{fragment}")
            return Atom(found[0], found[1], self.files.get(found[1], found[1]), "") if found else None
        found_it, node = at_pointer(self.docs.get(uri), unquote(fragment))
        if not found_it or node is None:
            return None
        base = urldefrag(_join(uri, node["$id"]))[0] if isinstance(node, dict) and isinstance(node.get("$id"), str) else uri
        return Atom(node, base, self.files.get(uri, uri), unquote(fragment))

    def flatten(self, atom: Atom) -> list[Atom]:
        """The conjunction `atom` stands for: itself, its `$ref` target and its `allOf`, recursively."""
        key = (id(atom.node), atom.base, atom.pointer)
        if key not in self._flat:
            self._flat[key] = self._flatten(atom, ())
        return self._flat[key]

    def _flatten(self, atom: Atom, seen: tuple[int, ...]) -> list[Atom]:
        node = atom.node
        if isinstance(node, dict) and isinstance(node.get("$id"), str):
            atom = Atom(node, urldefrag(_join(atom.base, node["$id"]))[0], atom.file, atom.pointer)
        if not isinstance(node, dict) or id(node) in seen or len(seen) > MAX_DEPTH:
            return [atom] if not isinstance(node, dict) else []
        seen = (*seen, id(node))
        atoms = [atom]
        if "$ref" in node:
            target = self.resolve(atom)
            atoms.extend(self._flatten(target, seen) if target else [Atom(False, atom.base, atom.file, atom.pointer + "/$ref")])
        for i, sub in enumerate(node.get("allOf", ())):
            atoms.extend(self._flatten(atom.child(sub, "allOf", str(i)), seen))
        return atoms


def at_pointer(doc: Any, pointer: str) -> tuple[bool, Any]:
    """(True, the value at a JSON pointer of `doc`), or (False, None) when nothing is there."""
    for token in pointer.split("/")[1:] if pointer else ():
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(doc, dict) and token in doc:
            doc = doc[token]
        elif isinstance(doc, list) and token.isdigit() and int(token) < len(doc):
            doc = doc[int(token)]
        else:
            return False, None
    return True, doc


def _join(base: str, ref: str) -> str:
    if ref.startswith("#"):
        return urldefrag(base)[0] + ref
    return urljoin(base, ref)


# -- what a conjunction of atoms allows ---------------------------------------------------


def closed(atoms: list[Atom]) -> bool:
    return any(a.node is False for a in atoms)


def types(atoms: list[Atom]) -> frozenset[str] | None:
    """The JSON types allowed ("number" meaning non-integers too), None for any."""
    allowed: frozenset[str] | None = None
    for a in atoms:
        if a.has("type"):
            t = a.get("type")
            names = set(t if isinstance(t, list) else [t])
            if "number" in names:
                names.add("integer")
            allowed = frozenset(names) if allowed is None else allowed & names
    return allowed


def values(atoms: list[Atom]) -> list[Any] | None:
    """The values allowed by `const`/`enum` (intersected), None when unrestricted."""
    allowed: dict[str, Any] | None = None
    for a in atoms:
        for group in ([a.get("const")] if a.has("const") else None, a.get("enum") if isinstance(a.get("enum"), list) else None):
            if group is None:
                continue
            these = {canonical(v): v for v in group}
            allowed = these if allowed is None else {k: v for k, v in allowed.items() if k in these}
    return None if allowed is None else list(allowed.values())


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer()):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(type(v), "object")


def scalar_ok(value: Any, atoms: list[Atom], allowed: set[str] | None = None) -> bool:
    """Whether `value` passes the atoms' scalar keywords: type, bounds, pattern, and
    const/enum unless the caller already checked them (`allowed`: canonical values or None)."""
    if closed(atoms):
        return False
    allowed_types = types(atoms)
    if allowed_types is not None and _json_type(value) not in allowed_types and not (_json_type(value) == "integer" and "number" in allowed_types):
        return False
    if allowed is None:
        found = values(atoms)
        allowed = None if found is None else {canonical(v) for v in found}
    if allowed is not None and canonical(value) not in allowed:
        return False
    for a in atoms:
        if _is_number(value):
            if a.has("minimum") and value < a.get("minimum") or a.has("maximum") and value > a.get("maximum"):
                return False
            if a.has("exclusiveMinimum") and value <= a.get("exclusiveMinimum") or a.has("exclusiveMaximum") and value >= a.get("exclusiveMaximum"):
                return False
            if a.has("multipleOf") and (Fraction(str(value)) / Fraction(str(a.get("multipleOf")))).denominator != 1:
                return False
        if isinstance(value, str):
            if len(value) < a.get("minLength", 0) or len(value) > a.get("maxLength", math.inf):
                return False
            if a.has("pattern") and not _search(a.get("pattern"), value):
                return False
    return True


def _search(pattern: Any, text: str) -> bool:
    try:
        return re.search(str(pattern), text) is not None
    except re.error:
        return False


def bound(atoms: list[Atom], keywords: tuple[str, ...], pick: Any) -> tuple[Any, Atom | None]:
    """The tightest of `keywords` over the atoms (pick = max or min), with the atom holding it."""
    best: Any = None
    holder = None
    for a in atoms:
        for k in keywords:
            if _is_number(a.get(k)) and (best is None or pick(best, a.get(k)) != best):
                best, holder = a.get(k), a
    return best, holder


def _lower(atoms: list[Atom]) -> tuple[tuple[float, int] | None, Atom | None, str]:
    """The numeric lower bound as (value, 1 if exclusive else 0): bigger tuples are tighter."""
    best: tuple[float, int] | None = None
    holder, keyword = None, "minimum"
    for a in atoms:
        for k, excl in (("minimum", 0), ("exclusiveMinimum", 1)):
            if _is_number(a.get(k)) and (best is None or (a.get(k), excl) > best):
                best, holder, keyword = (a.get(k), excl), a, k
    return best, holder, keyword


def _upper(atoms: list[Atom]) -> tuple[tuple[float, int] | None, Atom | None, str]:
    """The numeric upper bound as (-value, 1 if exclusive else 0): bigger tuples are tighter."""
    best: tuple[float, int] | None = None
    holder, keyword = None, "maximum"
    for a in atoms:
        for k, excl in (("maximum", 0), ("exclusiveMaximum", 1)):
            if _is_number(a.get(k)) and (best is None or (-a.get(k), excl) > best):
                best, holder, keyword = (-a.get(k), excl), a, k
    return best, holder, keyword


def patterns(atoms: list[Atom]) -> list[str]:
    return sorted({str(a.get("pattern")) for a in atoms if a.has("pattern")})


def required(atoms: list[Atom]) -> set[str]:
    return {str(r) for a in atoms for r in a.get("required", ()) if isinstance(a.get("required"), list)}


def member_atoms(schemas: Schemas, atoms: list[Atom], name: str) -> list[Atom]:
    """The conjunction that applies to member `name` of an object."""
    out: list[Atom] = []
    for a in atoms:
        if not isinstance(a.node, dict):
            continue
        props = a.get("properties") if isinstance(a.get("properties"), dict) else {}
        if name in props:
            out.extend(schemas.flatten(a.child(props[name], "properties", name)))
            continue
        matched = [p for p in (a.get("patternProperties") or {}) if _search(p, name)]
        for p in matched:
            out.extend(schemas.flatten(a.child(a.get("patternProperties")[p], "patternProperties", p)))
        if not matched and a.has("additionalProperties"):
            out.extend(schemas.flatten(a.child(a.get("additionalProperties"), "additionalProperties")))
    return out


def item_atoms(schemas: Schemas, atoms: list[Atom], index: int | None) -> list[Atom]:
    """The conjunction that applies to array item `index` (None: items past every prefix)."""
    out: list[Atom] = []
    for a in atoms:
        if not isinstance(a.node, dict):
            continue
        prefix = a.get("prefixItems") if isinstance(a.get("prefixItems"), list) else []
        if index is not None and index < len(prefix):
            out.extend(schemas.flatten(a.child(prefix[index], "prefixItems", str(index))))
        elif a.has("items"):
            out.extend(schemas.flatten(a.child(a.get("items"), "items")))
    return out


def sample_strings(atoms: list[Atom], rng: random.Random, count: int) -> list[str]:
    """Strings that pass the atoms' string keywords, generated from their patterns."""
    low = max([a.get("minLength") for a in atoms if isinstance(a.get("minLength"), int)] or [0])
    high = min([a.get("maxLength") for a in atoms if isinstance(a.get("maxLength"), int)] or [-1])
    found: dict[str, None] = {}
    for _ in range(count):
        text = string_for(patterns(atoms), low, None if high < 0 else high, rng)
        if text is not None and scalar_ok(text, [a for a in atoms if not a.has("type") and not a.has("const") and not a.has("enum")] or atoms):
            found.setdefault(text)
    return list(found)


# -- the comparison ---------------------------------------------------------------------


class _OutOfBudget(Exception):
    pass


class _Compare:
    def __init__(self, old: Schemas, new: Schemas, budget: list[int]) -> None:
        self.old, self.new = old, new
        self.out: list[Change] = []
        self.budget = budget  # subschema pairs left to visit, shared with trials

    def trial(self, old: list[Atom], new: list[Atom], instance: str, stack: tuple[str, ...]) -> list[Change]:
        """The changes of a sub-comparison, without reporting them."""
        sub = _Compare(self.old, self.new, self.budget)
        sub.schemas(old, new, instance, "value", stack)
        return sub.out

    def emit(self, rule: str, where: Atom | None, instance: str, message: str, old: Any = None, new: Any = None) -> None:
        file, pointer = (where.file, where.pointer) if where else ("", "")
        self.out.append(Change(rule, file, pointer, message, old, new, instance))

    def schemas(self, old: list[Atom], new: list[Atom], instance: str, role: str, stack: tuple[str, ...] = ()) -> None:
        key = "|".join(f"{a.file}#{a.pointer}" for a in old) + "=>" + "|".join(f"{a.file}#{a.pointer}" for a in new)
        if key in stack or len(stack) > MAX_DEPTH:
            return
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise _OutOfBudget
        stack = (*stack, key)
        where = new[0] if new else (old[0] if old else None)
        if closed(new) and not closed(old):
            rule = {"member": "PROPERTY_REMOVED", "additional": "ADDITIONAL_PROPERTIES_CLOSED", "item": "ITEMS_CLOSED"}.get(role, "SCHEMA_CLOSED")
            self.emit(rule, _holder(new, lambda a: a.node is False) or where, instance, "no value is accepted here any more", _shown(old), False)
            return
        if closed(old):
            if not closed(new):
                rule = {"member": "PROPERTY_ADDED", "additional": "ADDITIONAL_PROPERTIES_OPENED", "item": "ITEMS_OPENED"}.get(role, "SCHEMA_OPENED")
                self.emit(rule, where, instance, "values are accepted here now", False, _shown(new))
            return
        finite = self.values(old, new, instance)
        if not finite:
            self.scalars(old, new, instance)
        start = len(self.out)
        self.required(old, new, instance)
        self.members(old, new, instance, stack)
        self.renames(old, new, instance, start, stack)
        now_required = {c.instance for c in self.out[start:] if c.rule == "REQUIRED_ADDED"}
        self.out[start:] = [c for c in self.out[start:] if not (c.rule == "PROPERTY_ADDED" and c.instance in now_required)]
        self.items(old, new, instance, stack)
        self.combinators(old, new, instance, stack)

    # values and scalar keywords

    def values(self, old: list[Atom], new: list[Atom], instance: str) -> bool:
        """Compare const/enum; True when either side is a finite set (which then says it all)."""
        before, after = values(old), values(new)
        where = _holder(new, lambda a: a.has("const") or a.has("enum")) or _holder(old, lambda a: a.has("const") or a.has("enum"))
        if before is None and after is None:
            return False
        if before is None:
            assert after is not None
            rule = "CONST_ADDED" if len(after) == 1 and _holder(new, lambda a: a.has("const")) else "ENUM_NARROWED"
            self.emit(rule, where, instance, "only these values are accepted now", None, _one(after))
            return True
        after_keys = None if after is None else {canonical(x) for x in after}
        before_keys = {canonical(x) for x in before}
        lost = [v for v in before if not scalar_ok(v, new, after_keys)]
        gained = [v for v in after or () if canonical(v) not in before_keys]
        if lost:
            if len(before) == 1 and after is not None and len(after) == 1:
                self.emit("CONST_CHANGED", where, instance, "the pinned value changed", before[0], after[0])
            else:
                self.emit("ENUM_NARROWED", where, instance, "no longer accepted: " + ", ".join(show(v) for v in lost), _one(before), _one(after) if after is not None else None)
        if after is None and not lost:
            self.emit("CONST_REMOVED" if len(before) == 1 else "ENUM_WIDENED", where, instance, "any value the other keywords allow is accepted now", _one(before), None)
        elif after is not None and gained and not (len(before) == 1 and len(after) == 1 and lost):
            self.emit("ENUM_WIDENED", where, instance, "now accepted: " + ", ".join(show(v) for v in gained), _one(before), _one(after))
        return True

    def scalars(self, old: list[Atom], new: list[Atom], instance: str) -> None:
        t_old, t_new = _branch_types(self.old, old), _branch_types(self.new, new)
        if t_old != t_new:
            lost = sorted((t_old if t_old is not None else frozenset(_TYPES)) - (t_new if t_new is not None else frozenset(_TYPES)))
            where = _holder(new, lambda a: a.has("type")) or _holder(old, lambda a: a.has("type")) or (new or old)[0]
            shown = (sorted(t_old) if t_old is not None else None, sorted(t_new) if t_new is not None else None)
            if lost:
                self.emit("TYPE_NARROWED", where, instance, "no longer accepted: " + ", ".join("non-integer number" if t == "number" else t for t in lost), *shown)
            else:
                self.emit("TYPE_WIDENED", where, instance, "more JSON types are accepted", *shown)
        for side, pick in ((_lower, "lower"), (_upper, "upper")):
            b, b_at, b_kw = side(old)
            a, a_at, a_kw = side(new)
            if b != a:
                tighter = a is not None and (b is None or a > b)
                old_v = None if b is None else {b_kw: b[0] if pick == "lower" else -b[0]}
                new_v = None if a is None else {a_kw: a[0] if pick == "lower" else -a[0]}
                self.emit("BOUND_TIGHTENED" if tighter else "BOUND_LOOSENED", a_at or b_at, instance, f"the {pick} numeric bound changed", old_v, new_v)
        for keyword, choose in [(k, max) for k in _LOWER_COUNTS + ("minContains",)] + [(k, min) for k in _UPPER_COUNTS + ("maxContains",)]:
            b, b_at = bound(old, (keyword,), choose)
            a, a_at = bound(new, (keyword,), choose)
            if b != a:
                tighter = a is not None and (b is None or choose(a, b) == a)
                self.emit("BOUND_TIGHTENED" if tighter else "BOUND_LOOSENED", a_at or b_at, instance, f"{keyword} changed", b, a)
        self.multiple_of(old, new, instance)
        u_old, u_new = any(a.get("uniqueItems") is True for a in old), any(a.get("uniqueItems") is True for a in new)
        if u_old != u_new:
            self.emit("UNIQUE_ITEMS_ADDED" if u_new else "UNIQUE_ITEMS_REMOVED", _holder(new, lambda a: a.has("uniqueItems")) or _holder(old, lambda a: a.has("uniqueItems")), instance, "uniqueItems changed", u_old, u_new)
        self.patterns(old, new, instance)

    def multiple_of(self, old: list[Atom], new: list[Atom], instance: str) -> None:
        before = [Fraction(str(a.get("multipleOf"))) for a in old if _is_number(a.get("multipleOf"))]
        after = [Fraction(str(a.get("multipleOf"))) for a in new if _is_number(a.get("multipleOf"))]

        def implied(divisors: list[Fraction], by: list[Fraction]) -> bool:  # every multiple of all `by` is a multiple of each divisor
            return all(any((b / d).denominator == 1 for b in by) for d in divisors)

        if sorted(before) == sorted(after):
            return
        where = _holder(new, lambda a: a.has("multipleOf")) or _holder(old, lambda a: a.has("multipleOf"))
        shown = ([str(x) for x in before] or None, [str(x) for x in after] or None)
        if not implied(after, before):
            self.emit("BOUND_TIGHTENED", where, instance, "multipleOf changed", *shown)
        elif not implied(before, after):
            self.emit("BOUND_LOOSENED", where, instance, "multipleOf changed", *shown)

    def patterns(self, old: list[Atom], new: list[Atom], instance: str) -> None:
        before, after = patterns(old), patterns(new)
        if before == after:
            return
        where = _holder(new, lambda a: a.has("pattern")) or _holder(old, lambda a: a.has("pattern"))
        shown = (_one(before) if before else None, _one(after) if after else None)
        if not after or set(after) < set(before):
            self.emit("PATTERN_REMOVED", where, instance, "fewer patterns must match", *shown)
            return
        samples = sample_strings(old, random.Random(0), PATTERN_SAMPLES)
        witnesses = [s for s in samples if not all(_search(p, s) for p in after)]
        if not before:
            also = f"; it rejects {show(witnesses[0])}" if witnesses else ""
            self.emit("PATTERN_ADDED", where, instance, "strings must match a pattern now" + also, *shown)
        elif witnesses:
            self.emit("PATTERN_NARROWED", where, instance, f"rejects {show(witnesses[0])}, which the old pattern accepts", *shown)
        elif not samples:
            self.emit("PATTERN_NARROWED", where, instance, "sigdef cannot sample the old pattern to show the new one accepts its strings", *shown)
        else:
            self.emit("PATTERN_WIDENED", where, instance, f"accepts every one of {PATTERN_SAMPLES} strings sampled from the old pattern", *shown)

    # objects

    def required(self, old: list[Atom], new: list[Atom], instance: str) -> None:
        before, after = required(old), required(new)
        shown = (sorted(before), sorted(after))
        for name in sorted(after - before):
            self.emit("REQUIRED_ADDED", _holder(new, lambda a: name in (a.get("required") or ())), f"{instance}/{escape(name)}", f"{name!r} is required now", *shown)
        for name in sorted(before - after):
            self.emit("REQUIRED_REMOVED", _holder(old, lambda a: name in (a.get("required") or ())), f"{instance}/{escape(name)}", f"{name!r} is no longer required", *shown)
        dep_before = {(k, str(v)) for a in old for k, vs in (a.get("dependentRequired") or {}).items() for v in vs}
        dep_after = {(k, str(v)) for a in new for k, vs in (a.get("dependentRequired") or {}).items() for v in vs}
        for k, v in sorted(dep_after - dep_before):
            self.emit("REQUIRED_ADDED", _holder(new, lambda a: a.has("dependentRequired")), f"{instance}/{escape(v)}", f"{v!r} is required now when {k!r} is present")
        for k, v in sorted(dep_before - dep_after):
            self.emit("REQUIRED_REMOVED", _holder(old, lambda a: a.has("dependentRequired")), f"{instance}/{escape(v)}", f"{v!r} is no longer required when {k!r} is present")

    def members(self, old: list[Atom], new: list[Atom], instance: str, stack: tuple[str, ...]) -> None:
        names = sorted({k for a in old + new if isinstance(a.get("properties"), dict) for k in a.get("properties")})
        for name in names:
            self.schemas(member_atoms(self.old, old, name), member_atoms(self.new, new, name), f"{instance}/{escape(name)}", "member", stack)
        keys = sorted({p for a in old + new if isinstance(a.get("patternProperties"), dict) for p in a.get("patternProperties")})
        for p in keys:
            o = [x for a in old for x in _pattern_member(self.old, a, p)]
            n = [x for a in new for x in _pattern_member(self.new, a, p)]
            self.schemas(o, n, f"{instance}/*", "additional", stack)
        add_old = [x for a in old if a.has("additionalProperties") for x in self.old.flatten(a.child(a.get("additionalProperties"), "additionalProperties"))]
        add_new = [x for a in new if a.has("additionalProperties") for x in self.new.flatten(a.child(a.get("additionalProperties"), "additionalProperties"))]
        if add_old or add_new:
            self.schemas(add_old, add_new, f"{instance}/*", "additional", stack)
        names_old = [x for a in old if a.has("propertyNames") for x in self.old.flatten(a.child(a.get("propertyNames"), "propertyNames"))]
        names_new = [x for a in new if a.has("propertyNames") for x in self.new.flatten(a.child(a.get("propertyNames"), "propertyNames"))]
        if names_old or names_new:
            self.schemas(names_old, names_new, f"{instance}/*", "value", stack)
        for key in sorted({k for a in old + new if isinstance(a.get("dependentSchemas"), dict) for k in a.get("dependentSchemas")}):
            o = [x for a in old if key in (a.get("dependentSchemas") or {}) for x in self.old.flatten(a.child(a.get("dependentSchemas")[key], "dependentSchemas", key))]
            n = [x for a in new if key in (a.get("dependentSchemas") or {}) for x in self.new.flatten(a.child(a.get("dependentSchemas")[key], "dependentSchemas", key))]
            self.schemas(o, n, instance, "value", stack)

    def renames(self, old: list[Atom], new: list[Atom], instance: str, start: int, stack: tuple[str, ...]) -> None:
        """A member removed and another added beside it, with equal schemas, is a rename."""
        found = self.out[start:]
        removed = [c for c in found if c.rule == "PROPERTY_REMOVED" and c.instance and c.instance.rsplit("/", 1)[0] == instance]
        added = [c for c in found if c.rule == "PROPERTY_ADDED" and c.instance and c.instance.rsplit("/", 1)[0] == instance]
        drop: set[int] = set()
        for r in removed:
            r_name = _unescape(str(r.instance).rsplit("/", 1)[1])
            for a in added:
                a_name = _unescape(str(a.instance).rsplit("/", 1)[1])
                if id(a) in drop:
                    continue
                if not self.trial(member_atoms(self.old, old, r_name), member_atoms(self.new, new, a_name), instance, stack):
                    drop |= {id(r), id(a)}
                    for c in found:
                        if c.rule in ("REQUIRED_ADDED", "REQUIRED_REMOVED") and c.instance in (a.instance, r.instance):
                            drop.add(id(c))
                    self.out.append(Change("PROPERTY_RENAMED", a.file, a.pointer, f"{r_name!r} became {a_name!r}", r_name, a_name, r.instance))
                    break
        if drop:
            self.out[start:] = [c for c in self.out[start:] if id(c) not in drop]

    # arrays

    def items(self, old: list[Atom], new: list[Atom], instance: str, stack: tuple[str, ...]) -> None:
        width = max([len(a.get("prefixItems")) for a in old + new if isinstance(a.get("prefixItems"), list)] or [0])
        for i in range(width):
            self.schemas(item_atoms(self.old, old, i), item_atoms(self.new, new, i), f"{instance}/{i}", "item", stack)
        rest_old, rest_new = item_atoms(self.old, old, None), item_atoms(self.new, new, None)
        if rest_old or rest_new:
            self.schemas(rest_old, rest_new, f"{instance}/*", "item", stack)
        c_old = [x for a in old if a.has("contains") for x in self.old.flatten(a.child(a.get("contains"), "contains"))]
        c_new = [x for a in new if a.has("contains") for x in self.new.flatten(a.child(a.get("contains"), "contains"))]
        if c_old and not c_new:
            self.emit("CONDITION_REMOVED", _holder(old, lambda a: a.has("contains")), instance, "`contains` was removed", _shown(c_old), None)
        elif c_new and not c_old:
            self.emit("CONDITION_CHANGED", _holder(new, lambda a: a.has("contains")), instance, "`contains` was added", None, _shown(c_new))
        elif c_old:
            self.schemas(c_old, c_new, f"{instance}/*", "value", stack)

    # combinators

    def combinators(self, old: list[Atom], new: list[Atom], instance: str, stack: tuple[str, ...]) -> None:
        for keyword in ("anyOf", "oneOf"):
            groups_old = [a for a in old if isinstance(a.get(keyword), list)]
            groups_new = [a for a in new if isinstance(a.get(keyword), list)]
            for i in range(max(len(groups_old), len(groups_new))):
                if i >= len(groups_new):
                    self.emit("CONDITION_REMOVED", groups_old[i], instance, f"`{keyword}` was removed", groups_old[i].get(keyword), None)
                elif i >= len(groups_old):
                    self.emit("CONDITION_CHANGED", groups_new[i], instance, f"`{keyword}` was added", None, groups_new[i].get(keyword))
                else:
                    self.branches(keyword, groups_old[i], groups_new[i], instance, stack)
        for keyword in ("not", "if"):
            o = _holder(old, lambda a: a.has(keyword))
            n = _holder(new, lambda a: a.has(keyword))
            if o is None and n is None:
                continue
            if n is None:
                self.emit("CONDITION_REMOVED", o, instance, f"`{keyword}` was removed", o.get(keyword) if o else None, None)
            elif o is None or canonical(o.get(keyword)) != canonical(n.get(keyword)):
                self.emit("CONDITION_CHANGED", n, instance, f"`{keyword}` changed", o.get(keyword) if o else None, n.get(keyword))
            elif keyword == "if":
                for part in ("then", "else"):
                    po = self.old.flatten(o.child(o.get(part), part)) if o.has(part) else []
                    pn = self.new.flatten(n.child(n.get(part), part)) if n.has(part) else []
                    self.schemas(po, pn, instance, "value", stack)

    def branches(self, keyword: str, old: Atom, new: Atom, instance: str, stack: tuple[str, ...]) -> None:
        b_old = [self.old.flatten(old.child(s, keyword, str(i))) for i, s in enumerate(old.get(keyword))]
        b_new = [self.new.flatten(new.child(s, keyword, str(i))) for i, s in enumerate(new.get(keyword))]
        matched: set[int] = set()
        for i, branch in enumerate(b_old):
            trials = [(j, self.trial(branch, other, instance, stack)) for j, other in enumerate(b_new)]
            covering = [(j, changes) for j, changes in trials if not any(c.breaking for c in changes)]
            if covering:
                j, changes = min(covering, key=lambda t: (len(t[1]), t[0] != i))
                matched.add(j)
                self.out.extend(changes)
            elif i < len(b_new):
                matched.add(i)
                self.out.extend(trials[i][1])
            else:
                self.emit("BRANCH_REMOVED", old.child(old.get(keyword)[i], keyword, str(i)), instance, f"{keyword} alternative {i} is matched by no new alternative", old.get(keyword)[i], None)
        for j in range(len(b_new)):
            if j not in matched:
                self.emit("BRANCH_ADDED", new.child(new.get(keyword)[j], keyword, str(j)), instance, f"{keyword} alternative {j} was added", None, new.get(keyword)[j])


def _branch_types(schemas: Schemas, atoms: list[Atom]) -> frozenset[str] | None:
    """`types`, also narrowed by anyOf/oneOf whose every alternative states its types."""
    allowed = types(atoms)
    for a in atoms:
        for keyword in ("anyOf", "oneOf"):
            options = a.get(keyword)
            if not isinstance(options, list) or not options:
                continue
            union: set[str] = set()
            for i, option in enumerate(options):
                branch = types(schemas.flatten(a.child(option, keyword, str(i))))
                if branch is None:
                    break
                union |= branch
            else:
                allowed = frozenset(union) if allowed is None else allowed & union
    return allowed


def _pattern_member(schemas: Schemas, atom: Atom, pattern: str) -> list[Atom]:
    pp = atom.get("patternProperties") or {}
    if pattern in pp:
        return schemas.flatten(atom.child(pp[pattern], "patternProperties", pattern))
    if atom.has("additionalProperties"):
        return schemas.flatten(atom.child(atom.get("additionalProperties"), "additionalProperties"))
    return []


def _shown(atoms: list[Atom]) -> Any:
    """What a conjunction says, for a report: its first schema as written (`true` when empty)."""
    return next((a.node for a in atoms if a.node is not True), True)


def _holder(atoms: list[Atom], test: Any) -> Atom | None:
    return next((a for a in atoms if test(a)), None)


def _one(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def compare(old: Schemas, old_uri: str, new: Schemas, new_uri: str, instance: str = "") -> list[Change]:
    """Every narrowing and widening from the schema at `old_uri` to the one at `new_uri`."""
    run = _Compare(old, new, [MAX_VISITS])
    try:
        run.schemas(old.flatten(old.root(old_uri)), new.flatten(new.root(new_uri)), instance, "value")
    except _OutOfBudget:
        root = new.root(new_uri)
        run.emit("COMPARISON_CUT", root, instance, f"compared {MAX_VISITS} pairs of subschemas without finishing: the rest was not compared")
    return run.out


def changes_of(old_schema: Any, new_schema: Any) -> Iterator[Change]:
    """Compare two self-contained schemas (no references outside themselves)."""
    uri = "urn:sigdef:diff"
    yield from compare(Schemas({uri: old_schema}, {uri: "old"}), uri, Schemas({uri: new_schema}, {uri: "new"}), uri)
