"""`sigdef request`: a REST body checked against a real SavedModel file (written TF-free with
sigdef's builders), run as a process: the gRPC request on stdout, exit 1 with TF Serving's
message, exit 2 for input that cannot be read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import json_format, text_format

import sigdef
from sigdef import protos, savedmodel, serving


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    examples = sigdef.tensor("tf_example:0", "string", [None])
    predict = sigdef.predict_signature_def(
        {"x": sigdef.tensor("x:0", "float32", [None, 2]), "ids": sigdef.tensor("ids:0", "int64", [None])},
        {"y": sigdef.tensor("y:0", "float32", [None])},
    )
    classify = sigdef.classification_signature_def(examples, sigdef.tensor("classes:0", "string", [None, 2]), sigdef.tensor("scores:0", "float32", [None, 2]))
    regress = sigdef.regression_signature_def(examples, sigdef.tensor("out:0", "float32", [None, 1]))
    saved = protos.SavedModel(saved_model_schema_version=1)
    graph = saved.meta_graphs.add()
    graph.meta_info_def.tags.append("serve")
    for key, signature in {"serving_default": predict, "classify_it": classify, "regress_it": regress}.items():
        graph.signature_def[key].CopyFrom(signature)
    path = tmp_path_factory.mktemp("model")
    savedmodel.write(path, saved)
    return path


def sigdef_request(model: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "sigdef", "request", "--dir", str(model), *args], input=stdin, capture_output=True, timeout=120)


def test_predict_text_json_and_binary(model: Path, tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_text('{"instances": [{"x": [1.5, 2], "ids": 7}, {"x": [0, -1], "ids": 8}]}')
    wanted = serving.predict_request_from_json(body.read_bytes(), savedmodel.find_meta_graph(savedmodel.read(model), "serve").signature_def["serving_default"])
    done = sigdef_request(model, str(body))
    assert done.returncode == 0 and done.stderr == b""
    assert text_format.Parse(done.stdout.decode(), protos.PredictRequest()) == wanted
    assert 'key: "ids"' in done.stdout.decode()
    as_json = sigdef_request(model, "--format", "json", str(body))
    assert json_format.Parse(as_json.stdout, protos.PredictRequest()) == wanted
    binary = sigdef_request(model, "--format", "binary", "-", stdin=body.read_bytes())
    assert binary.stdout == wanted.SerializeToString(deterministic=True)


def test_predict_rejected_with_tf_servings_message(model: Path, tmp_path: Path) -> None:
    body = tmp_path / "bad.json"
    body.write_text('{"instances": [{"x": [1.5, 2]}]}')
    done = sigdef_request(model, str(body))
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode().startswith(f"{body}: Failed to process element: 0 of 'instances' list. JSON object: ")
    assert "keys must be equal to: ids,x" in done.stderr.decode()
    unknown = sigdef_request(model, "-", stdin=b'{"signature_name": "nope", "inputs": {"x": [[1, 2]], "ids": [1]}}')
    assert unknown.returncode == 1
    assert unknown.stderr.decode().strip() == '<stdin>: Serving signature name: "nope" not found in signature def'
    chosen = sigdef_request(model, "--signature_def", "classify_it", "-", stdin=b'{"inputs": [1]}')
    assert chosen.returncode == 1 and "is not of expected type: string" in chosen.stderr.decode()


def test_classify_and_regress(model: Path) -> None:
    body = b'{"signature_name": "classify_it", "examples": [{"f": [1.0, 2.5]}]}'
    done = sigdef_request(model, "--verb", "classify", "-", stdin=body)
    assert done.returncode == 0, done.stderr
    assert text_format.Parse(done.stdout.decode(), protos.ClassificationRequest()) == serving.classification_request_from_json(body)
    wrong = sigdef_request(model, "--verb", "regress", "-", stdin=body)  # a classify signature for regress
    assert wrong.returncode == 1 and "Expected one output Tensor." in wrong.stderr.decode()
    ok = sigdef_request(model, "--verb", "regress", "--signature_def", "regress_it", "-", stdin=body)
    assert ok.returncode == 0 and 'signature_name: "regress_it"' in ok.stdout.decode()
    missing = sigdef_request(model, "--verb", "classify", "-", stdin=b'{"examples": [{}]}')
    assert missing.returncode == 1 and missing.stderr.decode() == "<stdin>: Expected one input Tensor.\n"  # serving_default: 2 inputs


def test_unreadable_input_exits_2(model: Path, tmp_path: Path) -> None:
    gone = sigdef_request(model, str(tmp_path / "missing.json"))
    assert gone.returncode == 2 and gone.stderr.decode().startswith("error: ") and b"Traceback" not in gone.stderr
    no_model = subprocess.run([sys.executable, "-m", "sigdef", "request", "--dir", str(tmp_path), "-"], input=b"{}", capture_output=True)
    assert no_model.returncode == 2 and b"Traceback" not in no_model.stderr
    no_tags = sigdef_request(model, "--tag_set", "train", "-", stdin=b"{}")
    assert no_tags.returncode == 2 and b"could not be found" in no_tags.stderr
