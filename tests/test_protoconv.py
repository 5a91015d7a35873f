"""TensorFlow's messages taken as sigdef's own (by wire bytes), and `sigdef.protos.convert`.

Other classes of TF's types come from tests/foreign_protos.py (sigdef's messages registered
again under TF's proto package `tensorflow`, in another descriptor pool), so these run
without TensorFlow; tf_differential.py does the same with TF's own classes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import sigdef
from sigdef import protoconv, protos, savedmodel
from sigdef.protos import MetaGraphDef, SavedModel, SignatureDef, TensorInfo, TensorProto, TensorShapeProto

sys.path.insert(0, str(Path(__file__).parent))
from foreign_protos import foreign_class  # noqa: E402

TFTensorInfo = foreign_class(TensorInfo)
TFSignatureDef = foreign_class(SignatureDef)
TFTensorProto = foreign_class(TensorProto)


def _tf_info(name: str = "x:0") -> object:
    return TFTensorInfo.FromString(sigdef.build_tensor_info(sigdef.tensor(name, "float32", [None, 3])).SerializeToString())


def test_foreign_classes_are_tensorflow_types_of_another_class() -> None:
    assert TFTensorInfo.DESCRIPTOR.full_name == "tensorflow.TensorInfo" and TFTensorInfo is not TensorInfo
    with pytest.raises(TypeError):
        TensorInfo().CopyFrom(_tf_info())  # what sigdef did before: protobuf refuses it


def test_build_signature_def_takes_tensorflow_tensor_infos() -> None:
    x, y = sigdef.tensor("x:0", "float32", [None, 3]), sigdef.tensor("y:0", "string", None)
    expected = sigdef.build_signature_def({"x": sigdef.build_tensor_info(x)}, {"y": sigdef.build_tensor_info(y)}, "m")
    theirs = {name: TFTensorInfo.FromString(sigdef.build_tensor_info(t).SerializeToString()) for name, t in (("x", x), ("y", y))}
    got = sigdef.build_signature_def({"x": theirs["x"]}, {"y": theirs["y"]}, "m")
    assert got.SerializeToString(deterministic=True) == expected.SerializeToString(deterministic=True)


def test_other_messages_still_get_protobufs_error() -> None:
    with pytest.raises(TypeError, match=r"expected <class 'sigdef\.protos\.meta_graph_pb2\.TensorInfo'> got <class 'tensorflow\.SignatureDef'>|must be instance of same class"):
        sigdef.build_signature_def({"x": TFSignatureDef()})


def test_operation_value_and_defaults_take_a_tensorflow_tensor_proto() -> None:
    value = sigdef.constant([1.5, 2.5], "float32").op.get_attr("value")
    theirs = TFTensorProto.FromString(value.SerializeToString())
    const = sigdef.Tensor("c:0", "float32", [2], op=sigdef.Operation("c", "Const", value=theirs))
    assert type(const.op.get_attr("value")) is TensorProto and const.op.get_attr("value") == value
    assert sigdef.build_signature_def(defaults={"c": const}).defaults["c"] == value


def test_set_signature_and_graph_ops_take_tensorflow_messages(tmp_path: Path) -> None:
    from sigdef.protos.graph_pb2 import GraphDef
    from sigdef.protos.node_def_pb2 import NodeDef

    meta = MetaGraphDef(graph_def=GraphDef(node=[NodeDef(name="a", op="Placeholder")]).SerializeToString())
    meta.meta_info_def.tags.append("serve")
    model = SavedModel(meta_graphs=[meta])
    sig = sigdef.predict_signature_def({"x": sigdef.tensor("x:0", "float32")}, {"y": sigdef.tensor("y:0", "float32")})
    savedmodel.set_signature(model, "serve", "theirs", TFSignatureDef.FromString(sig.SerializeToString()))
    assert model.meta_graphs[0].signature_def["theirs"] == sig
    tf_model = foreign_class(SavedModel).FromString(model.SerializeToString())
    savedmodel.set_signature(tf_model, "serve", "ours", sig)  # into TensorFlow's SavedModel, too
    assert protos.convert(tf_model.meta_graphs[0].signature_def["ours"], SignatureDef) == sig
    assert savedmodel.graph_ops(tf_model.meta_graphs[0]) == savedmodel.graph_ops(model.meta_graphs[0]) == {"Placeholder"}
    with pytest.raises(TypeError):
        savedmodel.set_signature(model, "serve", "bad", TFTensorInfo())


def test_tensor_shapes_take_tensor_shape_protos_of_any_class() -> None:
    theirs = foreign_class(TensorShapeProto)
    assert sigdef.tensor("x:0", "float32", theirs(dim=[theirs.Dim(size=-1), theirs.Dim(size=3)])).shape.dims == (None, 3)
    assert sigdef.tensor("x:0", "float32", TensorShapeProto(unknown_rank=True)).shape.dims is None


def test_coerce_keeps_sigdef_messages_and_converts_others() -> None:
    info = sigdef.build_tensor_info(sigdef.tensor("x:0", "float32", [2]))
    assert protoconv.coerce(info, TensorInfo) is info  # the fast path: no copy
    theirs = protoconv.coerce(TFTensorInfo.FromString(info.SerializeToString()), TensorInfo)
    assert type(theirs) is TensorInfo and theirs == info
    assert protoconv.coerce(3, TensorInfo) == 3  # left for protobuf to refuse


def test_convert_goes_both_ways_and_names_what_it_cannot_convert() -> None:
    sig = sigdef.regression_signature_def(sigdef.tensor("e:0", "string", [None]), sigdef.tensor("p:0", "float32", [None]))
    theirs = protos.convert(sig, TFSignatureDef)
    assert type(theirs) is TFSignatureDef and theirs.SerializeToString(deterministic=True) == sig.SerializeToString(deterministic=True)
    back = protos.convert(theirs, SignatureDef)
    assert back == sig and back is not sig
    with pytest.raises(TypeError, match=r"^convert: cannot convert sigdef\.tensorflow\.SignatureDef to tensorflow\.TensorInfo$"):
        protos.convert(sig, TFTensorInfo)
    with pytest.raises(TypeError, match=r"^convert: cannot convert dict to sigdef\.tensorflow\.SignatureDef$"):
        protos.convert({}, SignatureDef)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="target must be a protobuf message class"):
        protos.convert(sig, dict)  # type: ignore[arg-type]
