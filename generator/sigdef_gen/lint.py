"""`sigdef-gen lint`: every problem in a schema directory, with rule IDs, without writing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .check import check_meta
from .errors import Location, Problem, SchemaError
from .ir import Package, SignatureKind
from .load import SchemaSet, load_schema_set
from .model import build_package
from .jsc.render import render_runtime_source, render_validator_source

from pathlib import Path


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
    runtime: dict[str, Any] = {}
    exec(compile(render_runtime_source(), "<sigdef runtime>", "exec"), runtime)
    problems = []
    for kind in package.kinds:
        is_valid = _compiled(kind, runtime)
        examples = kind.examples
        valid_index = invalid_index = 0
        for example in examples:
            if example.valid:
                where, index = "/examples", valid_index
                valid_index += 1
            else:
                where, index = "/x-sigdef/kind/invalid_examples", invalid_index
                invalid_index += 1
            if is_valid(example.document) != example.valid:
                rule = "EXAMPLE_REJECTED" if example.valid else "EXAMPLE_ACCEPTED"
                problems.append(Problem(Location(kind.source, f"{where}/{index}"), rule, "the kind's schema " + ("rejects" if example.valid else "accepts") + " this example"))
    return problems


def _compiled(kind: SignatureKind, runtime: dict[str, Any]) -> Callable[[object], bool]:
    import sys
    import types

    module = types.ModuleType("_sigdef_lint_runtime")
    module.__dict__.update(runtime)
    sys.modules["_sigdef_lint_runtime"] = module
    namespace: dict[str, Any] = {}
    exec(compile(render_validator_source(kind.validator, runtime_import="_sigdef_lint_runtime"), f"<{kind.name}>", "exec"), namespace)
    check: Callable[[object], bool] = namespace[f"is_valid_{kind.name}"]
    return check
