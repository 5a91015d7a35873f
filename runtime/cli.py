"""`sigdef`: inspect, validate and edit SavedModels, check SignatureDef JSON, without TensorFlow.

Exit codes: 0 fine, 1 findings, 2 input that cannot be read (one line on stderr, naming
the path), 141 when the reader of stdout went away (`sigdef ... | head`), as a Unix tool
killed by SIGPIPE. Every string from a model or a document is printed escaped
(`terminal.escape`): one finding is one line. `-` reads a file argument from stdin
(check-json's files; `--dir -` of inspect and validate: the model file itself).

A subcommand is `sub.add_parser(...)` with `set_defaults(run=function)` in `_parser`;
`main` runs it inside `terminal.run` (OS errors, closed pipes) and maps SavedModelError.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .terminal import STDIN, InputError, display_name, error, escape, print_json, print_lines, read_input, run

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MAX_JSON_BYTES = 16 * 2**20  # check-json: per document


def main(argv: list[str] | None = None) -> int:
    return run(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "model_from_stdin", False) and args.dir == STDIN:
        with tempfile.TemporaryDirectory(prefix="sigdef-stdin-") as folder:
            args.dir = _spool_model(Path(folder))
            return _run(args, folder)
    return _run(args, None)


def _run(args: argparse.Namespace, stdin_folder: str | None) -> int:
    """The subcommand's exit code; SavedModel problems as one error line (a model read
    from stdin named `<stdin>`, not by the temporary directory holding it)."""
    from .savedmodel import SavedModelError

    try:
        code: int = args.run(args)
        return code
    except (SavedModelError, KeyError) as exc:
        message = str(exc) if isinstance(exc, SavedModelError) else f"{getattr(args, 'dir', '')}: {exc.args[0]}"
        if stdin_folder is not None:
            message = re.sub(re.escape(stdin_folder) + r"(/saved_model\.pb(txt)?)?", "<stdin>", message)
        return error(message)


def _spool_model(folder: Path) -> str:
    """`--dir -`: stdin's bytes copied into `folder` as saved_model.pbtxt when they are
    text (they start with a field name or a comment), saved_model.pb otherwise."""
    from .savedmodel import MAX_BYTES, PB, PBTXT

    head = sys.stdin.buffer.read(1 << 16)
    first = head.lstrip()[:1]
    target = folder / (PBTXT if first.isalpha() or first == b"#" else PB)
    copied = len(head)
    with target.open("wb") as out:
        out.write(head)
        while chunk := sys.stdin.buffer.read(1 << 20):
            copied += len(chunk)
            if copied > MAX_BYTES:
                raise InputError(STDIN, f"larger than the {MAX_BYTES // 2**20} MiB limit")
            out.write(chunk)
    return str(folder)


def _inspect(args: argparse.Namespace) -> int:
    from . import inspect
    from .savedmodel import read, read_with_ops

    model, ops = read_with_ops(args.dir)
    if args.format == "json":
        print_json(inspect.to_json(model, ops))
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
    print_lines(lines)
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .modelcheck import check_model
    from .savedmodel import read_signatures

    kinds = _custom_kinds(Path(args.schemas)) if args.schemas else _bundled_kinds()
    model = read_signatures(args.dir)
    tag_set = {t.strip() for t in args.tag_set.split(",") if t.strip()} if args.tag_set else None
    if tag_set is not None and not any(set(mg.meta_info_def.tags) == tag_set for mg in model.meta_graphs):
        return error(f"{args.dir}: no MetaGraph with tag-set {','.join(sorted(tag_set))}")
    findings = check_model(model, kinds, tag_set)
    if args.format == "json":
        print_json([f.as_json() for f in findings])
    else:
        print_lines([str(finding) for finding in findings])
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
        raise SystemExit(error(f"{schemas}: --schemas needs the generator (pip install 'sigdef[gen]')")) from None
    try:
        package = model.build_package(load.load_schema_set(schemas), "custom")
    except errors.SchemaError as exc:
        raise SystemExit(error(str(exc.problems[0]))) from None
    namespace = render.load_module(package.validators)
    kinds = dict(_bundled_kinds())
    kinds.update({k.builder.method_name: namespace[f"validate_{k.name}"] for k in package.kinds if k.builder.method_name})
    return kinds


def _check_json(args: argparse.Namespace) -> int:
    from .validation import KINDS

    if args.kind is not None and args.kind not in KINDS:
        return error(f"unknown kind {args.kind!r}; known: {', '.join(sorted(KINDS))}")
    if args.files.count(STDIN) > 1:
        return error("'-' (stdin) given more than once")
    reports = [_check_document(name, args.kind) for name in args.files]
    if args.format == "json":
        print_json(reports)
    else:
        print_lines([f"{display_name(r['file'])}:{f['pointer'] or '/'}: {f['keyword']} {f['message']}" for r in reports for f in r["findings"]])
    failed = [r for r in reports if r["error"] is not None]
    for report in failed:
        error(report["error"])
    return EXIT_ERROR if failed else EXIT_FINDINGS if any(r["findings"] for r in reports) else EXIT_OK


def _check_document(name: str, kind: str | None) -> dict[str, Any]:
    """One file's report: its kind (given or inferred from `methodName`), findings, error."""
    from .jsondoc import JsonDocumentError, load_document
    from .validation import KINDS

    report: dict[str, Any] = {"file": name, "kind": kind, "findings": [], "error": None}
    try:
        document = load_document(read_input(name, MAX_JSON_BYTES))
        report["kind"] = kind = kind or _infer_kind(name, document)
    except InputError as exc:
        report["error"] = str(exc)
        return report
    except OSError as exc:
        report["error"] = f"{display_name(name)}: {exc.strerror or exc}"
        return report
    except JsonDocumentError as exc:
        where = display_name(name) if exc.pointer is None else f"{display_name(name)}:{exc.pointer or '/'}"
        report["error"] = f"{where}: {escape(exc.problem)}"
        return report
    report["findings"] = [
        {"pointer": f.doc_pointer, "keyword": f.keyword, "message": f.message, "schema_pointer": f.schema_pointer} for f in KINDS[kind](document)
    ]
    return report


def _infer_kind(name: str, document: Any) -> str:
    """The kind whose method name is the document's `methodName`; an InputError saying
    why not otherwise."""
    from .validation import BY_METHOD, KINDS

    by_method = {method: kind for kind, check in KINDS.items() for method, same in BY_METHOD.items() if same is check}
    method = document.get("methodName") if type(document) is dict else None
    if type(document) is not dict:
        why = f"the document is {_json_type(document)}, not an object"
    elif method is None:
        why = "it has no methodName"
    elif type(method) is not str or method not in by_method:
        why = f"methodName {method!r} is not one of {', '.join(sorted(by_method))}"
    else:
        return by_method[method]
    raise InputError(name, f"cannot infer the signature kind: {why}; give --kind ({', '.join(sorted(KINDS))})")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _openapi(args: argparse.Namespace) -> int:
    from .contract import ContractError, served_name
    from .openapi import openapi_document
    from .savedmodel import read

    model = read(args.dir)
    name = args.model_name or served_name(Path(args.dir))
    try:
        document = openapi_document(model, name, tag_set=args.tag_set, keys=args.signature_def, version=args.model_version, mode=args.mode)
    except ContractError as exc:
        return error(f"{display_name(args.dir)}: {escape(str(exc))}")
    print_json(document)
    return EXIT_OK


def _check_request(args: argparse.Namespace) -> int:
    from .requestcheck import MAX_BODY, BodyError, check_request, parse_body
    from .savedmodel import find_meta_graph, read

    meta_graph = find_meta_graph(read(args.dir), args.tag_set)
    source = display_name(args.request)
    try:
        body = parse_body(read_input(args.request, MAX_BODY))
        findings = check_request(meta_graph, body, args.verb, args.mode)
    except BodyError as exc:
        return error(f"{source}: {exc}")
    except ImportError as exc:
        return error(str(exc))
    print_lines(f"{source}:{escape(f.pointer or '/')}: {f.keyword} {escape(f.message)}" for f in findings)
    return EXIT_FINDINGS if findings else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from .diff_rules import rule_lines
    from .modeldiff import diff_models
    from .savedmodel import read

    if args.list_rules:
        print_lines(rule_lines())
        return EXIT_OK
    if not args.old or not args.new:
        return error("diff: give OLD_MODEL and NEW_MODEL")
    changes = diff_models(read(args.old), read(args.new), args.tag_set)
    if args.format == "json":
        print_json([c.as_json() for c in changes])
    else:
        broken = sum(c.breaking for c in changes)
        print_lines([*(escape(str(c)) for c in changes), f"{broken} breaking, {len(changes) - broken} compatible"])
    return EXIT_FINDINGS if any(c.breaking for c in changes) else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sigdef", description="TensorFlow SignatureDefs and SavedModels without TensorFlow.")
    parser.add_argument("--version", action="version", version=f"sigdef {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("inspect", help="show a SavedModel's tag-sets and signatures, as saved_model_cli show")
    p.set_defaults(run=_inspect, model_from_stdin=True)
    p.add_argument("--dir", required=True, help="SavedModel directory (saved_model.pb or saved_model.pbtxt; '-' = the file on stdin)")
    p.add_argument("--tag_set", help="comma-separated tag-set of one MetaGraph, e.g. serve")
    p.add_argument("--signature_def", help="signature key (with --tag_set)")
    p.add_argument("--all", action="store_true", help="every MetaGraph, signature and op type")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("validate", help="check every signature against the schemas and TF Serving's rules")
    p.set_defaults(run=_validate, model_from_stdin=True)
    p.add_argument("--dir", required=True, help="SavedModel directory, as for inspect ('-' = the file on stdin)")
    p.add_argument("--schemas", help="a schema directory of your own kinds (needs sigdef[gen])")
    p.add_argument("--tag_set", help="only this MetaGraph, e.g. serve")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("check-json", help="validate proto3-JSON SignatureDef files against their signature kinds")
    p.set_defaults(run=_check_json)
    p.add_argument("files", nargs="+", metavar="FILE", help="JSON files ('-' = stdin)")
    p.add_argument("--kind", help="signature kind, e.g. classify, regress, predict (default: from each file's methodName)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("openapi", help="print an OpenAPI 3.1 document of TF Serving's REST API for the model")
    p.set_defaults(run=_openapi)
    p.add_argument("--dir", required=True, help="SavedModel directory")
    p.add_argument("--model_name", help="the name TF Serving serves it under (default: the directory's, or its parent's for a version directory)")
    p.add_argument("--tag_set", default="serve")
    p.add_argument("--signature_def", action="extend", nargs="+", metavar="KEY", help="only these signatures (KEY ..., or repeated; default: all)")
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
    from .serving.cli import add_parser as add_request_parser

    add_request_parser(sub)
    _edit_parser(sub)
    return parser


def _edit_parser(sub: Any) -> None:
    """`sigdef edit`: see sigdef.modeledit."""
    from .modeledit import add_parser

    add_parser(sub)
