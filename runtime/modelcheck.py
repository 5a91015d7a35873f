"""`sigdef validate`: check a SavedModel's signatures against the schemas and TF Serving's rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from .jsonform import signature_to_json
from .protos import SavedModel, SignatureDef
from .signature_constants import (
    CLASSIFY_INPUTS,
    CLASSIFY_METHOD_NAME,
    CLASSIFY_OUTPUT_CLASSES,
    CLASSIFY_OUTPUT_SCORES,
    DEFAULT_SERVING_SIGNATURE_DEF_KEY,
    PREDICT_METHOD_NAME,
    REGRESS_INPUTS,
    REGRESS_METHOD_NAME,
    REGRESS_OUTPUTS,
)
from .tag_constants import SERVING
from .types import BY_NAME, name_of

__all__ = ["RULES", "ModelFinding", "check_model"]

RESERVED_PREFIX = "__saved_model_"
STRING, FLOAT = BY_NAME["DT_STRING"].number, BY_NAME["DT_FLOAT"].number

RULES: dict[str, str] = {
    "SERVING_DEFAULT_MISSING": "A MetaGraph tagged 'serve' has no 'serving_default' signature (TF Serving's default).",
    "METHOD_UNKNOWN": "The method name is not one of the signature kinds' method names.",
    "NOT_SERVABLE": "A signature in a 'serve' MetaGraph has a method TF Serving does not run.",
    "SCHEMA": "The signature does not validate against its kind's schema (JSON pointer given).",
    "CLASSIFY_INPUT_COUNT": "TF Serving classify: Expected one input Tensor.",
    "CLASSIFY_OUTPUT_COUNT": "TF Serving classify: Expected one or two output Tensors.",
    "CLASSIFY_INPUT_KEY": "TF Serving classify: no input named 'inputs'.",
    "CLASSIFY_OUTPUT_KEYS": "TF Serving classify: outputs contain neither 'classes' nor 'scores'.",
    "CLASSIFY_DTYPE": "TF Serving classify: input must be DT_STRING, classes DT_STRING, scores DT_FLOAT.",
    "REGRESS_INPUT_COUNT": "TF Serving regress: Expected one input Tensor.",
    "REGRESS_OUTPUT_COUNT": "TF Serving regress: Expected one output Tensor.",
    "REGRESS_INPUT_KEY": "TF Serving regress: no input named 'inputs'.",
    "REGRESS_OUTPUT_KEY": "TF Serving regress: no output named 'outputs'.",
    "REGRESS_DTYPE": "TF Serving regress: input must be DT_STRING, output DT_FLOAT.",
    "PREDICT_EMPTY": "TF Serving predict: a signature needs at least one input and one output.",
}

Validator = Callable[[Any], list[Any]]


class ModelFinding(NamedTuple):
    tags: tuple[str, ...]
    signature: str
    rule: str
    message: str

    def __str__(self) -> str:
        """`[tag,set] signature_key: RULE message` (tags sorted, as `--tag_set` takes them);
        the CLI escapes it for the terminal."""
        return f"[{','.join(sorted(self.tags))}] {self.signature}: {self.rule} {self.message}"

    def as_json(self) -> dict[str, Any]:
        """The finding as `sigdef validate --format json` prints it."""
        return {"tags": list(self.tags), "signature": self.signature, "rule": self.rule, "message": self.message}


def check_model(model: SavedModel, kinds: Mapping[str, Validator], tag_set: set[str] | None = None) -> list[ModelFinding]:
    """Findings for every signature of the selected MetaGraphs; `kinds` maps method name ->
    validator (`validate_<kind>` over proto3 JSON)."""
    findings: list[ModelFinding] = []
    for meta_graph in model.meta_graphs:
        tags = tuple(meta_graph.meta_info_def.tags)
        if tag_set is not None and set(tags) != tag_set:
            continue
        serving = SERVING in tags
        if serving and DEFAULT_SERVING_SIGNATURE_DEF_KEY not in meta_graph.signature_def:
            findings.append(ModelFinding(tags, DEFAULT_SERVING_SIGNATURE_DEF_KEY, "SERVING_DEFAULT_MISSING", f"MetaGraph {list(tags)} has no {DEFAULT_SERVING_SIGNATURE_DEF_KEY!r} signature"))
        for key in sorted(meta_graph.signature_def):
            if not key.startswith(RESERVED_PREFIX):
                findings.extend(ModelFinding(tags, key, rule, message) for rule, message in _signature(meta_graph.signature_def[key], kinds, serving))
    return findings


def _signature(signature: SignatureDef, kinds: Mapping[str, Validator], serving: bool) -> list[tuple[str, str]]:
    method = signature.method_name
    validate = kinds.get(method)
    if validate is None:
        return [("METHOD_UNKNOWN", f"method name {method!r} is not one of {sorted(kinds)}")]
    found = [("SCHEMA", f"{f.doc_pointer or '/'}: {f.message}") for f in validate(signature_to_json(signature))]
    if not serving:
        return found
    if method == CLASSIFY_METHOD_NAME:
        found.extend(_classify(signature))
    elif method == REGRESS_METHOD_NAME:
        found.extend(_regress(signature))
    elif method == PREDICT_METHOD_NAME:
        if not signature.inputs or not signature.outputs:
            found.append(("PREDICT_EMPTY", f"{len(signature.inputs)} input(s), {len(signature.outputs)} output(s)"))
    else:
        found.append(("NOT_SERVABLE", f"method {method!r} is not classify, regress or predict"))
    return found


def _classify(signature: SignatureDef) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if len(signature.inputs) != 1:
        found.append(("CLASSIFY_INPUT_COUNT", "Expected one input Tensor."))
    if len(signature.outputs) not in (1, 2):
        found.append(("CLASSIFY_OUTPUT_COUNT", f"Expected one or two output Tensors, found {len(signature.outputs)}"))
    if CLASSIFY_INPUTS not in signature.inputs:
        found.append(("CLASSIFY_INPUT_KEY", f"No classification inputs found in SignatureDef (keys: {sorted(signature.inputs)})"))
    elif signature.inputs[CLASSIFY_INPUTS].dtype != STRING:
        found.append(("CLASSIFY_DTYPE", f"input {CLASSIFY_INPUTS!r} is {name_of(signature.inputs[CLASSIFY_INPUTS].dtype)}, expected DT_STRING"))
    outputs = signature.outputs
    if CLASSIFY_OUTPUT_CLASSES not in outputs and CLASSIFY_OUTPUT_SCORES not in outputs:
        found.append(("CLASSIFY_OUTPUT_KEYS", 'Expected classification signature outputs to contain at least one of "classes" or "scores".'))
    for key, dtype in ((CLASSIFY_OUTPUT_CLASSES, STRING), (CLASSIFY_OUTPUT_SCORES, FLOAT)):
        if key in outputs and outputs[key].dtype != dtype:
            found.append(("CLASSIFY_DTYPE", f"output {key!r} is {name_of(outputs[key].dtype)}, expected {name_of(dtype)}"))
    return found


def _regress(signature: SignatureDef) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if len(signature.inputs) != 1:
        found.append(("REGRESS_INPUT_COUNT", "Expected one input Tensor."))
    if len(signature.outputs) != 1:
        found.append(("REGRESS_OUTPUT_COUNT", "Expected one output Tensor."))
    for section, key, rule, dtype in ((signature.inputs, REGRESS_INPUTS, "REGRESS_INPUT_KEY", STRING), (signature.outputs, REGRESS_OUTPUTS, "REGRESS_OUTPUT_KEY", FLOAT)):
        if key not in section:
            found.append((rule, f"No regression {key} found in SignatureDef (keys: {sorted(section)})"))
        elif section[key].dtype != dtype:
            found.append(("REGRESS_DTYPE", f"{key!r} is {name_of(section[key].dtype)}, expected {name_of(dtype)}"))
    return found
