"""Every problem sigdef-gen reports has a stable rule ID, a category and one line of doc."""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    id: str
    category: str
    doc: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("LOAD", "file", "A schema file or directory cannot be read, is not UTF-8, is too large, or the directory has no *.schema.json files."),
        Rule("JSON_SYNTAX", "file", "A schema file is not valid JSON (or nests too deeply)."),
        Rule("DUPLICATE_ID", "file", "Two schema files declare the same $id."),
        Rule("META", "meta-schema", "The document violates schemas/meta.schema.json: unknown keyword, wrong type, missing x-sigdef member, bad identifier."),
        Rule("REF_UNRESOLVED", "reference", "A $ref points at no schema or at nothing inside it."),
        Rule("REF_NOT_CONST", "reference", "An x-sigdef $ref that must name a constant points at something without `const`."),
        Rule("REF_CYCLE", "reference", "$refs lead back to themselves without descending into the document: validation would never end."),
        Rule("SCHEMA_INVALID", "reference", "The schema cannot be compiled (e.g. a pattern that is not a valid regular expression)."),
        Rule("TOO_DEEP", "file", "A schema nests deeper than sigdef accepts (64 levels)."),
        Rule("SCHEMA_UNSUPPORTED", "reference", "The keyword compiler cannot compile the schema (a keyword outside the supported set, a remote $ref)."),
        Rule("NAME_NOT_IDENTIFIER", "names", "A module, constant, kind, argument, builder or class name is not an ASCII Python identifier."),
        Rule("NAME_KEYWORD", "names", "A name is a Python keyword or soft keyword (class, match, type, ...)."),
        Rule("NAME_PRIVATE", "names", "A name starts with `_` (dunder names included): generated modules and helpers use such names (__init__, _shared, _schema_runtime)."),
        Rule("NAME_RESERVED", "names", "A name is a builtin, a module the package generates or copies from runtime/, a name the templates bind (validate, json_format, validate_<kind>, ...), or a kind name that is a generated file (README, export_outputs)."),
        Rule("MESSAGE_PLACEHOLDER", "builder", "A check message uses a `{field}` its check cannot fill (e.g. {dtype} outside a dtype check)."),
        Rule("EXAMPLE_ERROR_TYPE", "examples", "An example's expected error is not ValueError or TypeError, the errors generated code raises."),
        Rule("DUPLICATE_NAME", "names", "Two kinds, builders, constant modules, export classes or arguments share a name or file (case-insensitively)."),
        Rule("DUPLICATE_METHOD_NAME", "names", "Two signature kinds share a method name, so is_valid_signature and validate cannot tell them apart."),
        Rule("PACKAGE_NAME", "names", "The package name is not an identifier, or a core schema set (dtypes + protos) is not named sigdef."),
        Rule("CONST_TYPE", "constants", "A constant's value is neither a string nor an integer."),
        Rule("NO_CONSTANTS", "constants", "A constants schema defines no `const` entries."),
        Rule("CONST_REPEATED", "constants", "A kind or export schema repeats a constant's value inline instead of referencing it with $ref."),
        Rule("DTYPE_TABLE_MISMATCH", "constants", "The DataType `enum` and the x-sigdef dtype table list different names."),
        Rule("UNKNOWN_DTYPE", "builder", "A dtype check names a value that is not a DataType."),
        Rule("UNKNOWN_ARG", "builder", "A check, key_arg or signature mapping names an argument that does not exist."),
        Rule("BASE_MISMATCH", "builder", "Export outputs that share a base class differ in arguments or checks."),
        Rule("UNKNOWN_KIND", "builder", "An export output names a signature kind that is not defined."),
        Rule("ARG_NEEDS_KEY", "builder", "A tensor argument has no `key` to store it under."),
        Rule("ARG_NEEDS_TO", "builder", "An argument that stores tensors has no `to` (inputs, outputs or defaults)."),
        Rule("ARG_ORDER", "builder", "An argument without a default follows one with a default."),
        Rule("CHECK_NEEDS_DTYPE", "builder", "A dtype check has no `dtype`."),
        Rule("EXAMPLE_REJECTED", "examples", "A document under `examples` does not validate against its own schema."),
        Rule("EXAMPLE_ACCEPTED", "examples", "A document under `invalid_examples` validates against its own schema."),
        Rule("PROTOC", "protos", "protoc failed on a .proto file."),
        Rule("PROTO_PATH", "protos", "A .proto file is not under proto/<package>/protos/."),
        Rule("NUMBER_RANGE", "file", "A number does not fit a 64-bit float (e.g. 1e400)."),
        Rule("TEXT_INVALID", "file", "A string or file name cannot be encoded as UTF-8 (a lone surrogate, or bytes that are not UTF-8)."),
        Rule("TOO_LARGE", "file", "An object or array (an enum, properties) has more than 1000 members, or a file more than 5000 JSON values: more than sigdef generates code for."),
        Rule("OUTPUT_LOCKED", "output", "Another sigdef-gen run is writing the same output (with --no-wait)."),
        Rule("OUTPUT_NOT_GENERATED", "output", "A file sigdef-gen did not generate (hand-written, a symlink, a directory) is where a generated file goes; nothing is written (--force overwrites files and links)."),
        Rule("OUTPUT_MANIFEST", "output", "The output's .sigdef-manifest is not one sigdef-gen wrote."),
        Rule("OUTPUT_JOURNAL", "output", "The journal of an interrupted run cannot be read."),
    )
}
