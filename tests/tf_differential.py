"""Differential run against real TensorFlow (needs TF; test_real_tensorflow.py runs it).

Every builder (the supervised ones included) and export output is called on every combination of argument kinds (None,
Python values, dense tensors of four dtypes and three shapes, sparse tensors, ref and
resource variables), three ways: sigdef on sigdef tensor-likes, sigdef on TF's own graph
objects, and TF. Results must match: the same bytes, or the same error type and message
(for sigdef tensor-likes, class names and tensor reprs in messages name sigdef's classes).
Prints the mismatches and a last line "checked N, mismatched M".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import tensorflow as tf
from tensorflow.python.saved_model import signature_def_utils_impl
from tensorflow.python.saved_model.model_utils import export_output

import sigdef

v1 = tf.compat.v1
DTYPES = {"string": tf.string, "float32": tf.float32, "float64": tf.float64, "int64": tf.int64}
KINDS = [("none", ""), ("int", ""), ("str", "")] + [
    (kind, dtype) for kind in ("dense", "scalar", "unknown_rank", "sparse", "ref_variable", "variable") for dtype in DTYPES
]


def _pair(kind: str, dtype: str, name: str) -> tuple[Any, Any]:
    """The same argument as a sigdef object and as a TF graph object."""
    tf_dtype = DTYPES.get(dtype)
    if kind == "none":
        return None, None
    if kind == "int":
        return 3, 3
    if kind == "str":
        return "x", "x"
    if kind in ("dense", "scalar", "unknown_rank"):
        shape = {"dense": [None, 2], "scalar": [], "unknown_rank": None}[kind]
        return sigdef.tensor(f"{name}:0", dtype, shape), v1.placeholder(tf_dtype, shape, name=name)
    if kind == "sparse":
        return sigdef.sparse_tensor(name, dtype, [None, 5]), v1.sparse_placeholder(tf_dtype, [None, 5], name=name)
    initial = tf.constant(["a", "b"]) if dtype == "string" else tf.zeros([2], tf_dtype)
    ref = kind == "ref_variable"
    return sigdef.variable(f"{name}:0", dtype, [2], ref=ref), v1.Variable(initial, name=name, use_resource=not ref)


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", call().SerializeToString(deterministic=True)
    except Exception as error:  # noqa: BLE001 - the error itself is what is compared
        return type(error).__name__, str(error)


def _sigdef_names(message: str) -> str:
    """A message with class names and tensor reprs blanked (they name sigdef's classes)."""
    return re.sub(r"<class '[^']*'>", "<class>", re.sub(r"(Sparse)?Tensor\([^)]*\)(, [^)]*\))?", "T", message))


def _same(mine: tuple[str, Any], theirs: tuple[str, Any], *, exact: bool) -> bool:
    if mine == theirs:
        return True
    errors = mine[0] != "ok" and theirs[0] != "ok" and mine[0] == theirs[0]
    return errors and not exact and _sigdef_names(mine[1]) == _sigdef_names(theirs[1])


def _calls() -> list[tuple[str, int, Callable[..., Any], Callable[..., Any]]]:
    """(label, arity, sigdef call, TF call): each takes the arguments of one combination."""
    def receivers(value: Any) -> dict[str, Any]:
        return {} if value is None else {"examples": value}

    def mapping(value: Any) -> dict[str, Any] | None:
        return None if value is None else {"k": value}

    def supervised(build: Callable[..., Any]) -> Callable[..., Any]:
        return lambda i, l, p: build(mapping(i), mapping(l), mapping(p), mapping(l))

    def output(cls: Any) -> Callable[..., Any]:  # metrics: (value, update op) pairs
        return lambda l, p, m: cls(loss=l, predictions=p, metrics=None if m is None else {"m": (m, l)}).as_signature_def({"x": p})

    return [
        ("supervised_train_signature_def", 3, supervised(sigdef.supervised_train_signature_def), supervised(signature_def_utils_impl.supervised_train_signature_def)),
        ("supervised_eval_signature_def", 3, supervised(sigdef.supervised_eval_signature_def), supervised(signature_def_utils_impl.supervised_eval_signature_def)),
        ("TrainOutput", 3, output(sigdef.TrainOutput), output(export_output.TrainOutput)),
        ("EvalOutput", 3, output(sigdef.EvalOutput), output(export_output.EvalOutput)),
        ("classification_signature_def", 3, sigdef.classification_signature_def, v1.saved_model.classification_signature_def),
        ("regression_signature_def", 2, sigdef.regression_signature_def, v1.saved_model.regression_signature_def),
        ("predict_signature_def", 2, lambda a, b: sigdef.predict_signature_def({"a": a}, {"b": b}),
         lambda a, b: v1.saved_model.predict_signature_def({"a": a}, {"b": b})),
        ("ClassificationOutput", 3, lambda s, c, r: sigdef.ClassificationOutput(scores=s, classes=c).as_signature_def(receivers(r)),
         lambda s, c, r: export_output.ClassificationOutput(scores=s, classes=c).as_signature_def(receivers(r))),
        ("RegressionOutput", 2, lambda v, r: sigdef.RegressionOutput(value=v).as_signature_def(receivers(r)),
         lambda v, r: export_output.RegressionOutput(value=v).as_signature_def(receivers(r))),
        ("PredictOutput", 2, lambda v, r: sigdef.PredictOutput({"a": v, "b": r}).as_signature_def({"x": r}),
         lambda v, r: export_output.PredictOutput({"a": v, "b": r}).as_signature_def({"x": r})),
    ]


def main() -> None:
    checked = mismatched = 0
    with tf.Graph().as_default():
        pairs = {kind: _pair(*kind, name=f"a{i}") for i, kind in enumerate(KINDS)}
        for label, arity, mine, theirs in _calls():
            for combo in itertools.product(KINDS, repeat=arity):
                ours = [pairs[k][0] for k in combo]
                tfs = [pairs[k][1] for k in combo]
                expected = _outcome(lambda: theirs(*tfs))
                for how, got, exact in (("sigdef objects", _outcome(lambda: mine(*ours)), False),
                                        ("TF objects", _outcome(lambda: mine(*tfs)), True)):
                    checked += 1
                    if not _same(got, expected, exact=exact):
                        mismatched += 1
                        print(f"{label} {combo} on {how}:\n  sigdef: {got}\n  TF:     {expected}")
    print(f"checked {checked}, mismatched {mismatched}")


if __name__ == "__main__":
    main()
