"""sigdef.make_tensor_proto / make_ndarray against TF 2.21's recorded calls
(tests/data/conformance/make_tensor_proto.json), with and without numpy."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import sigdef
from sigdef import float_bits, tensor_util

import tensor_cases as tc

CASES = tc.load()["cases"]


def _same(case: dict[str, Any], got: dict[str, Any]) -> bool:
    expect = case["expect"]
    if case["fn"] == "make_tensor_proto" and expect["ok"]:
        return got.get("hex") == expect["hex"] and got.get("text") == expect["text"]
    return got == expect


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_recorded_case(case: dict[str, Any]) -> None:
    if tc.needs_numpy(case) and not tc.HAVE_NUMPY:
        pytest.skip("needs numpy and ml_dtypes (pip install 'sigdef[numpy]')")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's cast warnings; TF's recording suppressed them too
        if case["fn"] == "make_tensor_proto":
            got = tc.outcome_mtp(sigdef.make_tensor_proto, case["args"])
        else:
            got = tc.outcome_nd(sigdef.make_ndarray, case["args"])
    assert _same(case, got), (case["expect"], got)


def _pure(values: Any, dtype: Any, shape: Any, verify_shape: bool = False, allow_broadcast: bool = False) -> Any:
    """The pure-Python path alone (what runs where numpy is absent)."""
    if allow_broadcast and verify_shape:
        return sigdef.make_tensor_proto(values, dtype, shape, verify_shape, allow_broadcast)
    return tensor_util._from_python(values, tensor_util.as_dtype(dtype) if dtype else None, shape, verify_shape, allow_broadcast)


def test_pure_python_path_replays_python_value_cases() -> None:
    """Every case with Python values gives TF's result through the pure-Python path,
    except the inputs it hands to numpy: array-likes (bytearray), and ints past int64 mixed
    with others cast to an int dtype, which numpy does through float64 (CPU-specific)."""
    passed, declined, wrong = 0, [], []
    for case in CASES:
        if case["fn"] != "make_tensor_proto" or tc.needs_numpy(case) or "$tensorproto" in json.dumps(case["args"]):
            continue
        args = case["args"]
        try:
            got = tc.outcome_mtp(_pure, args)
        except tensor_util._NeedsNumpy:
            declined.append(case)
            continue
        if got.get("error") == "_NeedsNumpy":
            declined.append(case)
        elif _same(case, got):
            passed += 1
        else:
            wrong.append((case["id"], case["expect"], got))
    assert not wrong, wrong[:5]
    assert passed > 1600
    for case in declined:
        values = json.dumps(case["args"]["values"])
        big = any(int(n) > 2**63 - 1 for n in re.findall(r"\d{19,}", values))
        assert "$bytearray" in values or big, case["id"]


NO_NUMPY = r"""
import json, sys
sys.modules["numpy"] = None  # any import of numpy now fails
sys.path.insert(0, sys.argv[1])
import tensor_cases as tc
import sigdef
counts = {"passed": 0, "import_error": 0, "wrong": []}
for case in tc.load()["cases"]:
    if case["fn"] != "make_tensor_proto" or tc.needs_numpy(case):
        continue
    got = tc.outcome_mtp(sigdef.make_tensor_proto, case["args"])
    expect = case["expect"]
    if got.get("error") == "ImportError":
        assert "sigdef[numpy]" in got["message"], got
        counts["import_error"] += 1
    elif got == expect if not expect["ok"] else got.get("hex") == expect["hex"]:
        counts["passed"] += 1
    else:
        counts["wrong"].append(case["id"])
try:
    sigdef.make_ndarray(sigdef.TensorProto())
except ImportError as e:
    counts["make_ndarray"] = str(e)
print(json.dumps(counts))
"""


def test_without_numpy_python_values_still_encode() -> None:
    out = subprocess.run([sys.executable, "-c", NO_NUMPY, str(Path(__file__).parent)], capture_output=True, text=True, check=True)
    counts = json.loads(out.stdout)
    assert counts["wrong"] == []
    assert counts["passed"] > 1600
    assert counts["import_error"] < 20
    assert "sigdef[numpy]" in counts["make_ndarray"]


def test_import_sigdef_never_imports_numpy() -> None:
    code = (
        "import sys, sigdef\n"
        "sigdef.make_tensor_proto([[1.5, 2.0], [3.0, 4.0]]).SerializeToString()\n"
        "sigdef.make_tensor_proto(['a', b'b'], 'string', [3])\n"
        "sigdef.make_tensor_proto(7, 'DT_INT64')\n"
        "assert 'numpy' not in sys.modules and 'ml_dtypes' not in sys.modules, sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_dtype_spellings() -> None:
    """tf.as_dtype's names and aliases, DT_* names and numbers, sigdef's DType."""
    want = sigdef.make_tensor_proto([1.0, 2.0], "float32").SerializeToString()
    for spelling in ("float", "float32", "DT_FLOAT", 1, sigdef.types.BY_NAME["DT_FLOAT"]):
        assert sigdef.make_tensor_proto([1.0, 2.0], spelling).SerializeToString() == want
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`: 'float32 ' to a TensorFlow DType."):
        sigdef.make_tensor_proto(1.0, "float32 ")


@pytest.mark.skipif(not tc.HAVE_NUMPY, reason="needs numpy")
def test_numpy_dtype_argument() -> None:
    import numpy as np

    assert sigdef.make_tensor_proto([1, 2], np.dtype("int8")).tensor_content == b"\x01\x02"
    assert sigdef.make_tensor_proto([1, 2], np.float64).dtype == sigdef.DataType.Value("DT_DOUBLE")


@pytest.mark.skipif(not tc.HAVE_NUMPY, reason="needs numpy and ml_dtypes")
@pytest.mark.parametrize("name", sorted(float_bits.SMALL_FLOATS))
def test_small_float_rounding_matches_ml_dtypes(name: str) -> None:
    """float8 / float4 codes against ml_dtypes: random doubles of every magnitude, the ties
    between neighbouring codes, overflow, NaN and signed zeros."""
    import ml_dtypes
    import numpy as np

    rng = np.random.default_rng(8)
    finite = np.array(float_bits.SMALL_FLOATS[name].finite)
    ties = (finite[1:] + finite[:-1]) / 2
    with np.errstate(all="ignore"):
        doubles = rng.integers(0, 2**64, 5000, dtype=np.uint64).view(np.float64) * 2.0**-1020
        values = np.concatenate([doubles, rng.uniform(-1, 1, 5000) * finite[-1] * 1.2, ties, -ties, [0.0, -0.0, np.inf, -np.inf, np.nan]])
        want = values.astype(getattr(ml_dtypes, name)).view(np.uint8).tolist()
    for x, code in zip(values.tolist(), want):
        if x == x:  # NaN payloads aside (Python NaNs are quiet ones)
            assert float_bits.small_float_bits(x, name) == code, x
    assert float_bits.small_float_bits(float("nan"), name) == np.array([np.nan]).astype(getattr(ml_dtypes, name)).view(np.uint8)[0]


@pytest.mark.skipif(not tc.HAVE_NUMPY, reason="needs numpy and ml_dtypes")
def test_pure_half_conversions_match_numpy_bit_for_bit() -> None:
    """The pure path's float16 / bfloat16 rounding against numpy / ml_dtypes on random doubles
    (every exponent, subnormals, ties, overflow, NaN and inf)."""
    import ml_dtypes
    import numpy as np

    rng = np.random.default_rng(16)
    doubles = rng.integers(0, 2**64, 20000, dtype=np.uint64).view(np.float64)
    ties = (rng.integers(-(2**20), 2**20, 5000) * 2.0**-20).astype(np.float32).astype(np.float64) + 2.0**-9
    with np.errstate(all="ignore"):
        values = np.concatenate([doubles, doubles * 2.0**-1000, ties, [0.0, -0.0, np.inf, -np.inf, np.nan, 65520.0, 3.4e38]])
        want_bf16 = values.astype(ml_dtypes.bfloat16).view(np.uint16).tolist()
        want_f16 = values.astype(np.float16).view(np.uint16).tolist()
    for x, bf16, f16 in zip(values.tolist(), want_bf16, want_f16):
        if x != x:
            continue  # random NaN payloads: numpy keeps them, Python floats from lists are quiet NaNs
        assert float_bits.bfloat16_bits(x) == bf16, x
        assert float_bits.half_bits(x) == f16, x
