"""Serving contracts: `sigdef openapi` and `sigdef check-request` on real and built models."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi

from contract_models import BUILT, REAL_MODEL
from sigdef import contract, savedmodel
from sigdef.openapi import openapi_document
from sigdef.requestcheck import check_request, compile_request_validator

def _documents() -> list[tuple[str, dict[str, Any]]]:
    docs = []
    for mode in contract.MODES:
        docs.append((f"real/{mode}", openapi_document(savedmodel.read(REAL_MODEL), "real", mode=mode)))
        docs.extend((f"{name}/{mode}", openapi_document(model, name, mode=mode)) for name, model in BUILT.items())
    return docs


DOCUMENTS = _documents()


def _request_components(document: dict[str, Any]) -> list[str]:
    return [k for k in document["components"]["schemas"] if k.endswith(".request")]


def _jsonschema(document: dict[str, Any], component: str) -> Any:
    root = {**document, "$ref": f"#/components/schemas/{component}"}
    return jsonschema.Draft202012Validator(root)


def _signature(document_name: str, component: str) -> tuple[str, str, Any]:
    """(verb, key, SignatureDef) behind a request component of a document."""
    model_name = document_name.split("/")[0]
    model = savedmodel.read(REAL_MODEL) if model_name == "real" else BUILT[model_name]
    signatures = dict(model.meta_graphs[0].signature_def.items())
    verb = component.split(".")[0]
    (key,) = [k for k in signatures if contract.component_name(verb, k, "request") == component]
    return verb, key, signatures[key]


@pytest.mark.parametrize("name,document", DOCUMENTS, ids=[n for n, _ in DOCUMENTS])
def test_document_passes_openapi_spec_validator(name: str, document: dict[str, Any]) -> None:
    validate_openapi(document)
    assert document["openapi"] == "3.1.0"
    assert document["paths"], "every document has at least the status and metadata paths"


@pytest.mark.parametrize("name,document", DOCUMENTS, ids=[n for n, _ in DOCUMENTS])
def test_examples_pass_both_validators(name: str, document: dict[str, Any]) -> None:
    """Each request schema carries an example; jsonschema and sigdef's compiled validator accept it."""
    mode = name.split("/")[1]
    for component in _request_components(document):
        (example,) = document["components"]["schemas"][component]["examples"]
        verb, key, signature = _signature(name, component)
        ours = compile_request_validator(key, signature.SerializeToString(deterministic=True), verb, mode)(example)
        theirs = list(_jsonschema(document, component).iter_errors(example))
        if "unsupported" in name:
            assert ours and theirs, "a dtype JSON cannot carry admits no body"
        else:
            assert ours == [] and theirs == [], (component, example, ours, theirs)


def _mutations(value: Any, pointer: str = "") -> Any:
    """(pointer, mutated copy maker) for every place of a body: wrong types, extra and missing items."""
    if isinstance(value, dict):
        for key, item in value.items():
            token = contract.json_pointer_token(key)
            yield from ((p, lambda v, key=key, m=m: {**v, key: m(v[key])}) for p, m in _mutations(item, f"{pointer}/{token}"))
            yield f"{pointer}/{token}", lambda v, key=key: {k: x for k, x in v.items() if k != key}
        yield pointer, lambda v: {**v, "unknown_input": 1}
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from ((p, lambda v, i=index, m=m: v[:i] + [m(v[i])] + v[i + 1 :]) for p, m in _mutations(item, f"{pointer}/{index}"))
        if value:
            yield pointer, lambda v: v + [copy.deepcopy(v[-1])]
    else:
        for wrong in ("a string", 1.5, True, None, {"k": 1}, [value]):
            if type(wrong) is not type(value):
                yield pointer, lambda v, wrong=wrong: wrong


@pytest.mark.parametrize("name,document", DOCUMENTS, ids=[n for n, _ in DOCUMENTS])
def test_compiled_validator_agrees_with_jsonschema_on_mutated_bodies(name: str, document: dict[str, Any]) -> None:
    """Every mutation of every example: sigdef's compiled contract and jsonschema give the same verdict,
    and a rejection points at the mutated place or above it."""
    mode = name.split("/")[1]
    checked = 0
    for component in _request_components(document):
        (example,) = document["components"]["schemas"][component]["examples"]
        verb, key, signature = _signature(name, component)
        validate = compile_request_validator(key, signature.SerializeToString(deterministic=True), verb, mode)
        reference = _jsonschema(document, component)
        example_valid = validate(example) == []
        for pointer, mutate in _mutations(example):
            body = mutate(example)
            ours = validate(body)
            assert (ours == []) == reference.is_valid(body), (component, pointer, body, ours)
            if ours and example_valid and pointer.startswith(("/instances", "/inputs", "/examples")):
                assert any(pointer.startswith(f.doc_pointer) for f in ours), (pointer, ours)
            checked += 1
    assert checked or "no_signatures" in name


def test_shape_and_dtype_mutations_are_rejected_strictly() -> None:
    meta_graph = BUILT["every_dtype"].meta_graphs[0]
    good = contract.example_body("serving_default", meta_graph.signature_def["serving_default"], "predict")
    assert check_request(meta_graph, good, "predict") == []
    cases = {
        "/instances/0/f": [1.0, 2.0, 3.0],  # fixed dimension 2
        "/instances/0/i32": [1, 2],  # fixed dimension 3
        "/instances/0/u8": 256,  # uint8 range
        "/instances/0/i8": -129,
        "/instances/0/u32": -1,
        "/instances/0/i64": 2**63,
        "/instances/0/b": 1,
        "/instances/0/s": 5,
        "/instances/0/d": "1.0",
        "/instances/0/f/0": 1e39,  # beyond float32
    }
    for pointer, value in cases.items():
        body = copy.deepcopy(good)
        parts = pointer.strip("/").split("/")
        target = body
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        last = parts[-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        findings = check_request(meta_graph, body, "predict")
        assert findings and findings[0].pointer.startswith(pointer.rsplit("/", 1)[0]), (pointer, findings)


def test_strict_and_lenient_on_a_declared_scalar() -> None:
    """TF Serving's half_plus_three declares () and serves {"instances": [1.0, 2.0, 5.0]}."""
    meta_graph = BUILT["scalar_and_unknown_rank"].meta_graphs[0]
    body = {"instances": [1.0, 2.0, 5.0]}
    assert [f.pointer for f in check_request(meta_graph, body, "predict", "strict")] == ["/instances/0", "/instances/1", "/instances/2"]
    assert check_request(meta_graph, body, "predict", "lenient") == []
    assert check_request(meta_graph, {"inputs": 2.0}, "predict", "strict") == []
    assert check_request(meta_graph, {"inputs": "x"}, "predict", "lenient")[0].pointer == "/inputs"


def test_paths_follow_method_names_and_version() -> None:
    document = openapi_document(savedmodel.read(REAL_MODEL), "m", version=3)
    assert sorted(document["paths"]) == [
        "/v1/models/m/versions/3",
        "/v1/models/m/versions/3/metadata",
        "/v1/models/m/versions/3:classify",
        "/v1/models/m/versions/3:predict",
        "/v1/models/m/versions/3:regress",
    ]
    predict = document["paths"]["/v1/models/m/versions/3:predict"]["post"]
    names = predict["requestBody"]["content"]["application/json"]["schema"]["allOf"][0]["properties"]["signature_name"]["enum"]
    assert names == sorted(savedmodel.read(REAL_MODEL).meta_graphs[0].signature_def)
    classify = document["paths"]["/v1/models/m/versions/3:classify"]["post"]
    enum = classify["requestBody"]["content"]["application/json"]["schema"]["allOf"][0]["properties"]["signature_name"]["enum"]
    assert enum == ["classification", "classify_scores_only", "serving_default"]


def test_unsupported_dtype_is_stated_not_fatal() -> None:
    document = openapi_document(BUILT["unsupported_dtype"], "u")
    validate_openapi(document)
    description = document["paths"]["/v1/models/u:predict"]["post"]["description"]
    assert "'c': DT_COMPLEX64 cannot be carried in TF Serving's REST JSON" in description


def test_keys_that_are_not_json_pointer_safe() -> None:
    document = openapi_document(BUILT["scalar_and_unknown_rank"], "k")
    validate_openapi(document)
    assert "predict.any-2f-rank-7e-key.request" in document["components"]["schemas"]
    meta_graph = BUILT["scalar_and_unknown_rank"].meta_graphs[0]
    body = {"signature_name": "any/rank~key", "inputs": [[1, [2]], 3]}
    assert check_request(meta_graph, body, "predict") == []
    body["inputs"] = [[1, ["x"]]]
    assert [f.pointer for f in check_request(meta_graph, body, "predict")] == ["/inputs/0/1/0"]


def _cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "sigdef", *args], input=stdin, capture_output=True, timeout=120)


def test_cli_openapi_and_check_request(tmp_path: Path) -> None:
    result = _cli("openapi", "--dir", str(REAL_MODEL), "--model_name", "est")
    assert result.returncode == 0, result.stderr
    validate_openapi(json.loads(result.stdout))
    ok = _cli("check-request", "--dir", str(REAL_MODEL), "-", stdin=b'{"instances": ["a", {"b64": "YQ=="}]}')
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, b"", b"")
    bad = tmp_path / "body.json"
    bad.write_text('{"signature_name": "predict_raw", "inputs": {"x": [[1, 2, 3]], "temperature": 1.0}}')
    result = _cli("check-request", "--dir", str(REAL_MODEL), str(bad))
    assert result.returncode == 1
    assert result.stdout.decode() == f"{bad}:/inputs/x/0: maxItems [1, 2, 3] is too long\n"
    result = _cli("check-request", "--dir", str(REAL_MODEL), "--verb", "classify", "-", stdin=b'{"examples": [{"a": [1, 2.5], "b": null}]}')
    assert result.returncode == 1 and b"<stdin>:/examples/0/b: type" in result.stdout


@pytest.mark.parametrize(
    "body,message",
    [
        (b"{", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
        (b"", "not valid JSON"),
    ],
)
def test_cli_bad_bodies_exit_2(body: bytes, message: str) -> None:
    result = _cli("check-request", "--dir", str(REAL_MODEL), "-", stdin=body)
    assert result.returncode == 2 and message in result.stderr.decode() and b"Traceback" not in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_model_without_signatures(tmp_path: Path) -> None:
    savedmodel.write(tmp_path, BUILT["no_signatures"])
    result = _cli("openapi", "--dir", str(tmp_path))
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert sorted(document["paths"]) == [f"/v1/models/{tmp_path.name}", f"/v1/models/{tmp_path.name}/metadata"]
    result = _cli("check-request", "--dir", str(tmp_path), "-", stdin=b'{"instances": [1]}')
    assert result.returncode == 1 and b"has no signature 'serving_default' (it has: none)" in result.stdout


def test_huge_body_is_refused_by_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from sigdef import cli, requestcheck

    monkeypatch.setattr(requestcheck, "MAX_BODY", 1024)
    body = tmp_path / "huge.json"
    body.write_text('{"instances": [' + ", ".join(['"x"'] * 1000) + "]}")
    assert cli.main(["check-request", "--dir", str(REAL_MODEL), str(body)]) == 2
    assert "larger than" in capsys.readouterr().err
    with pytest.raises(requestcheck.BodyError, match="limit is 1024"):
        requestcheck.parse_body(b" " * 1025)


def test_openapi_signature_def_takes_several_keys() -> None:
    for argv in (["--signature_def", "predict", "regression"], ["--signature_def", "predict", "--signature_def", "regression"]):
        result = _cli("openapi", "--dir", str(REAL_MODEL), *argv)
        assert result.returncode == 0, result.stderr
        paths = json.loads(result.stdout)["paths"]
        assert sorted(p.rsplit(":", 1)[1] for p in paths if ":" in p) == ["predict", "regress"]
    missing = _cli("openapi", "--dir", str(REAL_MODEL), "--signature_def", "nope")
    assert missing.returncode == 2 and b"no signature 'nope'" in missing.stderr
