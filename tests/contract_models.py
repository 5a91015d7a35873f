"""SavedModels for the serving-contract tests: the real one in tests/data and small built ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sigdef
from sigdef.protos import SavedModel

REAL_MODEL = Path(__file__).resolve().parent / "data" / "conformance" / "savedmodels" / "tf1_estimator_like"
T = sigdef.tensor


def _model(signatures: dict[str, Any]) -> SavedModel:
    model = SavedModel()
    meta_graph = model.meta_graphs.add()
    meta_graph.meta_info_def.tags.append("serve")
    for key, signature in signatures.items():
        meta_graph.signature_def[key].CopyFrom(signature)
    return model


def _predict(inputs: dict[str, Any], outputs: dict[str, Any] | None = None) -> Any:
    return sigdef.predict_signature_def(inputs, outputs or {"y": T("y:0", "float32", [None])})


BUILT = {
    "every_dtype": _model(
        {
            "serving_default": _predict(
                {
                    "f": T("f:0", "float32", [None, 2]),
                    "d": T("d:0", "float64", [None]),
                    "i8": T("i8:0", "int8", [None]),
                    "u8": T("u8:0", "uint8", [None]),
                    "i16": T("i16:0", "int16", [None]),
                    "i32": T("i32:0", "int32", [None, 3]),
                    "i64": T("i64:0", "int64", [None]),
                    "u32": T("u32:0", "uint32", [None]),
                    "u64": T("u64:0", "uint64", [None]),
                    "b": T("b:0", "bool", [None]),
                    "s": T("s:0", "string", [None]),
                },
                {"y_bytes": T("yb:0", "string", [None]), "z": T("z:0", "float32", [None, 2])},
            ),
        }
    ),
    "scalar_and_unknown_rank": _model(
        {
            "serving_default": _predict({"x": T("x:0", "float32", [])}),
            "any/rank~key": _predict({"v": T("v:0", "int64", None)}),
            "two": _predict({"a": T("a:0", "string", [None, 2]), "t": T("t:0", "float32", [])}),
        }
    ),
    "unsupported_dtype": _model({"serving_default": _predict({"c": T("c:0", "complex64", [None])})}),
    "no_signatures": _model({}),
    "classify_regress": _model(
        {
            "serving_default": sigdef.classification_signature_def(T("e:0", "string", [None]), None, T("s:0", "float32", [None, 3])),
            "reg": sigdef.regression_signature_def(T("e:0", "string", [None]), T("o:0", "float32", [None, 1])),
        }
    ),
}


