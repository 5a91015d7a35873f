"""Adversarial model files: `sigdef inspect --all` time and peak RSS on hostile input, each
against inspect of the small shared model measured in the same run (issue 13)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sigdef import savedmodel
from sigdef.wire import varint_bytes as _varint

from .inspect import write_model
from .timing import Row

SHARED = Path(__file__).resolve().parents[1] / "tests" / "data" / "conformance" / "savedmodels" / "tf1_estimator_like"
_PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
MIB = 1 << 20


def _inspect(folder: Path, repeat: int) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MiB) of `sigdef inspect --dir folder --all`."""
    argv = [sys.executable, "-m", "sigdef", "inspect", "--dir", str(folder), "--all"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        times.append(time.perf_counter() - start)
    peak = int(subprocess.run([sys.executable, "-c", _PEAK, *argv], capture_output=True, text=True, check=True, timeout=600).stdout) / 1024
    return statistics.median(times), peak


def _sparse(path: Path, head: bytes, size: int) -> None:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)


def _cases(root: Path, quick: bool) -> list[tuple[str, Path, int, bool]]:
    """(name, model directory, file size, whether RSS may grow with the file) of each case."""
    cases = []
    ff = root / "ff"
    ff.mkdir()
    (ff / savedmodel.PB).write_bytes(b"\xff" * MIB)
    cases.append(("1 MB of 0xFF as saved_model.pb", ff, MIB, False))
    nul = root / "nul"
    nul.mkdir()
    _sparse(nul / savedmodel.PBTXT, b"", 64 * MIB)
    cases.append(("64 MB of NUL as saved_model.pbtxt", nul, 64 * MIB, False))
    sparse = root / "sparse"
    sparse.mkdir()
    _sparse(sparse / savedmodel.PBTXT, b"saved_model_schema_version: 1\n", 1 << 30)
    cases.append(("1 GB sparse saved_model.pbtxt", sparse, 1 << 30, False))
    unknown = root / "unknown"
    unknown.mkdir()
    data = (SHARED / savedmodel.PB).read_bytes()
    header = bytes([15 << 3 | 2]) + _varint(1 << 30)
    _sparse(unknown / savedmodel.PB, data + header, len(data) + len(header) + (1 << 30))
    cases.append(("valid model + 1 GB unknown field", unknown, len(data) + len(header) + (1 << 30), False))
    binary = write_model(root / "big", 2 if quick else 8)
    text = root / "text"
    text.mkdir()
    written = savedmodel.write(text, savedmodel.read(binary), as_text=True)
    cases.append((f"valid {written.stat().st_size / 1e6:.0f} MB saved_model.pbtxt (long literals)", text, written.stat().st_size, True))
    return cases



def run(quick: bool) -> list[Row]:
    repeat = 1 if quick else 3
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        base_time, base_rss = _inspect(SHARED, repeat * 2)
        reference = f"{base_time * 1e3:.0f} ms, {base_rss:.0f} MiB: inspect of the 40 KB shared model"
        for name, folder, size, grows in _cases(Path(tmp), quick):
            seconds, rss = _inspect(folder, repeat)
            ratio = seconds / base_time
            extra = rss - base_rss
            if grows:
                target = "RSS <= small model + 3x file size"
                met = extra <= 3 * size / MIB
                note = f"{size / MIB:.0f} MiB file; {seconds / (size / 1e6) * 1e3:.0f} ms per MB"
            else:
                target = "<= 3x time and RSS <= small model + 64 MiB"
                met = ratio <= 3 and extra <= 64
                note = f"{size / MIB:.0f} MiB file, rejected or skipped without reading it"
            rows.append(Row(f"sigdef inspect --all, {name}", f"{seconds * 1e3:.0f} ms, {rss:.0f} MiB", reference, ratio, target, met, note))
    return rows

