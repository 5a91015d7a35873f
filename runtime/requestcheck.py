"""`sigdef check-request`: a REST body checked against a model's serving contract.

The contract (`contract.request_schema`) is JSON Schema 2020-12; its validators are compiled
by sigdef's keyword compiler (the generator's `jsc`, so this needs `sigdef[gen]`), once per
signature, verb and mode.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from . import contract
from .protos import MetaGraphDef, SignatureDef

__all__ = ["RequestFinding", "check_request", "compile_request_validator", "parse_body"]

MAX_BODY = 2**30  # bytes
DIALECT = "https://json-schema.org/draft/2020-12/schema"
_URI = "urn:sigdef:contract"
Validator = Callable[[object], list[Any]]


@dataclass(frozen=True)
class RequestFinding:
    """One way a body breaks the contract: where (JSON pointer), which keyword, why."""

    pointer: str
    keyword: str
    message: str


class BodyError(ValueError):
    """A body that is not a JSON document: not UTF-8, not JSON, too deep, too large."""


def parse_body(data: bytes) -> Any:
    """The JSON value of a body; NaN and Infinity tokens allowed, as TF Serving's parser allows them."""
    if len(data) > MAX_BODY:
        raise BodyError(f"body is {len(data)} bytes; the limit is {MAX_BODY}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(f"not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise BodyError("JSON nested too deeply") from None
    except ValueError as exc:
        raise BodyError(f"not valid JSON ({exc})") from None


def check_request(meta_graph: MetaGraphDef, body: Any, verb: str, mode: str = "strict") -> list[RequestFinding]:
    """Findings for `body` sent to `:verb` of the model whose serving MetaGraph is `meta_graph`."""
    if not isinstance(body, dict):
        return [RequestFinding("", "type", f"the body is a JSON {_json_type(body)}; TF Serving expects an object")]
    key = body.get("signature_name", contract.DEFAULT_SIGNATURE)
    if not isinstance(key, str):
        return [RequestFinding("/signature_name", "type", "'signature_name' key must be a string value")]
    signature = meta_graph.signature_def.get(key)
    if signature is None:
        known = ", ".join(sorted(meta_graph.signature_def)) or "none"
        return [RequestFinding("/signature_name" if "signature_name" in body else "", "signature", f"the model has no signature {key!r} (it has: {known})")]
    if verb not in contract.signature_verbs(signature):
        return [RequestFinding("", "verb", f"signature {key!r} has method {signature.method_name!r}, which TF Serving does not serve as {verb}")]
    validate = compile_request_validator(key, signature.SerializeToString(deterministic=True), verb, mode)
    return [RequestFinding(f.doc_pointer, f.keyword, f.message) for f in validate(body)]


@lru_cache(maxsize=64)
def compile_request_validator(key: str, signature_bytes: bytes, verb: str, mode: str) -> Validator:
    """Compile the contract of one signature and verb into a validator (needs sigdef's generator)."""
    try:  # an optional dependency: imported by name so the runtime never needs it
        render = importlib.import_module("sigdef_gen.jsc.render")
    except ImportError:
        raise ImportError("check-request compiles the contract with sigdef's generator: pip install 'sigdef[gen]'") from None
    components = contract.Components()
    name = contract.component_name(verb, key, "request")
    components.ref(name, lambda: contract.request_schema(components, key, SignatureDef.FromString(signature_bytes), verb, mode))
    document = {"$schema": DIALECT, "components": {"schemas": components.schemas}}
    validate, _ = render.compile_to_callables({"$schema": DIALECT, "$ref": f"{_URI}#/components/schemas/{name}"}, registry={_URI: document}, name="request")
    return cast(Validator, validate)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "array"
