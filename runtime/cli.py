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
    from .savedmodel import read, read_with_ops

    model, ops = read_with_ops(args.dir)
    if args.format == "json":
        print(json.dumps(inspect.to_json(model, ops), indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.all:
        tf2 = any(mg.object_graph_def for mg in model.meta_graphs)  # its function order needs the graphs
        lines = inspect.show_all(model, ops, [mg.graph_def for mg in read(args.dir).meta_graphs] if tf2 else None)
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
    return parser
