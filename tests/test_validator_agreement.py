"""The compiled validators and jsonschema agree on every bundled kind schema (DESIGN rule 1)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import sigdef
from conformance import recorded
from sigdef.validation import KINDS
from sigdef_gen.load import BUNDLED_SCHEMAS, load_schema_set


@lru_cache(maxsize=1)
def reference_validators() -> dict[str, Draft202012Validator]:
    """jsonschema validators for each kind schema, with every bundled schema registered."""
    schemas = load_schema_set(BUNDLED_SCHEMAS)
    registry: Registry[Any] = Registry().with_resources((d.uri, Resource.from_contents(d.data)) for d in schemas.docs)
    validators = {}
    for doc in schemas.docs:
        kind = doc.data.get("x-sigdef", {}).get("kind", {}).get("name")
        if kind:
            validators[kind] = Draft202012Validator(doc.data, registry=registry)
    assert sorted(validators) == sorted(KINDS)
    return validators


def agree(document: Any) -> None:
    for kind, reference in reference_validators().items():
        expected = reference.is_valid(document)
        assert getattr(sigdef, f"is_valid_{kind}")(document) is expected, (kind, document)
        assert (getattr(sigdef, f"validate_{kind}")(document) == []) is expected, (kind, document)


def _signature_json(node: dict[str, Any]) -> Any:
    """A recorded result's proto3 JSON, or a `$signature_def` argument."""
    result = node.get("signature_def")
    if isinstance(result, dict) and "json" in result:
        return result["json"]
    return node.get("$signature_def")


DOCS = recorded(_signature_json)


@pytest.mark.parametrize("index", range(len(DOCS)))
def test_agree_on_vector_signatures(index: int) -> None:
    agree(DOCS[index])


def test_vectors_hold_many_signatures() -> None:
    assert len(DOCS) > 100


DTYPES = ["DT_FLOAT", "DT_STRING", "DT_DOUBLE", "DT_INT64", "DT_HALF", "DT_FLOAT_REF", "DT_NOPE", 1, 7]
KEYS = ["inputs", "outputs", "classes", "scores", "x", "", "extra"]

tensor_infos = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["x:0", "", "a/b:1"]),
        "dtype": st.sampled_from(DTYPES),
        "tensorShape": st.sampled_from([{}, {"unknownRank": True}, {"dim": [{"size": "-1"}, {"size": "3"}]}, {"dim": [{}]}, {"dim": [{"size": 3}]}, {"dim": "x"}]),
        "cooSparse": st.sampled_from([{"valuesTensorName": "v:0"}, {"bad": 1}]),
        "extra": st.just(1),
    },
)
signature_docs = st.fixed_dictionaries(
    {},
    optional={
        "methodName": st.sampled_from(["tensorflow/serving/classify", "tensorflow/serving/regress", "tensorflow/serving/predict", "tensorflow/supervised/training", "tensorflow/supervised/eval", "", "x", 5]),
        "inputs": st.dictionaries(st.sampled_from(KEYS), tensor_infos, max_size=3),
        "outputs": st.dictionaries(st.sampled_from(KEYS), tensor_infos, max_size=3),
        "defaults": st.dictionaries(st.sampled_from(KEYS), st.fixed_dictionaries({}, optional={"dtype": st.sampled_from(DTYPES)}), max_size=2),
    },
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS + ["methodName", "dtype", "name"]), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(signature_docs)
def test_agree_on_near_valid_signatures(document: Any) -> None:
    agree(document)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_agree_on_random_json(document: Any) -> None:
    agree(json.loads(json.dumps(document)))
