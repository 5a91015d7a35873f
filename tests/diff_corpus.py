"""Schema change pairs for `sigdef-gen diff`, each with its expected classification and rules.

A pair is two small patches (old, new), each applied to its own copy of a schema directory: the
text_embedding example (`te`) or the bundled schemas (`bundled`). `rules` is the exact set
of rule IDs the report must hold (DOCUMENT_REJECTED where documents valid under the old
schema are rejected by the new one).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KIND = "signatures/text_embedding.schema.json"
CONSTANTS = "constants/acme_constants.schema.json"
Patch = Callable[[dict[str, Any]], None]  # edits {relative path: document} in place


@dataclass(frozen=True)
class Pair:
    name: str
    breaking: bool
    rules: frozenset[str]
    new: Patch
    old: Patch = field(default=lambda docs: None)
    base: str = "te"


def pair(name: str, breaking: bool, rules: str, new: Patch, old: Patch | None = None, base: str = "te") -> Pair:
    return Pair(name, breaking, frozenset(rules.split()), new, old or (lambda docs: None), base)


def apply(root: Path, patch: Patch) -> None:
    """Load every schema under root, patch, write back what changed (or delete docs set to None)."""
    docs = {p.relative_to(root).as_posix(): json.loads(p.read_text()) for p in sorted(root.rglob("*.schema.json"))}
    before = copy.deepcopy(docs)
    patch(docs)
    for rel, doc in docs.items():
        path = root / rel
        if doc is None:
            path.unlink()
        elif doc != before.get(rel):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(doc, indent=2))


# -- pieces of the text_embedding kind ---------------------------------------------------


def kind(docs: dict[str, Any]) -> dict[str, Any]:
    return docs[KIND]  # type: ignore[no-any-return]


def builder(docs: dict[str, Any]) -> dict[str, Any]:
    return kind(docs)["x-sigdef"]["kind"]["builder"]  # type: ignore[no-any-return]


def inputs(docs: dict[str, Any]) -> dict[str, Any]:
    return kind(docs)["properties"]["inputs"]  # type: ignore[no-any-return]


def outputs(docs: dict[str, Any]) -> dict[str, Any]:
    return kind(docs)["properties"]["outputs"]  # type: ignore[no-any-return]


def out_dim(docs: dict[str, Any]) -> dict[str, Any]:
    return outputs(docs)["properties"]["embeddings"]["properties"]["tensorShape"]["properties"]["dim"]  # type: ignore[no-any-return]


def known_size(docs: dict[str, Any]) -> dict[str, Any]:
    return kind(docs)["$defs"]["knownDim"]["properties"]["size"]  # type: ignore[no-any-return]


def check(docs: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(c for c in builder(docs)["checks"] if c["id"] == check_id)


def root_prop(name: str, schema: dict[str, Any]) -> Patch:
    """Give the kind a top-level member `name` (the kind is closed: additionalProperties false)."""

    def patch(docs: dict[str, Any]) -> None:
        kind(docs)["properties"][name] = copy.deepcopy(schema)

    return patch


def both(*patches: Patch) -> Patch:
    def patch(docs: dict[str, Any]) -> None:
        for p in patches:
            p(docs)

    return patch


def set_in(getter: Callable[[dict[str, Any]], dict[str, Any]], **values: Any) -> Patch:
    def patch(docs: dict[str, Any]) -> None:
        getter(docs).update(copy.deepcopy(values))

    return patch


def drop(getter: Callable[[dict[str, Any]], dict[str, Any]], *keys: str) -> Patch:
    def patch(docs: dict[str, Any]) -> None:
        for key in keys:
            del getter(docs)[key]

    return patch


def constant(name: str, value: str) -> Patch:
    def patch(docs: dict[str, Any]) -> None:
        docs[CONSTANTS]["$defs"][name] = {"description": name, "const": value}

    return patch


STRING_INFO = {"$ref": "https://sigdef.dev/schemas/common/tensor_info.schema.json#/$defs/StringTensorInfo"}
FLOAT_INFO = {"$ref": "https://sigdef.dev/schemas/common/tensor_info.schema.json#/$defs/FloatTensorInfo"}
ANY_INFO = {"$ref": "https://sigdef.dev/schemas/common/tensor_info.schema.json#/$defs/TensorInfo"}
DTYPES = "https://sigdef.dev/schemas/constants/dtypes.schema.json#/$defs/"
PRIORITY = {"type": "integer", "minimum": 0, "maximum": 10}
TIER = {"enum": ["gold", "silver", "bronze"]}


def lang_arg(optional: bool) -> Patch:
    """A new builder argument `lang`, stored under input key LANG_INPUTS, and its schema."""

    def patch(docs: dict[str, Any]) -> None:
        constant("LANG_INPUTS", "lang")(docs)
        arg = {"name": "lang", "kind": "tensor", "to": "inputs", "key": {"$ref": "../constants/acme_constants.schema.json#/$defs/LANG_INPUTS"}}
        builder(docs)["args"].append({**arg, "optional": True} if optional else arg)
        inputs(docs)["properties"]["lang"] = dict(STRING_INFO)
        if not optional:
            inputs(docs)["required"].append("lang")

    return patch


def swap_args(docs: dict[str, Any]) -> None:
    args = builder(docs)["args"]
    args[0], args[1] = args[1], args[0]


def swap_checks(docs: dict[str, Any]) -> None:
    checks = builder(docs)["checks"]
    checks[0], checks[1] = checks[1], checks[0]


def rename_arg(docs: dict[str, Any]) -> None:
    builder(docs)["args"][1]["name"] = "vectors"
    for c in builder(docs)["checks"]:
        c["args"] = ["vectors" if a == "embeddings" else a for a in c["args"]]
    for call in kind(docs)["x-sigdef"]["kind"].get("builder_examples", []):  # keywords of the generated tests
        call["args"] = {("vectors" if k == "embeddings" else k): v for k, v in call["args"].items()}


def rename_output(docs: dict[str, Any]) -> None:
    docs[CONSTANTS]["$defs"]["EMBEDDINGS_OUTPUTS"]["const"] = "vectors"
    props = outputs(docs)["properties"]
    props["vectors"] = props.pop("embeddings")
    outputs(docs)["required"] = ["vectors"]


def embeddings_as_string(docs: dict[str, Any]) -> None:
    outputs(docs)["properties"]["embeddings"].update(STRING_INFO)
    check(docs, "EMBED_EMBEDDINGS_DTYPE")["dtype"] = {"$ref": DTYPES + "DT_STRING"}


def embeddings_any_dtype(docs: dict[str, Any]) -> None:
    outputs(docs)["properties"]["embeddings"].update(ANY_INFO)
    builder(docs)["checks"] = [c for c in builder(docs)["checks"] if c["id"] != "EMBED_EMBEDDINGS_DTYPE"]


def add_check(docs: dict[str, Any]) -> None:
    builder(docs)["checks"].insert(3, {"id": "EMBED_EMBEDDINGS_NOT_TENSOR", "rule": "is_tensor", "args": ["embeddings"], "error": "ValueError", "message": "Text embedding `embeddings` must be a Tensor; got {type}."})


def second_kind(docs: dict[str, Any]) -> None:
    doc = copy.deepcopy(kind(docs))
    doc["$id"] = "https://acme.example/sigdef/signatures/text_embedding_v2.schema.json"
    doc["x-sigdef"]["kind"]["name"] = "text_embedding_v2"
    doc["x-sigdef"]["kind"]["builder"]["name"] = "text_embedding_v2_signature_def"
    doc["properties"]["methodName"] = {"$ref": "../constants/acme_constants.schema.json#/$defs/EMBED_V2_METHOD_NAME"}
    doc["examples"][0]["methodName"] = "acme/serving/embed_v2"
    doc["x-sigdef"]["kind"]["invalid_examples"] = []
    doc["x-sigdef"]["kind"]["builder_examples"] = []
    constant("EMBED_V2_METHOD_NAME", "acme/serving/embed_v2")(docs)
    docs["signatures/text_embedding_v2.schema.json"] = doc


# -- the bundled kinds ------------------------------------------------------------------


def bundled(rel: str, edit: Callable[[dict[str, Any]], None]) -> Patch:
    def patch(docs: dict[str, Any]) -> None:
        edit(docs[rel])

    return patch


def _drop_classes(doc: dict[str, Any]) -> None:
    del doc["properties"]["outputs"]["properties"]["classes"]


def _require_scores(doc: dict[str, Any]) -> None:
    doc["properties"]["outputs"]["required"] = ["scores"]


def _dim_size_required(doc: dict[str, Any]) -> None:
    doc["$defs"]["TensorShape"]["properties"]["dim"]["items"]["required"] = ["size"]


def _classification_message(doc: dict[str, Any]) -> None:
    doc["x-sigdef"]["export_output"]["checks"][0]["message"] = "ClassificationOutput needs scores or classes."


def _new_dtype(doc: dict[str, Any]) -> None:
    data_type = doc["$defs"]["DataType"]
    data_type["enum"].append("DT_FLOAT4")
    data_type["x-sigdef"]["dtypes"]["DT_FLOAT4"] = {"number": 31337}


def _drop_op(docs: dict[str, Any]) -> None:
    docs["signatures/op.schema.json"] = None


PAIRS: tuple[Pair, ...] = (
    # narrowing: what validates
    pair("classify outputs lose `classes` (additionalProperties: false)", True, "OUTPUT_REMOVED DOCUMENT_REJECTED", bundled("signatures/classify.schema.json", _drop_classes), base="bundled"),
    pair("classify outputs require `scores`", True, "REQUIRED_ADDED DOCUMENT_REJECTED", bundled("signatures/classify.schema.json", _require_scores), base="bundled"),
    pair("every tensor dimension must state its size (nested $ref, bundled)", True, "REQUIRED_ADDED DOCUMENT_REJECTED", bundled("common/tensor_info.schema.json", _dim_size_required), base="bundled"),
    pair("text input requires `name`", True, "REQUIRED_ADDED DOCUMENT_REJECTED", set_in(lambda d: inputs(d)["properties"]["text"], required=["tensorShape", "name"])),
    pair("method name constant changed", True, "CONSTANT_VALUE_CHANGED METHOD_NAME_CHANGED DOCUMENT_REJECTED", lambda d: d[CONSTANTS]["$defs"]["EMBED_METHOD_NAME"].update(const="acme/serving/embed2")),
    pair("embeddings become DT_STRING (schema and dtype check)", True, "DTYPE_CHANGED DOCUMENT_REJECTED", embeddings_as_string),
    pair("embedding width pattern caps at 3 digits", True, "DIM_NARROWED DOCUMENT_REJECTED", set_in(known_size, pattern="^[1-9][0-9]{0,2}$")),
    pair("embedding width fixed to 128 (was any positive)", True, "DIM_NARROWED DOCUMENT_REJECTED", lambda d: kind(d)["$defs"]["knownDim"]["properties"].update(size={"const": "128"})),
    pair("embedding dims: prefixItems[1] now $refs batchDim (nested $ref retarget)", True, "DIM_NARROWED DOCUMENT_REJECTED", lambda d: out_dim(d)["prefixItems"][1].update({"$ref": "#/$defs/batchDim"})),
    pair("embeddings rank: maxItems 3 -> 2", True, "RANK_CHANGED DOCUMENT_REJECTED", set_in(out_dim, maxItems=2), old=set_in(out_dim, maxItems=3)),
    pair("text name gains maxLength", True, "BOUND_TIGHTENED DOCUMENT_REJECTED", lambda d: inputs(d)["properties"]["text"]["properties"].update(name={"maxLength": 4})),
    pair("text name gains a pattern", True, "PATTERN_ADDED DOCUMENT_REJECTED", lambda d: inputs(d)["properties"]["text"]["properties"].update(name={"pattern": "^[a-z]+:0$"})),
    pair("text closes its members (additionalProperties: false beside `tensorShape` only)", True, "PROPERTY_REMOVED DOCUMENT_REJECTED", lambda d: inputs(d)["properties"]["text"].update(additionalProperties=False)),
    pair("embedding dims must be unique", True, "UNIQUE_ITEMS_ADDED", set_in(out_dim, uniqueItems=True)),
    pair("priority minimum 0 -> 1", True, "BOUND_TIGHTENED DOCUMENT_REJECTED", root_prop("priority", {**PRIORITY, "minimum": 1}), old=root_prop("priority", PRIORITY)),
    pair("priority maximum 10 -> exclusiveMaximum 10", True, "BOUND_TIGHTENED DOCUMENT_REJECTED", root_prop("priority", {"type": "integer", "minimum": 0, "exclusiveMaximum": 10}), old=root_prop("priority", PRIORITY)),
    pair("priority gains multipleOf 2", True, "BOUND_TIGHTENED DOCUMENT_REJECTED", root_prop("priority", {**PRIORITY, "multipleOf": 2}), old=root_prop("priority", PRIORITY)),
    pair("priority type [integer, string] -> integer", True, "TYPE_NARROWED DOCUMENT_REJECTED", root_prop("priority", {"type": "integer"}), old=root_prop("priority", {"type": ["integer", "string"]})),
    pair("tier enum loses bronze", True, "ENUM_NARROWED DOCUMENT_REJECTED", root_prop("tier", {"enum": ["gold", "silver"]}), old=root_prop("tier", TIER)),
    pair("tier const changed", True, "CONST_CHANGED DOCUMENT_REJECTED", root_prop("tier", {"const": "silver"}), old=root_prop("tier", {"const": "gold"})),
    pair("priority removed from a closed object", True, "PROPERTY_REMOVED DOCUMENT_REJECTED", lambda d: None, old=root_prop("priority", PRIORITY)),
    pair("priority anyOf loses its string branch", True, "BRANCH_REMOVED TYPE_NARROWED DOCUMENT_REJECTED", root_prop("priority", {"anyOf": [{"type": "integer"}]}), old=root_prop("priority", {"anyOf": [{"type": "integer"}, {"type": "string"}]})),
    pair("priority oneOf with overlapping alternatives (3..5 match both; -1 and 11 match one)", True, "CONDITION_CHANGED BOUND_LOOSENED DOCUMENT_REJECTED", root_prop("priority", {"oneOf": [{"type": "integer", "maximum": 5}, {"type": "integer", "minimum": 3}]}), old=root_prop("priority", PRIORITY)),
    pair("priority gains `not`", True, "CONDITION_CHANGED DOCUMENT_REJECTED", root_prop("priority", {**PRIORITY, "not": {"const": 3}}), old=root_prop("priority", PRIORITY)),
    pair("output renamed embeddings -> vectors (key constant too)", True, "CONSTANT_VALUE_CHANGED ARG_KEY_CHANGED OUTPUT_RENAMED DOCUMENT_REJECTED", rename_output),
    pair("new required input `lang` with its builder argument", True, "CONSTANT_ADDED ARG_ADDED_REQUIRED INPUT_ADDED DOCUMENT_REJECTED", lang_arg(optional=False)),
    # builders and checks
    pair("builder argument renamed embeddings -> vectors", True, "ARG_RENAMED", rename_arg),
    pair("builder arguments reordered", True, "ARG_REORDERED", swap_args),
    pair("builder renamed", True, "BUILDER_RENAMED", lambda d: builder(d).update(name="embed_signature_def")),
    pair("check added", True, "CHECK_ADDED", add_check),
    pair("check message changed", True, "MESSAGE_CHANGED", lambda d: check(d, "EMBED_TEXT_NONE").update(message="`text` is required.")),
    pair("check raises TypeError", True, "ERROR_TYPE_CHANGED", lambda d: check(d, "EMBED_TEXT_NONE").update(error="TypeError")),
    pair("checks reordered", True, "CHECK_REORDERED", swap_checks),
    pair("export output check message changed (bundled)", True, "MESSAGE_CHANGED", bundled("export_outputs/classification_output.schema.json", _classification_message), base="bundled"),
    pair("kind op removed (bundled)", True, "KIND_REMOVED", _drop_op, base="bundled"),
    pair("unused constant removed", True, "CONSTANT_REMOVED", lambda d: None, old=constant("SPARE", "spare")),
    pair("kind no longer served", True, "SERVING_REMOVED", lambda d: None, old=lambda d: kind(d)["x-sigdef"]["kind"].update(serving=True)),
    pair("kind renamed (same schema file)", True, "KIND_REMOVED KIND_ADDED", lambda d: kind(d)["x-sigdef"]["kind"].update(name="embedding")),
    pair("argument takes a map of tensors now", True, "ARG_KIND_CHANGED", lambda d: builder(d)["args"][0].update(kind="tensor_map")),
    # widening and invisible changes
    pair("embedding width pattern accepts 0", False, "DIM_WIDENED", set_in(known_size, pattern="^[0-9]+$")),
    pair("embedding width: 128 -> any positive", False, "DIM_WIDENED", lambda d: None, old=lambda d: kind(d)["$defs"]["knownDim"]["properties"].update(size={"const": "128"})),
    pair("batch dimension accepts any size (nested $defs)", False, "DIM_WIDENED", lambda d: kind(d)["$defs"]["batchDim"]["properties"].update(size={"type": "string", "pattern": "^-?[0-9]+$"})),
    pair("embeddings rank: maxItems 2 -> 3", False, "RANK_WIDENED", set_in(out_dim, maxItems=3), old=set_in(out_dim, maxItems=2)),
    pair("embeddings accept any dtype, dtype check dropped", False, "DTYPE_WIDENED CHECK_REMOVED REQUIRED_REMOVED", embeddings_any_dtype),
    pair("priority maximum 10 -> 20", False, "BOUND_LOOSENED", root_prop("priority", {**PRIORITY, "maximum": 20}), old=root_prop("priority", PRIORITY)),
    pair("priority type integer -> number", False, "TYPE_WIDENED", root_prop("priority", {**PRIORITY, "type": "number"}), old=root_prop("priority", PRIORITY)),
    pair("tier enum gains platinum", False, "ENUM_WIDENED", root_prop("tier", {"enum": ["gold", "silver", "bronze", "platinum"]}), old=root_prop("tier", TIER)),
    pair("tier const -> enum of two", False, "ENUM_WIDENED", root_prop("tier", {"enum": ["gold", "silver"]}), old=root_prop("tier", {"const": "gold"})),
    pair("priority anyOf gains a string branch", False, "BRANCH_ADDED TYPE_WIDENED", root_prop("priority", {"anyOf": [{"type": "integer"}, {"type": "string"}]}), old=root_prop("priority", {"anyOf": [{"type": "integer"}]})),
    pair("priority anyOf replaced by the same type list", False, "CONDITION_REMOVED", root_prop("priority", {"type": ["integer", "string"]}), old=root_prop("priority", {"anyOf": [{"type": "integer"}, {"type": "string"}]})),
    pair("priority added to a closed object", False, "PROPERTY_ADDED", root_prop("priority", PRIORITY)),
    pair("optional output `norms` added", False, "OUTPUT_ADDED", lambda d: outputs(d)["properties"].update(norms=dict(FLOAT_INFO))),
    pair("inputs accept unknown members", False, "ADDITIONAL_PROPERTIES_OPENED", drop(inputs, "additionalProperties")),
    pair("text name no longer required", False, "REQUIRED_REMOVED", set_in(lambda d: inputs(d)["properties"]["text"], required=[]), old=set_in(lambda d: inputs(d)["properties"]["text"], required=["tensorShape", "name"])),
    pair("new optional input `lang` with an optional builder argument", False, "CONSTANT_ADDED ARG_ADDED_OPTIONAL INPUT_ADDED_OPTIONAL", lang_arg(optional=True)),
    pair("kind served now", False, "SERVING_ADDED", lambda d: kind(d)["x-sigdef"]["kind"].update(serving=True)),
    pair("root accepts unknown members", False, "ADDITIONAL_PROPERTIES_OPENED", drop(kind, "additionalProperties")),
    pair("tier enum replaced by a pattern matching every old value", False, "ENUM_WIDENED", root_prop("tier", {"type": "string", "pattern": "^(gold|silver|bronze|platinum)$"}), old=root_prop("tier", TIER)),
    pair("check removed", False, "CHECK_REMOVED", lambda d: builder(d).update(checks=[c for c in builder(d)["checks"] if c["id"] != "EMBED_TEXT_NOT_TENSOR"])),
    pair("check ID renamed, same check", False, "", lambda d: check(d, "EMBED_TEXT_NONE").update(id="EMBED_TEXT_IS_NONE")),
    pair("descriptions only", False, "", lambda d: kind(d).update(description="Reworded.")),
    pair("second kind added", False, "KIND_ADDED CONSTANT_ADDED", second_kind),
    pair("DataType gains a value (bundled)", False, "DTYPE_WIDENED ENUM_WIDENED", bundled("constants/dtypes.schema.json", _new_dtype), base="bundled"),
)
