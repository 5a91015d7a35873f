"""`saved_model_cli show`, line for line, without TensorFlow (text and JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .functions import concrete_functions
from .protoconv import coerce
from .protos import MetaGraphDef, SavedModel, TensorInfo
from .savedmodel import find_meta_graph
from .types import name_of

__all__ = ["show_all", "show_signature", "show_signature_keys", "show_tag_sets", "to_json"]


def show_tag_sets(model: SavedModel) -> list[str]:
    """`show --dir X`: the tag-sets."""
    lines = ["The given SavedModel contains the following tag-sets:"]
    for tags in sorted(list(mg.meta_info_def.tags) for mg in model.meta_graphs):
        lines.append(repr(", ".join(sorted(tags))))
    return lines


def show_signature_keys(model: SavedModel, tag_set: str) -> list[str]:
    """`show --dir X --tag_set T`: the signature keys of one MetaGraph."""
    meta_graph = find_meta_graph(model, tag_set)
    lines = ["The given SavedModel MetaGraphDef contains SignatureDefs with the following keys:"]
    lines.extend(f'SignatureDef key: "{key}"' for key in sorted(meta_graph.signature_def))
    return lines


def show_signature(model: SavedModel, tag_set: str, key: str) -> list[str]:
    """`show --dir X --tag_set T --signature_def K`: one signature, unindented."""
    return _signature(find_meta_graph(model, tag_set), key, 0)


def show_all(model: SavedModel, ops: list[set[str]], graph_defs: Sequence[bytes] | None = None) -> list[str]:
    """`show --dir X --all`: every MetaGraph, its signatures and its op types, then a TF2
    model's concrete functions (whose order needs each MetaGraph's graph_def: `graph_defs`
    when `model` was read without them, see `functions.concrete_functions`)."""
    model = coerce(model, SavedModel)  # TensorFlow's SavedModel too
    lines: list[str] = []
    order = sorted(range(len(model.meta_graphs)), key=lambda i: list(model.meta_graphs[i].meta_info_def.tags))
    for index in order:
        meta_graph = model.meta_graphs[index]
        tags = list(meta_graph.meta_info_def.tags)
        lines.append("")
        lines.append(f"MetaGraphDef with tag-set: '{', '.join(tags)}' contains the following SignatureDefs:")
        for key in sorted(meta_graph.signature_def):
            lines.append("")
            lines.append(f"signature_def['{key}']:")
            lines.extend(_signature(meta_graph, key, 1))
        found = ops[index]
        shown = "{" + ", ".join(repr(op) for op in sorted(found)) + "}" if found else "set()"
        lines.append(f"The MetaGraph with tag set {tags!r} contains the following ops: {shown}")
    lines.extend(concrete_functions(model, graph_defs))
    return lines


def _signature(meta_graph: MetaGraphDef, key: str, indent: int) -> list[str]:
    if key not in meta_graph.signature_def:
        keys = ", ".join(meta_graph.signature_def)
        raise KeyError(f'Could not find signature "{key}". Please choose from: {keys}')
    signature = meta_graph.signature_def[key]
    pad = "  " * indent
    lines = [pad + "The given SavedModel SignatureDef contains the following input(s):"]
    for name, info in sorted(signature.inputs.items()):
        lines.append(pad + f"  inputs['{name}'] tensor_info:")
        lines.extend(_tensor_info(info, indent + 1))
    lines.append(pad + "The given SavedModel SignatureDef contains the following output(s):")
    for name, info in sorted(signature.outputs.items()):
        lines.append(pad + f"  outputs['{name}'] tensor_info:")
        lines.extend(_tensor_info(info, indent + 1))
    lines.append(pad + f"Method name is: {signature.method_name}")
    return lines


def _tensor_info(info: TensorInfo, indent: int) -> list[str]:
    pad = "  " * indent
    shape = info.tensor_shape
    text = "unknown_rank" if shape.unknown_rank else "(" + ", ".join(str(d.size) for d in shape.dim) + ")"
    return [pad + f"    dtype: {name_of(info.dtype)}", pad + f"    shape: {text}", pad + f"    name: {info.name}"]


def to_json(model: SavedModel, ops: list[set[str]]) -> dict[str, Any]:
    """The same information as JSON: MetaGraphs with tags, signatures (proto3 JSON) and ops."""
    from .jsonform import signature_to_json

    return {
        "saved_model_schema_version": model.saved_model_schema_version,
        "meta_graphs": [
            {
                "tags": list(mg.meta_info_def.tags),
                "signatures": {key: signature_to_json(mg.signature_def[key]) for key in sorted(mg.signature_def)},
                "ops": sorted(found),
                "has_object_graph": bool(mg.object_graph_def),
            }
            for mg, found in zip(model.meta_graphs, ops)
        ],
    }
