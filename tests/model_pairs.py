"""The model-version corpus of `sigdef diff`: pairs of small TF1 SavedModels and what the diff must say.

`python tests/model_pairs.py` (needs TensorFlow) rebuilds the fixtures under
tests/data/model_pairs/ with TF's own SavedModel Builder; the tests read those fixtures, and,
where TF is installed, also rebuild them in a temporary directory and diff those.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "data" / "model_pairs"
PREDICT, CLASSIFY, REGRESS = "tensorflow/serving/predict", "tensorflow/serving/classify", "tensorflow/serving/regress"

Tensor = tuple[str, list[int | None] | None]  # dtype, shape (None: unknown rank)
Signature = tuple[str, dict[str, Tensor], dict[str, Tensor]]  # method, inputs, outputs

BASE: dict[str, Signature] = {
    "serving_default": (PREDICT, {"x": ("float32", [None, 3]), "ids": ("int64", [None])}, {"y": ("float32", [None, 2]), "label": ("string", [None])}),
    "scores": (PREDICT, {"x": ("float32", [None, 3])}, {"s": ("float32", [None])}),
}


def _with(key: str, method: str | None = None, inputs: dict[str, Tensor | None] | None = None, outputs: dict[str, Tensor | None] | None = None) -> dict[str, Signature]:
    """BASE with one signature changed: a method, inputs or outputs set (None removes one)."""
    old_method, old_inputs, old_outputs = BASE[key]
    new_inputs = {**old_inputs, **(inputs or {})}
    new_outputs = {**old_outputs, **(outputs or {})}
    signature = (method or old_method, {k: v for k, v in new_inputs.items() if v is not None}, {k: v for k, v in new_outputs.items() if v is not None})
    return {**BASE, key: signature}


def _renamed(mapping: dict[str, Tensor], old: str, new: str) -> dict[str, Tensor | None]:
    return {old: None, new: mapping[old]}


# name -> (old, new, the rule IDs the diff must report, whether anything breaks)
PAIRS: dict[str, tuple[dict[str, Signature], dict[str, Signature] | str, set[str], bool]] = {
    "unchanged": (BASE, BASE, set(), False),
    "signature_removed": (BASE, {"serving_default": BASE["serving_default"]}, {"SIGNATURE_REMOVED"}, True),
    "signature_added": (BASE, {**BASE, "extra": BASE["scores"]}, {"SIGNATURE_ADDED"}, False),
    "signature_key_renamed": (BASE, {"serving_default": BASE["serving_default"], "scores_v2": BASE["scores"]}, {"SIGNATURE_REMOVED", "SIGNATURE_ADDED"}, True),
    "default_signature_changed": (BASE, {**BASE, "serving_default": BASE["scores"]}, {"DEFAULT_SIGNATURE_CHANGED", "INPUT_REMOVED", "OUTPUT_REMOVED", "OUTPUT_ADDED"}, True),
    "method_name_changed": (BASE, _with("scores", method=REGRESS), {"METHOD_NAME_CHANGED"}, True),
    "input_added": (BASE, _with("scores", inputs={"mask": ("bool", [None])}), {"INPUT_ADDED"}, True),
    "input_removed": (BASE, _with("serving_default", inputs={"ids": None}), {"INPUT_REMOVED"}, True),
    "input_renamed": (BASE, _with("serving_default", inputs=_renamed(BASE["serving_default"][1], "ids", "token_ids")), {"INPUT_RENAMED"}, True),
    "input_dtype_changed": (BASE, _with("scores", inputs={"x": ("float64", [None, 3])}), {"DTYPE_CHANGED"}, True),
    "input_rank_changed": (BASE, _with("scores", inputs={"x": ("float32", [None, 3, 1])}), {"RANK_CHANGED"}, True),
    "input_rank_made_known": (_with("scores", inputs={"x": ("float32", None)}), BASE, {"RANK_CHANGED"}, True),
    "input_rank_made_unknown": (BASE, _with("scores", inputs={"x": ("float32", None)}), {"RANK_WIDENED"}, False),
    "input_dim_narrowed": (_with("scores", inputs={"x": ("float32", [None, None])}), BASE, {"DIM_NARROWED"}, True),
    "input_dim_widened": (BASE, _with("scores", inputs={"x": ("float32", [None, None])}), {"DIM_WIDENED"}, False),
    "input_dim_resized": (BASE, _with("scores", inputs={"x": ("float32", [None, 4])}), {"DIM_NARROWED"}, True),
    "batch_dim_fixed": (BASE, _with("scores", inputs={"x": ("float32", [8, 3])}), {"DIM_NARROWED"}, True),
    "output_removed": (BASE, _with("serving_default", outputs={"label": None}), {"OUTPUT_REMOVED"}, True),
    "output_renamed": (BASE, _with("serving_default", outputs=_renamed(BASE["serving_default"][2], "label", "class_name")), {"OUTPUT_RENAMED"}, True),
    "output_added": (BASE, _with("scores", outputs={"extra": ("int32", [None])}), {"OUTPUT_ADDED"}, False),
    "output_dtype_changed": (BASE, _with("serving_default", outputs={"label": ("int64", [None])}), {"DTYPE_CHANGED"}, True),
    "output_shape_changed": (BASE, _with("serving_default", outputs={"y": ("float32", [None, None])}), {"OUTPUT_SHAPE_CHANGED"}, True),
    "output_rank_made_unknown": (BASE, _with("scores", outputs={"s": ("float32", None)}), {"OUTPUT_SHAPE_CHANGED"}, True),
    "output_shape_narrowed": (BASE, _with("scores", outputs={"s": ("float32", [8])}), {"OUTPUT_SHAPE_NARROWED"}, False),
    "tensor_names_only": (BASE, "renamed_tensors", set(), False),
    "two_signatures_changed": (
        BASE,
        {"serving_default": _with("serving_default", inputs={"ids": ("int32", [None])})["serving_default"], "scores": _with("scores", outputs={"z": ("float32", [None])})["scores"]},
        {"DTYPE_CHANGED", "OUTPUT_ADDED"},
        True,
    ),
}


def build_model(folder: Path, signatures: dict[str, Signature], prefix: str = "") -> None:
    """A TF1 SavedModel (tag `serve`) whose signatures map to placeholders of the given dtypes and
    shapes (named `PREFIX in_NAME`, `PREFIX out_NAME`)."""
    import tensorflow as tf

    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default(), v1.Session(graph=graph) as session:
        tensors: dict[tuple[str, str, str], Any] = {}
        signature_defs = {}
        for key, (method, inputs, outputs) in sorted(signatures.items()):
            infos = []
            for role, mapping in (("in", inputs), ("out", outputs)):
                built = {}
                for name, (dtype, shape) in sorted(mapping.items()):
                    slot = (role, name, f"{dtype}{shape}")
                    if slot not in tensors:
                        tensors[slot] = v1.placeholder(dtype, shape, name=f"{prefix}{role}_{name}")
                    built[name] = v1.saved_model.utils.build_tensor_info(tensors[slot])
                infos.append(built)
            signature_defs[key] = v1.saved_model.signature_def_utils.build_signature_def(infos[0], infos[1], method)
        builder = v1.saved_model.Builder(str(folder))
        builder.add_meta_graph_and_variables(session, ["serve"], signature_def_map=signature_defs, strip_default_attrs=True)
        builder.save()


def build_pairs(dest: Path) -> None:
    """Every pair of the corpus as dest/NAME/old and dest/NAME/new."""
    for name, (old, new, _, _) in PAIRS.items():
        build_model(dest / name / "old", old)
        # "renamed_tensors": the same signatures over differently named graph tensors
        build_model(dest / name / "new", old if isinstance(new, str) else new, "v2_" if isinstance(new, str) else "")


if __name__ == "__main__":
    build_pairs(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES)
