"""`sigdef diff OLD_MODEL NEW_MODEL`: what a new model version breaks in its serving contract.

Each signature becomes the JSON Schema of the SignatureDefs a client may rely on (method name,
input and output keys, dtypes, known dimensions, rank), and the two versions go through the same
breaking-change engine and rule IDs as `sigdef-gen diff`. Signatures themselves are compared by
key: removed, added, and the default (`serving_default`) changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import diff_rules as rules
from .contract import DEFAULT_SIGNATURE, dtype_name, tensor_dims
from .diff_schema import changes_of
from .protos import SavedModel, SignatureDef, TensorInfo
from .savedmodel import find_meta_graph

__all__ = ["diff_models", "signature_schema"]


def signature_schema(signature: SignatureDef) -> dict[str, Any]:
    """The SignatureDefs (proto3 JSON) whose requests this signature's clients can send: its
    method name and inputs (outputs are compared apart: for them, narrowing is the safe way)."""
    return {
        "type": "object",
        "properties": {"methodName": {"const": signature.method_name}, "inputs": _tensors(signature.inputs)},
        "required": ["methodName", "inputs"],
    }


def _tensors(infos: Mapping[str, TensorInfo]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: _tensor(info) for name, info in sorted(infos.items())},
        "required": sorted(infos),
        "additionalProperties": False,
    }


def _tensor(info: TensorInfo) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "object"}
    dims = tensor_dims(info)
    if dims is not None:
        items = [{"type": "object"} if d < 0 else {"type": "object", "properties": {"size": {"const": str(d)}}, "required": ["size"]} for d in dims]
        shape = {"type": "object", "properties": {"dim": {"type": "array", "prefixItems": items, "minItems": len(dims), "maxItems": len(dims)}}}
    return {"type": "object", "properties": {"dtype": {"const": dtype_name(info.dtype)}, "tensorShape": shape}, "required": ["dtype", "tensorShape"]}


# What clients of a model see; the engine's generic rules about the same tensor say it again.
_MODEL_RULES = frozenset(
    "METHOD_NAME_CHANGED DTYPE_CHANGED DTYPE_WIDENED INPUT_REMOVED INPUT_ADDED INPUT_RENAMED RANK_CHANGED RANK_WIDENED DIM_NARROWED DIM_WIDENED".split()
)


def diff_models(old: SavedModel, new: SavedModel, tag_set: str = "serve") -> list[rules.Change]:
    """Every change from `old` to `new` (the MetaGraph of `tag_set`), as the engine's Change values."""
    before = dict(find_meta_graph(old, tag_set).signature_def.items())
    after = dict(find_meta_graph(new, tag_set).signature_def.items())
    changes: list[Any] = []

    def change(rule: str, key: str, message: str, old_value: Any = None, new_value: Any = None, instance: str | None = None) -> None:
        changes.append(rules.Change(rule, key, "", message, old_value, new_value, instance))

    for key in sorted(before.keys() - after.keys()):
        change("SIGNATURE_REMOVED", key, f"signature {key!r} was removed", before[key].method_name, None)
    for key in sorted(after.keys() - before.keys()):
        change("SIGNATURE_ADDED", key, f"signature {key!r} was added", None, after[key].method_name)
    moved = _default_moved(before, after)
    if moved is not None:
        change("DEFAULT_SIGNATURE_CHANGED", DEFAULT_SIGNATURE, moved)
    for key in sorted(before.keys() & after.keys()):
        found = changes_of(signature_schema(before[key]), signature_schema(after[key]))
        located = (rules.Change(c.rule, key, c.pointer, c.message, c.old, c.new, c.instance) for c in found)
        changes.extend(_tidy(rules.refine(located, rules.SIGNATURE_REFINEMENTS)))
        changes.extend(_outputs(key, before[key], after[key]))
    return rules.ordered(changes)


def _default_moved(before: Mapping[str, SignatureDef], after: Mapping[str, SignatureDef]) -> str | None:
    """Why requests naming no signature reach another signature now, if they do."""
    if DEFAULT_SIGNATURE not in before:
        return None
    if DEFAULT_SIGNATURE not in after:
        return f"{DEFAULT_SIGNATURE!r} was removed: requests that name no signature fail"
    old, new = before[DEFAULT_SIGNATURE], after[DEFAULT_SIGNATURE]
    if _promises(old) == _promises(new):
        return None
    for key, signature in sorted(before.items()):
        if key != DEFAULT_SIGNATURE and _promises(signature) == _promises(new):
            return f"{DEFAULT_SIGNATURE!r} now serves what {key!r} served"
    return None


def _promises(signature: SignatureDef) -> bytes:
    """A signature's contract without its tensor names (clients never see those)."""
    copy = SignatureDef()
    copy.CopyFrom(signature)
    for infos in (copy.inputs, copy.outputs):
        for info in infos.values():
            info.ClearField("name")
    return copy.SerializeToString(deterministic=True)


def _tidy(changes: list[Any]) -> list[Any]:
    """The model-level rules, each once: the engine's generic rules about the same tensor
    (its map entry, its shape's structure) repeat them; a new rank makes its dims moot."""
    tensors = {_tensor_of(c.instance) for c in changes if c.rule in _MODEL_RULES}
    ranks = {_tensor_of(c.instance) for c in changes if c.rule in ("RANK_CHANGED", "RANK_WIDENED")}
    renamed = {f"/inputs/{c.new}" for c in changes if c.rule == "INPUT_RENAMED"}
    kept = []
    for c in changes:
        where = _tensor_of(c.instance)
        if c.rule not in _MODEL_RULES and where in tensors:
            continue
        if c.rule.startswith("DIM_") and where in ranks or c.rule == "INPUT_ADDED" and c.instance in renamed:
            continue
        if c.rule == "RANK_WIDENED" and any(k.rule == "RANK_CHANGED" and _tensor_of(k.instance) == where for k in changes):
            continue
        kept.append(c)
    return kept


def _tensor_of(instance: str | None) -> str:
    """`/inputs/x` for `/inputs/x/tensorShape/dim/0/size`."""
    return "/".join((instance or "").split("/")[:3])


def _outputs(key: str, old: SignatureDef, new: SignatureDef) -> list[Any]:
    """Outputs as clients read them: removing or changing one breaks them, adding one does not."""
    out = []
    removed = sorted(old.outputs.keys() - new.outputs.keys())
    added = sorted(new.outputs.keys() - old.outputs.keys())
    if len(removed) == 1 and len(added) == 1 and _same(old.outputs[removed[0]], new.outputs[added[0]]):
        out.append(rules.Change("OUTPUT_RENAMED", key, "", f"output {removed[0]!r} became {added[0]!r}", removed[0], added[0], f"/outputs/{removed[0]}"))
        removed = added = []
    out.extend(rules.Change("OUTPUT_REMOVED", key, "", f"output {n!r} is no longer produced", n, None, f"/outputs/{n}") for n in removed)
    out.extend(rules.Change("OUTPUT_ADDED", key, "", f"output {n!r} is new", None, n, f"/outputs/{n}") for n in added)
    for name in sorted(old.outputs.keys() & new.outputs.keys()):
        before, after = old.outputs[name], new.outputs[name]
        where = f"/outputs/{name}"
        if before.dtype != after.dtype:
            out.append(rules.Change("DTYPE_CHANGED", key, "", f"output {name!r} has another dtype", dtype_name(before.dtype), dtype_name(after.dtype), f"{where}/dtype"))
        rule = _output_shape_rule(tensor_dims(before), tensor_dims(after))
        if rule is not None:
            out.append(rules.Change(rule, key, "", f"output {name!r} has another shape", tensor_dims(before), tensor_dims(after), f"{where}/tensorShape"))
    return out


def _same(a: TensorInfo, b: TensorInfo) -> bool:
    return a.dtype == b.dtype and tensor_dims(a) == tensor_dims(b)


def _output_shape_rule(old: list[int] | None, new: list[int] | None) -> str | None:
    """OUTPUT_SHAPE_NARROWED when every shape the new output may have, the old one could have had."""
    if old == new:
        return None
    if old is None or (new is not None and len(old) == len(new) and all(o < 0 or o == n for o, n in zip(old, new))):
        return "OUTPUT_SHAPE_NARROWED"
    return "OUTPUT_SHAPE_CHANGED"
