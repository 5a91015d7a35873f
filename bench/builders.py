"""Builders vs raw protobuf construction vs TensorFlow 2.21 (when installed)."""

from __future__ import annotations

from typing import Any

import sigdef
from sigdef.protos import SignatureDef
from sigdef.kinds import classify
from sigdef.tensors import Tensor, method_name_field

from .timing import Row, interleaved, tensorflow

TF_MISSING = "TensorFlow not installed (pip install -e '.[bench-tf]'); TF rows skipped"


def _raw_classify() -> SignatureDef:
    """The same SignatureDef as the builder, built field by field with sigdef.protos."""
    sig = SignatureDef()
    info = sig.inputs["inputs"]
    info.name = "examples:0"
    info.dtype = 7  # type: ignore[assignment]
    info.tensor_shape.dim.add(size=-1)
    for key, name, dtype in (("classes", "classes:0", 7), ("scores", "scores:0", 1)):
        info = sig.outputs[key]
        info.name = name
        info.dtype = dtype  # type: ignore[assignment]
        info.tensor_shape.dim.add(size=-1)
        info.tensor_shape.dim.add(size=3)
    sig.method_name = "tensorflow/serving/classify"
    return sig


def _raw_predict(n: int) -> SignatureDef:
    sig = SignatureDef()
    for section in (sig.inputs, sig.outputs):
        for i in range(n):
            info = section[f"t{i}"]
            info.name = f"t{i}:0"
            info.dtype = 1  # type: ignore[assignment]
            info.tensor_shape.dim.add(size=-1)
            info.tensor_shape.dim.add(size=8)
    sig.method_name = "tensorflow/serving/predict"
    return sig


def _minimal_is_valid(sig: SignatureDef) -> bool:
    """The floor for is_valid_signature on a classify signature: TF's own checks (method
    name, key sets, dtypes) hand-written with the fewest upb reads, nothing from a schema."""
    if sig.method_name != "tensorflow/serving/classify":
        return False
    inputs = sig.inputs
    if len(inputs) != 1 or "inputs" not in inputs or inputs["inputs"].dtype != 7:
        return False
    outputs = sig.outputs
    if not outputs:
        return False
    for key in outputs:
        if outputs[key].dtype != (7 if key == "classes" else 1 if key == "scores" else -1):
            return False
    return True


class _MinimalClassificationOutput:
    """The floor for the export row: ClassificationOutput hand-written for sigdef Tensors,
    with TF's checks and messages left out where a check cannot fail (as_signature_def runs
    only the checks the constructor has not already made: examples is a dense tensor, scores
    are DT_FLOAT), assembling the same cached wire entries as the builder."""

    def __init__(self, scores: Any = None, classes: Any = None) -> None:
        if scores is not None and not (type(scores) is Tensor and scores.dtype.is_floating):
            raise ValueError("scores")
        if classes is not None and not (type(classes) is Tensor and classes.dtype.number == 7):
            raise ValueError("classes")
        if scores is None and classes is None:
            raise ValueError("empty")
        self._scores = scores
        self._classes = classes

    def as_signature_def(self, receiver_tensors: Any) -> SignatureDef:
        if len(receiver_tensors) != 1:
            raise ValueError("receivers")
        ((_, examples),) = receiver_tensors.items()
        if type(examples) is not Tensor or examples.dtype.number != 7:
            raise ValueError("receivers")
        scores, classes = self._scores, self._classes
        if scores is not None and scores._encoded.dtype != 1:
            raise ValueError("scores dtype")
        data = examples._encoded.inputs["inputs"]
        if classes is not None:
            data += classes._encoded.outputs["classes"]
        if scores is not None:
            data += scores._encoded.outputs["scores"]
        return _parse(data + _CLASSIFY_METHOD)


_parse = SignatureDef.FromString
_CLASSIFY_METHOD = method_name_field(classify.METHOD_NAME)


def _fresh_copy(finished: SignatureDef) -> Any:
    """The floor for a builder: a new message equal to the finished one, no checks, no assembly."""
    data = finished.SerializeToString()
    return lambda: SignatureDef.FromString(data)


def run(quick: bool) -> list[Row]:
    number, repeat = (200, 5) if quick else (2000, 15)
    examples = sigdef.tensor("examples:0", "string", [None])
    classes = sigdef.tensor("classes:0", "string", [None, 3])
    scores = sigdef.tensor("scores:0", "float32", [None, 3])
    ins = {f"t{i}": sigdef.tensor(f"t{i}:0", "float32", [None, 8]) for i in range(20)}
    outs = {f"o{i}": sigdef.tensor(f"o{i}:0", "float32", [None, 8]) for i in range(20)}
    assert sigdef.classification_signature_def(examples, classes, scores) == _raw_classify()
    fns: dict[str, Any] = {
        "classify": lambda: sigdef.classification_signature_def(examples, classes, scores),
        "classify_raw": _raw_classify,
        "predict": lambda: sigdef.predict_signature_def(ins, outs),
        "predict_raw": lambda: _raw_predict(20),
        "export": lambda: sigdef.ClassificationOutput(scores=scores, classes=classes).as_signature_def({"examples": examples}),
    }
    valid = sigdef.classification_signature_def(examples, classes, scores)
    fns["is_valid"] = lambda: sigdef.is_valid_signature(valid)
    assert _minimal_is_valid(valid)
    fns["is_valid_floor"] = lambda: _minimal_is_valid(valid)
    export = sigdef.ClassificationOutput(scores=scores, classes=classes).as_signature_def({"examples": examples})
    assert _MinimalClassificationOutput(scores=scores, classes=classes).as_signature_def({"examples": examples}) == export
    fns["export_floor"] = lambda: _MinimalClassificationOutput(scores=scores, classes=classes).as_signature_def({"examples": examples})
    fns["classify_floor"] = _fresh_copy(valid)
    fns["predict_floor"] = _fresh_copy(sigdef.predict_signature_def(ins, outs))
    tf = None if quick else tensorflow()
    if tf is not None:
        fns.update(_tf_calls(tf))
    s = interleaved(fns, number=number, repeat=repeat)
    rows = [
        _ratio_row("classification_signature_def, 3 tensors", s["classify"], s["classify_raw"], "raw protobuf (sigdef.protos)", 2.0, slower_ok=True),
        _ratio_row("predict_signature_def, 20 in / 20 out", s["predict"], s["predict_raw"], "raw protobuf (sigdef.protos)", 2.0, slower_ok=True),
    ]
    floors = {
        "classify": f"floor: a fresh copy of the finished message {s['classify_floor'].us()}",
        "predict": f"floor: a fresh copy of the finished message {s['predict_floor'].us()}",
        "export": f"floor: hand-written, checks the constructor made not repeated {s['export_floor'].us()}",
        "is_valid": f"floor: TF's checks alone, hand-written with the fewest upb reads {s['is_valid_floor'].us()}",
    }
    for key, label, target in (
        ("classify", "classification_signature_def, 3 tensors", 20.0),
        ("predict", "predict_signature_def, 20 in / 20 out", 20.0),
        ("export", "ClassificationOutput(...).as_signature_def(...)", 20.0),
        ("is_valid", "is_valid_signature", 10.0),
    ):
        note = floors.get(key, "")
        if tf is None:
            rows.append(Row(f"{label} vs TF", s[key].us(), "skipped", None, f">= {target:g}x faster", None, f"{TF_MISSING}; {note}" if note else TF_MISSING))
        else:
            row = _ratio_row(f"{label} vs TF", s[key], s["tf_" + key], "TF 2.21 (graph mode)", target, slower_ok=False)
            if f"{key}_floor" in s:
                floor = s["tf_" + key].median / s[f"{key}_floor"].median
                row.note = f"{note} = {floor:.1f}x TF" + ("" if floor >= target else ", below the target itself")
            else:
                row.note = note
            rows.append(row)
    return rows


def _ratio_row(name: str, mine: Any, ref: Any, ref_label: str, target: float, *, slower_ok: bool) -> Row:
    if slower_ok:  # sigdef may cost up to `target` times the reference
        ratio = mine.median / ref.median
        return Row(name, mine.us(), f"{ref.us()} {ref_label}", ratio, f"<= {target:g}x raw", ratio <= target)
    ratio = ref.median / mine.median
    return Row(name, mine.us(), f"{ref.us()} {ref_label}", ratio, f">= {target:g}x faster", ratio >= target)


def _tf_calls(tf: Any) -> dict[str, Any]:
    """The same calls on real TF graph tensors."""
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        examples = v1.placeholder(tf.string, [None], name="examples")
        classes = v1.placeholder(tf.string, [None, 3], name="classes")
        scores = v1.placeholder(tf.float32, [None, 3], name="scores")
        ins = {f"t{i}": v1.placeholder(tf.float32, [None, 8], name=f"t{i}") for i in range(20)}
        outs = {f"o{i}": v1.placeholder(tf.float32, [None, 8], name=f"o{i}") for i in range(20)}
    from tensorflow.python.saved_model.model_utils import export_output  # noqa: PLC0415

    def in_graph(fn: Any) -> Any:
        def call() -> Any:
            with graph.as_default():
                return fn()

        return call

    with graph.as_default():
        valid = v1.saved_model.classification_signature_def(examples, classes, scores)
    return {
        "tf_classify": in_graph(lambda: v1.saved_model.classification_signature_def(examples, classes, scores)),
        "tf_predict": in_graph(lambda: v1.saved_model.predict_signature_def(ins, outs)),
        "tf_export": in_graph(lambda: export_output.ClassificationOutput(scores=scores, classes=classes).as_signature_def({"examples": examples})),
        "tf_is_valid": lambda: v1.saved_model.is_valid_signature(valid),
    }
