"""Differential run against real TensorFlow (needs TF; test_real_tensorflow.py runs it).

Every builder (the supervised ones included) and export output is called on every combination of argument kinds (None,
Python values, dense tensors of four dtypes and three shapes, sparse tensors, ref and
resource variables), three ways: sigdef on sigdef tensor-likes, sigdef on TF's own graph
objects, and TF. Results must match: the same bytes, or the same error type and message
(for sigdef tensor-likes, class names and tensor reprs in messages name sigdef's classes).
Then random `build_signature_def` calls (seeded), given the same arguments on both sides:
TF's own TensorInfo protos (dense, sparse, ragged, of an op), sigdef's TensorInfos, TF graph
constants and eager tensors as defaults, and wrong values of every kind (tensors where
TensorInfos go, other messages, bad keys and method names), in graph mode and in eager
mode; and every builder on eager tensors in eager mode. Results must be the same bytes, or
the same error type and message (only the class that protobuf's CopyFrom names differs).
Prints the mismatches and a last line "checked N, mismatched M".
"""

from __future__ import annotations

import itertools
import random
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


def _class_blind(message: str) -> str:
    return re.sub(r"<class '[^']*'>", "<class>", message)


def _same_call(mine: tuple[str, Any], theirs: tuple[str, Any]) -> bool:
    """Same bytes, or the same error up to the class protobuf's CopyFrom names as expected."""
    return mine == theirs or (mine[0] == theirs[0] != "ok" and _class_blind(mine[1]) == _class_blind(theirs[1]))


def _random_build_calls(rng: random.Random, values: list[Any], defaults: list[Any], count: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(sigdef's arguments, TF's arguments): the same, but where a value is a pair (sigdef's
    own TensorInfo, TF's equal one), each side gets its own."""
    keys: list[Any] = ["a", "b", "é", b"c"] * 8 + [b"\xff", 1, None]  # bad keys now and then
    methods: list[Any] = [None, "tensorflow/serving/predict", "", "é", b"bytes", 5]

    def mapping(pool: list[Any], size: int) -> tuple[dict[Any, Any] | None, dict[Any, Any] | None]:
        if rng.random() < 0.2:
            return None, None
        chosen = {rng.choice(keys): rng.choice(pool) for _ in range(rng.randrange(size))}
        sides = {k: v if isinstance(v, tuple) else (v, v) for k, v in chosen.items()}
        return {k: v[0] for k, v in sides.items()}, {k: v[1] for k, v in sides.items()}

    calls = []
    for _ in range(count):
        inputs, outputs, method_name, defaults_map = mapping(values, 4), mapping(values, 4), rng.choice(methods), mapping(defaults, 3)
        calls.append(tuple({"inputs": inputs[i], "outputs": outputs[i], "method_name": method_name, "defaults": defaults_map[i]} for i in (0, 1)))
    return calls  # type: ignore[return-value]


def _tensor_info_pools() -> tuple[list[Any], list[Any]]:
    """TensorInfo-map values and defaults, as TF objects (in the current graph); sigdef's
    own TensorInfos as (sigdef's, TF's) pairs."""
    from tensorflow.core.protobuf import meta_graph_pb2
    from tensorflow.python.saved_model import utils_impl

    utils = v1.saved_model.utils
    dense = v1.placeholder(tf.float32, [None, 3], name="dense")
    sparse = v1.sparse_placeholder(tf.int64, [None, 4], name="sparse")
    ragged = tf.RaggedTensor.from_row_splits(v1.placeholder(tf.string, [None], name="rv"), v1.placeholder(tf.int64, [None], name="rs"))
    infos = [utils.build_tensor_info(t) for t in (dense, sparse, ragged)] + [utils_impl.build_tensor_info_from_op(tf.no_op(name="init"))]
    values: list[Any] = (infos + [(sigdef.protos.convert(i, sigdef.TensorInfo), i) for i in infos]) * 4
    values += [dense, None, 3, "x", meta_graph_pb2.SignatureDef(), meta_graph_pb2.TensorInfo()]  # wrong now and then
    graph_constants = [tf.constant(1.5), tf.constant([1, 2, 3], tf.int64), tf.constant([["a", "bc"]])]
    return values, graph_constants + [dense, sparse, 3, None]


def _eager_defaults() -> list[Any]:
    """Eager tensors of many dtypes and shapes (made outside any graph)."""
    made = [tf.constant(v, d) for v, d in (
        (1.5, tf.float32), ([1.5, -2.0], tf.float32), ([1, 2], tf.int32), ([[1, 2]], tf.int64), (["x", "yz"], tf.string),
        (b"q", tf.string), (3.0, tf.float64), ([True, False], tf.bool), ([1, 2], tf.uint16), ([1.5, 2], tf.float16),
        ([1.5, 2], tf.bfloat16), ([1 + 2j, 3], tf.complex64), ([], tf.float32), ([7], tf.uint8), ([[1], [2]], tf.int8),
    )]
    return made


def _build_calls(calls: list[tuple[dict[str, Any], dict[str, Any]]]) -> tuple[int, int]:
    checked = mismatched = 0
    kinds: dict[str, int] = {}
    for ours, theirs_args in calls:
        theirs = _outcome(lambda: v1.saved_model.build_signature_def(**theirs_args))
        mine = _outcome(lambda: sigdef.build_signature_def(**ours))
        kinds[theirs[0]] = kinds.get(theirs[0], 0) + 1
        checked += 1
        if not _same_call(mine, theirs):
            mismatched += 1
            print(f"build_signature_def {ours}:\n  sigdef: {mine}\n  TF:     {theirs}")
    print(f"{checked} random build_signature_def calls, TF's outcomes: {dict(sorted(kinds.items()))}")
    return checked, mismatched


def _eager_builder_calls(eager: list[Any]) -> tuple[int, int]:
    """Every builder on eager tensors, in eager mode: TF refuses them, and so must sigdef."""
    checked = mismatched = 0
    for label, arity, mine, theirs in _calls():
        for args in itertools.product(eager[:3] + [None], repeat=arity):
            got, expected = _outcome(lambda: mine(*args)), _outcome(lambda: theirs(*args))
            checked += 1
            if not _same_call(got, expected):
                mismatched += 1
                print(f"eager {label}{args}:\n  sigdef: {got}\n  TF:     {expected}")
    return checked, mismatched


def main() -> None:
    checked = mismatched = 0
    eager = _eager_defaults()
    rng = random.Random(2026)
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
        values, defaults = _tensor_info_pools()
        for counts in (_build_calls(_random_build_calls(rng, values, defaults + eager, 3000)),):
            checked, mismatched = checked + counts[0], mismatched + counts[1]
    for counts in (_build_calls(_random_build_calls(rng, values[:32], eager + [3, None], 500)), _eager_builder_calls(eager)):
        checked, mismatched = checked + counts[0], mismatched + counts[1]
    print(f"checked {checked}, mismatched {mismatched}")


if __name__ == "__main__":
    main()
