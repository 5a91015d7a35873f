"""`sigdef-gen client`: a typed package per model that imports, type-checks and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sigdef
from contract_models import BUILT, REAL_MODEL, _model, _predict
from sigdef import savedmodel

T = sigdef.tensor
REPO = Path(__file__).resolve().parents[1]

# Keys and input names a model may hold, none of which may break or inject into the package.
HOSTILE = _model(
    {
        'a"""; import os; os.system("echo PWNED"); """': _predict({"class": T("c:0", "float32", [None, 2]), "type": T("t:0", "int64", [None])}),
        "serving_default": _predict({"a-b": T("x:0", "float32", [None]), "a_b": T("y:0", "string", [None]), "0lead": T("z:0", "bool", [None])}),
        "new\nline\\back\u2028": _predict({"def": T("d:0", "string", [None, 3])}),
        "predict_serving_default": _predict({"version": T("v:0", "int32", [None])}),
    }
)


def _generate(model_dir: Path, out: Path, package: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "sigdef_gen", "client", "--dir", str(model_dir), "--out", str(out), "--package", package]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=out.parent)


def _models(tmp_path: Path) -> dict[str, Path]:
    dirs = {"real": REAL_MODEL}
    for name, model in {**BUILT, "hostile": HOSTILE}.items():
        folder = tmp_path / "models" / name
        folder.mkdir(parents=True)
        savedmodel.write(folder, model)
        dirs[name] = folder
    return dirs


def test_generated_clients_import_type_check_and_pass_their_tests(tmp_path: Path) -> None:
    out = tmp_path / "clients"
    packages = []
    for name, folder in _models(tmp_path).items():
        package = f"{name}_client"
        result = _generate(folder, out, package)
        assert result.returncode == 0, result.stderr
        packages.append(package)
    assert not (tmp_path / "PWNED").exists()
    env = {**os.environ, "PYTHONPATH": str(out), "MYPYPATH": str(REPO / "generated")}
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), "--strict", *packages, "tests"], cwd=out, env=env, capture_output=True, text=True, timeout=600)
    assert mypy.returncode == 0, mypy.stdout
    # Every client keeps its tests in the shared tests/ (the writer owns files per package).
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=out, env=env, capture_output=True, text=True, timeout=600)
    assert tests.returncode == 0, tests.stdout[-4000:]
    assert " passed" in tests.stdout and " failed" not in tests.stdout
    assert not (out / "PWNED").exists()


def test_hostile_names_become_distinct_identifiers(tmp_path: Path) -> None:
    folder = _models(tmp_path)["hostile"]
    out = tmp_path / "out"
    assert _generate(folder, out, "hostile_client").returncode == 0
    sys.path.insert(0, str(out))
    try:
        import hostile_client  # type: ignore[import-not-found]

        call = hostile_client.predict_serving_default(a_b_=["s"], a_b=[1.0], _0lead=[True])
        assert call.body == {"inputs": {"0lead": [True], "a-b": [1.0], "a_b": ["s"]}}
        assert hostile_client.validate_predict_serving_default(call.body) == []
        # A key equal to another function's name, and an input named like the `version` argument.
        other = hostile_client.predict_predict_serving_default(version_=[7], version=3)
        assert other.body == {"signature_name": "predict_serving_default", "inputs": {"version": [7]}}
        assert other.path == "/v1/models/hostile/versions/3:predict"
        keyed = getattr(hostile_client, "predict_a_____import_os__os_system__echo_PWNED_______")
        assert keyed(class_=[[1.0, 2.0]], type_=[3]).body["signature_name"].startswith('a"""')
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("hostile_client")]:
            del sys.modules[name]


def test_output_is_deterministic(tmp_path: Path) -> None:
    folder = _models(tmp_path)["every_dtype"]
    first, second = tmp_path / "a", tmp_path / "b"
    assert _generate(folder, first, "c").returncode == 0
    env_seed = {**os.environ, "PYTHONHASHSEED": "12345"}
    argv = [sys.executable, "-m", "sigdef_gen", "client", "--dir", str(folder), "--out", str(second), "--package", "c"]
    assert subprocess.run(argv, env=env_seed, capture_output=True, timeout=300).returncode == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


@pytest.mark.parametrize("argv,message", [(["--package", "not-valid"], "PACKAGE_NAME"), (["--package", "ok"], "no saved_model.pb")])
def test_bad_arguments_exit_2(tmp_path: Path, argv: list[str], message: str) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    cmd = [sys.executable, "-m", "sigdef_gen", "client", "--dir", str(folder if "ok" in argv else REAL_MODEL), "--out", str(tmp_path / "o"), *argv]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()
