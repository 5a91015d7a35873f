"""`sigdef-gen diff`: a breaking-change report between two schema directories."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from .check import check_meta
from .errors import Location, fail
from .ir import Builder, Package
from .load import SchemaSet, load_schema_set
from .model import build_package

CHANGE_RULES: dict[str, tuple[bool, str]] = {
    "KIND_REMOVED": (True, "A signature kind was removed."),
    "KIND_ADDED": (False, "A signature kind was added."),
    "BUILDER_RENAMED": (True, "A kind's builder function was renamed."),
    "ARG_REMOVED": (True, "A builder argument was removed or renamed."),
    "ARG_ADDED_REQUIRED": (True, "A builder argument without a default was added."),
    "ARG_ADDED_OPTIONAL": (False, "A builder argument with a default was added."),
    "ARG_MADE_REQUIRED": (True, "A builder argument lost its default."),
    "ARG_KEY_CHANGED": (True, "The SignatureDef key an argument is stored under changed."),
    "METHOD_NAME_CHANGED": (True, "A kind's method name changed."),
    "DTYPE_CHANGED": (True, "A dtype check now requires another dtype."),
    "CHECK_ADDED": (True, "A builder check was added (the builder rejects more)."),
    "CHECK_REMOVED": (False, "A builder check was removed (the builder accepts more)."),
    "MESSAGE_CHANGED": (True, "An error message changed (callers match TF's exact texts)."),
    "CONSTANT_REMOVED": (True, "A constant was removed."),
    "CONSTANT_VALUE_CHANGED": (True, "A constant's value changed."),
    "CONSTANT_ADDED": (False, "A constant was added."),
    "REQUIRED_ADDED": (True, "A schema now requires a member it did not (e.g. an input made required)."),
    "REQUIRED_REMOVED": (False, "A schema no longer requires a member."),
    "ENUM_NARROWED": (True, "An enum (e.g. the accepted dtypes) lost values."),
    "ENUM_WIDENED": (False, "An enum gained values."),
    "CONST_CHANGED": (True, "A schema `const` changed value."),
}


@dataclass(frozen=True)
class Change:
    rule: str
    location: Location
    message: str

    @property
    def breaking(self) -> bool:
        return CHANGE_RULES[self.rule][0]

    def __str__(self) -> str:
        return f"{self.location}: {self.rule} [{'breaking' if self.breaking else 'compatible'}] {self.message}"


def load_ir(root: Path) -> tuple[SchemaSet, Package]:
    schemas = load_schema_set(root)
    check_meta(schemas)
    return schemas, build_package(schemas, "diff")


def compare(old_root: Path, new_root: Path) -> list[Change]:
    """Changes from the schemas in `old_root` to those in `new_root`."""
    old_set, old = load_ir(old_root)
    new_set, new = load_ir(new_root)
    changes = [*_constants(old, new), *_kinds(old, new), *_schemas(old_set, new_set)]
    return sorted(changes, key=lambda c: (c.location.file, c.location.pointer, c.rule))


def _constants(old: Package, new: Package) -> Iterator[Change]:
    before = {(m.module, c.name): (m.source, c.value) for m in old.constant_modules for c in m.constants}
    after = {(m.module, c.name): (m.source, c.value) for m in new.constant_modules for c in m.constants}
    for key in sorted(before.keys() | after.keys()):
        where = Location((after.get(key) or before[key])[0], f"/$defs/{key[1]}")
        if key not in after:
            yield Change("CONSTANT_REMOVED", where, f"{key[0]}.{key[1]} was removed")
        elif key not in before:
            yield Change("CONSTANT_ADDED", where, f"{key[0]}.{key[1]} = {after[key][1]!r}")
        elif before[key][1] != after[key][1]:
            yield Change("CONSTANT_VALUE_CHANGED", where, f"{key[0]}.{key[1]}: {before[key][1]!r} -> {after[key][1]!r}")


def _kinds(old: Package, new: Package) -> Iterator[Change]:
    before = {k.name: k for k in old.kinds}
    after = {k.name: k for k in new.kinds}
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            yield Change("KIND_REMOVED", Location(before[name].source), f"kind {name!r} ({before[name].builder.name}) was removed")
            continue
        if name not in before:
            yield Change("KIND_ADDED", Location(after[name].source), f"kind {name!r} ({after[name].builder.name})")
            continue
        yield from _builder(after[name].source, before[name].builder, after[name].builder)


def _builder(source: str, old: Builder, new: Builder) -> Iterator[Change]:
    where = Location(source, "/x-sigdef/kind/builder")
    if old.name != new.name:
        yield Change("BUILDER_RENAMED", where.child("name"), f"{old.name} -> {new.name}")
    if old.method_name != new.method_name:
        yield Change("METHOD_NAME_CHANGED", Location(source, "/properties/methodName"), f"{old.method_name!r} -> {new.method_name!r}")
    old_args = {a.name: a for a in old.args}
    new_args = {a.name: a for a in new.args}
    for name in old_args.keys() - new_args.keys():
        yield Change("ARG_REMOVED", where.child("args"), f"argument {name!r} of {new.name} was removed or renamed")
    for i, arg in enumerate(new.args):
        previous = old_args.get(arg.name)
        if previous is None:
            yield Change("ARG_ADDED_OPTIONAL" if arg.optional else "ARG_ADDED_REQUIRED", where.child("args", i), f"argument {arg.name!r} of {new.name}")
            continue
        if previous.optional and not arg.optional:
            yield Change("ARG_MADE_REQUIRED", where.child("args", i), f"argument {arg.name!r} of {new.name} lost its default")
        if previous.key != arg.key:
            yield Change("ARG_KEY_CHANGED", where.child("args", i, "key"), f"{arg.name!r}: key {previous.key!r} -> {arg.key!r}")
    old_checks = {c.id: c for c in old.checks}
    new_checks = {c.id: c for c in new.checks}
    for i, check in enumerate(new.checks):
        before = old_checks.get(check.id)
        if before is None:
            yield Change("CHECK_ADDED", where.child("checks", i), f"check {check.id} ({check.rule} on {', '.join(check.args)})")
            continue
        if before.dtype != check.dtype:
            yield Change("DTYPE_CHANGED", where.child("checks", i, "dtype"), f"{check.id}: {before.dtype and before.dtype.name} -> {check.dtype and check.dtype.name}")
        if before.message != check.message:
            yield Change("MESSAGE_CHANGED", where.child("checks", i, "message"), f"{check.id}: message changed")
    for check_id in old_checks.keys() - new_checks.keys():
        yield Change("CHECK_REMOVED", where.child("checks"), f"check {check_id} was removed")


def _schemas(old: SchemaSet, new: SchemaSet) -> Iterator[Change]:
    """Structural JSON Schema changes at the same pointers: required, enum, const."""
    before = {d.path: d.data for d in old.own}
    for doc in new.own:
        if doc.path in before:
            yield from _walk(doc.path, before[doc.path], doc.data, "")


def _walk(path: str, old: Any, new: Any, pointer: str) -> Iterator[Change]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    where = Location(path, pointer)
    if "required" in old or "required" in new:
        added = [r for r in new.get("required", []) if r not in old.get("required", [])]
        removed = [r for r in old.get("required", []) if r not in new.get("required", [])]
        if added:
            yield Change("REQUIRED_ADDED", where.child("required"), f"now required: {', '.join(map(str, added))}")
        if removed:
            yield Change("REQUIRED_REMOVED", where.child("required"), f"no longer required: {', '.join(map(str, removed))}")
    if isinstance(old.get("enum"), list) and isinstance(new.get("enum"), list):
        lost = [v for v in old["enum"] if v not in new["enum"]]
        gained = [v for v in new["enum"] if v not in old["enum"]]
        if lost:
            yield Change("ENUM_NARROWED", where.child("enum"), f"no longer accepted: {', '.join(map(repr, lost))}")
        if gained:
            yield Change("ENUM_WIDENED", where.child("enum"), f"now accepted: {', '.join(map(repr, gained))}")
    if "const" in old and "const" in new and old["const"] != new["const"] and "x-sigdef" not in old:
        yield Change("CONST_CHANGED", where.child("const"), f"{old['const']!r} -> {new['const']!r}")
    for key in new.keys() & old.keys():
        if key in ("examples", "x-sigdef", "description", "title"):
            continue
        child = pointer + "/" + key.replace("~", "~0").replace("/", "~1")
        if isinstance(new[key], dict):
            yield from _walk(path, old[key], new[key], child)


def checkout(ref: str, repo: Path, subdir: str = "schemas") -> tempfile.TemporaryDirectory[str]:
    """Extract `subdir` of git `ref` into a temporary directory."""
    result = subprocess.run(["git", "archive", "--format=tar", ref, subdir], cwd=repo, capture_output=True)
    if result.returncode != 0:
        raise fail(Location(ref), "LOAD", f"git archive failed: {result.stderr.decode(errors='replace').strip()}")
    tmp = tempfile.TemporaryDirectory(prefix="sigdef-diff-")
    with tarfile.open(fileobj=BytesIO(result.stdout)) as archive:
        archive.extractall(tmp.name, filter="data")
    return tmp


@contextmanager
def schemas_at(ref: str, schemas: Path) -> Iterator[Path]:
    """`schemas` as git `ref` holds it, in the repository the command runs in."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if top.returncode != 0:
        raise fail(Location(str(Path.cwd())), "LOAD", "--against needs a git repository: " + " ".join(top.stderr.split()))
    root = Path(top.stdout.strip()).resolve()
    try:
        subdir = schemas.resolve().relative_to(root).as_posix()
    except ValueError:
        raise fail(Location(str(schemas)), "LOAD", f"--schemas is outside the git repository {root}") from None
    with checkout(ref, root, subdir) as old_root:
        yield Path(old_root) / subdir
