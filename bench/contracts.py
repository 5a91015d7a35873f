"""Serving contracts: check-request's compiled validator vs jsonschema and fastjsonschema on the
same request schema; `sigdef openapi` vs `sigdef inspect --all` on the 54.5 MB model."""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

import sigdef
from sigdef import contract
from sigdef.protos import SavedModel
from sigdef.requestcheck import compile_request_validator

from .inspect import write_model
from .timing import Row, interleaved, process_wall


def _signature() -> Any:
    t = sigdef.tensor
    inputs = {"dense": t("d:0", "float32", [None, 16]), "ids": t("i:0", "int64", [None, 4]), "text": t("s:0", "string", [None]), "mask": t("m:0", "bool", [None, 2])}
    return sigdef.predict_signature_def(inputs, {"y": t("y:0", "float32", [None])})


def _body(instances: int) -> dict[str, Any]:
    rng = random.Random(7)
    return {
        "instances": [
            {"dense": [rng.uniform(-1, 1) for _ in range(16)], "ids": [rng.randrange(1 << 40) for _ in range(4)], "text": f"word {i}", "mask": [True, False]}
            for i in range(instances)
        ]
    }


def _request_rows(quick: bool) -> list[Row]:
    signature = _signature()
    components = contract.Components()
    name = contract.component_name("predict", "serving_default", "request")
    components.ref(name, lambda: contract.request_schema(components, "serving_default", signature, "predict"))
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"#/components/schemas/{name}", "components": {"schemas": components.schemas}}
    body = _body(1000)
    mine = compile_request_validator("serving_default", signature.SerializeToString(deterministic=True), "predict", "strict")
    reference = Draft202012Validator(document)
    fast = fastjsonschema.compile({**document, "$schema": "http://json-schema.org/draft-07/schema#"})
    assert mine(body) == [] and reference.is_valid(body)
    fast(body)
    repeat = 3 if quick else 9
    s = interleaved({"sigdef": lambda: mine(body), "jsonschema": lambda: reference.is_valid(body), "fast": lambda: fast(body)}, number=1, repeat=repeat)
    label = "check-request, 1,000-instance predict body (4 inputs, 23 values each)"
    ratio = s["jsonschema"].median / s["sigdef"].median
    rows = [Row(label, s["sigdef"].ms(), f"{s['jsonschema'].ms()} jsonschema", ratio, ">= 20x faster", ratio >= 20)]
    ratio = s["fast"].median / s["sigdef"].median
    rows.append(Row(label, s["sigdef"].ms(), f"{s['fast'].ms()} fastjsonschema", ratio, "at least as fast", ratio >= 1.0))
    return rows


def _openapi_rows(quick: bool) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "big"
        pb = write_model(folder, 8 if quick else 52)
        size = f"{pb.stat().st_size / 1e6:.1f} MB"
        repeat = 3 if quick else 7
        openapi = process_wall([sys.executable, "-m", "sigdef", "openapi", "--dir", str(folder)], repeat=repeat)
        inspect = process_wall([sys.executable, "-m", "sigdef", "inspect", "--dir", str(folder), "--all"], repeat=repeat)
        ratio = openapi.median / inspect.median
        return [Row(f"sigdef openapi process, {size} model", openapi.ms(), f"{inspect.ms()} sigdef inspect --all", ratio, "<= 2x inspect --all", ratio <= 2)]


def run(quick: bool) -> list[Row]:
    assert SavedModel  # the protos load before timing
    return _request_rows(quick) + _openapi_rows(quick)
