"""The message backend (`is_valid_<kind>_message`) and the JSON validators agree.

Every kind's message validator must decide exactly what its JSON validator decides on the
message's proto3-JSON form: on the recorded TF signatures, on random SignatureDef messages,
and on schemas written to exercise each keyword the backend walks, drops or converts.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from google.protobuf import json_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sigdef
from conformance import recorded
from sigdef.protos import SignatureDef, TensorInfo, TensorProto
from sigdef.validation import KINDS
from sigdef_gen.cache import Cache
from sigdef_gen.jsc.compiler import compile_schemas
from sigdef_gen.jsc.messages import specialize
from sigdef_gen.jsc.patterns import matches_every_integer
from sigdef_gen.jsc.render import load_module
from sigdef_gen.jsc.shapes import Shapes
from sigdef_gen.load import BUNDLED_SCHEMAS
from sigdef_gen.model import SIGNATURE_MESSAGE
from sigdef_gen.protos import message_shapes, proto_files

# -- random SignatureDef messages -----------------------------------------------------

KEYS = ["inputs", "outputs", "classes", "scores", "x", "", "extra"]
DTYPES = [0, 1, 2, 7, 9, 19, 101, 500]  # DT_INVALID, float, double, string, int64, half, a ref, unknown
METHODS = ["tensorflow/serving/classify", "tensorflow/serving/regress", "tensorflow/serving/predict",
           "tensorflow/supervised/training", "tensorflow/supervised/eval", "", "x"]


Pick = Callable[[Sequence[Any]], Any]  # chooses one of the options (hypothesis or random.Random)


def _picks(pick: Pick, options: Sequence[Any], most: int) -> list[Any]:
    """Up to `most` distinct options, chosen with `pick`."""
    return list(dict.fromkeys(pick(options) for _ in range(pick(range(most + 1)))))


def _tensor_info(pick: Pick, depth: int = 0) -> TensorInfo:
    info = TensorInfo(dtype=pick(DTYPES))
    encoding = pick(["none", "name", "empty_name", "coo", "composite"] if depth < 2 else ["none", "name"])
    if encoding == "name":
        info.name = pick(["x:0", "a/b:1"])
    elif encoding == "empty_name":
        info.name = ""
    elif encoding == "coo":
        info.coo_sparse.values_tensor_name = pick(["", "v:0"])
    elif encoding == "composite":
        info.composite_tensor.SetInParent()
        for _ in range(pick(range(3))):
            info.composite_tensor.components.add().CopyFrom(_tensor_info(pick, depth + 1))
    shape = pick(["none", "empty", "dims", "unknown"])
    if shape == "empty":
        info.tensor_shape.SetInParent()
    elif shape == "dims":
        for _ in range(pick(range(4))):
            info.tensor_shape.dim.add(size=pick([-1, 0, 3, 2**40]), name=pick(["", "batch"]))
    elif shape == "unknown":
        info.tensor_shape.unknown_rank = True
    return info


def _signature(pick: Pick) -> SignatureDef:
    """A SignatureDef near the kinds' boundaries: the choices are `pick`'s."""
    sig = SignatureDef(method_name=pick(METHODS))
    for section in (sig.inputs, sig.outputs):
        for key in _picks(pick, KEYS, 3):
            section[key].CopyFrom(_tensor_info(pick))
    for key in _picks(pick, KEYS, 2):
        default = sig.defaults[key]
        default.dtype = pick(DTYPES)
        default.float_val.extend(pick([0.5, -0.0, 1e30]) for _ in range(pick(range(3))))
        default.string_val.extend(pick([b"", b"ab"]) for _ in range(pick(range(3))))
    return sig


@st.composite
def signature_defs(draw: Any) -> SignatureDef:
    return _signature(lambda options: draw(st.sampled_from(options)))


def _agree(validators: dict[str, Any], names: list[str], sig: Any) -> None:
    document = json_format.MessageToDict(sig)
    for name in names:
        expected = validators[f"is_valid_{name}"](document)
        assert validators[f"is_valid_{name}_message"](sig) is expected, (name, document)


# -- the bundled kinds ----------------------------------------------------------------

@lru_cache(maxsize=1)
def bundled() -> dict[str, Any]:
    import importlib

    found: dict[str, Any] = {}
    for kind in KINDS:
        module = importlib.import_module(f"sigdef.validators.{kind}")
        found[f"is_valid_{kind}"] = getattr(module, f"is_valid_{kind}")
        found[f"is_valid_{kind}_message"] = getattr(module, f"is_valid_{kind}_message")
    return found


def _from_json(document: Any) -> SignatureDef | None:
    try:
        return json_format.ParseDict(document, SignatureDef())
    except (json_format.ParseError, TypeError, ValueError):
        return None


VECTOR_SIGNATURES = [s for s in recorded(lambda n: (n.get("signature_def") or {}).get("json") if isinstance(n.get("signature_def"), dict) else n.get("$signature_def")) if s is not None]


def test_every_kind_has_a_message_validator() -> None:
    assert sorted(k for k in bundled() if k.endswith("_message")) == sorted(f"is_valid_{k}_message" for k in KINDS)


def _classify(scores_dtype: int = 1) -> SignatureDef:
    sig = SignatureDef(method_name="tensorflow/serving/classify")
    sig.inputs["inputs"].dtype = 7  # type: ignore[assignment]
    sig.outputs["scores"].dtype = scores_dtype  # type: ignore[assignment]
    return sig


def _unknown_dtype_in(where: str) -> SignatureDef:
    sig = _classify()
    if where == "component":
        sig.outputs["scores"].composite_tensor.components.add().dtype = 999  # type: ignore[assignment]
    elif where == "default":
        sig.defaults["x"].dtype = 999  # type: ignore[assignment]
    else:
        sig.method_name = "tensorflow/serving/predict"
        sig.inputs["inputs"].dtype = 500  # type: ignore[assignment]
    return sig


@pytest.mark.parametrize("where", ["component", "default", "predict input"])
def test_unknown_dtype_numbers_are_valid_where_no_dtype_is_required(where: str) -> None:
    """TF's is_valid_signature reads only the dtypes a kind requires; proto3 JSON writes a
    number DataType does not name as that number, which the schemas accept there too."""
    import sigdef

    sig = _unknown_dtype_in(where)
    assert sigdef.is_valid_signature(sig)
    kind = "predict" if where == "predict input" else "classify"
    assert bundled()[f"is_valid_{kind}"](json_format.MessageToDict(sig))
    assert not sigdef.is_valid_signature(_classify(scores_dtype=999))


@pytest.mark.parametrize("index", range(len(VECTOR_SIGNATURES)))
def test_agree_on_recorded_signatures(index: int) -> None:
    sig = _from_json(VECTOR_SIGNATURES[index])
    assert sig is not None
    _agree(bundled(), list(KINDS), sig)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(signature_defs())
def test_agree_on_random_signatures(sig: SignatureDef) -> None:
    _agree(bundled(), list(KINDS), sig)


def test_is_valid_signature_reads_tensorflow_shaped_messages() -> None:
    """Any message with SignatureDef's fields works (TF's own protos are read the same way)."""
    examples = sigdef.tensor("e:0", "string", [None])
    sig = sigdef.classification_signature_def(examples, None, sigdef.tensor("s:0", "float32", [None, 3]))
    assert sigdef.is_valid_signature(sig)
    sig.outputs["scores"].dtype = 2  # type: ignore[assignment]
    assert not sigdef.is_valid_signature(sig)
    sig.outputs["scores"].dtype = 500  # type: ignore[assignment]  # an unknown DataType number
    assert not sigdef.is_valid_signature(sig)


# -- schemas exercising each walked keyword --------------------------------------------

TI = "urn:test:ti#/$defs"
SUPPORT = {
    "urn:test:ti": {
        "$defs": {
            "Info": {
                "type": "object",
                "properties": {
                    "dtype": {"enum": ["DT_FLOAT", "DT_STRING", "DT_INT64"]},
                    "name": {"type": "string", "minLength": 1},
                    "tensorShape": {"properties": {"dim": {"items": {"properties": {"size": {"pattern": "^-?[0-9]+$"}}}}}},
                    "compositeTensor": {"properties": {"components": {"items": {"$ref": "#/$defs/Info"}}}},
                },
                "additionalProperties": False,
            }
        }
    }
}
CUSTOM = {
    "walked": {"properties": {"inputs": {"additionalProperties": {"$ref": f"{TI}/Info"}}, "methodName": {"const": "x"}}, "required": ["inputs"]},
    "patterns": {"properties": {"outputs": {"patternProperties": {"^s": {"properties": {"dtype": {"const": "DT_FLOAT"}}}}, "additionalProperties": False}}},
    "counts": {"minProperties": 2, "maxProperties": 2, "properties": {"inputs": {"maxProperties": 1, "minProperties": 2}}},
    "unknown_required": {"required": ["nope"]},
    "combinators": {"anyOf": [{"required": ["inputs"]}, {"required": ["outputs"]}], "not": {"properties": {"methodName": {"const": ""}}, "required": ["methodName"]}},
    "one_of": {"oneOf": [{"required": ["inputs"]}, {"required": ["outputs"]}, {"properties": {"defaults": False}}]},
    "if_then": {"if": {"required": ["defaults"]}, "then": {"properties": {"defaults": {"additionalProperties": {"properties": {"floatVal": {"items": {"minimum": 0}}}}}}}, "else": {"required": ["methodName"]}},
    "floats_and_bytes": {"properties": {"defaults": {"additionalProperties": {"properties": {"floatVal": {"maxItems": 1, "items": {"type": "number"}}, "stringVal": {"items": {"maxLength": 2}}}}}}},
    "enum_types": {"properties": {"inputs": {"additionalProperties": {"properties": {"dtype": {"type": "string", "pattern": "^DT_[A-Z]+$"}}}}}},
    "int_enum": {"properties": {"inputs": {"additionalProperties": {"properties": {"dtype": {"type": "integer"}}}}}},
    "enum_union": {"properties": {"inputs": {"additionalProperties": {"properties": {"dtype": {"anyOf": [{"enum": ["DT_FLOAT", "DT_STRING"]}, {"type": "integer"}]}}}}}},
    "enum_union_all": {"required": ["outputs"], "properties": {"outputs": {"additionalProperties": {"properties": {"dtype": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}}}},
    "implied_presence": {"required": ["methodName", "inputs"], "properties": {"methodName": {"const": "x"}, "inputs": {"required": ["x"], "properties": {"x": {"required": ["dtype"], "properties": {"dtype": {"enum": ["DT_FLOAT", "DT_INVALID"]}}}}}}},
    "whole_values": {"properties": {"outputs": {"const": {}}, "inputs": {"propertyNames": {"maxLength": 2}, "dependentRequired": {"x": ["inputs"]}}}},
    "strings": {"properties": {"methodName": {"pattern": "^tensorflow/", "maxLength": 30}}, "dependentSchemas": {"inputs": {"required": ["outputs"]}}},
    "recursive": {"$ref": "#/$defs/Node", "$defs": {"Node": {"properties": {"inputs": {"additionalProperties": {"$ref": f"{TI}/Info"}}, "outputs": {"additionalProperties": {"properties": {"compositeTensor": {"properties": {"components": {"items": {"$ref": f"{TI}/Info"}}}}}}}}}}},
}


@lru_cache(maxsize=1)
def shapes() -> Shapes:
    proto_dir = BUNDLED_SCHEMAS / "proto"
    return message_shapes(proto_dir, proto_files(proto_dir), Cache(None))


@lru_cache(maxsize=1)
def custom() -> dict[str, Any]:
    registry = {**SUPPORT, **{f"urn:test:{name}": schema for name, schema in CUSTOM.items()}}
    module = compile_schemas([(name, f"urn:test:{name}") for name in CUSTOM], registry)
    specialize(module, shapes(), {name: SIGNATURE_MESSAGE for name in CUSTOM})
    return load_module(module)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(signature_defs())
def test_agree_on_keyword_schemas(sig: SignatureDef) -> None:
    _agree(custom(), list(CUSTOM), sig)


def test_keyword_schemas_see_both_outcomes() -> None:
    """The random messages reach both answers of every custom schema (the test can fail)."""
    rng = random.Random(7)
    seen: dict[str, set[bool]] = {name: set() for name in CUSTOM}
    validators = custom()
    for _ in range(600):
        sig = _signature(rng.choice)
        for name in CUSTOM:
            seen[name].add(validators[f"is_valid_{name}_message"](sig))
    assert {name for name, found in seen.items() if found != {True, False}} == {"unknown_required"}


def test_checks_the_proto_type_guarantees_are_dropped() -> None:
    """The bundled kinds' message validators read method names, map keys and the dtypes
    a kind names, nothing else: the TensorInfo checks all hold for any message (a dtype
    is a DataType name or an unknown number), so no shape, encoding or defaults walk."""
    for path in sorted((BUNDLED_SCHEMAS.parent / "generated/sigdef/validators").glob("*.py")):
        source = path.read_text()
        start = source.find("_message(message: Any) -> bool:")
        messages = source[start:] if start >= 0 else ""
        for walk in ("tensor_shape", "ListFields", "composite_tensor", "HasField", "= x0.defaults", "_m0(", "_P0"):
            assert walk not in messages, (path.name, walk)


# -- the int64 pattern prover ---------------------------------------------------------

PROVEN = [r"^-?[0-9]+$", r"^-?\d+$", r"[0-9]", r"", r"^(0|-?[1-9][0-9]*)$", r"^[^a]*$", r"\d$", r"^-?[0-9]*$", r"(?:-|)\d+"]
NOT_PROVEN = [r"^[0-9]+$", r"^-?[1-9][0-9]*$|^0$", r"^-?[0-9]{1,3}$", r"x", r"^$", r"(?=1)", r"^-?[0-9]+[a]$", r"^\d$", r"^-?[0-9]{1,20}$"]


@pytest.mark.parametrize("pattern", PROVEN)
def test_proven_patterns_match_every_integer(pattern: str) -> None:
    assert matches_every_integer(pattern)
    rng = random.Random(pattern)
    samples = [0, -1, 1, 2**63 - 1, -(2**63)] + [rng.randint(-(2**63), 2**63 - 1) >> rng.randint(0, 62) for _ in range(2000)]
    assert all(re.search(pattern, str(n)) for n in samples)


@pytest.mark.parametrize("pattern", NOT_PROVEN)
def test_other_patterns_are_not_proven(pattern: str) -> None:
    assert not matches_every_integer(pattern)
