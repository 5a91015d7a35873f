"""Random differential of sigdef.make_tensor_proto / make_ndarray against TensorFlow 2.21's,
both in one process (tests/tensor_differential.py); skipped where TF is absent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_real_tensorflow import requires_tf


@requires_tf
def test_random_calls_agree_with_tensorflow() -> None:
    script = Path(__file__).with_name("tensor_differential.py")
    out = subprocess.run([sys.executable, str(script), "2026", "1500"], capture_output=True, text=True, check=True)
    summary = json.loads(out.stdout)
    assert summary["calls"] == 1500
    assert summary["make_ndarray_calls"] > 500  # successes are decoded back by both
    assert summary["tf_errors"] > 300  # errors are compared too
    assert summary["mismatches"] == []
