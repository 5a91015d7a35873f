"""Schemas -> typed IR. The only place that reads x-sigdef annotations."""

from __future__ import annotations

import keyword
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import Location, Problem, SchemaError, fail
from .ir import (
    Builder,
    BuilderArg,
    BuilderExample,
    Check,
    Constant,
    ConstantModule,
    DocExample,
    DType,
    DTypeTable,
    ExportArg,
    ExportExample,
    ExportOutputKind,
    MessagePart,
    OutputWrap,
    Package,
    SignatureKind,
)
from .load import SchemaDoc, SchemaSet
from . import names as naming
from .protos import proto_files
from .refs import resolve_const
from .jsc.compiler import CompileError, compile_schemas
from .jsc.ir import ValidatorModule
from .jsc.messages import specialize
from .jsc.shapes import Shapes
from .templating import runtime_modules

SIGNATURE_MESSAGE = "sigdef.tensorflow.SignatureDef"  # what every signature kind's schema describes
MESSAGE_FIELDS = ("type", "dtype", "method_name", "value", "receivers", "finding")
_FIELD = re.compile(r"\{(" + "|".join(MESSAGE_FIELDS) + r")\}")
EXAMPLE_ERRORS = ("ValueError", "TypeError")  # the exceptions generated code raises


def build_package(schemas: SchemaSet, name: str, shapes: Shapes | None = None) -> Package:
    """Turn a loaded, meta-checked schema set into the IR of package `name`; with the
    protobuf `shapes`, validators also get their message backend (`is_valid_<kind>_message`)."""
    docs = schemas.by_uri()
    registry = {d.uri: d.data for d in schemas.docs}
    dtypes = _dtype_table(schemas)
    modules: list[ConstantModule] = []
    kinds: list[SignatureKind] = []
    exports: list[tuple[SchemaDoc, dict[str, Any]]] = []
    problems: list[Problem] = []
    for doc in schemas.own:
        try:
            annotation = _xsigdef(doc.data)
            if "constants" in annotation:
                modules.append(_constant_module(doc, annotation["constants"]))
            if "kind" in annotation:
                kinds.append(_kind(doc, annotation["kind"], docs, registry, dtypes))
            if "export_output" in annotation:
                exports.append((doc, annotation["export_output"]))
        except SchemaError as exc:
            problems.extend(exc.problems)
    export_outputs: list[ExportOutputKind] = []
    for doc, spec in exports:
        try:
            export_outputs.append(_export_output(doc, spec, docs, {k.name: k for k in kinds}))
        except SchemaError as exc:
            problems.extend(exc.problems)
    problems.extend(_base_mismatches(export_outputs))
    problems.extend(_duplicates(modules, kinds, export_outputs))
    if problems:
        raise SchemaError(problems)
    kinds.sort(key=lambda k: k.name)
    validators = _validators(kinds, registry, docs)
    if shapes is not None and SIGNATURE_MESSAGE in shapes.messages:
        specialize(validators, shapes, {k.name: SIGNATURE_MESSAGE for k in kinds})
    own_dtypes = dtypes if dtypes and not dtypes[1] else None
    protos = proto_files(schemas.root / "proto")
    return Package(
        name=name,
        constant_modules=tuple(sorted(modules, key=lambda m: m.module)),
        dtypes=own_dtypes[0] if own_dtypes else None,
        kinds=tuple(kinds),
        export_outputs=tuple(sorted(export_outputs, key=lambda e: e.source)),
        validators=validators,
        protos=protos,
    )


def _xsigdef(data: Any) -> dict[str, Any]:
    value = data.get("x-sigdef", {}) if isinstance(data, dict) else {}
    return value if isinstance(value, dict) else {}


def _constant_module(doc: SchemaDoc, spec: dict[str, Any]) -> ConstantModule:
    defs = doc.data.get("$defs", {})
    constants = tuple(
        Constant(name, node["const"], node.get("description", ""), bool(_xsigdef(node).get("public", False)))
        for name, node in defs.items()
        if isinstance(node, dict) and "const" in node
    )
    _name(spec["module"], "module", doc.location.child("x-sigdef", "constants", "module"))
    for c in constants:
        where = doc.location.child("$defs", c.name)
        _name(c.name, "constant", where)
        if not isinstance(c.value, (str, int)) or isinstance(c.value, bool):
            raise fail(where.child("const"), "CONST_TYPE", "constants must be strings or integers")
    if not constants:
        raise fail(doc.location.child("$defs"), "NO_CONSTANTS", "a constants schema needs `$defs` entries with `const`")
    return ConstantModule(spec["module"], doc.data.get("description", ""), doc.path, constants)


def _dtype_table(schemas: SchemaSet) -> tuple[DTypeTable, bool] | None:
    """The DataType table and whether it is bundled (not the directory's own)."""
    for doc in schemas.docs:
        node = doc.data.get("$defs", {}).get("DataType") if isinstance(doc.data, dict) else None
        table = _xsigdef(node).get("dtypes") if isinstance(node, dict) else None
        if not table or not isinstance(node, dict):
            continue
        where = doc.location.child("$defs", "DataType")
        if list(table) != list(node.get("enum", [])):
            raise fail(where.child("enum"), "DTYPE_TABLE_MISMATCH", "`enum` must list exactly the names of x-sigdef.dtypes, in order")
        dtypes = tuple(
            DType(name, e["number"], e.get("python_name"), tuple(e.get("aliases", ())), bool(e.get("floating", False)))
            for name, e in table.items()
        )
        return DTypeTable(doc.path, dtypes), doc.bundled
    return None


def _kind(doc: SchemaDoc, spec: dict[str, Any], docs: dict[str, SchemaDoc], registry: dict[str, Any], dtypes: tuple[DTypeTable, bool] | None) -> SignatureKind:
    where = doc.location.child("x-sigdef", "kind")
    _name(spec["name"], "kind", where.child("name"))
    by_name = {d.name: d for d in dtypes[0].dtypes} if dtypes else {}
    method = doc.data.get("properties", {}).get("methodName")
    method_name = None
    if isinstance(method, dict) and "$ref" in method:
        method_name = str(resolve_const(docs, doc, method, doc.location.child("properties", "methodName")).node["const"])
    builder = _builder(doc, spec["builder"], where.child("builder"), docs, by_name, method_name)
    examples = tuple(DocExample(e, True) for e in doc.data.get("examples", ())) + tuple(
        DocExample(e, False) for e in spec.get("invalid_examples", ())
    )
    _example_calls(spec.get("builder_examples", ()), [a.name for a in builder.args], where.child("builder_examples"))
    builder_examples = tuple(
        BuilderExample(e["description"], e["args"], e.get("result"), e.get("error", {}).get("type"), e.get("error", {}).get("message"))
        for e in spec.get("builder_examples", ())
    )
    return SignatureKind(
        name=spec["name"],
        title=doc.data.get("title", spec["name"]),
        description=doc.data.get("description", ""),
        source=doc.path,
        schema_uri=doc.uri,
        serving=bool(spec.get("serving", False)),
        builder=builder,
        examples=examples,
        builder_examples=builder_examples,
    )


def _validators(kinds: list[SignatureKind], registry: dict[str, Any], docs: dict[str, SchemaDoc]) -> ValidatorModule:
    """Compile every kind's schema into one validator module."""
    try:
        return compile_schemas([(k.name, k.schema_uri) for k in kinds], registry)
    except CompileError as exc:
        rule = {"UnresolvedRef": "REF_UNRESOLVED", "RefCycle": "REF_CYCLE", "UnsupportedKeyword": "SCHEMA_UNSUPPORTED"}
        raise fail(_compile_location(exc, docs), rule.get(type(exc).__name__, "SCHEMA_INVALID"), str(exc)) from None


def _compile_location(exc: CompileError, docs: dict[str, SchemaDoc]) -> Location:
    uri, _, pointer = str(getattr(exc, "location", "")).partition("#")
    doc = docs.get(uri)
    return Location(doc.path if doc else uri, pointer)


def _builder(doc: SchemaDoc, spec: dict[str, Any], where: Location, docs: dict[str, SchemaDoc], dtypes: dict[str, DType], method_name: str | None) -> Builder:
    args: list[BuilderArg] = []
    for i, a in enumerate(spec["args"]):
        at = where.child("args", i)
        _name(a["name"], "arg", at.child("name"))
        key = str(resolve_const(docs, doc, a["key"], at.child("key")).node["const"]) if "key" in a else None
        if a["kind"] == "tensor" and key is None:
            raise fail(at, "ARG_NEEDS_KEY", f"tensor argument {a['name']!r} needs `key`")
        if a["kind"] in ("tensor", "tensor_map", "tensor_info_map", "defaults_map", "op") and "to" not in a:
            raise fail(at, "ARG_NEEDS_TO", f"argument {a['name']!r} needs `to`")
        args.append(BuilderArg(a["name"], a["kind"], a.get("to"), key, a.get("key_arg"), bool(a.get("optional", False)), a.get("description", "")))
    names = [a.name for a in args]
    for i, a in enumerate(args):
        if names.index(a.name) != i:
            raise fail(where.child("args", i, "name"), "DUPLICATE_NAME", f"argument {a.name!r} is defined twice")
        for suffix in ("_info", "_infos"):
            if a.name.endswith(suffix) and a.name[: -len(suffix)] in names:
                raise fail(where.child("args", i, "name"), "NAME_RESERVED", f"{a.name!r} is the generated local of argument {a.name[: -len(suffix)]!r}")
        if a.key_arg is not None and a.key_arg not in names:
            raise fail(where.child("args", i, "key_arg"), "UNKNOWN_ARG", f"key_arg {a.key_arg!r} is not an argument")
    seen_optional = False
    for i, a in enumerate(args):
        if seen_optional and not a.optional:
            raise fail(where.child("args", i, "optional"), "ARG_ORDER", f"argument {a.name!r} has no default but follows one that has")
        seen_optional = seen_optional or a.optional
    checks: list[Check] = []
    for i, c in enumerate(spec["checks"]):
        ct = where.child("checks", i)
        for name in c["args"]:
            if name not in names:
                raise fail(ct.child("args"), "UNKNOWN_ARG", f"check {c['id']!r} names unknown argument {name!r}")
        dtype = None
        if c["rule"] == "dtype":
            if "dtype" not in c:
                raise fail(ct, "CHECK_NEEDS_DTYPE", f"dtype check {c['id']!r} needs `dtype`")
            target = resolve_const(docs, doc, c["dtype"], ct.child("dtype"))
            dtype = dtypes.get(str(target.node["const"]))
            if dtype is None:
                raise fail(ct.child("dtype"), "UNKNOWN_DTYPE", f"{target.node['const']!r} is not a DataType")
        allowed = naming.message_fields(c["rule"], bool(c["args"]), method_name is not None, export=False)
        checks.append(Check(c["id"], c["rule"], tuple(c["args"]), c["error"], _message(c["message"], allowed, ct.child("message")), dtype))
    _name(spec["name"], "builder", where.child("name"))
    return Builder(spec["name"], spec.get("description", ""), tuple(args), tuple(checks), method_name)


def _export_output(doc: SchemaDoc, spec: dict[str, Any], docs: dict[str, SchemaDoc], kinds: dict[str, SignatureKind]) -> ExportOutputKind:
    where = doc.location.child("x-sigdef", "export_output")
    _name(spec["class"], "class", where.child("class"))
    if "base" in spec:
        _name(spec["base"], "base", where.child("base"))
    args: list[ExportArg] = []
    for i, a in enumerate(spec["args"]):
        _name(a["name"], "export_arg", where.child("args", i, "name"))
        wrap = None
        if "wrap" in a:
            w = a["wrap"]
            default = str(resolve_const(docs, doc, w["default_name"], where.child("args", i, "wrap", "default_name")).node["const"])
            wrap = OutputWrap(default, w.get("label", default), bool(w.get("prefix", False)), bool(w.get("metrics", False)))
        args.append(ExportArg(a["name"], bool(a.get("optional", False)), a.get("description", ""), wrap))
    names = [a.name for a in args]
    checks = []
    for i, c in enumerate(spec["checks"]):
        for name in c["args"]:
            if name not in names:
                raise fail(where.child("checks", i, "args"), "UNKNOWN_ARG", f"check {c['id']!r} names unknown argument {name!r}")
        allowed = naming.message_fields(c["rule"], True, False, export=True)
        checks.append(Check(c["id"], c["rule"], tuple(c["args"]), c["error"], _message(c["message"], allowed, where.child("checks", i, "message")), None))
    _example_calls(spec.get("examples", ()), names, where.child("examples"))
    signature = spec["signature"]
    kind = kinds.get(signature["kind"])
    if kind is None:
        raise fail(where.child("signature", "kind"), "UNKNOWN_KIND", f"no signature kind named {signature['kind']!r} in this schema directory")
    builder_names = [a.name for a in kind.builder.args]
    for target, source in signature["args"].items():
        if target not in builder_names:
            raise fail(where.child("signature", "args", target), "UNKNOWN_ARG", f"{kind.builder.name} has no argument {target!r}")
        if source not in ("$receiver", "$receivers") and source not in names:
            raise fail(where.child("signature", "args", target), "UNKNOWN_ARG", f"{source!r} is not a constructor argument")
    receiver = signature.get("receiver")
    receiver_message = _message(receiver["message"], naming.message_fields("receiver", True, False, export=True), where.child("signature", "receiver", "message")) if receiver else ()
    receiver_check = Check("RECEIVER", receiver["rule"], ("receiver_tensors",), receiver["error"], receiver_message, None) if receiver else None
    return ExportOutputKind(
        class_name=spec["class"],
        description=doc.data.get("description", ""),
        source=doc.path,
        args=tuple(args),
        checks=tuple(checks),
        builder=kind.builder.name,
        builder_args=tuple(signature["args"].items()),
        receiver_check=receiver_check,
        base=spec.get("base"),
        examples=tuple(
            ExportExample(e["description"], e["args"], e.get("receivers"), e.get("result"), e.get("error", {}).get("type"), e.get("error", {}).get("message"))
            for e in spec.get("examples", ())
        ),
    )


def _base_mismatches(outputs: list[ExportOutputKind]) -> list[Problem]:
    """Export outputs sharing a base class must share its constructor (arguments and checks)."""
    first: dict[str, ExportOutputKind] = {}
    problems = []
    for output in outputs:
        if output.base is None:
            continue
        model = first.setdefault(output.base, output)
        if (output.args, output.checks) != (model.args, model.checks):
            problems.append(Problem(Location(output.source, "/x-sigdef/export_output/base"), "BASE_MISMATCH", f"{output.class_name} and {model.class_name} share base {output.base!r} but not its arguments and checks"))
    return problems


def _message(text: str, allowed: frozenset[str], where: Location) -> tuple[MessagePart, ...]:
    """Split a message into literal text and `{field}` placeholders (other braces stay
    literal); a placeholder the check cannot fill is MESSAGE_PLACEHOLDER."""
    parts: list[MessagePart] = []
    pos = 0
    for m in _FIELD.finditer(text):
        if m.group(1) not in allowed:
            can = ", ".join("{%s}" % f for f in sorted(allowed)) or "none"
            raise fail(where, "MESSAGE_PLACEHOLDER", f"{{{m.group(1)}}} cannot be filled in this message (this check can fill: {can})")
        if m.start() > pos:
            parts.append(MessagePart(text[pos : m.start()]))
        parts.append(MessagePart("", m.group(1)))
        pos = m.end()
    if pos < len(text) or not parts:
        parts.append(MessagePart(text[pos:]))
    return tuple(parts)


def _name(name: str, role: str, where: Location) -> None:
    """Raise the first naming rule `name` breaks in `role` (see naming.check)."""
    problem = naming.check(name, role, where, _runtime_names())
    if problem is not None:
        raise SchemaError([problem])


@lru_cache(maxsize=1)
def _runtime_names() -> frozenset[str]:
    """Top-level module and subpackage names the core package copies from runtime/."""
    return frozenset(m.split("/", 1)[0].removesuffix(".py") for m in runtime_modules())


def _example_calls(examples: Any, args: list[str], where: Location) -> None:
    """Example calls become generated tests: keywords must be arguments, errors ours."""
    for i, example in enumerate(examples):
        for key in example.get("args", {}):
            if key not in args:
                raise fail(where.child(i, "args", key), "UNKNOWN_ARG", f"{key!r} is not an argument (arguments: {', '.join(args)})")
        error = example.get("error", {}).get("type")
        if error is not None and error not in EXAMPLE_ERRORS:
            raise fail(where.child(i, "error", "type"), "EXAMPLE_ERROR_TYPE", f"{error!r} is not an error the generated code raises ({', '.join(EXAMPLE_ERRORS)})")


def _duplicates(modules: list[ConstantModule], kinds: list[SignatureKind], exports: list[ExportOutputKind]) -> list[Problem]:
    """Names that would share a file (compared case-insensitively, as some file systems do)
    or the package's namespace (modules, builders, per-kind functions, export classes)."""
    problems: list[Problem] = []
    entries = [("module", m.module, m.source, "/x-sigdef/constants/module") for m in modules]
    entries += [("kind", k.name, k.source, "/x-sigdef/kind/name") for k in kinds]
    entries += [("builder", k.builder.name, k.source, "/x-sigdef/kind/builder/name") for k in kinds]
    entries += [("export output class", e.class_name, e.source, "/x-sigdef/export_output/class") for e in exports]
    classes = {e.class_name for e in exports}
    for e in exports:
        if e.base in classes:
            problems.append(Problem(Location(e.source, "/x-sigdef/export_output/base"), "DUPLICATE_NAME", f"base {e.base!r} is also an export output class"))
    files: dict[str, str] = {}
    namespace: dict[str, str] = {}
    for label, name, source, pointer in entries:
        where = Location(source, pointer)
        if label in ("module", "kind"):
            key = f"{label}:{name.casefold()}"
            if key in files:
                problems.append(Problem(where, "DUPLICATE_NAME", f"{label} {name!r} is also defined in {files[key]} (file names may ignore case)"))
                continue
            files[key] = source
        if label != "kind":
            if name in namespace:
                problems.append(Problem(where, "DUPLICATE_NAME", f"{label} {name!r} is also a name defined in {namespace[name]}"))
            namespace.setdefault(name, source)
    return problems


def package_name_ok(name: str) -> bool:
    """Whether `name` can be a top-level package name."""
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


__all__ = ["build_package", "package_name_ok", "Path"]
