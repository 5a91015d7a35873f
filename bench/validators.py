"""Compiled validators vs jsonschema and fastjsonschema, on the same schema and documents."""

from __future__ import annotations

from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import sigdef
from sigdef_gen.load import BUNDLED_SCHEMAS, load_schema_set

from .timing import Row, interleaved


def _documents() -> dict[str, tuple[str, Any]]:
    ex = sigdef.tensor("examples:0", "string", [None])
    classify = sigdef.classification_signature_def(ex, sigdef.tensor("classes:0", "string", [None, 3]), sigdef.tensor("scores:0", "float32", [None, 3]))
    ins = {f"in{i}": sigdef.tensor(f"in{i}:0", "float32", [None, 8]) for i in range(20)}
    outs = {f"out{i}": sigdef.tensor(f"out{i}:0", "int64", [None]) for i in range(20)}
    predict = sigdef.predict_signature_def(ins, outs)
    from google.protobuf import json_format

    return {
        "3-tensor classify": ("classify", json_format.MessageToDict(classify)),
        "40-tensor predict": ("predict", json_format.MessageToDict(predict)),
    }


def run(quick: bool) -> list[Row]:
    number, repeat = (200, 5) if quick else (3000, 15)
    schemas = load_schema_set(BUNDLED_SCHEMAS)
    docs = {d.uri: d.data for d in schemas.docs}
    registry: Registry[Any] = Registry().with_resources((u, Resource.from_contents(d)) for u, d in docs.items())
    rows = []
    for label, (kind, document) in _documents().items():
        uri = f"https://sigdef.dev/schemas/signatures/{kind}.schema.json"
        mine = getattr(sigdef, f"is_valid_{kind}")
        reference = Draft202012Validator(docs[uri], registry=registry)
        fast = fastjsonschema.compile(docs[uri], handlers={"https": lambda ref: docs[ref.split("#")[0]]})
        assert mine(document) and reference.is_valid(document)
        fast(document)
        s = interleaved({"sigdef": lambda: mine(document), "jsonschema": lambda: reference.is_valid(document), "fast": lambda: fast(document)}, number=number if "classify" in label else number // 4, repeat=repeat)
        ratio = s["jsonschema"].median / s["sigdef"].median
        rows.append(Row(f"validate {label} (is_valid_{kind})", s["sigdef"].us(), f"{s['jsonschema'].us()} jsonschema", ratio, ">= 20x faster", ratio >= 20))
        ratio = s["fast"].median / s["sigdef"].median
        rows.append(Row(f"validate {label} (is_valid_{kind})", s["sigdef"].us(), f"{s['fast'].us()} fastjsonschema", ratio, "at least as fast", ratio >= 1.0))
    return rows
