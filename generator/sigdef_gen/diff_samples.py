"""Documents generated from a JSON Schema, deterministically (a seeded `random.Random`).

Values lean to the edges the keywords draw (bounds, lengths, every enum value, optional
members present and absent), which is where a narrowed schema starts rejecting. Candidates
are not guaranteed valid: callers keep those the schema's own validator accepts.
"""

from __future__ import annotations

import random
import string
import time
from collections.abc import Callable
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from .diff_schema import Atom, Schemas, canonical, closed, item_atoms, member_atoms, patterns, scalar_ok, types, values

MAX_REPEAT_EXTRA = 8  # an unbounded repeat adds at most this many copies past its minimum
MAX_DEPTH = 12  # nesting of generated documents
_TEXT = string.ascii_letters + string.digits + "_-:/. "
_FAIL = object()


class _Unsupported(Exception):
    pass


def string_for(atoms: list[Atom], rng: random.Random) -> str | None:
    """A string for the atoms' string keywords (from a pattern when there is one)."""
    low = max([a.get("minLength") for a in atoms if isinstance(a.get("minLength"), int)] or [0])
    high = min([a.get("maxLength") for a in atoms if isinstance(a.get("maxLength"), int)] or [low + MAX_REPEAT_EXTRA])
    found = patterns(atoms)
    if found:
        try:
            return from_pattern(rng.choice(found), rng)
        except (_Unsupported, RecursionError, ValueError):
            return None
    length = rng.choice([low, high, rng.randint(low, max(low, high))]) if high >= low else low
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


class Generator:
    """Candidate documents for one schema; `full` asks for every optional member."""

    def __init__(self, schemas: Schemas, rng: random.Random) -> None:
        self.schemas, self.rng = schemas, rng
        self.fitting: dict[tuple[int, ...], list[Any] | None] = {}  # const/enum values that fit, per conjunction

    def value(self, atoms: list[Atom], depth: int = 0, full: bool = False) -> Any:
        atoms = self.choose_branches(atoms)
        if closed(atoms) or depth > MAX_DEPTH:
            return _FAIL
        key = tuple(id(a.node) for a in atoms)
        if key not in self.fitting:
            allowed = values(atoms)
            keys = None if allowed is None else {canonical(v) for v in allowed}
            self.fitting[key] = None if allowed is None else [v for v in allowed if scalar_ok(v, atoms, keys)]
        fitting = self.fitting[key]
        if fitting is not None:
            return self.rng.choice(fitting) if fitting else _FAIL
        kind = self.pick_type(atoms)
        if kind == "object":
            return self.object(atoms, depth, full)
        if kind == "array":
            return self.array(atoms, depth, full)
        if kind == "string":
            text = string_for(atoms, self.rng)
            return _FAIL if text is None else text
        if kind in ("integer", "number"):
            return self.number(atoms, kind)
        return {"boolean": self.rng.choice([True, False]), "null": None}[kind]

    def choose_branches(self, atoms: list[Atom]) -> list[Atom]:
        """The atoms plus one chosen alternative of each anyOf/oneOf (recursively)."""
        out = list(atoms)
        i = 0
        while i < len(out) and len(out) < 256:
            a = out[i]
            for keyword in ("anyOf", "oneOf"):
                options = a.get(keyword)
                if isinstance(options, list) and options:
                    j = self.rng.randrange(len(options))
                    out.extend(self.schemas.flatten(a.child(options[j], keyword, str(j))))
            i += 1
        return out

    def pick_type(self, atoms: list[Atom]) -> str:
        allowed = types(atoms)
        if allowed is not None:
            options = sorted(allowed - ({"integer"} if "number" in allowed and self.rng.random() < 0.5 else set()))
            return self.rng.choice(options) if options else "null"
        keys = {k for a in atoms if isinstance(a.node, dict) for k in a.node}
        if keys & {"properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties"}:
            return "object"
        if keys & {"items", "prefixItems", "minItems", "maxItems", "contains"}:
            return "array"
        if keys & {"pattern", "minLength", "maxLength"}:
            return "string"
        if keys & {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}:
            return "number"
        return self.rng.choice(["string", "integer", "object", "array", "boolean", "null"])

    def object(self, atoms: list[Atom], depth: int, full: bool) -> Any:
        names = sorted({k for a in atoms if isinstance(a.get("properties"), dict) for k in a.get("properties")})
        needed = {str(r) for a in atoms for r in (a.get("required") or ())}
        mode = "all" if full else self.rng.choice(["all", "none", "some", "some"])
        chosen = [n for n in names if n in needed or mode == "all" or (mode == "some" and self.rng.random() < 0.5)]
        if depth > MAX_DEPTH // 2:
            chosen = [n for n in chosen if n in needed]
        most = min([a.get("maxProperties") for a in atoms if isinstance(a.get("maxProperties"), int)] or [len(chosen) + 2])
        optional = [n for n in chosen if n not in needed]
        while optional and len(chosen) > most:
            chosen.remove(optional.pop(self.rng.randrange(len(optional))))
        chosen += sorted(needed - set(names))
        least = max([a.get("minProperties") for a in atoms if isinstance(a.get("minProperties"), int)] or [0])
        extra = max(least - len(chosen), 0) + (1 if mode != "none" and self.rng.random() < 0.25 else 0)
        chosen += [f"x-extra{i}" if i else "x-extra" for i in range(extra)]
        out: dict[str, Any] = {}
        for name in chosen:
            value = self.value(member_atoms(self.schemas, atoms, name), depth + 1)
            if value is _FAIL:
                if name in needed:
                    return _FAIL
                continue
            out[name] = value
        return out

    def array(self, atoms: list[Atom], depth: int, full: bool) -> Any:
        low = max([a.get("minItems") for a in atoms if isinstance(a.get("minItems"), int)] or [0])
        prefix = max([len(a.get("prefixItems")) for a in atoms if isinstance(a.get("prefixItems"), list)] or [0])
        high = min([a.get("maxItems") for a in atoms if isinstance(a.get("maxItems"), int)] or [max(low, prefix) + 3])
        if depth > MAX_DEPTH // 2:
            high = low
        length = self.rng.choice([low, high, self.rng.randint(low, max(low, high))]) if high >= low else low
        out = []
        for i in range(length):
            value = self.value(item_atoms(self.schemas, atoms, i), depth + 1)
            if value is _FAIL:
                return _FAIL
            out.append(value)
        return out

    def number(self, atoms: list[Atom], kind: str) -> Any:
        edges: list[float] = [0, 1, -1, 7]
        for a in atoms:
            for k, shift in (("minimum", 0), ("maximum", 0), ("exclusiveMinimum", 1), ("exclusiveMaximum", -1)):
                v = a.get(k)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    edges += [v + shift, v + shift * 0.5 if kind == "number" else v + shift]
            m = a.get("multipleOf")
            if isinstance(m, (int, float)) and not isinstance(m, bool):
                edges += [m, m * 2, -m]
        value = self.rng.choice(edges)
        if kind == "number" and self.rng.random() < 0.3:
            value += 0.5
        if kind == "integer":
            value = int(value)
        return value


def instances(
    schemas: Schemas,
    uri: str,
    accepts: Callable[[Any], bool],
    *,
    seed: int = 0,
    count: int = 100,
    attempts: int = 2000,
    seconds: float = 5.0,
) -> tuple[list[Any], bool]:
    """Up to `count` distinct documents `accepts` takes, generated from the schema at `uri`;
    and whether the time bound cut the search short (otherwise the result is deterministic)."""
    rng = random.Random(seed)
    generator = Generator(schemas, rng)
    atoms = schemas.flatten(schemas.root(uri))
    found: dict[str, Any] = {}
    deadline = time.monotonic() + seconds
    for i in range(attempts):
        if len(found) >= count:
            break
        if time.monotonic() > deadline:
            return list(found.values()), True
        doc = generator.value(atoms, full=i == 0)
        if doc is _FAIL:
            continue
        key = canonical(doc)
        if key not in found and accepts(doc):
            found[key] = doc
    return list(found.values()), False
