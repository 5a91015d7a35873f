"""Tensor-likes keep what the builders encode from them: they are read-only, and what a
builder returns always matches the tensors it was given, however they are reused."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

import sigdef
from sigdef import tensors
from sigdef.protos import SignatureDef, TensorInfo


def _info(name: str, dtype: int, dims: list[int]) -> TensorInfo:
    info = TensorInfo(name=name, dtype=dtype)
    for size in dims:
        info.tensor_shape.dim.add(size=size)
    return info


@pytest.mark.parametrize(
    "make, attribute",
    [
        (lambda: sigdef.tensor("x:0", "float32", [None]), "name"),
        (lambda: sigdef.tensor("x:0", "float32", [None]), "dtype"),
        (lambda: sigdef.tensor("x:0", "float32", [None]), "shape"),
        (lambda: sigdef.tensor("x:0", "float32", [None]), "_encoded"),
        (lambda: sigdef.variable("v:0", "float32", [2]), "name"),
        (lambda: sigdef.tensor("x:0", "float32", [None]).shape, "dims"),
    ],
)
def test_tensor_likes_are_read_only(make: Any, attribute: str) -> None:
    value = make()
    before = getattr(value, attribute)
    with pytest.raises(AttributeError, match=f"{type(value).__name__}.{attribute} is read-only"):
        setattr(value, attribute, None)
    assert getattr(value, attribute) is before


def test_builder_output_follows_each_tensor_given() -> None:
    examples = sigdef.tensor("examples:0", "string", [None])
    scores = sigdef.tensor("scores:0", "float32", [None, 3])
    first = sigdef.classification_signature_def(examples, None, scores)
    other = sigdef.tensor("other:0", "string", [None, 2])
    second = sigdef.classification_signature_def(other, None, scores)
    assert first.inputs["inputs"] == _info("examples:0", 7, [-1])
    assert second.inputs["inputs"] == _info("other:0", 7, [-1, 2])
    assert second.outputs["scores"] == first.outputs["scores"] == _info("scores:0", 1, [-1, 3])


def test_one_tensor_under_more_keys_than_are_kept() -> None:
    x = sigdef.tensor("x:0", "float32", [None, 8])
    keys = [f"k{i}" for i in range(3 * tensors._KEYS_KEPT)]
    for _ in range(2):  # the second round reads kept entries and encodes the rest again
        sig = sigdef.predict_signature_def({k: x for k in keys}, {"y": x})
        assert sorted(sig.inputs) == sorted(keys)
        assert all(sig.inputs[k] == _info("x:0", 1, [-1, 8]) for k in keys)


def test_bytes_keys_and_bad_keys_go_through_protobuf() -> None:
    x = sigdef.tensor("x:0", "float32", [None])
    assert list(sigdef.predict_signature_def({b"raw": x}, {"y": x}).inputs) == ["raw"]
    with pytest.raises(TypeError):
        sigdef.predict_signature_def({1: x}, {"y": x})


@pytest.mark.parametrize(
    "clone",
    [copy.copy, copy.deepcopy, lambda value: pickle.loads(pickle.dumps(value))],
    ids=["copy", "deepcopy", "pickle"],
)
def test_copies_build_the_same_signature(clone: Any) -> None:
    x = sigdef.tensor("x:0", "float32", [None, 8])
    v = sigdef.variable("v:0", "float32", [8], ref=True)
    expected = sigdef.predict_signature_def({"x": x}, {"v": v})
    x2, v2 = clone(x), clone(v)
    assert (x2.name, x2.dtype, x2.shape.dims) == (x.name, x.dtype, x.shape.dims)
    assert sigdef.predict_signature_def({"x": x2}, {"v": v2}) == expected
    with pytest.raises(AttributeError):
        x2.name = "y:0"


def test_builders_return_independent_messages() -> None:
    examples = sigdef.tensor("examples:0", "string", [None])
    scores = sigdef.tensor("scores:0", "float32", [None])
    first = sigdef.classification_signature_def(examples, None, scores)
    first.inputs["inputs"].name = "changed:0"
    second = sigdef.classification_signature_def(examples, None, scores)
    assert second.inputs["inputs"].name == "examples:0"
    assert isinstance(second, SignatureDef)


def _tf_like(module: str) -> type:
    """A class named Tensor in `module`, as TF defines them (no TF needed)."""
    return type("Tensor", (), {"__module__": module})


def test_tf_variables_are_not_dense_tensors() -> None:
    """TF's variables derive from the abstract `types.core.Tensor` but are not `tf.Tensor`s,
    so builders reject them as TF does ("must be a string Tensor")."""
    core = _tf_like("tensorflow.python.types.core")
    ref_variable = type("RefVariable", (core,), {"__module__": "tensorflow.python.ops.ref_variable"})
    symbolic = type("SymbolicTensor", (_tf_like("tensorflow.python.framework.tensor"), core), {})
    assert not tensors.is_dense_tensor(ref_variable())
    assert tensors.is_dense_tensor(symbolic())
    with pytest.raises(ValueError, match="must be a string Tensor. Found `examples` of type <class '.*RefVariable'>"):
        sigdef.classification_signature_def(ref_variable(), None, sigdef.tensor("s:0", "float32", [None]))
