"""Read, edit and write SavedModel protos without TensorFlow.

Binary (`saved_model.pb`): parsing keeps the graph opaque (`MetaGraphDef.graph_def` and
friends are bytes fields in sigdef's protos), so a large model is read without building its
graph, and an unchanged model is written back byte for byte.

Text (`saved_model.pbtxt`): fidelity comes before speed (about 0.1 s per MB). The text is
parsed with TensorFlow's own message types (`sigdef.tf_protos`, `sigdef.textmodel`), so
every field, the graph included, survives a read/edit/write, and the model is written back
as text (protobuf's text format of TF's message, maps sorted by key), which TensorFlow
parses to the same message. Fields TensorFlow does not know are refused, as TF refuses them.

Files: only regular files are read (at most 2 GiB, protobuf's limit); every problem is a
one-line `SavedModelError` naming the file. `write` is atomic (temporary file, fsync, rename,
fsync of the directory), keeps the replaced file's mode and owner, and removes a
`fingerprint.pb` that the new content would make stale (sigdef does not recompute TF's
FarmHash fingerprints; the file is optional and TF loads models without it).
"""

from __future__ import annotations

import errno
import mmap
import os
import shutil
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from . import atomicfile, wire
from .protoconv import coerce, copy_into
from .protos import MetaGraphDef, SavedModel, SignatureDef

__all__ = [
    "FINGERPRINT",
    "MAX_BYTES",
    "PB",
    "PBTXT",
    "SavedModelError",
    "SignatureRefused",
    "check_output_dir",
    "check_single_format",
    "copy_model",
    "copy_signature",
    "find_meta_graph",
    "graph_ops",
    "locked",
    "model_file",
    "os_problem",
    "read",
    "read_signatures",
    "read_with_ops",
    "remove_signature",
    "rename_signature",
    "set_method_name",
    "set_signature",
    "signature_from_json",
    "tag_set",
    "write",
]

PB = "saved_model.pb"
PBTXT = "saved_model.pbtxt"
FINGERPRINT = "fingerprint.pb"
MAX_BYTES = 2**31 - 1  # protobuf messages are limited to 2 GiB; the same limit for text


class SavedModelError(Exception):
    """A SavedModel that cannot be read or written; `str()` is one line naming the file."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        super().__init__(f"{os.fspath(path)}: {problem}")
        self.path = os.fspath(path)
        self.problem = problem


class SignatureRefused(ValueError):
    """An edit whose result the checks of `sigdef validate` refuse; nothing was changed.

    `findings` are `sigdef.modelcheck.ModelFinding`s; pass `force=True` to edit anyway."""

    def __init__(self, findings: Sequence[Any]) -> None:
        super().__init__("; ".join(str(f) for f in findings))
        self.findings = list(findings)


# --- finding and opening the model file ----------------------------------------------


def model_file(path: str | os.PathLike[str]) -> Path:
    """The saved_model.pb or saved_model.pbtxt of a directory, or `path` itself.

    With both present, saved_model.pb is the one TensorFlow loads (and the one returned)."""
    given = Path(path)
    try:
        is_dir = stat.S_ISDIR(os.stat(given).st_mode)
    except OSError as exc:
        raise SavedModelError(given, os_problem(exc)) from None
    if not is_dir:
        return given
    for name in (PB, PBTXT):
        if _exists(given / name):
            return given / name
    raise SavedModelError(given, f"no {PB} or {PBTXT} in this directory")


def _exists(path: Path) -> bool:
    """Whether a directory entry exists (a dangling link, loop or FIFO counts: reading it
    then says what is wrong with it, instead of "no saved_model.pb")."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise SavedModelError(path, os_problem(exc)) from None
    return True


def os_problem(exc: OSError) -> str:
    """An OSError as the few words an error line needs."""
    known = {
        errno.ENOENT: "no such file or directory",
        errno.ELOOP: "too many levels of symbolic links (a link loop?)",
        errno.ENAMETOOLONG: "file name too long",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.ENOTDIR: "a path component is not a directory",
        errno.EROFS: "read-only file system",
        errno.ENOSPC: "no space left on device",
        errno.EISDIR: "is a directory",
    }
    return known.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


@contextmanager
def _open_regular(file: Path) -> Iterator[tuple[int, int]]:
    """An open descriptor of a regular, non-empty file of at most MAX_BYTES, and its size.

    Opened non-blocking, then checked with fstat: a FIFO or device is refused, not read."""
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SavedModelError(file, os_problem(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SavedModelError(file, f"not a regular file ({_file_kind(info.st_mode)}); a SavedModel is a regular file")
        if info.st_size > MAX_BYTES:
            raise SavedModelError(file, f"file is {info.st_size} bytes; a SavedModel file may hold at most {MAX_BYTES} bytes (2 GiB)")
        if info.st_size == 0:
            raise SavedModelError(file, "file is empty")
        yield fd, info.st_size
    finally:
        os.close(fd)


def _read_all(file: Path, fd: int, size: int) -> bytes:
    try:
        with open(fd, "rb", closefd=False) as handle:
            return handle.read(size + 1)[:size]
    except OSError as exc:
        raise SavedModelError(file, f"cannot read: {os_problem(exc)}") from None


# --- reading ---------------------------------------------------------------------------


def read(path: str | os.PathLike[str]) -> SavedModel:
    """Parse a SavedModel directory or file (binary or text format), every field kept."""
    file = model_file(path)
    with _open_regular(file) as (fd, size):
        if _is_text(file):
            model = _parse_text(file, fd)
        else:
            model = _parse_binary(file, _read_all(file, fd, size))
    _check(file, model)
    return model


def _is_text(file: Path) -> bool:
    return file.name.endswith(".pbtxt")


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
        raise SavedModelError(file, f"not a valid SavedModel proto ({_locate(data) or _short(exc)})") from None


def _locate(data: bytes | memoryview) -> str:
    """Where the wire format of a SavedModel (and its MetaGraphDefs) first breaks, if it does."""
    view = memoryview(data)
    try:
        for field in wire.fields(view):
            if field.number == 2 and field.wire == wire.LENGTH:
                for _ in wire.fields(view[field.start : field.end], field.start):
                    pass
    except wire.WireError as exc:
        return str(exc)
    return ""


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _parse_text(file: Path, fd: int) -> SavedModel:
    """Text format -> TF's SavedModel type -> wire bytes -> sigdef's SavedModel (every field)."""
    from google.protobuf.message import DecodeError

    from .textmodel import TextFormatError, from_text

    try:
        data = from_text(fd)
    except TextFormatError as exc:
        raise SavedModelError(file, str(exc)) from None
    except OSError as exc:
        raise SavedModelError(file, f"cannot read: {os_problem(exc)}") from None
    try:
        return SavedModel.FromString(data)
    except (DecodeError, RecursionError) as exc:
        raise SavedModelError(file, f"text format holds an invalid SavedModel ({_short(exc)})") from None


# --- reading for inspection (graphs skipped, never copied) -----------------------------


def read_with_ops(path: str | os.PathLike[str]) -> tuple[SavedModel, list[set[str]]]:
    """For inspection: the model *without* graph_def, saver_def and collection_def (never
    copied into memory), and the op types of each MetaGraph's graph.

    Use read() for a model to edit and write back."""
    return _summary(path, ops=True)


def read_signatures(path: str | os.PathLike[str]) -> SavedModel:
    """Like read_with_ops, without looking into the graphs at all (what validate needs)."""
    return _summary(path, ops=False)[0]


def _summary(path: str | os.PathLike[str], ops: bool) -> tuple[SavedModel, list[set[str]]]:
    file = model_file(path)
    if _is_text(file):
        model = read(file)
        found = [_graph_ops_or_fail(file, memoryview(mg.graph_def), 0, i) if ops else set() for i, mg in enumerate(model.meta_graphs)]
        for meta_graph in model.meta_graphs:
            for name in ("graph_def", "saver_def", "collection_def"):
                meta_graph.ClearField(name)
        return model, found
    with _open_regular(file) as (fd, size):
        try:
            mapped = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise SavedModelError(file, f"cannot read: {_short(exc)}") from None
    try:
        model, found = _scan(file, memoryview(mapped), ops)
    finally:
        try:
            mapped.close()
        except BufferError:  # a traceback still holds a slice: the collector unmaps it
            pass
    _check(file, model)
    return model, found


_KEPT_FOR_INSPECTION = frozenset((1, 5, 6, 7))  # meta_info_def, signature_def, asset_file_def, object_graph_def


def _scan(file: Path, view: memoryview, ops: bool) -> tuple[SavedModel, list[set[str]]]:
    """The SavedModel without its graphs, and each graph's op types; unknown fields skipped."""
    from google.protobuf.message import DecodeError

    model = SavedModel()
    found: list[set[str]] = []
    try:
        for field in wire.fields(view):
            if field.number == 1 and field.wire == wire.VARINT:  # saved_model_schema_version
                model.MergeFromString(bytes(view[field.head : field.end]))
            elif field.number == 2 and field.wire == wire.LENGTH:  # meta_graphs
                kept: list[bytes] = []
                graph_ops_found: set[str] = set()
                meta = view[field.start : field.end]
                for part in wire.fields(meta, field.start):
                    if part.number in _KEPT_FOR_INSPECTION:
                        kept.append(bytes(meta[part.head : part.end]))
                    elif part.number == 2 and part.wire == wire.LENGTH and ops:  # graph_def
                        graph_ops_found |= _graph_ops_or_fail(file, meta[part.start : part.end], field.start + part.start, len(found))
                model.meta_graphs.add().MergeFromString(b"".join(kept))
                found.append(graph_ops_found)
    except wire.WireError as exc:
        raise SavedModelError(file, f"not a valid SavedModel proto ({exc})") from None
    except (DecodeError, RecursionError) as exc:
        raise SavedModelError(file, f"not a valid SavedModel proto ({_short(exc)})") from None
    return model, found


def _graph_ops_or_fail(file: Path, graph: memoryview, base: int, index: int) -> set[str]:
    try:
        return _graph_ops(graph, base)
    except wire.WireError as exc:
        raise SavedModelError(file, f"graph_def of MetaGraph {index} is corrupt ({exc})") from None


# --- the op types of a graph, without parsing it -------------------------------------


def graph_ops(meta_graph: MetaGraphDef) -> set[str]:
    """Op types of the graph's nodes and of the library functions they reach (as saved_model_cli);
    `meta_graph` may be TensorFlow's MetaGraphDef too."""
    return _graph_ops(memoryview(coerce(meta_graph, MetaGraphDef).graph_def), 0)


def _graph_ops(graph: memoryview, base: int) -> set[str]:
    """The op types a graph uses, as TF's `ops_used_by_graph_def` (saved_model_cli): its
    nodes' and those of the library functions they reach, by op name or through the `f` of
    a (Stateful)PartitionedCall; function names themselves are not op types."""
    nodes: list[tuple[memoryview, int]] = []
    functions: dict[str, list[tuple[memoryview, int]]] = {}
    for field in _length_delimited(graph, base):
        if field.number == 1:  # GraphDef.node
            nodes.append((graph[field.start : field.end], base + field.start))
        elif field.number == 2:  # GraphDef.library
            library = graph[field.start : field.end]
            for entry in _length_delimited(library, base + field.start):
                if entry.number == 1:  # FunctionDefLibrary.function
                    name, body = _function(library[entry.start : entry.end], base + field.start + entry.start)
                    functions[name] = body
    used: set[str] = set()
    pending: list[str] = []

    def mark(op: str) -> None:
        if op not in used and op in functions:
            pending.append(op)
        used.add(op)

    def visit(node: memoryview, at: int) -> None:
        op, called = _node_call(node, at)
        mark(op)
        if op in ("PartitionedCall", "StatefulPartitionedCall"):
            mark(called)

    for node, at in nodes:
        visit(node, at)
    while pending:
        for node, at in functions[pending.pop()]:
            visit(node, at)
    return used - functions.keys()


def _function(function: memoryview, base: int) -> tuple[str, list[tuple[memoryview, int]]]:
    """A FunctionDef's name (signature.name) and its nodes."""
    name, body = "", []
    for part in _length_delimited(function, base):
        if part.number == 1:  # FunctionDef.signature (OpDef), name 1
            signature = function[part.start : part.end]
            name = next((_text(signature[f.start : f.end]) for f in _length_delimited(signature, base + part.start) if f.number == 1), name)
        elif part.number == 3:  # FunctionDef.node_def
            body.append((function[part.start : part.end], base + part.start))
    return name, body


def _node_call(node: memoryview, base: int) -> tuple[str, str]:
    """A NodeDef's op type and the function its `f` attr names ("" when none)."""
    op = called = ""
    for field in _length_delimited(node, base):
        if field.number == 2:  # NodeDef.op
            op = _text(node[field.start : field.end])
        elif field.number == 5:  # NodeDef.attr entry: key 1, AttrValue 2
            entry = node[field.start : field.end]
            parts = {f.number: entry[f.start : f.end] for f in _length_delimited(entry, base + field.start)}
            if bytes(parts.get(1, b"")) == b"f" and 2 in parts:
                for value in _length_delimited(parts[2], 0):
                    if value.number == 10:  # AttrValue.func (NameAttrList), name 1
                        func = parts[2][value.start : value.end]
                        called = next((_text(func[f.start : f.end]) for f in _length_delimited(func, 0) if f.number == 1), "")
    return op, called


def _text(data: memoryview) -> str:
    return bytes(data).decode("utf-8", "replace")


def _length_delimited(data: memoryview, base: int) -> Iterator[wire.Field]:
    return (f for f in wire.fields(data, base) if f.wire == wire.LENGTH)


# --- writing ---------------------------------------------------------------------------


def write(path: str | os.PathLike[str], model: SavedModel, *, as_text: bool | None = None) -> Path:
    """Write `model` atomically and return the file written.

    `path` is a model directory or a file. In a directory the model file already there is
    replaced, in its format (saved_model.pb first, as TensorFlow loads it); a new model is
    binary unless `as_text`. Binary is deterministic, as TF's builder writes it; text is what
    TF writes for `as_text=True`. Content equal to the file's leaves the file untouched. When
    the content changes, a `fingerprint.pb` beside it is removed (its checksum would be
    stale). Never writes a second format beside the first. Raises SavedModelError."""
    target, text = _target(Path(path), as_text)
    data = model.SerializeToString(deterministic=True)
    produce: Callable[[IO[bytes]], Any] = _text_writer(target, data) if text else (lambda handle: handle.write(data))
    _replace(target, produce)
    return target


def _text_writer(target: Path, data: bytes) -> Callable[[IO[bytes]], None]:
    from .textmodel import TextFormatError, to_text

    try:
        writer: Callable[[IO[bytes]], None] = to_text(data)
    except TextFormatError as exc:
        raise SavedModelError(target, str(exc)) from None
    return writer


def _target(given: Path, as_text: bool | None) -> tuple[Path, bool]:
    try:
        is_dir = given.is_dir()
    except OSError as exc:
        raise SavedModelError(given, os_problem(exc)) from None
    if is_dir:
        present = [name for name in (PB, PBTXT) if _exists(given / name)]
        if as_text is None:
            name = present[0] if present else PB
        else:
            name = PBTXT if as_text else PB
        target = given / name
    else:
        target = given
        if as_text is not None and as_text != _is_text(target):
            raise SavedModelError(target, f"as_text={as_text} does not match the file name")
    other = target.parent / (PB if target.name == PBTXT else PBTXT)
    if target.name in (PB, PBTXT) and not _exists(target) and _exists(other):
        raise SavedModelError(target, f"the directory holds {other.name}; writing {target.name} beside it would leave both (TensorFlow loads {PB})")
    return target, _is_text(target)


def _replace(target: Path, produce: Callable[[IO[bytes]], Any]) -> None:
    try:
        atomicfile.replace(target, produce, around_rename=lambda: _fingerprint_aside(target.parent), stale=(FINGERPRINT,))
    except OSError as exc:
        raise SavedModelError(target, f"cannot write: {os_problem(exc)}") from None


@contextmanager
def _fingerprint_aside(folder: Path) -> Iterator[None]:
    """Move fingerprint.pb aside while the model is replaced; remove it once the new model
    is in place, put it back if replacing fails (a crash leaves no stale fingerprint)."""
    fingerprint = folder / FINGERPRINT
    if not _exists(fingerprint):
        yield
        return
    aside = folder / atomicfile.temp_name(FINGERPRINT)
    fd = os.open(fingerprint, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        atomicfile.lock(fd, blocking=True)  # so that no other write takes it for a stale temporary
        os.replace(fingerprint, aside)
        try:
            yield
        except BaseException:
            os.replace(aside, fingerprint)
            raise
        Path(aside).unlink(missing_ok=True)
    finally:
        os.close(fd)


def check_output_dir(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
    """Refuse an output directory inside (or equal to) the model directory, or one that
    exists and is not an empty directory."""
    src, dst = Path(source), Path(destination)
    real_src, real_dst = Path(os.path.realpath(src)), Path(os.path.realpath(dst))
    if real_dst == real_src or real_src in real_dst.parents:
        raise SavedModelError(dst, f"the output directory must lie outside the model directory {src}")
    try:
        if os.path.lexists(dst) and (not dst.is_dir() or any(dst.iterdir())):
            raise SavedModelError(dst, "the output directory exists and is not empty")
        if not real_dst.parent.is_dir():
            raise SavedModelError(dst, "the parent of the output directory does not exist")
    except OSError as exc:
        raise SavedModelError(dst, os_problem(exc)) from None


def copy_model(source: str | os.PathLike[str], destination: str | os.PathLike[str], model: SavedModel | None = None, name: str | None = None) -> Path:
    """Copy a whole model directory (variables, assets, assets.extra, ...) to `destination`
    (see check_output_dir); with `model`, write it over the copy's model file (`name`, or the
    one model_file finds). The copy is built beside `destination` and renamed into place: it
    appears complete or not at all. Returns the copy's model file (or `destination`)."""
    src, dst = Path(source), Path(destination)
    check_output_dir(src, dst)
    real_dst = Path(os.path.realpath(dst))
    building = real_dst.parent / atomicfile.temp_name(real_dst.name)
    try:
        shutil.copytree(src, building, symlinks=True)
        written = write(building / name if name else model_file(building), model) if model is not None else None
        os.replace(building, real_dst)
        atomicfile.fsync_dir(real_dst.parent)
    except (OSError, shutil.Error) as exc:
        shutil.rmtree(building, ignore_errors=True)
        problem = os_problem(exc) if isinstance(exc, OSError) else _short(exc)
        raise SavedModelError(dst, f"cannot copy the model: {problem}") from None
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return dst / written.name if written is not None else dst


@contextmanager
def locked(file: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on a model file (as model_file returns it) while a
    read-edit-write runs: concurrent edits of one model take turns, none is lost."""
    try:
        with atomicfile.locked(file):
            yield
    except OSError as exc:
        raise SavedModelError(file, os_problem(exc)) from None


def check_single_format(folder: str | os.PathLike[str]) -> None:
    """Refuse a directory holding both saved_model.pb and saved_model.pbtxt, stating which
    one TensorFlow loads (the .pb): editing one would leave the other contradicting it."""
    if all(_exists(Path(folder) / name) for name in (PB, PBTXT)):
        raise SavedModelError(folder, f"holds both {PB} and {PBTXT}; TensorFlow loads {PB} and ignores {PBTXT}: remove one before editing")


# --- editing signatures (transactional) -----------------------------------------------


def find_meta_graph(model: SavedModel, tags: str | Sequence[str]) -> MetaGraphDef:
    """The MetaGraphDef whose tag set equals `tags` ("serve", "train,gpu" or a list)."""
    wanted = tag_set(tags)
    for meta_graph in model.meta_graphs:
        if set(meta_graph.meta_info_def.tags) == wanted:
            return meta_graph
    known = [",".join(mg.meta_info_def.tags) for mg in model.meta_graphs]
    raise KeyError(f"MetaGraphDef associated with tag-set {','.join(sorted(wanted))} could not be found in the SavedModel. Please use one of the following tag-sets: {known}")


def tag_set(tags: str | Sequence[str]) -> set[str]:
    """A tag-set as TF reads it: split on commas, blanks dropped."""
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    return {t.strip() for t in items if t.strip()}


Validators = Mapping[str, Callable[[Any], list[Any]]]


def set_signature(model: SavedModel, tags: str | Sequence[str], key: str, signature_def: SignatureDef, *, force: bool = False, kinds: Validators | None = None) -> None:
    """Add or replace signature `key` in the MetaGraph with these tags.

    Unless `force`, the result is checked with `sigdef validate`'s rules (its kind's schema
    and TF Serving's) and a refusal raises SignatureRefused. Any error leaves `model` as it was."""
    _key_argument(key, "key")
    new = SignatureDef()
    copy_into(new, signature_def)  # sigdef's, TF's or any SignatureDef class; a TypeError here changes nothing
    _apply(model, tags, {key: new}, force, kinds)


def set_method_name(model: SavedModel, tags: str | Sequence[str], key: str, method_name: str, *, force: bool = False, kinds: Validators | None = None) -> None:
    """Set the method name of signature `key` (e.g. tensorflow/serving/classify)."""
    if not isinstance(method_name, str) or not method_name:
        raise ValueError(f"method name must be a non-empty string, got {method_name!r}")
    new = SignatureDef()
    copy_into(new, _existing(model, tags, key))
    new.method_name = method_name
    _apply(model, tags, {key: new}, force, kinds)


def rename_signature(model: SavedModel, tags: str | Sequence[str], key: str, new_key: str, *, force: bool = False, kinds: Validators | None = None) -> None:
    """Move signature `key` to `new_key`, which must not exist yet."""
    _key_argument(new_key, "new key")
    signature = _existing(model, tags, key)
    if new_key in find_meta_graph(model, tags).signature_def:
        raise ValueError(f"signature {new_key!r} already exists in MetaGraph {sorted(tag_set(tags))}")
    _apply(model, tags, {key: None, new_key: signature}, force, kinds)


def copy_signature(model: SavedModel, tags: str | Sequence[str], source_key: str, key: str, *, force: bool = False, kinds: Validators | None = None) -> None:
    """Add or replace signature `key` with a copy of signature `source_key`."""
    _key_argument(key, "key")
    _apply(model, tags, {key: _existing(model, tags, source_key)}, force, kinds)


def remove_signature(model: SavedModel, tags: str | Sequence[str], key: str, *, force: bool = False, kinds: Validators | None = None) -> None:
    """Remove signature `key` (KeyError if absent); unless `force`, removing a 'serve'
    MetaGraph's serving_default is refused, as validate reports its absence."""
    _existing(model, tags, key)
    _apply(model, tags, {key: None}, force, kinds)


def signature_from_json(document: Any, where: str = "JSON") -> SignatureDef:
    """A SignatureDef from its proto3-JSON dict (the form `sigdef check-json` reads);
    ValueError naming `where` for anything else."""
    from google.protobuf import json_format

    if not isinstance(document, dict):
        raise ValueError(f"{where}: a SignatureDef is a JSON object, not {type(document).__name__}")
    try:
        return json_format.ParseDict(document, SignatureDef())
    except (json_format.ParseError, RecursionError, ValueError, TypeError) as exc:
        raise ValueError(f"{where}: not a SignatureDef ({_short(exc)})") from None


def _key_argument(key: object, what: str) -> None:
    if not isinstance(key, str) or not key:
        raise ValueError(f"signature {what} must be a non-empty string, got {key!r}")


def _existing(model: SavedModel, tags: str | Sequence[str], key: str) -> SignatureDef:
    signatures = find_meta_graph(model, tags).signature_def
    if key not in signatures:
        raise KeyError(f"no signature {key!r} in MetaGraph {sorted(tag_set(tags))}; it has {sorted(signatures)}")
    copy = SignatureDef()
    copy_into(copy, signatures[key])
    return copy


def _apply(model: SavedModel, tags: str | Sequence[str], changes: Mapping[str, SignatureDef | None], force: bool, kinds: Validators | None) -> None:
    """Check the edited MetaGraph's signatures (unless `force`), then change `model`."""
    meta_graph = find_meta_graph(model, tags)
    if not force:
        findings = _findings(meta_graph, changes, kinds)
        if findings:
            raise SignatureRefused(findings)
    for key, signature in changes.items():
        if signature is None:
            del meta_graph.signature_def[key]
    for key, signature in changes.items():
        if signature is not None:
            copy_into(meta_graph.signature_def[key], signature)


def _findings(meta_graph: MetaGraphDef, changes: Mapping[str, SignatureDef | None], kinds: Validators | None = None) -> list[Any]:
    """validate's findings about the changed keys, for the MetaGraph as it would be."""
    from .modelcheck import check_model

    if kinds is None:
        from .validation import BY_METHOD

        kinds = BY_METHOD
    after = MetaGraphDef()
    after.meta_info_def.tags.extend(meta_graph.meta_info_def.tags)
    for key, signature in meta_graph.signature_def.items():
        if key not in changes:
            copy_into(after.signature_def[key], signature)
    for key, new in changes.items():
        if new is not None:
            after.signature_def[key].CopyFrom(new)
    return [f for f in check_model(SavedModel(meta_graphs=[after]), kinds) if f.signature in changes]
