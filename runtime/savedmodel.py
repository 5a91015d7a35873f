"""Read, edit and write SavedModel protos without TensorFlow.

Parsing keeps the graph opaque (`MetaGraphDef.graph_def` and friends are bytes fields in
sigdef's protos), so a large model is read without building its graph, and an unchanged
model is written back byte for byte.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from .protoconv import coerce, copy_into
from .protos import MetaGraphDef, SavedModel, SignatureDef

__all__ = [
    "SavedModelError",
    "find_meta_graph",
    "graph_ops",
    "model_file",
    "read",
    "read_with_ops",
    "remove_signature",
    "set_signature",
    "split_text_blocks",
    "text_graph_ops",
    "write",
]

PB = "saved_model.pb"
PBTXT = "saved_model.pbtxt"
MAX_BYTES = 2**31 - 1  # protobuf messages are limited to 2 GiB
_OPAQUE_TEXT = ("graph_def", "saver_def", "collection_def", "object_graph_def", "stripped_op_list", "any_info", "asset_file_def")


class SavedModelError(Exception):
    """A SavedModel that cannot be read or written; `str()` is one line naming the file."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        super().__init__(f"{os.fspath(path)}: {problem}")
        self.path = os.fspath(path)
        self.problem = problem


def model_file(path: str | os.PathLike[str]) -> Path:
    """The saved_model.pb (preferred) or saved_model.pbtxt of a directory, or `path` itself."""
    given = Path(path)
    if given.is_dir():
        for name in (PB, PBTXT):
            if (given / name).is_file():
                return given / name
        raise SavedModelError(given, f"no {PB} or {PBTXT} in this directory")
    if given.is_file():
        return given
    raise SavedModelError(given, "no such file or directory")


def read(path: str | os.PathLike[str]) -> SavedModel:
    """Parse a SavedModel directory or file (binary or text format)."""
    file = model_file(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise SavedModelError(file, f"file is {size} bytes; a SavedModel proto cannot exceed 2 GiB")
        data = file.read_bytes()
    except OSError as exc:
        raise SavedModelError(file, f"cannot read: {exc.strerror}") from None
    if not data:
        raise SavedModelError(file, "file is empty")
    model = _parse_text(file, data) if file.name.endswith(".pbtxt") else _parse_binary(file, data)
    _check(file, model)
    return model


def _check(file: Path, model: SavedModel) -> None:
    """Reject a proto of another type that happened to parse."""
    if not model.meta_graphs:
        raise SavedModelError(file, "not a SavedModel: it holds no MetaGraphDef")
    for meta_graph in model.meta_graphs:
        if not meta_graph.HasField("meta_info_def"):
            raise SavedModelError(file, "not a SavedModel: a MetaGraphDef has no meta_info_def")


def _parse_binary(file: Path, data: bytes) -> SavedModel:
    from google.protobuf.message import DecodeError

    try:
        return SavedModel.FromString(data)
    except (DecodeError, RecursionError, ValueError) as exc:
        return _fail(file, f"not a valid SavedModel proto ({_short(exc)})")


def _parse_text(file: Path, data: bytes) -> SavedModel:
    from google.protobuf import text_format

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _fail(file, f"not UTF-8 text (byte {exc.start})")
    kept, _ = split_text_blocks(text, _OPAQUE_TEXT)
    model = SavedModel()
    try:
        text_format.Parse(kept, model, allow_unknown_field=True)
    except (text_format.ParseError, RecursionError, ValueError) as exc:
        return _fail(file, f"cannot parse text format ({_short(exc)})")
    return model


def _fail(file: Path, problem: str) -> SavedModel:
    raise SavedModelError(file, problem)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def write(path: str | os.PathLike[str], model: SavedModel) -> Path:
    """Write `model` as saved_model.pb (deterministic, as TF's builder) atomically."""
    given = Path(path)
    target = given / PB if given.is_dir() or not given.suffix else given
    data = model.SerializeToString(deterministic=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def find_meta_graph(model: SavedModel, tags: str | Sequence[str]) -> MetaGraphDef:
    """The MetaGraphDef whose tag set equals `tags` ("serve", "train,gpu" or a list)."""
    wanted = _tag_set(tags)
    for meta_graph in model.meta_graphs:
        if set(meta_graph.meta_info_def.tags) == wanted:
            return meta_graph
    known = [",".join(mg.meta_info_def.tags) for mg in model.meta_graphs]
    raise KeyError(f"MetaGraphDef associated with tag-set {','.join(sorted(wanted))} could not be found in the SavedModel. Please use one of the following tag-sets: {known}")


def _tag_set(tags: str | Sequence[str]) -> set[str]:
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    return {t.strip() for t in items if t.strip()}


def set_signature(model: SavedModel, tags: str | Sequence[str], key: str, signature_def: SignatureDef) -> None:
    """Add or replace signature `key` in the MetaGraph with these tags (a SignatureDef of
    sigdef's, TensorFlow's or any class of that type; the model may be TensorFlow's too)."""
    copy_into(find_meta_graph(model, tags).signature_def[key], signature_def)


def remove_signature(model: SavedModel, tags: str | Sequence[str], key: str) -> None:
    """Remove signature `key` from the MetaGraph with these tags (KeyError if absent)."""
    signatures = find_meta_graph(model, tags).signature_def
    if key not in signatures:
        raise KeyError(f"no signature {key!r} in MetaGraph {sorted(_tag_set(tags))}")
    del signatures[key]


# --- the op types of a graph, without parsing it -------------------------------------

def graph_ops(meta_graph: MetaGraphDef) -> set[str]:
    """Op types of the graph's nodes and of its function library's nodes (as saved_model_cli);
    `meta_graph` may be TensorFlow's MetaGraphDef too."""
    return _graph_ops(memoryview(coerce(meta_graph, MetaGraphDef).graph_def))


def _graph_ops(graph: memoryview) -> set[str]:
    """The op types a graph uses, as TF's `ops_used_by_graph_def` (saved_model_cli): its
    nodes' and those of the library functions they reach, by op name or through the `f` of
    a (Stateful)PartitionedCall; function names themselves are not op types."""
    nodes: list[memoryview] = []
    functions: dict[str, list[memoryview]] = {}
    for field, start, end in _fields(graph):
        if field == 1:  # GraphDef.node
            nodes.append(graph[start:end])
        elif field == 2:  # GraphDef.library
            library = graph[start:end]
            for f, s, e in _fields(library):
                if f == 1:  # FunctionDefLibrary.function
                    name, body = _function(library[s:e])
                    functions[name] = body
    used: set[str] = set()
    pending: list[str] = []

    def mark(op: str) -> None:
        if op not in used and op in functions:
            pending.append(op)
        used.add(op)

    def process(node: memoryview) -> None:
        op, called = _node_call(node)
        mark(op)
        if op in ("PartitionedCall", "StatefulPartitionedCall"):
            mark(called)

    for node in nodes:
        process(node)
    while pending:
        for node in functions[pending.pop()]:
            process(node)
    return used - functions.keys()


def _function(function: memoryview) -> tuple[str, list[memoryview]]:
    """A FunctionDef's name (signature.name) and nodes."""
    name, body = "", []
    for field, start, end in _fields(function):
        if field == 1:  # FunctionDef.signature (OpDef)
            name = next((_text(function[start:end][s:e]) for f, s, e in _fields(function[start:end]) if f == 1), name)
        elif field == 3:  # FunctionDef.node_def
            body.append(function[start:end])
    return name, body


def _node_call(node: memoryview) -> tuple[str, str]:
    """A NodeDef's op type and the function named by its `f` attr ("" when none)."""
    op = called = ""
    for field, start, end in _fields(node):
        if field == 2:  # NodeDef.op
            op = _text(node[start:end])
        elif field == 5:  # NodeDef.attr entry: key 1, AttrValue 2
            entry = node[start:end]
            parts = {f: entry[s:e] for f, s, e in _fields(entry)}
            if 1 in parts and bytes(parts[1]) == b"f" and 2 in parts:
                for f, s, e in _fields(parts[2]):
                    if f == 10:  # AttrValue.func (NameAttrList), name 1
                        called = next((_text(parts[2][s:e][s2:e2]) for f2, s2, e2 in _fields(parts[2][s:e]) if f2 == 1), "")
    return op, called


def _text(data: memoryview) -> str:
    return bytes(data).decode("utf-8", "replace")


def _fields(data: memoryview) -> Iterator[tuple[int, int, int]]:
    """(field number, start, end) of each length-delimited field; other fields are skipped."""
    for field, wire, _, start, end in _wire(data):
        if wire == 2:
            yield field, start, end


def _wire(data: memoryview) -> Iterator[tuple[int, int, int, int, int]]:
    """(field, wire type, header start, payload start, end) of every field of a message."""
    pos, size = 0, len(data)
    while pos < size:
        head = pos
        key, pos = _varint(data, pos)
        wire = key & 7
        if wire == 2:
            length, pos = _varint(data, pos)
            end = pos + length
        elif wire == 0:
            _, end = _varint(data, pos)
        elif wire == 1:
            end = pos + 8
        elif wire == 5:
            end = pos + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if end > size or key >> 3 == 0:
            raise ValueError("truncated or corrupt message")
        yield key >> 3, wire, head, pos, end
        pos = end


def _varint(data: memoryview, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint in graph_def")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


# --- text format: set the opaque blocks aside ------------------------------------------

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*|[{}<>]|[A-Za-z_][\w.]*|\S', re.S)


def split_text_blocks(text: str, names: Sequence[str]) -> tuple[str, dict[str, list[str]]]:
    """Remove top-level-or-nested `name { ... }` blocks for the given field names from
    text-format input; return the remaining text and the removed block bodies."""
    kept: list[str] = []
    removed: dict[str, list[str]] = {}
    pos = 0
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        token = tokens[i].group()
        if token in names:
            j = i + 1
            if j < len(tokens) and tokens[j].group() == ":":
                j += 1
            if j < len(tokens) and tokens[j].group() in ("{", "<"):
                depth, k = 0, j
                while k < len(tokens):
                    t = tokens[k].group()
                    if t in ("{", "<"):
                        depth += 1
                    elif t in ("}", ">"):
                        depth -= 1
                        if depth == 0:
                            break
                    k += 1
                end = tokens[min(k, len(tokens) - 1)].end()
                kept.append(text[pos : tokens[i].start()])
                removed.setdefault(token, []).append(text[tokens[j].end() : tokens[min(k, len(tokens) - 1)].start()])
                pos = end
                i = k + 1
                continue
        i += 1
    kept.append(text[pos:])
    return "".join(kept), removed


def text_graph_ops(text: str) -> set[str]:
    """Op types named in a text-format graph_def block (`op: "Name"` of its nodes)."""
    return set(re.findall(r'\bop\s*:\s*"((?:[^"\\]|\\.)*)"', text))


def read_with_ops(path: str | os.PathLike[str]) -> tuple[SavedModel, list[set[str]]]:
    """For inspection: the model *without its graphs* (never copied into memory), and the
    op types of each MetaGraph. Use read() for a model to edit and write back."""
    file = model_file(path)
    if file.name.endswith(".pbtxt"):
        model = read(file)
        _, blocks = split_text_blocks(file.read_text("utf-8"), ("meta_graphs",))
        per_graph = [text_graph_ops(split_text_blocks(block, ("graph_def",))[1].get("graph_def", [""])[0]) for block in blocks.get("meta_graphs", [])]
        return model, per_graph + [set()] * (len(model.meta_graphs) - len(per_graph))
    return _scan(file)


def _scan(file: Path) -> tuple[SavedModel, list[set[str]]]:
    """Parse everything but the graphs (never copied into a message); scan their op types."""
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise SavedModelError(file, f"cannot read: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise SavedModelError(file, f"file is {size} bytes; a SavedModel proto cannot exceed 2 GiB")
    if size == 0:
        raise SavedModelError(file, "file is empty")
    from google.protobuf.message import DecodeError

    try:
        view = memoryview(file.read_bytes())
    except OSError as exc:
        raise SavedModelError(file, f"cannot read: {exc.strerror}") from None
    try:
        rest: list[bytes] = []
        graphs: list[tuple[bytes, set[str]]] = []
        for field, wire, head, start, end in _wire(view):
            if field == 2 and wire == 2:  # SavedModel.meta_graphs
                graphs.append(_meta_graph(view[start:end]))
            else:
                rest.append(bytes(view[head:end]))
        model = SavedModel.FromString(b"".join(rest))
        for data, _ in graphs:
            model.meta_graphs.add().MergeFromString(data)
    except (ValueError, DecodeError, RecursionError) as exc:
        raise SavedModelError(file, f"not a valid SavedModel proto ({_short(exc)})") from None
    _check(file, model)
    return model, [ops for _, ops in graphs]


def _meta_graph(data: memoryview) -> tuple[bytes, set[str]]:
    """A MetaGraphDef's bytes without its graph_def, and the graph's op types."""
    kept: list[bytes] = []
    ops: set[str] = set()
    for field, wire, head, start, end in _wire(data):
        if field == 2 and wire == 2:  # MetaGraphDef.graph_def
            ops |= _graph_ops(data[start:end])
        else:
            kept.append(bytes(data[head:end]))
    return b"".join(kept), ops


