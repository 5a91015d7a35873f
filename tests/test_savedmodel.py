"""sigdef.savedmodel, `sigdef inspect` and `sigdef validate` on real files, without TensorFlow."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sigdef
from sigdef import savedmodel
from sigdef.protos import MetaGraphDef, SavedModel, SignatureDef
from sigdef.wire import length_delimited as _field
from sigdef.wire import varint_bytes as _varint

from datafiles import SAVEDMODELS as MODELS

MODEL = MODELS / "tf1_estimator_like"
SHOW_ALL = MODELS / "tf1_estimator_like.show_all.txt"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sigdef", *args], capture_output=True, text=True, timeout=60)


def split_ops(lines: list[str]) -> tuple[list[str], list[set[str]]]:
    """Lines with each ops line's set replaced by a marker, and the sets."""
    kept, sets = [], []
    for line in lines:
        head, sep, tail = line.partition(" contains the following ops: ")
        if sep:
            kept.append(head + sep + "<ops>")
            sets.append(set(ast.literal_eval(tail)) if tail != "set()" else set())
        else:
            kept.append(line)
    return kept, sets


def test_inspect_all_matches_saved_model_cli() -> None:
    result = cli("inspect", "--dir", str(MODEL), "--all")
    assert result.returncode == 0, result.stderr
    mine, my_ops = split_ops(result.stdout.splitlines())
    theirs, their_ops = split_ops(SHOW_ALL.read_text().splitlines())
    assert mine == theirs
    assert my_ops == their_ops and len(my_ops) == 2


def test_inspect_modes() -> None:
    assert cli("inspect", "--dir", str(MODEL)).stdout.splitlines() == ["The given SavedModel contains the following tag-sets:", "'serve'", "'train'"]
    keys = cli("inspect", "--dir", str(MODEL), "--tag_set", "serve").stdout.splitlines()
    assert keys[0] == "The given SavedModel MetaGraphDef contains SignatureDefs with the following keys:"
    assert 'SignatureDef key: "serving_default"' in keys
    one = cli("inspect", "--dir", str(MODEL), "--tag_set", "serve", "--signature_def", "regression").stdout.splitlines()
    assert one[0] == "The given SavedModel SignatureDef contains the following input(s):"
    assert one[1] == "  inputs['inputs'] tensor_info:" and one[2].startswith("      dtype: DT_STRING")
    assert one[-1] == "Method name is: tensorflow/serving/regress"
    data = __import__("json").loads(cli("inspect", "--dir", str(MODEL), "--format", "json").stdout)
    assert [m["tags"] for m in data["meta_graphs"]] == [["serve"], ["train"]]
    assert data["meta_graphs"][0]["signatures"]["regression"]["methodName"] == "tensorflow/serving/regress"


def test_round_trip_is_byte_identical(tmp_path: Path) -> None:
    model = savedmodel.read(MODEL)
    written = savedmodel.write(tmp_path, model)
    assert written.read_bytes() == (MODEL / "saved_model.pb").read_bytes()


def test_add_serving_default_and_remove(tmp_path: Path) -> None:
    shutil.copytree(MODEL, tmp_path / "m")
    model = savedmodel.read(tmp_path / "m")
    serve = savedmodel.find_meta_graph(model, "serve")
    predict = SignatureDef()
    predict.CopyFrom(serve.signature_def["predict"])
    savedmodel.set_signature(model, "serve", "serving_default", predict)
    savedmodel.remove_signature(model, ["serve"], "classification")
    savedmodel.write(tmp_path / "m", model)
    keys = cli("inspect", "--dir", str(tmp_path / "m"), "--tag_set", "serve").stdout
    assert 'SignatureDef key: "classification"' not in keys
    again = savedmodel.read(tmp_path / "m")
    assert savedmodel.find_meta_graph(again, "serve").signature_def["serving_default"] == predict
    assert savedmodel.find_meta_graph(again, "serve").graph_def == serve.graph_def  # graph untouched
    assert not list((tmp_path / "m").glob(".*tmp"))


def test_validate_shared_model() -> None:
    result = cli("validate", "--dir", str(MODEL))
    assert result.returncode == 0, result.stdout + result.stderr
    result = cli("validate", "--dir", str(MODEL), "--tag_set", "serve", "--format", "json")
    assert result.returncode == 0 and result.stdout.strip() == "[]"


def test_validate_reports_rules(tmp_path: Path) -> None:
    model = savedmodel.read(MODEL)
    serve = savedmodel.find_meta_graph(model, "serve")
    del serve.signature_def["serving_default"]
    bad = serve.signature_def["regression"]
    bad.outputs["outputs"].dtype = sigdef.DataType.Value("DT_DOUBLE")
    serve.signature_def["odd"].method_name = "acme/unknown"
    target = tmp_path / "m"
    target.mkdir()
    savedmodel.write(target, model)
    result = cli("validate", "--dir", str(target))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "[serve] serving_default: SERVING_DEFAULT_MISSING MetaGraph ['serve'] has no 'serving_default' signature" in lines
    assert any(line.startswith("[serve] regression: SCHEMA /outputs/outputs/dtype: ") for line in lines)
    assert "[serve] regression: REGRESS_DTYPE 'outputs' is DT_DOUBLE, expected DT_FLOAT" in lines
    assert any(line.startswith("[serve] odd: METHOD_UNKNOWN method name 'acme/unknown'") for line in lines)


def test_tf2_style_model(tmp_path: Path) -> None:
    meta = MetaGraphDef()
    meta.meta_info_def.tags.append("serve")
    meta.object_graph_def = b"\x0a\x00"
    meta.signature_def["__saved_model_init_op"].outputs["__saved_model_init_op"].name = "NoOp"
    sig = sigdef.predict_signature_def({"x": sigdef.tensor("serving_default_x:0", "float32", [None, 3])}, {"y": sigdef.tensor("StatefulPartitionedCall:0", "float32", [None, 1])})
    meta.signature_def["serving_default"].CopyFrom(sig)
    model = SavedModel(saved_model_schema_version=1, meta_graphs=[meta])
    savedmodel.write(tmp_path, model)
    out = cli("inspect", "--dir", str(tmp_path), "--all").stdout
    assert "signature_def['serving_default']:" in out and "name: serving_default_x:0" in out
    assert out.endswith("\n\nConcrete Functions:\n")  # a root object without functions, as saved_model_cli prints it
    assert cli("validate", "--dir", str(tmp_path)).returncode == 0


def test_pbtxt_model(tmp_path: Path) -> None:
    savedmodel.write(tmp_path, savedmodel.read(MODEL), as_text=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saved_model.pbtxt"]
    out = cli("inspect", "--dir", str(tmp_path), "--tag_set", "serve")
    assert out.returncode == 0 and 'SignatureDef key: "serving_default"' in out.stdout, out.stderr
    all_out = cli("inspect", "--dir", str(tmp_path), "--all")
    assert all_out.returncode == 0, all_out.stderr
    assert all_out.stdout == cli("inspect", "--dir", str(MODEL), "--all").stdout  # graph ops included


def bad_model(tmp_path: Path, name: str) -> Path:
    """A SavedModel directory broken in the named way."""
    data = (MODEL / "saved_model.pb").read_bytes()
    folder = tmp_path / name
    folder.mkdir()
    pb = folder / "saved_model.pb"
    if name == "no-pb":
        (folder / "variables").mkdir()
    elif name == "empty":
        pb.write_bytes(b"")
    elif name.startswith("truncated-"):
        pb.write_bytes(data[: len(data) * int(name.split("-")[1]) // 10])
    elif name == "random-bytes":
        pb.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    elif name == "wrong-type":
        pb.write_bytes(sigdef.classification_signature_def(sigdef.tensor("e:0", "string", [None]), None, sigdef.tensor("s:0", "float32", [None])).SerializeToString())
    elif name == "pbtxt-syntax":
        (folder / "saved_model.pbtxt").write_text("meta_graphs { meta_info_def { tags: serve ")
    elif name == "huge-sparse":
        with pb.open("wb") as handle:
            handle.truncate(2**31 + 10)
    elif name == "deep-nesting":  # StructuredValue.list_value nested 300 deep inside a signature
        value = b""
        for _ in range(300):
            value = _field(51, _field(1, value))
        info = _field(5, _field(1, _field(2, value)))  # TensorInfo.composite_tensor.type_spec.type_state
        signature = _field(1, _field(1, b"x") + _field(2, info))  # SignatureDef.inputs["x"]
        meta = _field(1, _field(4, b"serve")) + _field(5, _field(1, b"s") + _field(2, signature))
        pb.write_bytes(_field(2, meta))
    elif name == "non-utf8-key":
        meta = MetaGraphDef()
        meta.meta_info_def.tags.append("serve")
        good = meta.SerializeToString() + b"\x2a\x05\x0a\x03\xff\xfe\xfd"  # signature_def entry, key bytes not UTF-8
        pb.write_bytes(b"\x12" + _varint(len(good)) + good)
    return folder




BAD = ["no-pb", "empty", "random-bytes", "wrong-type", "pbtxt-syntax", "huge-sparse", "deep-nesting", "non-utf8-key"] + [f"truncated-{i}" for i in range(1, 10)]


@pytest.mark.parametrize("name", BAD)
@pytest.mark.parametrize("command", ["inspect", "validate"])
def test_bad_models_exit_2_with_one_line(tmp_path: Path, name: str, command: str) -> None:
    folder = bad_model(tmp_path, name)
    before = sorted((p.name, p.stat().st_size) for p in folder.rglob("*"))
    result = cli(command, "--dir", str(folder), *(["--all"] if command == "inspect" else []))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(folder) in lines[0], lines
    assert sorted((p.name, p.stat().st_size) for p in folder.rglob("*")) == before


def test_missing_dir_unknown_tag_set_and_key(tmp_path: Path) -> None:
    for args in (["inspect", "--dir", str(tmp_path / "nope")], ["inspect", "--dir", str(MODEL), "--tag_set", "gpu"], ["inspect", "--dir", str(MODEL), "--tag_set", "serve", "--signature_def", "nope"], ["validate", "--dir", str(MODEL), "--tag_set", "gpu"]):
        result = cli(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_check_json(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text('{"methodName": "tensorflow/serving/predict", "inputs": {"x": {}}, "outputs": {"y": {}}}')
    assert cli("check-json", str(good), "--kind", "predict").returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"methodName": "tensorflow/serving/predict", "inputs": {}}')
    result = cli("check-json", str(bad), "--kind", "predict")
    assert result.returncode == 1
    assert f"{bad}:/: required 'outputs' is a required property" in result.stdout
    assert f"{bad}:/inputs: minProperties" in result.stdout
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = cli("check-json", str(broken), "--kind", "predict")
    assert result.returncode == 2 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
