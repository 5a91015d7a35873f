"""The contract and the REST codec agree, and TF runs what the contract accepts.

Every body the strict contract accepts, the codec turns into a request (and, where TF is
installed, TF runs it on the model); every body the codec rejects for a shape or dtype
reason, the contract rejects. Bodies: generated from each signature (random batch sizes,
`-1` sizes and values in each dtype's range, row and columnar forms) and mutations of them.
"""

from __future__ import annotations

import base64
import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_models import BUILT, REAL_MODEL
from openapi_spec_validator import validate as validate_openapi

from sigdef import contract, savedmodel, serving
from sigdef.openapi import openapi_document
from sigdef.protos import Example, MetaGraphDef, SignatureDef
from sigdef.requestcheck import check_request

# What JSON Schema cannot state (README, "Serving contracts"): equal lengths along -1
# dimensions across instances and sibling lists, and equal depth under an unknown rank. The
# codec says so with these messages.
RAGGED = ("Expecting shape", "Expecting tensor size", "Encountered list at unexpected size", "found at incorrect level", "Encountered list at unexpected level")

_VALUES = {
    "DT_FLOAT": lambda r: round(r.uniform(-1e3, 1e3), 3),
    "DT_DOUBLE": lambda r: r.uniform(-1e6, 1e6),
    "DT_INT8": lambda r: r.randint(-128, 127),
    "DT_UINT8": lambda r: r.randint(0, 255),
    "DT_INT16": lambda r: r.randint(-(2**15), 2**15 - 1),
    "DT_INT32": lambda r: r.randint(-(2**31), 2**31 - 1),
    "DT_INT64": lambda r: r.randint(-(2**63), 2**63 - 1),
    "DT_UINT32": lambda r: r.randint(0, 2**32 - 1),
    "DT_UINT64": lambda r: r.randint(0, 2**64 - 1),
    "DT_BOOL": lambda r: r.random() < 0.5,
    "DT_STRING": lambda r: r.choice(["", "word", "ünï", {"b64": "AAEC"}]),
}


def _servable(signature: SignatureDef) -> bool:
    """Dense inputs of dtypes JSON carries (sparse and composite inputs are not REST inputs)."""
    return bool(signature.inputs) and all(i.WhichOneof("encoding") == "name" and contract.element_schema(i.dtype) for i in signature.inputs.values())


def _dims(signature: SignatureDef, name: str) -> list[int] | None:
    return contract.tensor_dims(signature.inputs[name])


def _tensor(rng: random.Random, dtype: str, shape: list[int], strings: tuple[Any, ...] | None) -> Any:
    if not shape:
        return rng.choice(strings) if strings is not None and dtype == "DT_STRING" else _VALUES[dtype](rng)
    return [_tensor(rng, dtype, shape[1:], strings) for _ in range(shape[0])]


def generated_bodies(key: str, signature: SignatureDef, seed: int, count: int, strings: tuple[Any, ...] | None = None) -> Iterator[dict[str, Any]]:
    """Bodies the strict contract must accept: consistent sizes, values in range, both forms
    (`strings`: the string values to draw from, where the model parses them)."""
    rng = random.Random(seed)
    names = sorted(signature.inputs)
    for _ in range(count):
        batch = rng.randint(1, 3)
        shapes = {}
        for name in names:
            dims = _dims(signature, name)
            dims = [rng.randint(1, 2) for _ in range(rng.randint(0, 2))] if dims is None else dims
            shapes[name] = [batch if i == 0 and d < 0 else (rng.randint(0, 3) if d < 0 else d) for i, d in enumerate(dims)]
        dtypes = {n: contract.dtype_name(signature.inputs[n].dtype) for n in names}
        columns = {n: _tensor(rng, dtypes[n], shapes[n], strings) for n in names}
        body: dict[str, Any] = {} if key == contract.DEFAULT_SIGNATURE else {"signature_name": key}
        row_ok = all(shapes[n] and shapes[n][0] == batch for n in names) and all(_dims(signature, n) != [] for n in names)
        if row_ok and rng.random() < 0.5:
            rows = [{n: columns[n][i] for n in names} for i in range(batch)]
            body["instances"] = rows if len(names) > 1 else [r[names[0]] for r in rows]
        else:
            body["inputs"] = columns if len(names) > 1 else columns[names[0]]
        yield body


def _mutations(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """(pointer, function making a mutated copy): wrong types, dropped and added members and items."""
    if isinstance(value, dict):
        for key, item in value.items():
            for p, m in _mutations(item, f"{pointer}/{key}"):
                yield p, (lambda v, key=key, m=m: {**v, key: m(v[key])})
            yield f"{pointer}/{key}", (lambda v, key=key: {k: x for k, x in v.items() if k != key})
        yield pointer, (lambda v: {**v, "unknown": 1})
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            for p, m in _mutations(item, f"{pointer}/{index}"):
                yield p, (lambda v, i=index, m=m: v[:i] + [m(v[i])] + v[i + 1 :])
        if value:
            yield pointer, (lambda v: v + [copy.deepcopy(v[-1])])
            yield pointer, (lambda v: v[:-1])
    else:
        for wrong in ("text", 2.5, True, None, -1, 2**64, [value]):
            if type(wrong) is not type(value):
                yield pointer, (lambda v, wrong=wrong: wrong)


def _models() -> list[tuple[str, MetaGraphDef]]:
    """The models with a signature the REST API can feed (the others: see test_contracts)."""
    models = [("tf1_estimator_like", savedmodel.find_meta_graph(savedmodel.read(REAL_MODEL), "serve"))]
    models += [(name, model.meta_graphs[0]) for name, model in BUILT.items()]
    return [(n, m) for n, m in models if any(_servable(s) for s in m.signature_def.values())]


def _codec(body: Any, signature: SignatureDef) -> str | None:
    """None when the codec makes a request of `body`, else its (TF Serving's) message."""
    try:
        serving.predict_request_from_json(json.dumps(body), signature)
    except ValueError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("name,meta_graph", _models(), ids=[n for n, _ in _models()])
def test_contract_and_codec_agree(name: str, meta_graph: MetaGraphDef) -> None:
    checked = 0
    for key, signature in sorted(meta_graph.signature_def.items()):
        if not _servable(signature):
            continue
        for body in generated_bodies(key, signature, seed=hash(key) & 0xFFFF, count=8):
            assert check_request(meta_graph, body, "predict") == [], (key, body)
            assert _codec(body, signature) is None, (key, body)
            for pointer, mutate in _mutations(body):
                mutated = mutate(body)
                findings = check_request(meta_graph, mutated, "predict")
                refused = _codec(mutated, signature)
                if not findings:
                    assert refused is None or any(r in refused for r in RAGGED), (key, pointer, mutated, refused)
                if refused is not None and not any(r in refused for r in RAGGED):
                    assert findings, (key, pointer, mutated, refused)
                checked += 1
    assert checked > 100


def test_tensorflow_runs_what_the_contract_accepts(tmp_path: Path) -> None:
    tf = pytest.importorskip("tensorflow")
    from tf_contract_models import build_tf_models

    dirs = {"tf1_estimator_like": REAL_MODEL, **build_tf_models(tmp_path)}
    ran = 0
    for name, folder in dirs.items():
        model = savedmodel.read(folder)
        validate_openapi(openapi_document(model, name))
        meta_graph = savedmodel.find_meta_graph(model, "serve")
        graph = tf.Graph()
        with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
            tf.compat.v1.saved_model.loader.load(session, ["serve"], str(folder))
            for key, signature in sorted(meta_graph.signature_def.items()):
                if not _servable(signature) or key.startswith("__"):
                    continue
                # The estimator's string inputs are serialized tf.Examples with a float feature x of 2.
                strings = ({"b64": _EXAMPLE_X},) if name == "tf1_estimator_like" else None
                for index, body in enumerate(generated_bodies(key, signature, seed=ran, count=3, strings=strings)):
                    assert check_request(meta_graph, body, "predict") == []
                    if index == 0:
                        _mutations_rejected_with_pointers(meta_graph, key, signature, body)
                    request = serving.predict_request_from_json(json.dumps(body), signature)
                    feed = {signature.inputs[k].name: tf.make_ndarray(_tf_proto(tf, v)) for k, v in request.inputs.items()}
                    fetch = {k: v.name for k, v in signature.outputs.items() if v.WhichOneof("encoding") == "name"}
                    session.run(fetch, feed_dict=feed)
                    ran += 1
    assert ran >= 20


def _mutations_rejected_with_pointers(meta_graph: MetaGraphDef, key: str, signature: SignatureDef, body: dict[str, Any]) -> None:
    """Each mutation the codec refuses for a dtype or shape reason, the contract refuses too,
    with a finding at the mutated place or above it."""
    for pointer, mutate in _mutations(body):
        mutated = mutate(body)
        refused = _codec(mutated, signature)
        if refused is None or any(r in refused for r in RAGGED):
            continue
        findings = check_request(meta_graph, mutated, "predict")
        assert findings, (key, pointer, refused)
        assert any(pointer.startswith(f.pointer) for f in findings), (key, pointer, findings)


def _example_x() -> str:
    example = Example()
    example.features.feature["x"].float_list.value.extend([0.5, 1.5])
    return base64.b64encode(example.SerializeToString()).decode("ascii")


_EXAMPLE_X = _example_x()


def _tf_proto(tf: Any, proto: Any) -> Any:
    return tf.make_tensor_proto(0).FromString(proto.SerializeToString())
