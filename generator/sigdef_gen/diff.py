"""`sigdef-gen diff`: what breaks for consumers between two schema directories.

Four sources of changes, one list: constants; builders and export outputs (x-sigdef:
arguments, checks, messages); what each kind's schema accepts (`diff_schema`, refined to
SignatureDef terms such as OUTPUT_REMOVED or DTYPE_CHANGED); and documents: every example of
the old schema, and instances generated from it, run through the old and the new validators
compiled by sigdef's keyword compiler (DOCUMENT_REJECTED, with the document pointer).
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import Any

from .check import check_meta
from sigdef.diff_rules import CHANGE_RULES, SIGNATURE_REFINEMENTS, Change, ordered, refine, show
from .diff_samples import instances
from sigdef.diff_schema import Schemas, at_pointer, canonical, compare as compare_schemas
from .errors import Location, SchemaError, fail
from .ir import Check, ExportOutputKind, Package, SignatureKind
from .jsc.render import compile_to_callables
from .load import SchemaSet, load_schema_set
from .model import build_package

__all__ = ["CHANGE_RULES", "Change", "Options", "checkout", "compare"]


@dataclass(frozen=True)
class Options:
    """How hard to look for documents the new schemas reject."""

    samples: int = 100  # generated documents per kind (valid under the old schema)
    seed: int = 0
    seconds: float = 10.0  # time bound per kind; reaching it is reported


@dataclass(frozen=True)
class _Side:
    schemas: SchemaSet
    package: Package
    resolver: Schemas
    registry: dict[str, Any]


def _load(root: Path) -> _Side:
    schemas = load_schema_set(root)
    check_meta(schemas)
    registry = {d.uri: d.data for d in schemas.docs}
    files = {d.uri: ("sigdef:" + d.path if d.bundled else d.path) for d in schemas.docs}
    return _Side(schemas, build_package(schemas, "diff"), Schemas(registry, files), registry)


def compare(old_root: Path, new_root: Path, options: Options = Options()) -> list[Change]:
    """Changes from the schemas in `old_root` to those in `new_root`, sorted."""
    old, new = _load(old_root), _load(new_root)
    changes = [*_constants(old.package, new.package), *_export_outputs(old.package, new.package)]
    before = {k.name: k for k in old.package.kinds}
    after = {k.name: k for k in new.package.kinds}
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            changes.append(Change("KIND_REMOVED", before[name].source, "", f"kind {name!r} ({before[name].builder.name}) was removed", name, None))
        elif name not in before:
            changes.append(Change("KIND_ADDED", after[name].source, "", f"kind {name!r} ({after[name].builder.name}) was added", None, name))
        else:
            changes.extend(_kind(old, new, before[name], after[name], options))
    return _collapse(ordered(changes))


def _collapse(changes: list[Change]) -> list[Change]:
    """One change for a schema edit seen at many instance paths (a shared `$defs` entry used
    by several kinds or members): the first path, and how many more."""
    groups: dict[tuple[str, str, str, str, str], list[Change]] = {}
    for c in changes:
        key = (c.rule, c.file, c.pointer, show(c.old), show(c.new)) if c.rule != "DOCUMENT_REJECTED" else (c.rule, c.file, c.pointer, c.message, show(c.instance))
        groups.setdefault(key, []).append(c)
    out = []
    for group in groups.values():
        first = group[0]
        more = f" (and at {len(group) - 1} more instance paths)" if len(group) > 1 else ""
        out.append(replace(first, message=first.message + more))
    return out


def _kind(old: _Side, new: _Side, a: SignatureKind, b: SignatureKind, options: Options) -> list[Change]:
    where = Location(b.source, "/x-sigdef/kind/builder")
    changes = list(_builder(where, a, b))
    if a.serving != b.serving:
        rule = "SERVING_ADDED" if b.serving else "SERVING_REMOVED"
        changes.append(Change(rule, b.source, "/x-sigdef/kind/serving", f"kind {b.name!r} is{'' if b.serving else ' no longer'} part of is_valid_signature", a.serving, b.serving))
    structural = compare_schemas(old.resolver, a.schema_uri, new.resolver, b.schema_uri)
    changes.extend(refine(structural, SIGNATURE_REFINEMENTS))
    if structural or canonical(old.registry) != canonical(new.registry):
        changes.extend(_documents(old, new, a, b, options))
    return changes


# -- constants --------------------------------------------------------------------------


def _constants(old: Package, new: Package) -> Iterator[Change]:
    before = {(m.module, c.name): (m.source, c.value) for m in old.constant_modules for c in m.constants}
    after = {(m.module, c.name): (m.source, c.value) for m in new.constant_modules for c in m.constants}
    for key in sorted(before.keys() | after.keys()):
        source = (after.get(key) or before[key])[0]
        pointer = f"/$defs/{key[1]}"
        name = f"{key[0]}.{key[1]}"
        if key not in after:
            yield Change("CONSTANT_REMOVED", source, pointer, f"{name} was removed", before[key][1], None)
        elif key not in before:
            yield Change("CONSTANT_ADDED", source, pointer, f"{name} was added", None, after[key][1])
        elif before[key][1] != after[key][1]:
            yield Change("CONSTANT_VALUE_CHANGED", source, pointer, f"{name} changed value", before[key][1], after[key][1])


# -- builders, export outputs, checks ----------------------------------------------------


def _builder(where: Location, a: SignatureKind, b: SignatureKind) -> Iterator[Change]:
    old, new = a.builder, b.builder
    if old.name != new.name:
        yield Change("BUILDER_RENAMED", where.file, where.child("name").pointer, f"the builder of kind {b.name!r} was renamed", old.name, new.name)
    role = _builder_role
    yield from _args(where, new.name, old.args, new.args, role)
    yield from _checks(where, new.name, old.checks, new.checks, _renames(old.args, new.args, role))


def _builder_role(arg: Any) -> dict[str, Any]:
    return {"kind": arg.kind, "to": arg.to, "key": arg.key, "key_arg": arg.key_arg}


def _export_role(arg: Any) -> dict[str, Any]:
    return {"wrap": arg.wrap and arg.wrap.__dict__}


def _export_outputs(old: Package, new: Package) -> Iterator[Change]:
    before = {e.class_name: e for e in old.export_outputs}
    after = {e.class_name: e for e in new.export_outputs}
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            yield Change("EXPORT_OUTPUT_REMOVED", before[name].source, "", f"{name} was removed", name, None)
        elif name not in before:
            yield Change("EXPORT_OUTPUT_ADDED", after[name].source, "", f"{name} was added", None, name)
        else:
            yield from _export_output(before[name], after[name])


def _export_output(old: ExportOutputKind, new: ExportOutputKind) -> Iterator[Change]:
    where = Location(new.source, "/x-sigdef/export_output")
    yield from _args(where, new.class_name, old.args, new.args, _export_role)
    yield from _checks(where, new.class_name, old.checks, new.checks, _renames(old.args, new.args, _export_role))
    if (old.builder, old.builder_args) != (new.builder, new.builder_args):
        yield Change(
            "EXPORT_OUTPUT_CHANGED", new.source, where.child("signature").pointer, f"{new.class_name}.as_signature_def builds another signature",
            {"builder": old.builder, "args": dict(old.builder_args)}, {"builder": new.builder, "args": dict(new.builder_args)},
        )
    if old.receiver_check and new.receiver_check:
        yield from _check(where.child("signature", "receiver"), new.class_name, old.receiver_check, new.receiver_check)


def _renames(old: Sequence[Any], new: Sequence[Any], role: Callable[[Any], Any]) -> dict[str, str]:
    """Old argument name -> new name, for an argument gone from a position that a new
    argument with the same role took."""
    old_names, new_names = [x.name for x in old], [x.name for x in new]
    return {
        name: new_names[i]
        for i, name in enumerate(old_names)
        if name not in new_names and i < len(new_names) and new_names[i] not in old_names and role(old[i]) == role(new[i])
    }


def _args(where: Location, owner: str, old: Sequence[Any], new: Sequence[Any], role: Callable[[Any], Any]) -> Iterator[Change]:
    """Arguments by name and position: removed, renamed, reordered, added, defaults, roles."""
    at = where.child("args")
    old_names, new_names = [x.name for x in old], [x.name for x in new]
    removed = [n for n in old_names if n not in new_names]
    added = [n for n in new_names if n not in old_names]
    renamed = _renames(old, new, role)
    for name in removed:
        if name in renamed:
            i = old_names.index(name)
            yield Change("ARG_RENAMED", at.file, at.child(i, "name").pointer, f"argument {i} of {owner} was renamed", name, renamed[name])
        else:
            yield Change("ARG_REMOVED", at.file, at.pointer, f"argument {name!r} of {owner} was removed", name, None)
    for name in added:
        if name in renamed.values():
            continue
        i = new_names.index(name)
        yield Change("ARG_ADDED_OPTIONAL" if new[i].optional else "ARG_ADDED_REQUIRED", at.file, at.child(i).pointer, f"argument {name!r} of {owner} was added", None, name)
    positions = {renamed.get(n, n): i for i, n in enumerate(old_names)}  # old position, by new name
    if any(n in positions and positions[n] != i for i, n in enumerate(new_names)):
        yield Change("ARG_REORDERED", at.file, at.pointer, f"the positions of {owner}'s arguments changed", old_names, new_names)
    by_old = {renamed.get(x.name, x.name): x for x in old}
    for i, arg in enumerate(new):
        before = by_old.get(arg.name)
        if before is None:
            continue
        if before.optional and not arg.optional:
            yield Change("ARG_MADE_REQUIRED", at.file, at.child(i, "optional").pointer, f"argument {arg.name!r} of {owner} lost its default", True, False)
        elif arg.optional and not before.optional:
            yield Change("ARG_MADE_OPTIONAL", at.file, at.child(i, "optional").pointer, f"argument {arg.name!r} of {owner} has a default now", False, True)
        r_old, r_new = role(before), role(arg)
        if r_old != r_new:
            rule = "ARG_KIND_CHANGED" if r_old.get("kind") != r_new.get("kind") or "wrap" in r_old else "ARG_KEY_CHANGED"
            yield Change(rule, at.file, at.child(i).pointer, f"what argument {arg.name!r} of {owner} takes or where it goes changed", r_old, r_new)


def _message(check: Check) -> str:
    return "".join(p.text if p.field is None else "{" + p.field + "}" for p in check.message)


def _same_check(a: Check, b: Check) -> bool:
    return (a.rule, a.args, a.error, a.message, a.dtype) == (b.rule, b.args, b.error, b.message, b.dtype)


def _checks(where: Location, owner: str, old: Sequence[Check], new: Sequence[Check], renamed: dict[str, str]) -> Iterator[Change]:
    """Checks by ID (an ID is not visible to callers: a renamed but identical check is no
    change); argument names are compared after `renamed` (reported as ARG_RENAMED)."""
    old = [replace(c, args=tuple(renamed.get(a, a) for a in c.args)) for c in old]
    before = {c.id: c for c in old}
    after = {c.id: c for c in new}
    gone = [c for c in old if c.id not in after]
    came = [c for c in new if c.id not in before]
    alias: dict[str, str] = {}
    for c in came:
        twin = next((g for g in gone if _same_check(g, c) and g.id not in alias), None)
        if twin is not None:
            alias[twin.id] = c.id
    for i, check in enumerate(new):
        at = where.child("checks", i)
        if check.id in alias.values():
            continue
        if check.id not in before:
            yield Change("CHECK_ADDED", at.file, at.pointer, f"{owner} now checks {check.id} ({check.rule} on {', '.join(check.args) or 'the result'}), raising {check.error}", None, _message(check))
        else:
            yield from _check(at, owner, before[check.id], check)
    for check in gone:
        if check.id not in alias:
            yield Change("CHECK_REMOVED", where.file, where.child("checks").pointer, f"{owner} no longer checks {check.id}", _message(check), None)
    order_old = [alias.get(c.id, c.id) for c in old if alias.get(c.id, c.id) in after]
    order_new = [c.id for c in new if c.id in order_old]
    if order_old != order_new:
        yield Change("CHECK_REORDERED", where.file, where.child("checks").pointer, f"{owner}'s checks run in another order", order_old, order_new)


def _check(at: Location, owner: str, old: Check, new: Check) -> Iterator[Change]:
    if (old.rule, old.args) != (new.rule, new.args):
        yield Change("CHECK_CHANGED", at.file, at.pointer, f"{owner}'s check {new.id} tests something else", f"{old.rule}({', '.join(old.args)})", f"{new.rule}({', '.join(new.args)})")
    if old.dtype != new.dtype:
        yield Change("DTYPE_CHANGED", at.file, at.child("dtype").pointer, f"{owner}'s check {new.id} requires another dtype", old.dtype and old.dtype.name, new.dtype and new.dtype.name)
    if old.error != new.error:
        yield Change("ERROR_TYPE_CHANGED", at.file, at.child("error").pointer, f"{owner}'s check {new.id} raises another exception", old.error, new.error)
    if old.message != new.message:
        yield Change("MESSAGE_CHANGED", at.file, at.child("message").pointer, f"{owner}'s check {new.id} says something else", _message(old), _message(new))


# -- documents ---------------------------------------------------------------------------


def _documents(old: _Side, new: _Side, a: SignatureKind, b: SignatureKind, options: Options) -> Iterator[Change]:
    """DOCUMENT_REJECTED for each old example, and each group of generated documents, the new
    validator rejects though the old one accepts it."""
    _, old_valid = compile_to_callables(old.registry[a.schema_uri], uri=a.schema_uri, registry=old.registry, name=a.name)
    new_validate, _ = compile_to_callables(new.registry[b.schema_uri], uri=b.schema_uri, registry=new.registry, name=b.name)
    examples = [e.document for e in a.examples if e.valid]
    for i, doc in enumerate(examples):
        if not old_valid(doc):
            continue
        for finding in new_validate(doc):
            yield Change(
                "DOCUMENT_REJECTED", a.source, f"/examples/{i}", f"example {i} of the old schema is rejected by the new one ({finding.keyword}): {finding.message}",
                _at(doc, finding.doc_pointer), None, finding.doc_pointer,
            )
    generated, cut = instances(old.resolver, a.schema_uri, old_valid, seed=options.seed, count=options.samples, seconds=options.seconds)
    seen = {canonical(e) for e in examples}
    groups: dict[str, tuple[set[int], dict[str, None], Any, Any]] = {}  # by rejecting keyword
    for n, doc in enumerate(generated):
        if canonical(doc) in seen:
            continue
        for finding in new_validate(doc):
            docs, pointers, witness, first = groups.setdefault(finding.schema_pointer, (set(), {}, doc, finding))
            docs.add(n)
            pointers.setdefault(finding.doc_pointer)
    for _, (docs, pointers, witness, finding) in sorted(groups.items()):
        file, schema_pointer = _schema_location(new.resolver, finding.schema_pointer, b.source)
        at = list(pointers)
        where = ", ".join(at[:5]) + (f" and {len(at) - 5} more" if len(at) > 5 else "")
        yield Change(
            "DOCUMENT_REJECTED", file, schema_pointer,
            f"kind {b.name!r}: {len(docs)} of {len(generated)} documents generated from the old schema (seed {options.seed}) "
            f"are rejected ({finding.keyword}) at {where}: {finding.message}; e.g. {show(witness)}",
            _at(witness, finding.doc_pointer), None, finding.doc_pointer,
        )
    if cut:
        yield Change("DOCUMENT_SEARCH_CUT", a.source, "", f"the {options.seconds:g} s bound stopped document generation after {len(generated)} documents: the search is incomplete", None, None)


def _at(doc: Any, pointer: str) -> Any:
    """The value at a JSON pointer of `doc` (None when absent)."""
    return at_pointer(doc, pointer)[1]


def _schema_location(resolver: Schemas, location: str, default: str) -> tuple[str, str]:
    """A compiled validator's `uri#pointer` as (file, pointer)."""
    uri, _, pointer = location.partition("#")
    return resolver.files.get(uri, default), pointer


# -- git ---------------------------------------------------------------------------------


def checkout(ref: str, schemas: Path, cwd: Path | None = None) -> tuple[tempfile.TemporaryDirectory[str], Path]:
    """The `schemas` directory of the git repository holding `cwd`, as it is at `ref`:
    extracted into a temporary directory (returned, with the path of the copy inside it)."""
    cwd = cwd or Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd, ref).decode().strip()
    try:
        rel = schemas.resolve().relative_to(Path(top).resolve()).as_posix()
    except ValueError:
        raise fail(Location(str(schemas)), "LOAD", f"--schemas is not inside the git repository at {top}") from None
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd, ref).decode().strip()
    except SchemaError:
        raise fail(Location(ref), "LOAD", f"{ref!r} is not a commit of the git repository at {top}") from None
    listing = _git(["ls-tree", "-d", "--name-only", commit, "--", rel or "."], Path(top), ref).decode().strip()
    if rel and not listing:
        raise fail(Location(f"{ref}:{rel}"), "LOAD", f"{rel}/ does not exist at {ref}")
    tmp = tempfile.TemporaryDirectory(prefix="sigdef-diff-")
    archive = _git(["archive", "--format=tar", commit, "--", rel or "."], Path(top), ref)
    try:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp.name, filter="data")
    except (tarfile.TarError, OSError) as exc:
        tmp.cleanup()
        raise fail(Location(f"{ref}:{rel}"), "LOAD", f"cannot extract the schemas at {ref}: {exc}") from None
    return tmp, Path(tmp.name) / rel


def _git(args: list[str], cwd: Path, ref: str) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise fail(Location(ref), "LOAD", "git is not installed") from None
    except subprocess.TimeoutExpired:
        raise fail(Location(ref), "LOAD", f"git {args[0]} took longer than 120 s") from None
    if result.returncode != 0:
        text = result.stderr.decode(errors="replace").strip().splitlines()
        raise fail(Location(ref), "LOAD", f"git {args[0]} failed: {text[-1] if text else 'not a commit'}")
    return result.stdout
