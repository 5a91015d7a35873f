"""sigdef's messages re-registered in another descriptor pool under TensorFlow's proto
package (`tensorflow.X`, as TF's and TF Serving's classes are): other classes of TF's types,
for tests that need them without TensorFlow."""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format

_POOL = descriptor_pool.DescriptorPool()
_ADDED: set[str] = set()


def _add(file: Any) -> None:
    if file.name in _ADDED:
        return
    _ADDED.add(file.name)
    for dependency in file.dependencies:
        _add(dependency)
    proto = descriptor_pb2.FileDescriptorProto()
    file.CopyToProto(proto)
    text = text_format.MessageToString(proto).replace("sigdef.tensorflow", "tensorflow").replace("sigdef/protos/", "tensorflow/core/")
    _POOL.Add(text_format.Parse(text, descriptor_pb2.FileDescriptorProto()))


def foreign_class(cls: Any) -> Any:
    """The class of `cls`'s message as `tensorflow.X` in a pool of its own."""
    _add(cls.DESCRIPTOR.file)
    name = cls.DESCRIPTOR.full_name.removeprefix("sigdef.")
    return message_factory.GetMessageClass(_POOL.FindMessageTypeByName(name))
