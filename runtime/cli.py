"""`sigdef`: inspect and validate SavedModels, check SignatureDef JSON, without TensorFlow.

Exit codes: 0 fine, 1 findings, 2 input that cannot be read (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .savedmodel import SavedModelError

    try:
        code: int = args.run(args)
        return code
    except SavedModelError as exc:
        return _error(str(exc))
    except KeyError as exc:
        return _error(f"{getattr(args, 'dir', '')}: {exc.args[0]}")


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _inspect(args: argparse.Namespace) -> int:
    from . import inspect
    from .savedmodel import read_with_ops

    model, ops = read_with_ops(args.dir)
    if args.format == "json":
        print(json.dumps(inspect.to_json(model, ops), indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.all:
        lines = inspect.show_all(model, ops)
    elif args.tag_set and args.signature_def:
        lines = inspect.show_signature(model, args.tag_set, args.signature_def)
    elif args.tag_set:
        lines = inspect.show_signature_keys(model, args.tag_set)
    else:
        lines = inspect.show_tag_sets(model)
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .modelcheck import check_model
    from .savedmodel import read_with_ops

    kinds = _custom_kinds(Path(args.schemas)) if args.schemas else _bundled_kinds()
    model, _ = read_with_ops(args.dir)
    tag_set = {t.strip() for t in args.tag_set.split(",") if t.strip()} if args.tag_set else None
    if tag_set is not None and not any(set(mg.meta_info_def.tags) == tag_set for mg in model.meta_graphs):
        return _error(f"{args.dir}: no MetaGraph with tag-set {','.join(sorted(tag_set))}")
    findings = check_model(model, kinds, tag_set)
    if args.format == "json":
        print(json.dumps([{"tags": list(f.tags), "signature": f.signature, "rule": f.rule, "message": f.message} for f in findings], indent=2))
    else:
        for finding in findings:
            print(finding)
    return EXIT_FINDINGS if findings else EXIT_OK


def _bundled_kinds() -> Mapping[str, Callable[[Any], list[Any]]]:
    from .validation import BY_METHOD

    return BY_METHOD


def _custom_kinds(schemas: Path) -> Mapping[str, Callable[[Any], list[Any]]]:
    """Validators compiled on the fly from a schema directory (needs sigdef's `gen` extra)."""
    import importlib

    try:  # an optional dependency: imported by name so the runtime never needs it
        errors, render, load, model = (importlib.import_module(f"sigdef_gen.{m}") for m in ("errors", "jsc.render", "load", "model"))
    except ImportError:
        raise SystemExit(_error(f"{schemas}: --schemas needs the generator (pip install 'sigdef[gen]')")) from None
    try:
        package = model.build_package(load.load_schema_set(schemas), "custom")
    except errors.SchemaError as exc:
        raise SystemExit(_error(str(exc.problems[0]))) from None
    namespace = render.load_module(package.validators)
    kinds = dict(_bundled_kinds())
    kinds.update({k.builder.method_name: namespace[f"validate_{k.name}"] for k in package.kinds if k.builder.method_name})
    return kinds


def _check_json(args: argparse.Namespace) -> int:
    from .validation import KINDS, validate

    if args.kind not in KINDS:
        return _error(f"unknown kind {args.kind!r}; known: {', '.join(sorted(KINDS))}")
    try:
        with open(args.file, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        return _error(f"{args.file}: {exc.strerror}")
    except (ValueError, RecursionError) as exc:
        return _error(f"{args.file}: not valid JSON ({exc})")
    findings = validate(document, args.kind)
    for finding in findings:
        print(f"{args.file}:{finding.doc_pointer or '/'}: {finding.keyword} {finding.message}")
    return EXIT_FINDINGS if findings else EXIT_OK


def _openapi(args: argparse.Namespace) -> int:
    from .contract import ContractError
    from .openapi import openapi_document
    from .savedmodel import read

    model = read(args.dir)
    name = args.model_name or _default_model_name(Path(args.dir))
    try:
        document = openapi_document(model, name, tag_set=args.tag_set, keys=args.signature_def, version=args.model_version, mode=args.mode)
    except ContractError as exc:
        return _error(f"{args.dir}: {exc}")
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
    return EXIT_OK


def _default_model_name(directory: Path) -> str:
    """The model's name in a TF Serving base path: MODEL/VERSION/saved_model.pb names it MODEL."""
    resolved = directory.resolve()
    return resolved.parent.name if resolved.name.isdigit() and resolved.parent.name else resolved.name


def _check_request(args: argparse.Namespace) -> int:
    from .requestcheck import BodyError, check_request, parse_body
    from .savedmodel import find_meta_graph, read

    meta_graph = find_meta_graph(read(args.dir), args.tag_set)
    source = "<stdin>" if args.request == "-" else args.request
    try:
        data = sys.stdin.buffer.read() if args.request == "-" else Path(args.request).read_bytes()
    except OSError as exc:
        return _error(f"{source}: {exc.strerror}")
    try:
        body = parse_body(data)
        findings = check_request(meta_graph, body, args.verb, args.mode)
    except BodyError as exc:
        return _error(f"{source}: {exc}")
    except ImportError as exc:
        return _error(str(exc))
    for finding in findings:
        print(f"{source}:{finding.pointer or '/'}: {finding.keyword} {finding.message}")
    return EXIT_FINDINGS if findings else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    import importlib

    from .savedmodel import read

    try:
        from .modeldiff import diff_models

        if args.list_rules:
            rules = importlib.import_module("sigdef_gen.diff_rules").CHANGE_RULES
            for rule in rules.values():
                print(f"{rule.id}  [{rule.category}]  {rule.doc}")
            return EXIT_OK
        if not args.old or not args.new:
            return _error("diff: give OLD_MODEL and NEW_MODEL")
        changes = diff_models(read(args.old), read(args.new), args.tag_set)
    except ImportError as exc:
        return _error(str(exc))
    if args.format == "json":
        print(json.dumps([c.as_json() for c in changes], indent=2, ensure_ascii=False))
    else:
        for change in changes:
            print(change)
        broken = sum(c.breaking for c in changes)
        print(f"{broken} breaking, {len(changes) - broken} compatible")
    return EXIT_FINDINGS if any(c.breaking for c in changes) else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sigdef", description="TensorFlow SignatureDefs and SavedModels without TensorFlow.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("inspect", help="show a SavedModel's tag-sets and signatures, as saved_model_cli show")
    p.set_defaults(run=_inspect)
    p.add_argument("--dir", required=True, help="SavedModel directory (saved_model.pb or saved_model.pbtxt)")
    p.add_argument("--tag_set", help="comma-separated tag-set of one MetaGraph, e.g. serve")
    p.add_argument("--signature_def", help="signature key (with --tag_set)")
    p.add_argument("--all", action="store_true", help="every MetaGraph, signature and op type")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("validate", help="check every signature against the schemas and TF Serving's rules")
    p.set_defaults(run=_validate)
    p.add_argument("--dir", required=True)
    p.add_argument("--schemas", help="a schema directory of your own kinds (needs sigdef[gen])")
    p.add_argument("--tag_set", help="only this MetaGraph, e.g. serve")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("check-json", help="validate a proto3-JSON SignatureDef file against a signature kind")
    p.set_defaults(run=_check_json)
    p.add_argument("file")
    p.add_argument("--kind", required=True, help="signature kind, e.g. classify, regress, predict")
    p = sub.add_parser("openapi", help="print an OpenAPI 3.1 document of TF Serving's REST API for the model")
    p.set_defaults(run=_openapi)
    p.add_argument("--dir", required=True, help="SavedModel directory")
    p.add_argument("--model_name", help="the name TF Serving serves it under (default: the directory's, or its parent's for a version directory)")
    p.add_argument("--tag_set", default="serve")
    p.add_argument("--signature_def", action="append", help="only these signatures (repeatable; default: all)")
    p.add_argument("--model_version", type=int, help="paths under /versions/N")
    p.add_argument("--mode", choices=("strict", "lenient"), default="strict", help="strict: declared shapes enforced; lenient: dtypes and structure")
    p = sub.add_parser("check-request", help="check a REST request body against the model's serving contract")
    p.set_defaults(run=_check_request)
    p.add_argument("--dir", required=True, help="SavedModel directory")
    p.add_argument("--tag_set", default="serve")
    p.add_argument("--verb", choices=("predict", "classify", "regress"), default="predict")
    p.add_argument("--mode", choices=("strict", "lenient"), default="strict")
    p.add_argument("request", help="the JSON body (- for stdin)")
    p = sub.add_parser("diff", help="breaking changes of a model version's serving contract (exit 1 if breaking)")
    p.set_defaults(run=_diff)
    p.add_argument("old", nargs="?", help="old SavedModel directory")
    p.add_argument("new", nargs="?", help="new SavedModel directory")
    p.add_argument("--tag_set", default="serve")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--list-rules", action="store_true", help="list every change rule (shared with sigdef-gen diff)")
    return parser
