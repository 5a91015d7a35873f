"""Small real models written by TensorFlow, for `inspect --all` against `saved_model_cli show --all`.

    python tests/tf_written_models.py record    # (needs TF) rewrite tests/data/tf_written_models/: each model's
                                        # saved_model.pb and saved_model_cli's output
    python tests/tf_written_models.py compare   # (needs TF) build them afresh (in one process); print
                                        # mismatches and a last line "compared N, mismatched M"

Models: a TF1 Builder model, `tf.saved_model.save` of tf.Modules (polymorphic functions
with many traces, control flow, a custom gradient, a lookup table, structured arguments)
and Keras exports (`model.export`, and `tf.saved_model.save` of a Keras model).
saved_model_cli's output has two parts whose order varies from run to run (its ops set, a
dict argument's protobuf map): `normalize` compares those as sets. Importing this module
does not import TensorFlow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "tf_written_models"
_OPS = re.compile(r"(The MetaGraph with tag set .* contains the following ops: )(.*)$")
_DICT = re.compile(r"^(\s*Value: \{)(.*)(, \x08\x08\})$")


def normalize(text: str) -> list[str]:
    """Lines of `show --all` output with the ops set and dict arguments' items sorted."""
    lines = []
    for line in text.rstrip("\n").split("\n"):
        ops = _OPS.match(line)
        if ops:
            found = re.findall(r"'((?:[^'\\]|\\.)*)'", ops.group(2))
            line = ops.group(1) + repr(sorted(found))
        items = _DICT.match(line)
        if items:
            line = items.group(1) + ", ".join(sorted(_top_level(items.group(2)))) + items.group(3)
        lines.append(line)
    return lines


def _top_level(text: str) -> list[str]:
    """`text` split at the commas outside brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


# --- the models (TensorFlow imported inside) --------------------------------------------


def tf1_builder(path: Path) -> None:
    import tensorflow as tf

    v1 = tf.compat.v1
    with tf.Graph().as_default(), v1.Session() as session:
        examples = v1.placeholder(tf.string, [None], name="examples")
        features = v1.placeholder(tf.float32, [None, 3], name="x")
        weights = v1.get_variable("w", [3, 2], initializer=v1.zeros_initializer())
        scores = tf.nn.softmax(tf.matmul(features, weights), name="scores")
        classes = tf.identity(tf.constant([["a", "b"]]), name="classes")
        session.run(v1.global_variables_initializer())
        builder = v1.saved_model.Builder(str(path))
        builder.add_meta_graph_and_variables(session, ["serve"], signature_def_map={
            "serving_default": v1.saved_model.predict_signature_def({"x": features}, {"scores": scores}),
            "classify": v1.saved_model.classification_signature_def(examples, classes, scores),
        })
        builder.save()


def tf2_module(path: Path) -> None:
    import tensorflow as tf

    class Model(tf.Module):
        def __init__(self) -> None:
            self.v = tf.Variable([1.0, 2.0, 3.0])

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
        def serve(self, x: Any) -> Any:
            return {"y": x * self.v}

        @tf.function
        def poly(self, a: Any, b: Any = 2, *, c: Any = None) -> Any:
            return tf.nest.flatten(a)[0] * 2

    model = Model()
    model.poly(tf.constant([1.0]), 3)
    model.poly(tf.constant([[1.0, 2.0]]), b=tf.constant(2.0), c=[1, "s"])
    model.poly({"k": tf.constant(1), "j": (tf.constant([1]), 4.5)})
    model.bare = model.serve.get_concrete_function()
    second = model.poly.get_concrete_function(tf.constant([1.0]), 3)
    tf.saved_model.save(model, str(path), signatures={"serving_default": model.serve, "second": second})


def tf2_structs(path: Path) -> None:
    """Control flow, a custom gradient and a lookup table (functions TF's loader renames in
    its own order), and structured arguments of every kind the object graph stores."""
    import collections

    import tensorflow as tf

    point = collections.namedtuple("Point", ["x", "y"])

    @tf.custom_gradient
    def clip_grad(x: Any) -> Any:
        return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)

    class Model(tf.Module):
        def __init__(self) -> None:
            self.v = tf.Variable(2.0)
            self.table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), -1)

        @tf.function
        def many(self, x: Any, flag: bool = True, name: str = "n", opt: Any = None) -> Any:
            if flag:
                y = tf.cond(tf.reduce_sum(x) > 0, lambda: x * self.v, lambda: x - 1.0)
            else:
                y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * 2.0), [0, x])[1]
            return clip_grad(y)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="keys")])
        def lookup(self, keys: Any) -> Any:
            return self.table.lookup(keys)

        @tf.function
        def structs(self, p: Any, lst: Any, rt: Any, sp: Any) -> Any:
            return p.x + lst[0]

    model = Model()
    for size in range(1, 6):
        model.many(tf.ones([size]))
    model.many(tf.ones([2]), flag=False)
    model.many(tf.ones([2, 2]), False, "other", opt=[1, 2])
    model.structs(point(tf.constant(1.0), tf.constant(2.0)), [tf.constant([1.0]), 3], tf.ragged.constant([[1.0], [2.0, 3.0]]),
                  tf.sparse.from_dense(tf.ones([2, 3])))
    tf.saved_model.save(model, str(path), signatures=model.lookup)


def tf2_plain(path: Path) -> None:
    import tensorflow as tf

    module = tf.Module()
    module.f = tf.function(lambda x: x + 1.0)
    for value in (1.0, [1.0, 2.0], [[1.0]]):
        module.f(tf.constant(value))
    module.g = tf.function(lambda: tf.constant(1))
    module.g()
    tf.saved_model.save(module, str(path))


def _keras_sequential() -> Any:
    import keras

    return keras.Sequential([keras.Input((4,)), keras.layers.Normalization(mean=0.0, variance=1.0), keras.layers.Dense(3, activation="softmax")])


def keras_export(path: Path) -> None:
    _keras_sequential().export(str(path))


def keras_multi(path: Path) -> None:
    import keras

    inputs = {"a": keras.Input(shape=(3,), name="a"), "b": keras.Input(shape=(2,), name="b", dtype="int32")}
    joined = keras.layers.Concatenate()([inputs["a"], keras.ops.cast(inputs["b"], "float32")])
    keras.Model(inputs, {"y": keras.layers.Dense(1, name="y")(joined), "z": keras.layers.Dense(2, name="z")(joined)}).export(str(path))


def keras_tf_save(path: Path) -> None:
    import tensorflow as tf

    tf.saved_model.save(_keras_sequential(), str(path))


MODELS: dict[str, Callable[[Path], None]] = {
    "tf1_builder": tf1_builder,
    "tf2_module": tf2_module,
    "tf2_structs": tf2_structs,
    "tf2_plain": tf2_plain,
    "keras_export": keras_export,
    "keras_multi": keras_multi,
    "keras_tf_save": keras_tf_save,
}


def saved_model_cli(model: Path) -> str:
    """`saved_model_cli show --dir MODEL --all` in a fresh process (as users run it)."""
    cli = Path(sys.executable).with_name("saved_model_cli")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0"}
    return subprocess.run([str(cli), "show", "--dir", str(model), "--all"], capture_output=True, text=True, check=True, env=env).stdout


def sigdef_inspect(model: Path) -> str:
    return subprocess.run([sys.executable, "-m", "sigdef", "inspect", "--dir", str(model), "--all"], capture_output=True, text=True, check=True).stdout


def _build_all(directory: Path) -> None:
    """Every model under `directory`, in one fresh process (TF imported there only)."""
    code = f"import sys, pathlib; sys.path.insert(0, {str(Path(__file__).parent)!r}); import tf_written_models; [build(pathlib.Path({str(directory)!r}) / name) for name, build in tf_written_models.MODELS.items()]"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})


def record() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _build_all(Path(tmp))
        for name in MODELS:
            model, target = Path(tmp) / name, DATA / name
            target.mkdir(parents=True, exist_ok=True)
            (target / "saved_model.pb").write_bytes((model / "saved_model.pb").read_bytes())
            (DATA / f"{name}.show_all.txt").write_text(saved_model_cli(model), encoding="utf-8")
            print(f"recorded {name}")


def compare() -> None:
    mismatched = 0
    with tempfile.TemporaryDirectory() as tmp:
        _build_all(Path(tmp))
        for name in MODELS:
            model = Path(tmp) / name
            theirs, mine = normalize(saved_model_cli(model)), normalize(sigdef_inspect(model))
            if theirs != mine:
                mismatched += 1
                print(f"{name}: sigdef and saved_model_cli differ")
                print("\n".join(f"  - {a!r}\n  + {b!r}" for a, b in zip(theirs, mine) if a != b) or f"  {len(theirs)} vs {len(mine)} lines")
    print(f"compared {len(MODELS)}, mismatched {mismatched}")


if __name__ == "__main__":
    {"record": record, "compare": compare}[sys.argv[1]]()
