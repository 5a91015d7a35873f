"""SavedModel files: hostile input read in bounded time and memory with located one-line
errors; lossless .pbtxt; atomic writes that keep mode and owner and clean up after
themselves; fingerprint.pb never left stale (issues 13.5, 13.9, 14.1, 14.3)."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from modelfiles import MODEL, cli, copy_model, field, snapshot, varint

from sigdef import savedmodel
from sigdef.protos import SavedModel
from sigdef.savedmodel import SavedModelError


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


# --- hostile files: the right message, fast --------------------------------------------


def hostile(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    pb, pbtxt = folder / "saved_model.pb", folder / "saved_model.pbtxt"
    if name == "one-byte":
        pb.write_bytes(b"\n")
    elif name == "symlink-loop":
        pb.symlink_to(pb)
    elif name == "fifo":
        os.mkfifo(pb)
    elif name == "dev-zero":
        pb.symlink_to("/dev/zero")
    elif name == "directory":
        pb.mkdir()
    elif name == "dangling":
        pb.symlink_to(folder / "nowhere")
    elif name == "ff-1mb":
        pb.write_bytes(b"\xff" * 2**20)
    elif name == "nul-64mb-pbtxt":
        with pbtxt.open("wb") as handle:
            handle.truncate(64 * 2**20)  # reads as NUL bytes
    elif name == "sparse-1gb-pbtxt":
        with pbtxt.open("wb") as handle:
            handle.write(b"saved_model_schema_version: 1\n")
            handle.truncate(2**30)
    elif name == "pbtxt-unknown-field":
        savedmodel.write(folder, savedmodel.read(MODEL), as_text=True)
        text = pbtxt.read_text()
        pbtxt.write_text(text.replace("  meta_info_def {\n", "  meta_info_def {\n    no_such_field: 3\n", 1))
    elif name == "pbtxt-deep":  # StructuredValue lists nested 50,000 deep inside a signature
        head = 'meta_graphs { meta_info_def { tags: "serve" } signature_def { key: "k" value { inputs { key: "x" value { composite_tensor { type_spec { type_state { '
        pbtxt.write_text(head + "list_value { values { " * 50_000 + "} }" * 50_000 + " } } } } } } } }")
    elif name == "pbtxt-not-utf8":
        pbtxt.write_bytes(b"saved_model_schema_version: 1\nmeta_graphs { \xff }\n")
    return folder


HOSTILE = {
    "one-byte": "saved_model.pb: not a valid SavedModel proto (truncated varint at byte 1)",
    "symlink-loop": "saved_model.pb: too many levels of symbolic links (a link loop?)",
    "fifo": "saved_model.pb: not a regular file (a FIFO); a SavedModel is a regular file",
    "dev-zero": "saved_model.pb: not a regular file (a character device); a SavedModel is a regular file",
    "directory": "saved_model.pb: not a regular file (a directory); a SavedModel is a regular file",
    "dangling": "saved_model.pb: no such file or directory",
    "ff-1mb": "saved_model.pb: not a valid SavedModel proto (varint longer than 10 bytes at byte 0)",
    "nul-64mb-pbtxt": "saved_model.pbtxt: line 1 column 1: NUL byte; a text-format SavedModel holds none",
    "sparse-1gb-pbtxt": "saved_model.pbtxt: line 2 column 1: NUL byte; a text-format SavedModel holds none",
    "pbtxt-unknown-field": 'saved_model.pbtxt: cannot parse text format: line 4 column 5: Message type "tensorflow.MetaGraphDef.MetaInfoDef" has no field named "no_such_field".',
    "pbtxt-not-utf8": "saved_model.pbtxt: not UTF-8 text (byte 44)",
    "pbtxt-deep": "saved_model.pbtxt: cannot parse text format: messages nested too deeply",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("command", ["inspect", "validate", "edit"])
def test_hostile_model_files(tmp_path: Path, name: str, command: str) -> None:
    folder = hostile(tmp_path, name)
    before = snapshot(folder) if name not in ("fifo", "symlink-loop", "dev-zero") else sorted(os.listdir(folder))
    extra = {"inspect": ["--all"], "validate": [], "edit": ["--signature_def", "predict", "--method_name", "x"]}[command]
    start = time.perf_counter()
    line = one_error_line(cli(command, "--dir", str(folder), *extra, timeout=30))
    assert time.perf_counter() - start < 10
    assert line == f"error: {folder}/{HOSTILE[name]}"
    assert (snapshot(folder) if name not in ("fifo", "symlink-loop", "dev-zero") else sorted(os.listdir(folder))) == before


def test_hostile_directories(tmp_path: Path) -> None:
    long = tmp_path / ("x" * 300)
    assert one_error_line(cli("inspect", "--dir", str(long))) == f"error: {long}: file name too long"
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    assert one_error_line(cli("validate", "--dir", str(loop))) == f"error: {loop}: too many levels of symbolic links (a link loop?)"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert one_error_line(cli("inspect", "--dir", str(empty))) == f"error: {empty}: no saved_model.pb or saved_model.pbtxt in this directory"


def test_api_raises_saved_model_error_not_os_error(tmp_path: Path) -> None:
    with pytest.raises(SavedModelError, match="file name too long"):
        savedmodel.read(tmp_path / ("x" * 300))
    with pytest.raises(SavedModelError, match="no such file or directory"):
        savedmodel.write(tmp_path / "missing" / "saved_model.pb", savedmodel.read(MODEL))
    with pytest.raises(SavedModelError, match="a FIFO"):
        savedmodel.read(hostile(tmp_path, "fifo"))


def _peak_rss_mib(*args: str) -> tuple[int, float, str]:
    """Exit code, peak RSS (MiB) and stderr of `sigdef ARGS` in a child process."""
    code = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run([sys.executable, '-m', 'sigdef', *sys.argv[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, r.stderr.strip().replace(chr(10), ' '))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, timeout=120).stdout.split(" ", 2)
    return int(out[0]), float(out[1]), out[2].strip()


def with_unknown_field(folder: Path, size: int) -> Path:
    """The shared model plus a top-level unknown field of `size` zero bytes (a sparse file)."""
    folder.mkdir()
    pb = folder / "saved_model.pb"
    data = (MODEL / "saved_model.pb").read_bytes()
    header = varint(15 << 3 | 2) + varint(size)
    with pb.open("wb") as handle:
        handle.write(data + header)
        handle.truncate(len(data) + len(header) + size)
    return folder


def test_gigabyte_unknown_field_is_skipped_not_copied(tmp_path: Path) -> None:
    """inspect and validate of a valid model with a 1 GB unknown field stay far below the
    file size in memory (it peaked at 3.08 GB)."""
    folder = with_unknown_field(tmp_path / "big", 2**30)
    for args in (["inspect", "--dir", str(folder), "--all"], ["validate", "--dir", str(folder)]):
        start = time.perf_counter()
        code, peak, err = _peak_rss_mib(*args)
        assert code == 0, err
        assert peak < 200, peak
        assert time.perf_counter() - start < 20


def test_validate_ignores_a_corrupt_graph_that_read_accepts(tmp_path: Path) -> None:
    model = savedmodel.read(MODEL)
    savedmodel.find_meta_graph(model, "serve").graph_def = b"\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    folder = tmp_path / "m"
    folder.mkdir()
    savedmodel.write(folder, model)
    savedmodel.read(folder)  # accepted: the graph is opaque
    result = cli("validate", "--dir", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    line = one_error_line(cli("inspect", "--dir", str(folder), "--all"))
    assert "graph_def of MetaGraph 0 is corrupt (varint longer than 10 bytes at byte " in line


# --- .pbtxt: lossless ------------------------------------------------------------------


def test_pbtxt_round_trip_is_lossless(tmp_path: Path) -> None:
    original = (MODEL / "saved_model.pb").read_bytes()
    savedmodel.write(tmp_path, savedmodel.read(MODEL), as_text=True)
    text = (tmp_path / "saved_model.pbtxt").read_text()
    assert "graph_def {" in text and 'op: "Placeholder"' in text  # the graph as text, as TF writes it
    again = savedmodel.read(tmp_path)
    assert again.SerializeToString(deterministic=True) == original  # every field, byte for byte
    stamp = os.stat(tmp_path / "saved_model.pbtxt")
    savedmodel.write(tmp_path, again)  # unchanged: the file is left alone
    assert os.stat(tmp_path / "saved_model.pbtxt").st_mtime_ns == stamp.st_mtime_ns
    assert (tmp_path / "saved_model.pbtxt").read_text() == text
    assert sorted(os.listdir(tmp_path)) == ["saved_model.pbtxt"]


def test_pbtxt_edit_stays_text_and_keeps_the_graph(tmp_path: Path) -> None:
    savedmodel.write(tmp_path, savedmodel.read(MODEL), as_text=True)
    result = cli("edit", "--dir", str(tmp_path), "--signature_def", "predict", "--rename", "predict2")
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path)) == ["saved_model.pbtxt"]
    edited = savedmodel.read(tmp_path)
    source = savedmodel.read(MODEL)
    for mine, theirs in zip(edited.meta_graphs, source.meta_graphs):
        assert (mine.graph_def, mine.saver_def, dict(mine.collection_def)) == (theirs.graph_def, theirs.saver_def, dict(theirs.collection_def))
    serve = savedmodel.find_meta_graph(edited, "serve").signature_def
    assert "predict2" in serve and "predict" not in serve
    assert serve["predict2"] == savedmodel.find_meta_graph(source, "serve").signature_def["predict"]


def test_both_formats_tf_precedence(tmp_path: Path) -> None:
    folder = copy_model(tmp_path)
    (tmp_path / "t").mkdir()
    savedmodel.write(tmp_path / "t", savedmodel.read(MODEL), as_text=True).rename(folder / "saved_model.pbtxt")
    assert savedmodel.model_file(folder) == folder / "saved_model.pb"  # TF loads the .pb
    assert cli("inspect", "--dir", str(folder), "--tag_set", "serve").returncode == 0
    before = snapshot(folder)
    line = one_error_line(cli("edit", "--dir", str(folder), "--signature_def", "predict", "--remove"))
    assert line == f"error: {folder}: holds both saved_model.pb and saved_model.pbtxt; TensorFlow loads saved_model.pb and ignores saved_model.pbtxt: remove one before editing"
    assert snapshot(folder) == before


def test_write_never_adds_a_second_format(tmp_path: Path) -> None:
    folder = copy_model(tmp_path)
    before = snapshot(folder)
    with pytest.raises(SavedModelError, match="would leave both"):
        savedmodel.write(folder, savedmodel.read(folder), as_text=True)
    assert snapshot(folder) == before


# --- writing: mode, owner, atomicity, temporaries, fingerprint --------------------------


def test_write_keeps_mode_and_owner(tmp_path: Path) -> None:
    folder = copy_model(tmp_path)
    pb = folder / "saved_model.pb"
    pb.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(pb, 1234, 5678)
    model = savedmodel.read(folder)
    savedmodel.remove_signature(model, "serve", "predict")
    savedmodel.write(folder, model)
    info = os.stat(pb)
    assert oct(info.st_mode & 0o7777) == oct(0o640)
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (1234, 5678)
    new = tmp_path / "new"
    new.mkdir()
    umask = os.umask(0o022)
    try:
        savedmodel.write(new, model)
    finally:
        os.umask(umask)
    assert oct(os.stat(new / "saved_model.pb").st_mode & 0o777) == oct(0o644)  # as any new file, not 0600


def test_unchanged_write_leaves_the_file_alone(tmp_path: Path) -> None:
    folder = copy_model(tmp_path)
    (folder / "fingerprint.pb").write_bytes(b"\x08\x01")
    before = os.stat(folder / "saved_model.pb")
    savedmodel.write(folder, savedmodel.read(folder))
    after = os.stat(folder / "saved_model.pb")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (folder / "fingerprint.pb").exists()  # still true: the model did not change


def test_fingerprint_removed_after_an_edit_and_said(tmp_path: Path) -> None:
    folder = copy_model(tmp_path)
    (folder / "fingerprint.pb").write_bytes(b"\x08\x01")
    result = cli("edit", "--dir", str(folder), "--signature_def", "predict", "--copy_from", "serving_default")
    assert result.returncode == 0, result.stderr
    assert "Removed fingerprint.pb" in result.stdout
    assert not (folder / "fingerprint.pb").exists()
    assert not [p for p in os.listdir(folder) if p.endswith(".tmp")]


def test_failed_write_cleans_up_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "saved_model.pb").mkdir()  # os.replace onto a non-empty directory fails
    (folder / "saved_model.pb" / "x").write_text("x")
    (folder / "fingerprint.pb").write_bytes(b"\x08\x01")
    before = snapshot(folder)
    with pytest.raises(SavedModelError, match="cannot write"):
        savedmodel.write(folder, savedmodel.read(MODEL))
    assert snapshot(folder) == before  # temporary removed, fingerprint put back


def test_stale_temporaries_of_killed_writers_are_removed(tmp_path: Path) -> None:
    folder = copy_model(tmp_path)
    stale = folder / ".saved_model.pb.0123456789abcdef.tmp"
    stale.write_bytes(b"x" * 1000)
    aside = folder / ".fingerprint.pb.fedcba9876543210.tmp"
    aside.write_bytes(b"x")
    busy = folder / ".saved_model.pb.00000000000000ff.tmp"
    busy.write_bytes(b"busy")
    foreign = folder / ".saved_model.pb.mine.tmp"
    foreign.write_bytes(b"not ours")
    holder = os.open(busy, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a live writer holds its lock
    try:
        model = savedmodel.read(folder)
        savedmodel.remove_signature(model, "serve", "predict")
        savedmodel.write(folder, model)
    finally:
        os.close(holder)
    assert not stale.exists() and not aside.exists()
    assert busy.exists() and foreign.exists()


_WRITER = """
import sys
from sigdef import savedmodel
from sigdef.protos import SavedModel
models = [SavedModel.FromString(open(p, "rb").read()) for p in sys.argv[2:4]]
print("ready", flush=True)
i = 0
while True:
    savedmodel.write(sys.argv[1], models[i % 2])
    i += 1
"""


def test_kill_9_during_writes_leaves_old_or_new(tmp_path: Path) -> None:
    """A writer alternating two large models is killed at random moments: the file is
    always one of them entirely; the next write removes the killed writers' temporaries."""
    base = savedmodel.read(MODEL)
    variants = []
    for index in range(2):
        model = SavedModel()
        model.CopyFrom(base)
        savedmodel.find_meta_graph(model, "train").graph_def += bytes([index]) * (8 << 20)  # opaque bytes: any content
        path = tmp_path / f"v{index}.pb"
        path.write_bytes(model.SerializeToString(deterministic=True))
        variants.append(path.read_bytes())
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "saved_model.pb").write_bytes(variants[0])
    rng = random.Random(7)
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(folder), str(tmp_path / "v0.pb"), str(tmp_path / "v1.pb")], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert (folder / "saved_model.pb").read_bytes() in variants
    savedmodel.write(folder, SavedModel.FromString(variants[1]))
    assert sorted(os.listdir(folder)) == ["saved_model.pb"]
