"""Documents generated from a JSON Schema, deterministically (a seeded `random.Random`).

Values lean to the edges the keywords draw (bounds, lengths, every enum value, optional
members present and absent), which is where a narrowed schema starts rejecting. Candidates
are not guaranteed valid: callers keep those the schema's own validator accepts.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Any

from sigdef import diff_strings as strings
from sigdef.diff_schema import Atom, Schemas, canonical, closed, item_atoms, member_atoms, patterns, scalar_ok, types, values

MAX_DEPTH = 12  # nesting of generated documents
_FAIL = object()


def string_for(atoms: list[Atom], rng: random.Random) -> str | None:
    """A string for the atoms' string keywords (from a pattern when there is one)."""
    low = max([a.get("minLength") for a in atoms if isinstance(a.get("minLength"), int)] or [0])
    high = min([a.get("maxLength") for a in atoms if isinstance(a.get("maxLength"), int)] or [-1])
    return strings.string_for(patterns(atoms), low, None if high < 0 else high, rng)


class Generator:
    """Candidate documents for one schema; `full` asks for every optional member."""

    def __init__(self, schemas: Schemas, rng: random.Random) -> None:
        self.schemas, self.rng = schemas, rng
        self.fitting: dict[tuple[int, ...], list[Any] | None] = {}  # const/enum values that fit, per conjunction
        self.turns: dict[tuple[int, ...], int] = {}

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
            return self.in_turn(atoms, fitting) if fitting else _FAIL
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

    def in_turn(self, atoms: list[Atom], options: list[Any]) -> Any:
        """The options of one conjunction, one after the other across calls (each gets its turn)."""
        key = tuple(id(a.node) for a in atoms)
        turn = self.turns.get(key, self.rng.randrange(len(options)))
        self.turns[key] = turn + 1
        return options[turn % len(options)]

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
        low = max([a.get(k) for a in atoms for k in ("minimum", "exclusiveMinimum") if _number(a.get(k))] or [-100])
        high = min([a.get(k) for a in atoms for k in ("maximum", "exclusiveMaximum") if _number(a.get(k))] or [100])
        bounds: list[float] = []
        for a in atoms:
            for k, shift in (("minimum", 0), ("maximum", 0), ("exclusiveMinimum", 1), ("exclusiveMaximum", -1)):
                v = a.get(k)
                if _number(v):
                    bounds += [v + shift, v + shift * 0.5 if kind == "number" else v + shift]
            m = a.get("multipleOf")
            if _number(m):
                bounds += [m, m * 2, -m]
        inside: list[float] = [0, 1, -1, 7]
        if math.ceil(low) <= math.floor(high) and math.floor(high) - math.ceil(low) <= 64:
            inside += range(math.ceil(low), math.floor(high) + 1)  # a small range: every integer in turn
        elif math.ceil(low) <= math.floor(high):
            inside.append(self.rng.randint(math.ceil(low), math.floor(high)))
        value = self.in_turn(atoms, sorted(set(bounds)) + sorted(set(inside)))  # bounds get two turns a round
        if kind == "number" and self.rng.random() < 0.3:
            value += 0.5
        if kind == "integer":
            value = int(value)
        return value


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def instances(
    schemas: Schemas,
    uri: str,
    accepts: Callable[[Any], bool],
    *,
    seed: int = 0,
    count: int = 100,
    seconds: float = 5.0,
) -> tuple[list[Any], bool]:
    """Up to `count` distinct documents `accepts` takes, generated from the schema at `uri`
    in at most 20 attempts each; and whether the time bound cut the search short (otherwise
    the result is deterministic)."""
    rng = random.Random(seed)
    generator = Generator(schemas, rng)
    atoms = schemas.flatten(schemas.root(uri))
    found: dict[str, Any] = {}
    deadline = time.monotonic() + seconds
    for i in range(20 * count):
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
