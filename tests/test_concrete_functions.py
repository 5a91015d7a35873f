"""`inspect --all` on TF2 models: the Concrete Functions section, TF-free.

Recorded fixtures (tests/data/tf_written_models/, written by `python tests/tf_written_models.py record`
with TF 2.21: each model's saved_model.pb and saved_model_cli's output) run without TF;
test_real_tensorflow.py builds the same models afresh where TF is installed. TF Serving's own
test-data models are compared with saved_model_cli where TF is installed and
SIGDEF_TF_SERVING_TESTDATA names a copy of its `servables/tensorflow/testdata` directory
(the repository does not carry other projects' files)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import sys
from pathlib import Path

import pytest

from sigdef import cli, functions, savedmodel
from sigdef.protos import MetaGraphDef, SavedModel
from sigdef.protos.graph_pb2 import GraphDef
from sigdef.protos.saved_object_graph_pb2 import SavedObjectGraph
from sigdef.protos.struct_pb2 import StructuredValue

sys.path.insert(0, str(Path(__file__).parent))
from foreign_protos import foreign_class  # noqa: E402
from tf_written_models import DATA, MODELS, normalize, saved_model_cli  # noqa: E402

MODEL_NAMES = sorted(MODELS)


def _inspect_all(model: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["inspect", "--dir", str(model), "--all"]) == 0
    return out.getvalue()


RECORDED = [DATA / name for name in MODEL_NAMES]
SERVING = os.environ.get("SIGDEF_TF_SERVING_TESTDATA", "")
SERVING_MODELS = sorted(p.parent for p in Path(SERVING).glob("*/*/saved_model.pb")) if SERVING else []


@pytest.mark.parametrize("model", RECORDED, ids=lambda p: p.name)
def test_recorded_models_show_as_saved_model_cli(model: Path) -> None:
    expected = model.with_name(f"{model.name}.show_all.txt").read_text(encoding="utf-8")
    assert normalize(_inspect_all(model)) == normalize(expected)


@pytest.mark.skipif(not SERVING_MODELS or importlib.util.find_spec("tensorflow") is None, reason="needs TensorFlow and SIGDEF_TF_SERVING_TESTDATA")
@pytest.mark.parametrize("model", SERVING_MODELS, ids=lambda p: p.parent.name)
def test_tf_serving_testdata_shows_as_saved_model_cli(model: Path) -> None:
    assert normalize(_inspect_all(model)) == normalize(saved_model_cli(model))


def test_fixtures_cover_tf2_functions_and_the_order_tf_loads_them_in() -> None:
    """The fixtures exercise what the section needs: options whose order is the loader's
    (not the saved names'), structured arguments, and a TF1 model without the section."""
    texts = {name: (DATA / f"{name}.show_all.txt").read_text(encoding="utf-8") for name in MODEL_NAMES}
    assert "Concrete Functions:" not in texts["tf1_builder"]
    assert all("Concrete Functions:" in t for n, t in texts.items() if n != "tf1_builder")
    for needle in ("Named Argument #1", "DType: dict", "DType: Point", "RaggedTensorSpec", "SparseTensorSpec", "DType: list", "DType: NoneType"):
        assert any(needle in t for t in texts.values()), needle
    reordered = []
    for name in MODEL_NAMES:
        meta_graph = savedmodel.read(DATA / name).meta_graphs[0]
        if not meta_graph.object_graph_def:
            continue
        graph = SavedObjectGraph.FromString(meta_graph.object_graph_def)
        names = functions.loaded_names(meta_graph, meta_graph.graph_def)
        assert names is not None
        for child in graph.nodes[0].children:
            saved = list(graph.nodes[child.node_id].function.concrete_functions)
            loaded = sorted(saved, key=lambda n: names[n])
            if loaded not in (saved, sorted(saved)):
                reordered.append(f"{name}.{child.local_name}")
    assert reordered  # e.g. tf2_structs.many: neither saved order nor saved names sorted


def test_pb_models_are_listed_from_a_model_read_without_graphs() -> None:
    model, ops = savedmodel.read_with_ops(DATA / "tf2_module")
    graphs = [mg.graph_def for mg in savedmodel.read(DATA / "tf2_module").meta_graphs]
    from sigdef import inspect

    assert inspect.show_all(model, ops, graphs) == _inspect_all(DATA / "tf2_module").rstrip("\n").split("\n")


def test_several_meta_graphs_cannot_be_loaded_by_tf_either() -> None:
    model = savedmodel.read(DATA / "tf2_plain")
    model.meta_graphs.add().CopyFrom(model.meta_graphs[0])
    model.meta_graphs[1].meta_info_def.tags[:] = ["train"]
    lines = functions.concrete_functions(model)
    assert lines == ["", "Concrete Functions: N/A (could not be listed due to unknown reasons)"]


def test_a_function_library_tf_refuses_gives_na() -> None:
    meta_graph = MetaGraphDef()
    graph = GraphDef()
    for name, calls in (("__inference_a_1", "__inference_b_2"), ("__inference_b_2", "__inference_a_1")):
        function = graph.library.function.add()
        function.signature.name = name
        function.node_def.add(name="call", op=calls)
    assert functions.loaded_names(meta_graph, graph.SerializeToString()) is None  # a cycle


def test_loaded_names_replay_tf_uid_counter() -> None:
    """Graph 0, suffix 1; then per function: its graph, one uid per tensor, its name."""
    graph = GraphDef()
    first = graph.library.function.add()
    first.signature.name = "__inference_f_10"
    first.signature.input_arg.add(name="x")
    first.node_def.add(name="y", op="Identity")
    second = graph.library.function.add()
    second.signature.name = "plain_name"
    names = functions.loaded_names(MetaGraphDef(), graph.SerializeToString())
    # ready list [f_10, plain_name], taken last first: plain_name gets graph 2, name 3;
    # f_10 graph 4, placeholder 5, Identity 6 (no op list: one output), name 7.
    assert names == {"plain_name": "__inference_plain_name_3", "__inference_f_10": "__inference_f_7"}


def _value(text: str) -> object:
    from google.protobuf import text_format

    return functions.decode(text_format.Parse(text, StructuredValue()))


def test_decoded_values_print_as_tf_objects() -> None:
    spec = _value("tensor_spec_value { name: 'x' shape { dim { size: -1 } dim { size: 3 } } dtype: DT_FLOAT }")
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"
    assert repr(_value("tensor_spec_value { shape { dim { size: 2 } } dtype: DT_STRING }")) == "TensorSpec(shape=(2,), dtype=tf.string, name=None)"
    assert repr(_value("tensor_spec_value { shape { unknown_rank: true } dtype: DT_INT64 }")) == "TensorSpec(shape=<unknown>, dtype=tf.int64, name=None)"
    ragged = _value(
        "type_spec_value { type_spec_class: RAGGED_TENSOR_SPEC type_spec_class_name: 'RaggedTensorSpec' type_state { tuple_value {"
        " values { tensor_shape_value { dim { size: 2 } dim { size: -1 } } } values { tensor_dtype_value: DT_FLOAT }"
        " values { int64_value: 1 } values { tensor_dtype_value: DT_INT64 } } } }"
    )
    assert repr(ragged) == "RaggedTensorSpec(TensorShape([2, None]), tf.float32, 1, tf.int64)"
    assert type(ragged).__name__ == "RaggedTensorSpec"
    point = _value("named_tuple_value { name: 'Point' values { key: 'x' value { int64_value: 1 } } values { key: 'y' value { none_value {} } } }")
    assert repr(point) == "Point(x=1, y=None)"
    assert str(_value("tensor_dtype_value: DT_HALF")) == "<dtype: 'float16'>"
    assert _value("dict_value { fields { key: 'b' value { bool_value: true } } fields { key: 'a' value { string_value: 's' } } }") == {"a": "s", "b": True}


def test_a_tensorflow_saved_model_message_is_shown_the_same() -> None:
    """A `tensorflow.SavedModel` of another class (TF's, here from another pool) shows as
    sigdef's own: its graph_def and object graph are messages there, bytes in sigdef's."""
    from sigdef import inspect

    model = savedmodel.read(DATA / "tf2_module")
    theirs = foreign_class(SavedModel).FromString(model.SerializeToString())
    ops = [savedmodel.graph_ops(mg) for mg in model.meta_graphs]
    assert [savedmodel.graph_ops(mg) for mg in theirs.meta_graphs] == ops
    assert inspect.show_all(theirs, ops) == inspect.show_all(model, ops)
    assert any("Function Name: 'poly'" in line for line in inspect.show_all(theirs, ops))


@pytest.mark.parametrize("field", ["object_graph_def", "graph_def"])
def test_a_corrupt_object_graph_or_library_lists_na_as_tf_fails_to_load_it(field: str) -> None:
    model = savedmodel.read(DATA / "tf2_module")
    setattr(model.meta_graphs[0], field, b"\x0a\xff\xff\xff")  # a length running past the end
    assert functions.concrete_functions(model) == ["", "Concrete Functions: N/A (could not be listed due to unknown reasons)"]


def test_a_function_object_naming_a_function_the_library_lacks_lists_na() -> None:
    model = savedmodel.read(DATA / "tf2_plain")
    graph = SavedObjectGraph.FromString(model.meta_graphs[0].object_graph_def)
    next(n for n in graph.nodes if n.WhichOneof("kind") == "function").function.concrete_functions.append("__inference_gone_1")
    model.meta_graphs[0].object_graph_def = graph.SerializeToString()
    assert functions.concrete_functions(model) == ["", "Concrete Functions: N/A (could not be listed due to unknown reasons)"]
