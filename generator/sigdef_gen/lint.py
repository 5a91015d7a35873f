"""`sigdef-gen lint`: every problem in a schema directory, with rule IDs, without writing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .check import check_meta
from .errors import Location, Problem, SchemaError
from .ir import Package, SignatureKind
from .load import SchemaSet, load_schema_set
from .model import build_package
from .jsc.render import load_module


def lint(root: Path, package: str = "lint") -> list[Problem]:
    """All problems found in `root`, each with a location and a rule ID."""
    try:
        schemas = load_schema_set(root)
        check_meta(schemas)
        built = build_package(schemas, package)
    except SchemaError as exc:
        return exc.problems
    return [*_repeated_constants(schemas, built), *_duplicate_methods(built), *_examples(built)]


def _duplicate_methods(package: Package) -> list[Problem]:
    seen: dict[str, SignatureKind] = {}
    problems = []
    for kind in package.kinds:
        method = kind.builder.method_name
        if method is None:
            continue
        if method in seen:
            problems.append(Problem(Location(kind.source, "/properties/methodName"), "DUPLICATE_METHOD_NAME", f"method name {method!r} is also used by kind {seen[method].name!r}"))
        seen.setdefault(method, kind)
    return problems


def _repeated_constants(schemas: SchemaSet, package: Package) -> list[Problem]:
    """String `const`s in kind/export schemas that equal a defined constant's value."""
    values = {c.value: f"{m.module}.{c.name}" for m in package.constant_modules for c in m.constants if isinstance(c.value, str)}
    for doc in schemas.docs:
        if doc.bundled and isinstance(doc.data, dict) and "constants" in doc.data.get("x-sigdef", {}):
            for name, node in doc.data.get("$defs", {}).items():
                if isinstance(node, dict) and isinstance(node.get("const"), str):
                    values.setdefault(node["const"], name)
    problems = []
    for doc in schemas.own:
        if not isinstance(doc.data, dict) or "constants" in doc.data.get("x-sigdef", {}):
            continue
        for pointer, value in _consts(doc.data, ""):
            if value in values:
                problems.append(Problem(Location(doc.path, pointer), "CONST_REPEATED", f"{value!r} repeats constant {values[value]}; use $ref"))
    return problems


def _consts(node: Any, pointer: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("examples", "invalid_examples", "builder_examples", "description", "message"):
                continue
            child = pointer + "/" + str(key).replace("~", "~0").replace("/", "~1")
            if key == "const" and isinstance(value, str):
                found.append((child, value))
            else:
                found.extend(_consts(value, child))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_consts(value, f"{pointer}/{i}"))
    return found


def _examples(package: Package) -> list[Problem]:
    """Examples must validate as they claim, with the kinds' compiled validators."""
    validators = load_module(package.validators)
    problems = []
    for kind in package.kinds:
        is_valid: Callable[[object], bool] = validators[f"is_valid_{kind.name}"]
        counts = {True: 0, False: 0}
        for example in kind.examples:
            index = counts[example.valid]
            counts[example.valid] += 1
            if is_valid(example.document) == example.valid:
                continue
            where = f"/examples/{index}" if example.valid else f"/x-sigdef/kind/invalid_examples/{index}"
            rule, verb = ("EXAMPLE_REJECTED", "rejects") if example.valid else ("EXAMPLE_ACCEPTED", "accepts")
            problems.append(Problem(Location(kind.source, where), rule, f"the kind's schema {verb} this example"))
    return problems
