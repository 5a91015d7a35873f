"""`sigdef-gen generate` timings: bundled schemas cold/warm, and N synthetic kinds."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .timing import Row

REPO = Path(__file__).resolve().parents[1]


def _generate(schemas: Path, out: Path, cache: Path, package: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sigdef_gen", "generate", "--schemas", str(schemas), "--out", str(out), "--package", package, "--quiet"],
        check=True,
        env={**os.environ, "SIGDEF_CACHE_DIR": str(cache / ".cache")},
    )
    return time.perf_counter() - start


def _cold_warm(schemas: Path, package: str, repeat: int) -> tuple[float, float]:
    colds, warms = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            colds.append(_generate(schemas, root / "out", root, package))
            warms.append(_generate(schemas, root / "out", root, package))
    return statistics.median(colds), statistics.median(warms)


def synthetic_schemas(root: Path, n: int) -> Path:
    """A schema directory with n predict-like kinds (each its own method name and builder)."""
    base = json.loads((REPO / "schemas/signatures/predict.schema.json").read_text())
    folder = root / f"synthetic{n}"
    (folder / "signatures").mkdir(parents=True)
    (folder / "constants").mkdir()
    defs = {f"METHOD_{i}": {"const": f"acme/serving/kind{i}", "description": f"Method name of kind {i}."} for i in range(n)}
    (folder / "constants/synthetic_constants.schema.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"https://synthetic.invalid/{n}/constants/synthetic_constants.schema.json",
        "x-sigdef": {"constants": {"module": "synthetic_constants"}}, "$defs": defs}))
    for i in range(n):
        doc = json.loads(json.dumps(base))
        doc["$id"] = f"https://synthetic.invalid/{n}/signatures/kind{i}.schema.json"
        doc["properties"]["methodName"] = {"$ref": f"../constants/synthetic_constants.schema.json#/$defs/METHOD_{i}"}
        for key in ("inputs", "outputs", "defaults"):
            doc["properties"][key]["$ref"] = "https://sigdef.dev/schemas/common/tensor_info.schema.json#/$defs/" + doc["properties"][key]["$ref"].split("/")[-1]
        kind = doc["x-sigdef"]["kind"]
        kind["name"] = f"kind{i}"
        kind["serving"] = False
        kind["builder"]["name"] = f"kind{i}_signature_def"
        for check in kind["builder"]["checks"]:
            check["id"] = f"KIND{i}_" + check["id"]
        kind["builder_examples"] = []
        doc["examples"] = []
        kind["invalid_examples"] = []
        (folder / f"signatures/kind{i}.schema.json").write_text(json.dumps(doc))
    return folder


def run(quick: bool) -> list[Row]:
    repeat = 1 if quick else 3
    cold, warm = _cold_warm(REPO / "schemas", "sigdef", repeat)
    rows = [
        Row("sigdef-gen generate, bundled schemas, cold cache", f"{cold:.2f} s", "—", None, "<= 5 s", cold <= 5),
        Row("sigdef-gen generate, bundled schemas, warm cache", f"{warm:.2f} s", "—", None, "<= 1 s", warm <= 1),
    ]
    sizes = (10, 20) if quick else (100, 250, 500)
    points = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            schemas = synthetic_schemas(Path(tmp), n)
            c, w = _cold_warm(schemas, f"synthetic{n}", 1)
            points.append((n, c, w))
    slope = _slope([(n, c) for n, c, _ in points])
    linear = _linearity([(n, c) for n, c, _ in points])
    for n, c, w in points:
        last = n == sizes[-1]
        rows.append(Row(f"generate {n} synthetic kinds, cold / warm", f"{c:.2f} s / {w:.2f} s", "—", None,
                        "500: cold <= 30 s, warm <= 2 s" if last else "linear in N", (c <= 30 and w <= 2) if last and not quick else None,
                        f"slope {slope * 1e3:.0f} ms/kind; largest/smallest time per kind {linear:.2f}" if last else ""))
    return rows


def _slope(points: list[tuple[int, float]]) -> float:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def _linearity(points: list[tuple[int, float]]) -> float:
    per = [y / x for x, y in points]
    return max(per) / min(per)
