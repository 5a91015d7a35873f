"""Which schema-given names may become Python names, modules and files of a package.

Every role (constants module, constant, kind, builder, builder argument, export class,
export argument) rejects keywords (soft ones included), builtins and names starting with
`_` (dunders included); each role also rejects the names its generated code binds or files
it sits beside. `model.py` applies these while building the IR, so lint and generate agree.
"""

from __future__ import annotations

import builtins
import keyword

from .errors import Location, Problem

BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))
KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"_", "case", "match", "type"}  # soft keywords of 3.12 too

# Modules and subpackages a package generates (or copies from runtime/), by their import name.
PACKAGE_MODULES = frozenset(
    {"__init__", "validation", "_schema_runtime", "types", "protos", "tensors", "kinds", "validators", "export_output", "export_utils"}
)
# Names the package `__init__` exports or binds besides the schema-derived ones.
PACKAGE_NAMES = frozenset(
    {
        "annotations", "importlib", "TYPE_CHECKING", "Any", "validate", "is_valid_signature",
        "ExportOutput", "build_all_signature_defs", "get_export_outputs",
        "Operation", "RaggedTensor", "SparseTensor", "Tensor", "Variable", "build_tensor_info", "build_tensor_info_from_op",
        "constant", "make_tensor_proto", "op", "ragged_tensor", "sparse_tensor", "tensor", "variable",
        "DataType", "MetaGraphDef", "SavedModel", "SignatureDef", "TensorInfo", "TensorProto", "TensorShapeProto",
        "OperatorNotAllowedInGraphError",
    }
)
# Module-level names of the generated kind, test, validation, validator and export modules.
MODULE_NAMES = frozenset(
    {
        "annotations", "Mapping", "Callable", "Any", "Final", "json_format", "SignatureDef", "SCHEMA_ID", "METHOD_NAME",
        "pytest", "protos", "tensors", "DOCUMENTS", "KINDS", "BY_METHOD", "Finding", "signature_to_json", "validate",
        "is_valid_signature", "abc", "STRING", "ExportOutput", "METRIC_OP_WRAPPER_NAME", "METRIC_UPDATE_SUFFIX",
        "METRIC_VALUE_SUFFIX", "METRICS_NAME", "SEPARATOR_CHAR", "fail", "json_equal", "json_in", "json_unique",
        "message_json", "multiple_of", "pointer_token", "Tensor",
    }
)
# Locals of a generated builder function, and members of the generated ExportOutput classes.
BUILDER_LOCALS = frozenset({"entries", "signature_def", "findings"})
EXPORT_MEMBERS = frozenset({"self", "as_signature_def", "receiver", "receiver_tensors"})
RESERVED_PREFIXES = ("validate_", "is_valid_", "test_")  # generated per kind; pytest collects test_*
KIND_FILES = frozenset({"readme", "export_outputs"})  # docs/README.md, tests/test_export_outputs.py


# Private names of the export_output module a shared base class (`_Name`) must not take.
EXPORT_PRIVATE = frozenset({"_Tensor", "_tensors"})


def check(name: str, role: str, where: Location, runtime: frozenset[str] = frozenset()) -> Problem | None:
    """The first rule `name` breaks in `role`, or None.

    Roles: module, constant, kind, builder, arg, class, export_arg, base. `runtime` holds the
    top-level names of the modules copied from runtime/ (reserved as module names).
    """
    if not name.isidentifier() or not name.isascii():
        return Problem(where, "NAME_NOT_IDENTIFIER", f"{name!r} is not an ASCII Python identifier")
    if name in KEYWORDS:
        return Problem(where, "NAME_KEYWORD", f"{name!r} is a Python keyword")
    if role == "base":  # the one role that may (and in the bundled schemas does) start with `_`
        if name in EXPORT_PRIVATE or name.startswith("__") or name.lstrip("_") in BUILTINS | MODULE_NAMES | PACKAGE_NAMES:
            return Problem(where, "NAME_RESERVED", f"{name!r} is a name the generated export_output module already uses")
        return None
    if name.startswith("_"):
        return Problem(where, "NAME_PRIVATE", f"{name!r} starts with '_', which generated names reserve (dunders included)")
    if name in BUILTINS:
        return Problem(where, "NAME_RESERVED", f"{name!r} is a Python builtin; generated code needs it")
    reserved = _reserved(role, runtime)
    if name in reserved or (role == "kind" and name.lower() in KIND_FILES):
        return Problem(where, "NAME_RESERVED", f"{name!r} is a name the generated {role} code already uses")
    if role in ("builder", "class", "module", "arg", "export_arg") and name.startswith(RESERVED_PREFIXES):
        return Problem(where, "NAME_RESERVED", f"{name!r} starts with {', '.join(RESERVED_PREFIXES)}, which generated names use")
    return None


def _reserved(role: str, runtime: frozenset[str]) -> frozenset[str]:
    if role == "module":
        return PACKAGE_MODULES | runtime | PACKAGE_NAMES
    if role == "constant":
        return frozenset({"Final", "annotations"})
    if role in ("builder", "class"):
        return PACKAGE_MODULES | runtime | PACKAGE_NAMES | MODULE_NAMES
    if role == "arg":
        return BUILDER_LOCALS | MODULE_NAMES
    if role == "export_arg":
        return EXPORT_MEMBERS | MODULE_NAMES
    return frozenset()  # kind: its name only forms module and file names


# Placeholders each check's message may use: what the generated raise can fill.
BUILDER_FIELDS = {"not_none": {"type"}, "not_empty": {"type"}, "is_tensor": {"type"}, "any_not_none": {"type"}, "dtype": {"type", "dtype"}, "schema": {"finding"}}


def message_fields(rule: str, has_args: bool, has_method: bool, export: bool) -> frozenset[str]:
    """The `{field}`s a check message may hold (any other is rejected, not left unfilled)."""
    if export:
        return frozenset({"value"} if rule != "receiver" else {"receivers"})
    fields = set(BUILDER_FIELDS.get(rule, set()))
    if not has_args:
        fields.discard("type")
        fields.discard("dtype")
    if has_method:
        fields.add("method_name")
    return frozenset(fields)
