"""sigdef.textmodel: long string literals cut without changing the message; bounded memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sigdef import textmodel
from sigdef.protos import MetaGraphDef, SavedModel, SignatureDef


def _text_of(model: SavedModel) -> str:
    from google.protobuf import text_format

    return text_format.MessageToString(model, as_utf8=False)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=3000), st.text(min_size=1, max_size=3000))
def test_cut_keeps_the_message(content: bytes, name: str) -> None:
    """Any bytes (escaped as text_format escapes them: octal, \\\\, \\", \\') and any text
    (raw UTF-8), on lines longer than LONG_LINE, parse to the same message after _cut."""
    from google.protobuf import text_format

    model = SavedModel()
    meta = model.meta_graphs.add(graph_def=content * (textmodel.LONG_LINE // len(content) + 1))
    long_name = name * (textmodel.LONG_LINE // len(name) + 1)
    meta.signature_def[long_name].CopyFrom(SignatureDef(method_name=long_name))
    text = _text_of(model)
    cut = "".join(textmodel._cut(line) for line in text.splitlines(keepends=True))
    assert cut != text  # the long lines were cut
    again = SavedModel()
    text_format.Parse(cut, again)
    assert again == model


def test_long_line_is_cut_at_escape_boundaries() -> None:
    body = "\\303\\251" * textmodel.PIECE + "x\\\\" * textmodel.PIECE
    line = "graph_def: '" + body + "'  # a \"comment\"\n"
    cut = textmodel._cut(line)
    pieces = cut[len("graph_def: '") : cut.index("'  # a")].split("' '")
    assert len(pieces) > 4 and "".join(pieces) == body
    assert all(len(p) <= textmodel.PIECE for p in pieces)
    assert cut.endswith("'  # a \"comment\"\n")
    from google.protobuf import text_format

    whole, pieced = MetaGraphDef(), MetaGraphDef()
    text_format.Parse(line, whole)
    text_format.Parse(cut, pieced)
    assert pieced == whole and whole.graph_def == "é".encode() * textmodel.PIECE + b"x\\" * textmodel.PIECE


def test_read_long_literals_in_bounded_memory(tmp_path: Path) -> None:
    """An 18 MB pbtxt that is one escaped literal (a Const's tensor_content) on one line:
    the Python heap peaks within a small multiple of the file size (about 5x: the line,
    its cut copy, the bytes; it was ~35x before literals were cut)."""
    import tracemalloc

    from google.protobuf import text_format

    from sigdef.tf_protos import saved_model_class

    full = saved_model_class()()
    node = full.meta_graphs.add().graph_def.node.add(name="c", op="Const")
    node.attr["value"].tensor.tensor_content = os.urandom(6 << 20)
    path = tmp_path / "saved_model.pbtxt"
    path.write_text(text_format.MessageToString(full))
    fd = os.open(path, os.O_RDONLY)
    tracemalloc.start()
    try:
        data = textmodel.from_text(fd)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        os.close(fd)
    assert data == full.SerializeToString(deterministic=True)
    assert peak < 6 * path.stat().st_size, (peak, path.stat().st_size)


def _from_text(path: Path) -> tuple[bytes, int]:
    """from_text of a file, and the Python heap's peak while it ran."""
    import tracemalloc

    fd = os.open(path, os.O_RDONLY)
    tracemalloc.start()
    try:
        return textmodel.from_text(fd), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        os.close(fd)


def test_long_lines_without_literals_stay_small(tmp_path: Path) -> None:
    """64 MB of blanks, a 17 MB comment line, then a model: the blanks cost nothing, the
    comment (quote marks in it keep the line whole) about twice its size; a 2 MB token is
    refused with its line."""
    path = tmp_path / "saved_model.pbtxt"
    with path.open("w") as handle:
        handle.write("saved_model_schema_version: 1 ")
        for _ in range(64):
            handle.write(" \t" * (1 << 19))
        handle.write("\n# " + "comment 'quoted' " * (1 << 20) + "\n")
        handle.write("meta_graphs { meta_info_def { tags: 'serve' } }\n")
    data, peak = _from_text(path)
    expected = SavedModel(saved_model_schema_version=1)
    expected.meta_graphs.add().meta_info_def.tags.append("serve")
    assert SavedModel.FromString(data) == expected
    assert peak < 40 << 20, peak
    path.write_text("saved_model_schema_version: 1\n" + "a" * (2 << 20))
    with pytest.raises(textmodel.TextFormatError, match=r"^line 2: a token of more than 1048576 characters"):
        _from_text(path)
