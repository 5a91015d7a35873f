"""`sigdef request`: the gRPC request TF Serving makes of a REST body for a model, checked
TF-free before it reaches a server (exit 1 with TF Serving's message when it would reject it)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["add_parser"]

EXIT_OK, EXIT_REJECTED, EXIT_ERROR = 0, 1, 2
DEFAULT_SIGNATURE = "serving_default"  # kDefaultServingSignatureDefKey
VERB_METHODS = {"classify": "tensorflow/serving/classify", "regress": "tensorflow/serving/regress"}


def add_parser(sub: Any) -> None:
    """The `request` subcommand on the `sigdef` CLI's subparsers."""
    p = sub.add_parser("request", help="print the gRPC request TF Serving makes of a REST JSON body for a model (TF Serving's checks)")
    p.set_defaults(run=run)
    p.add_argument("body", metavar="REQUEST.json", help="the REST request body; - reads stdin")
    p.add_argument("--dir", required=True, help="SavedModel directory (saved_model.pb or saved_model.pbtxt)")
    p.add_argument("--tag_set", default="serve", help="tag-set of the served MetaGraph (default: serve)")
    p.add_argument("--signature_def", help="signature key (default: the body's signature_name, else serving_default)")
    p.add_argument("--verb", choices=("predict", "classify", "regress"), default="predict", help="the REST verb, as in /v1/models/M:predict")
    p.add_argument("--format", choices=("text", "json", "binary"), default="text", help="output: protobuf text format, proto3 JSON or wire bytes")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_ERROR


def run(args: argparse.Namespace) -> int:
    from ..savedmodel import find_meta_graph, read
    from .request import classification_request_from_json, predict_request_from_json, regression_request_from_json

    name = "<stdin>" if args.body == "-" else args.body
    try:
        body = sys.stdin.buffer.read() if args.body == "-" else open(args.body, "rb").read()
    except OSError as exc:
        return _fail(f"{name}: {exc.strerror or exc}")
    signatures = find_meta_graph(read(args.dir), args.tag_set).signature_def  # unreadable model: exit 2 in sigdef.cli
    try:
        if args.verb == "predict":

            def info_map(body_name: str) -> Any:
                key = args.signature_def or body_name or DEFAULT_SIGNATURE  # HttpRestApiHandler::GetInfoMap
                if key not in signatures:
                    raise ValueError(f'Serving signature name: "{key}" not found in signature def')
                return signatures[key]

            request: Any = predict_request_from_json(body, info_map)
        else:
            fill = classification_request_from_json if args.verb == "classify" else regression_request_from_json
            request = fill(body)
            _check_examples_signature(args.verb, signatures, args.signature_def or request.model_spec.signature_name)
    except ValueError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    if args.signature_def:
        request.model_spec.signature_name = args.signature_def
    _write(request, args.format)
    return EXIT_OK


def _check_examples_signature(verb: str, signatures: Any, name: str) -> None:
    """Get{Classification,Regression}SignatureDef and PreProcess{Classification,Regression}
    as TF Serving runs them (method-name check off, its default)."""
    from google.protobuf import text_format

    key = name or DEFAULT_SIGNATURE
    if key not in signatures:
        raise ValueError(f"No signature was found with the name: {key}")
    signature = signatures[key]
    debug = text_format.MessageToString(signature)
    if len(signature.inputs) != 1:
        raise ValueError("Expected one input Tensor.")
    if verb == "classify":
        if len(signature.outputs) not in (1, 2):
            raise ValueError(f"Expected one or two output Tensors, found {len(signature.outputs)}")
        if "inputs" not in signature.inputs:
            raise ValueError(f"No classification inputs found in SignatureDef: {debug}")
        if "classes" not in signature.outputs and "scores" not in signature.outputs:
            raise ValueError(
                'Expected classification signature outputs to contain at least one of "classes" or "scores". Signature was: ' + debug
            )
    else:
        if len(signature.outputs) != 1:
            raise ValueError("Expected one output Tensor.")
        if "inputs" not in signature.inputs:
            raise ValueError(f"No regression inputs found in SignatureDef: {debug}")
        if "outputs" not in signature.outputs:
            raise ValueError(f"No regression outputs found in SignatureDef: {debug}")


def _write(request: Any, format: str) -> None:
    if format == "binary":
        sys.stdout.buffer.write(request.SerializeToString(deterministic=True))
        sys.stdout.buffer.flush()
        return
    if format == "json":
        from google.protobuf import json_format

        text = json_format.MessageToJson(request, indent=2, sort_keys=True)
    else:
        from google.protobuf import text_format

        text = text_format.MessageToString(request, as_utf8=True)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
