"""`sigdef-gen lint`: every problem in a schema directory, with rule IDs, without writing.

`analyze` is the one gate: `generate`, `check` and `docs` run it too, so lint and generate
never disagree about a schema directory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import Cache
from .check import check_meta
from .errors import Location, Problem, SchemaError, fail
from .ir import Package, SignatureKind
from .jsc.render import load_module
from .jsc.shapes import Shapes
from .load import BUNDLED_SCHEMAS, SchemaSet, load_schema_set
from .model import build_package, package_name_ok
from . import __version__
from .protos import compile_protos, message_shapes, proto_files

CORE_PACKAGE = "sigdef"


def lint(root: Path, package: str | None = None, cache: Cache | None = None) -> list[Problem]:
    """All problems found in `root`, each with a location and a rule ID."""
    if package is None and not package_name_ok(default_package(root.resolve())):
        package = "lint"  # the directory's name cannot be a package; lint only the schemas
    try:
        analyze(root, package, cache or Cache(None))
    except SchemaError as exc:
        return exc.problems
    return []


def default_package(root: Path) -> str:
    """The package name when none is given: sigdef for the bundled schemas, else the directory's name."""
    return CORE_PACKAGE if root == BUNDLED_SCHEMAS.resolve() else root.name


def analyze(root: Path, package: str | None, cache: Cache) -> Package:
    """Load, meta-check and build `root` into the IR of `package`, applying every lint rule;
    raises SchemaError with all problems found."""
    schemas = load_schema_set(root)
    check_meta(schemas)
    name = package or default_package(schemas.root)
    if not package_name_ok(name):
        raise fail(Location(str(root)), "PACKAGE_NAME", f"{name!r} is not a valid package name")
    built = build_package(schemas, name, _bundled_shapes(cache))
    if built.core and name != CORE_PACKAGE:
        raise fail(Location(str(root)), "PACKAGE_NAME", "schemas with the DataType table and protos make the core package; it must be named 'sigdef'")
    problems = [*_repeated_constants(schemas, built), *_duplicate_methods(built), *_examples(built)]
    if problems:
        raise SchemaError(problems)
    compile_protos(schemas.root / "proto", built.protos, name, __version__, cache)  # PROTOC, PROTO_PATH
    return built


def _bundled_shapes(cache: Cache) -> Shapes:
    """Message shapes of the bundled protos: every package's kinds describe their SignatureDef."""
    proto_dir = BUNDLED_SCHEMAS / "proto"
    return message_shapes(proto_dir, proto_files(proto_dir), cache)


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
