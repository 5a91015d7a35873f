"""TF Serving's REST JSON -> PredictRequest (`sigdef.serving.predict_request_from_json`) vs
`json.loads` of the same text (the parse alone is the floor), on row-format bodies of 1, 10
and 100 MB (cost must grow linearly), and at 10 MB in a process where numpy cannot be
imported (the codec must not need it)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from .timing import Row, Sample, interleaved

TARGET = "<= 2x json.loads"


def body(megabytes: float) -> str:
    """A row-format predict body of about `megabytes` MB: instances of 64x3 float32 values."""
    rng = random.Random(16)
    instances = [json.dumps([[round(rng.uniform(-1, 1), 6) for _ in range(3)] for _ in range(64)]) for _ in range(97)]
    count = max(1, int(megabytes * 1e6 / (len(instances[0]) + 1)))
    return '{"signature_name": "serving_default", "instances": [' + ",".join(instances[i % 97] for i in range(count)) + "]}"


def measure(megabytes: float, repeat: int) -> dict[str, Any]:
    """Seconds (median, min, max) of json.loads and of the codec on one body, interleaved."""
    from sigdef import protos, serving

    text = body(megabytes)
    signature = {"x": protos.TensorInfo(dtype=protos.DataType.Value("DT_FLOAT"))}
    request = serving.predict_request_from_json(text, signature)
    values = len(request.inputs["x"].float_val)
    del request
    samples = interleaved(
        {"loads": lambda: json.loads(text), "codec": lambda: serving.predict_request_from_json(text, signature)},
        number=1,
        repeat=repeat,
    )
    return {
        "bytes": len(text),
        "values": values,
        "numpy_loaded": "numpy" in sys.modules and sys.modules["numpy"] is not None,
        **{k: [s.median, s.low, s.high] for k, s in samples.items()},
    }


def _row(name: str, m: dict[str, Any], note: str) -> Row:
    codec, loads = Sample(*m["codec"]), Sample(*m["loads"])
    ratio = codec.median / loads.median
    per_mb = codec.median / (m["bytes"] / 1e6) * 1e3
    return Row(
        name,
        codec.ms(),
        f"{loads.ms()} json.loads",
        ratio,
        TARGET,
        ratio <= 2.0,
        f"{m['bytes'] / 1e6:.1f} MB, {m['values']:,} floats, {per_mb:.1f} ms/MB; {note}",
    )


def _without_numpy(megabytes: float, repeat: int) -> dict[str, Any]:
    code = (
        "import json, sys\n"
        "sys.modules['numpy'] = None  # any import of numpy now fails\n"
        "from bench.serving_json import measure\n"
        f"print(json.dumps(measure({megabytes}, {repeat})))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out.splitlines()[-1])
    return result


def run(quick: bool) -> list[Row]:
    sizes = [(1.0, 3)] if quick else [(1.0, 11), (10.0, 5), (100.0, 3)]
    rows = [_row(f"predict_request_from_json, {mb:g} MB row format", measure(mb, repeat), "numpy importable") for mb, repeat in sizes]
    mb, repeat = (1.0, 3) if quick else (10.0, 5)
    m = _without_numpy(mb, repeat)
    assert not m["numpy_loaded"]
    rows.append(_row(f"predict_request_from_json, {mb:g} MB row format, numpy blocked", m, "separate process, numpy imports fail"))
    return rows
