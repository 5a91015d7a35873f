"""`sigdef inspect --all` on a synthetic >= 50 MB SavedModel vs saved_model_cli and a raw parse."""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sigdef
from sigdef import inspect as show
from sigdef import savedmodel
from sigdef.protos import MetaGraphDef, SavedModel
from sigdef.wire import length_delimited as _field
from sigdef.wire import varint_bytes as _varint

from .timing import Row, interleaved, tensorflow




def write_model(folder: Path, megabytes: int = 52) -> Path:
    """A deterministic SavedModel: 4 Const nodes with large float32 tensor_content."""
    rng = random.Random(1234)
    chunk = megabytes * 1024 * 1024 // 4
    nodes = []
    for i in range(4):
        content = rng.randbytes(chunk)
        tensor = b"\x08\x01" + _field(2, _field(2, b"\x08" + _varint(chunk // 4))) + _field(4, content)  # TensorProto
        attr = _field(5, _field(1, b"value") + _field(2, _field(8, tensor)))  # NodeDef.attr["value"].tensor
        nodes.append(_field(1, _field(1, f"kernel{i}".encode()) + _field(2, b"Const") + attr))
    nodes.append(_field(1, _field(1, b"x") + _field(2, b"Placeholder")))
    nodes.append(_field(1, _field(1, b"y") + _field(2, b"MatMul")))
    meta = MetaGraphDef(graph_def=b"".join(nodes))
    meta.meta_info_def.tags.append("serve")
    x, y = sigdef.tensor("x:0", "float32", [None, 3200]), sigdef.tensor("y:0", "float32", [None, 1])
    meta.signature_def["serving_default"].CopyFrom(sigdef.predict_signature_def({"x": x}, {"y": y}))
    meta.signature_def["regression"].CopyFrom(sigdef.regression_signature_def(sigdef.tensor("ex:0", "string", [None]), y))
    folder.mkdir(parents=True, exist_ok=True)
    return savedmodel.write(folder, SavedModel(saved_model_schema_version=1, meta_graphs=[meta]))


_PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def _process(argv: list[str], repeat: int) -> tuple[float, float, float]:
    """Median wall seconds, fastest run, and the peak RSS (MiB) of the command's process."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    peak = int(subprocess.run([sys.executable, "-c", _PEAK, *argv], capture_output=True, text=True, check=True).stdout) / 1024
    return statistics.median(times), min(times), peak


def run(quick: bool) -> list[Row]:
    repeat = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "big"
        pb = write_model(folder, 8 if quick else 52)
        data = pb.read_bytes()
        mine, low, rss = _process([sys.executable, "-m", "sigdef", "inspect", "--dir", str(folder), "--all"], repeat)

        def inprocess() -> object:
            return show.show_all(*savedmodel.read_with_ops(folder))

        s = interleaved({"inspect": inprocess, "raw": lambda: SavedModel.FromString(pb.read_bytes())}, number=1, repeat=repeat * 2)
        size = f"{len(data) / 1e6:.1f} MB"
        ratio = s["inspect"].median / s["raw"].median
        rows = [Row(f"sigdef inspect --all in-process, {size} model", s["inspect"].ms(), f"{s['raw'].ms()} raw read + SavedModel.FromString", ratio, "<= 2x raw parse", ratio <= 2)]
        cli = shutil.which("saved_model_cli") or str(Path(sys.executable).parent / "saved_model_cli")
        if quick or tensorflow() is None or not Path(cli).exists():
            rows.append(Row(f"sigdef inspect --all process, {size} model", f"{mine * 1e3:.0f} ms", "skipped (no TF)", None, ">= 20x faster than saved_model_cli", None, f"peak RSS {rss:.0f} MiB"))
            return rows
        theirs, _, their_rss = _process([cli, "show", "--dir", str(folder), "--all"], max(3, repeat // 2))
        ratio = theirs / mine
        rows.append(Row(f"sigdef inspect --all process, {size} model", f"{mine * 1e3:.0f} ms", f"{theirs * 1e3:.0f} ms saved_model_cli show --all", ratio, ">= 20x faster", ratio >= 20))
        ratio = their_rss / rss
        rows.append(Row(f"peak RSS of sigdef inspect, {size} model", f"{rss:.0f} MiB", f"{their_rss:.0f} MiB saved_model_cli", ratio, "<= 1/4", ratio >= 4))
        return rows
