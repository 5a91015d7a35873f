"""TensorFlow's messages taken as sigdef's own, and back, by wire bytes.

sigdef's protos (proto package `sigdef.tensorflow`) have TensorFlow's message names and
field numbers, so a `tensorflow.X` message from any class (TensorFlow's own, TF Serving's,
any other descriptor pool) has the same bytes as sigdef's `sigdef.tensorflow.X`. Every
sigdef entry point that takes a message passes it through `coerce` (one place, keyed by
descriptor full name); `convert` is the documented way back, e.g. into TF's classes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from google.protobuf.message import Message

__all__ = ["convert", "coerce", "copy_into", "same_type"]

M = TypeVar("M", bound=Message)

_OURS = "sigdef."  # sigdef's proto package is TensorFlow's, under this prefix


def _tf_name(full_name: str) -> str:
    return full_name[len(_OURS) :] if full_name.startswith(_OURS) else full_name


def same_type(value: object, cls: type[Message]) -> bool:
    """Whether `value` is a protobuf message of `cls`'s TensorFlow type (`tensorflow.X`
    and `sigdef.tensorflow.X` alike), whatever its class or descriptor pool."""
    return isinstance(value, Message) and _tf_name(value.DESCRIPTOR.full_name) == _tf_name(cls.DESCRIPTOR.full_name)


def coerce(value: Any, cls: type[M]) -> Any:
    """`value` as a `cls`: itself when it already is one (no copy), parsed from its bytes
    when it is the same TensorFlow type from another class; anything else unchanged, so
    that the caller's own protobuf call raises protobuf's error for it, as TF's does."""
    if type(value) is cls or not same_type(value, cls):
        return value
    return cls.FromString(value.SerializeToString())


def copy_into(target: Message, value: Any) -> None:
    """`target.CopyFrom(value)`, also when `value` is the same TensorFlow type from another
    class (by wire bytes); anything else raises protobuf's TypeError, target unchanged."""
    if type(value) is type(target) or not same_type(value, type(target)):
        target.CopyFrom(value)
        return
    data = value.SerializeToString()
    target.Clear()
    target.MergeFromString(data)


def convert(message: Message, target: type[M]) -> M:
    """A new `target` message holding `message`, for messages of the same TensorFlow type
    in two classes: sigdef's into TensorFlow's (`convert(sig, meta_graph_pb2.SignatureDef)`
    for `MetaGraphDef.signature_def[k].CopyFrom`, `tf.compat.v1.saved_model.Builder`,
    `tensorflow_serving.apis`), TensorFlow's into sigdef's, or any other pair.

    Raises TypeError when `message` is not a message of `target`'s type."""
    if not isinstance(target, type) or not issubclass(target, Message):
        raise TypeError(f"convert: target must be a protobuf message class, got {target!r}")
    if not same_type(message, target):
        got = message.DESCRIPTOR.full_name if isinstance(message, Message) else type(message).__name__
        raise TypeError(f"convert: cannot convert {got} to {target.DESCRIPTOR.full_name}")
    return target.FromString(message.SerializeToString())
