"""Models the contract tests build with TensorFlow: a TF1 Builder model, `tf.saved_model.save`
of a tf.Module, and a Keras `model.export`. Each has dense inputs of several dtypes and ranks."""

from __future__ import annotations

from pathlib import Path


def build_tf_models(root: Path) -> dict[str, Path]:
    import tensorflow as tf

    dirs = {"tf1_builder": root / "tf1_builder", "tf2_module": root / "tf2_module", "keras_export": root / "keras_export"}
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default(), v1.Session(graph=graph) as session:
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        ids = v1.placeholder(tf.int64, [None], name="ids")
        words = v1.placeholder(tf.string, [None], name="words")
        flags = v1.placeholder(tf.bool, [None, 2], name="flags")
        y = tf.reduce_sum(x, axis=1) + tf.cast(ids, tf.float32) + tf.reduce_sum(tf.cast(flags, tf.float32), axis=1)
        length = tf.strings.length(words)
        info = v1.saved_model.utils.build_tensor_info
        signature = v1.saved_model.signature_def_utils.predict_signature_def(
            {"x": x, "ids": ids, "words": words, "flags": flags}, {"y": y, "length": length}
        )
        single = v1.saved_model.signature_def_utils.build_signature_def({"x": info(x)}, {"sum": info(tf.reduce_sum(x, axis=1))}, "tensorflow/serving/predict")
        builder = v1.saved_model.Builder(str(dirs["tf1_builder"]))
        builder.add_meta_graph_and_variables(session, ["serve"], signature_def_map={"serving_default": signature, "single": single})
        builder.save()

    class Scale(tf.Module):
        def __init__(self) -> None:
            self.w = tf.Variable([[1.0], [2.0]])

        @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32, name="a"), tf.TensorSpec([None], tf.int32, name="k")])
        def __call__(self, a, k):  # type: ignore[no-untyped-def]
            return {"out": tf.matmul(a, self.w)[:, 0] + tf.cast(k, tf.float32)}

    module = Scale()
    tf.saved_model.save(module, str(dirs["tf2_module"]), signatures={"serving_default": module.__call__.get_concrete_function()})

    keras = tf.keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.export(str(dirs["keras_export"]), verbose=False)
    return dirs
