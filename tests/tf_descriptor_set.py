"""TF 2.21's FileDescriptorSet for SavedModel and every message it contains, taken from an
installed TensorFlow; `python tests/tf_descriptor_set.py` rewrites the blob in
runtime/tf_protos.py (then run sigdef-gen generate). tests/test_pbtxt.py checks it with TF."""

from __future__ import annotations

import base64
import re
import sys
import zlib
from pathlib import Path

MODULE = Path(__file__).resolve().parents[1] / "runtime" / "tf_protos.py"


def descriptor_set() -> bytes:
    """Serialized FileDescriptorSet of tensorflow/core/protobuf/saved_model.proto and its imports."""
    from google.protobuf import descriptor_pb2
    from tensorflow.core.protobuf import saved_model_pb2

    files: dict[str, descriptor_pb2.FileDescriptorProto] = {}

    def add(file: object) -> None:
        name = file.name  # type: ignore[attr-defined]
        if name in files:
            return
        for dependency in file.dependencies:  # type: ignore[attr-defined]
            add(dependency)
        proto = descriptor_pb2.FileDescriptorProto()
        file.CopyToProto(proto)  # type: ignore[attr-defined]
        files[name] = proto

    add(saved_model_pb2.DESCRIPTOR)
    return descriptor_pb2.FileDescriptorSet(file=list(files.values())).SerializeToString(deterministic=True)


def blob_lines(data: bytes) -> list[str]:
    text = base64.b64encode(zlib.compress(data, 9)).decode("ascii")
    return [f'    "{text[i:i + 80]}"' for i in range(0, len(text), 80)]


def main() -> None:
    source = MODULE.read_text(encoding="utf-8")
    block = "_BLOB = (\n" + "\n".join(blob_lines(descriptor_set())) + "\n)\n"
    new = re.sub(r"_BLOB = \(\n(?:.*?\n)?\)\n", lambda _: block, source, count=1, flags=re.S)
    MODULE.write_text(new, encoding="utf-8")
    print(f"rewrote {MODULE}", file=sys.stderr)


if __name__ == "__main__":
    main()
