"""`sigdef-gen`: generate and check the bindings. User mistakes print `file: /pointer: message`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .errors import SchemaError, one_line
from .load import BUNDLED_SCHEMAS
from .pipeline import Options, generate_files, layout_for
from .resources import cache_dir
from .write import diff, pending, plan, publish

EXIT_OK, EXIT_STALE, EXIT_ERROR = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except SchemaError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    except RecursionError:
        print("error: schemas are nested too deeply to process", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(one_line(f"error: {exc.filename or ''}: {exc.strerror}"), file=sys.stderr)
        return EXIT_ERROR


def _options(args: argparse.Namespace) -> Options:
    return Options(
        schemas=Path(args.schemas),
        out=Path(args.out) if getattr(args, "out", None) else None,
        package=getattr(args, "package", None),
        templates=Path(args.templates) if getattr(args, "templates", None) else None,
        cache=None if getattr(args, "no_cache", False) else cache_dir(),
    )


def _generate(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    options = _options(args)
    package, files = generate_files(options)
    layout = layout_for(options, package.name)
    result = publish(layout, package.name, files, force=args.force, wait=not args.no_wait)
    if args.verbose:
        for label, paths in (("wrote", result.written), ("removed", result.removed)):
            for path in paths:
                print(f"{label} {path}")
    for path in result.kept:
        print(f"sigdef-gen: kept {path}: no longer generated, but edited by hand", file=sys.stderr)
    if not args.quiet:
        print(
            f"sigdef-gen: {len(result.written)} written, {len(result.unchanged)} unchanged, "
            f"{len(result.removed)} removed in {time.perf_counter() - start:.2f} s"
        )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    options = _options(args)
    package, files = generate_files(options)
    layout = layout_for(options, package.name)
    journal = pending(layout)
    if journal is not None:
        print(f"sigdef-gen check: {journal}: a generate run was interrupted or is running; run `sigdef-gen generate`", file=sys.stderr)
        return EXIT_STALE
    text = diff(layout, package.name, files, Path.cwd())
    if text:
        sys.stdout.write(text)
        stale = plan(layout, package.name, files, force=True)
        print(f"sigdef-gen check: {len(stale.written) + len(stale.removed)} file(s) out of date; run `sigdef-gen generate`", file=sys.stderr)
        return EXIT_STALE
    print(f"sigdef-gen check: {len(files)} files up to date")
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    from .lint import lint
    from .rules import RULES

    if args.list_rules:
        for rule in RULES.values():
            print(f"{rule.id:24} {rule.category:12} {rule.doc}")
        return EXIT_OK
    from .cache import Cache

    root = Path(args.schemas)
    for name in args.files:  # as pre-commit passes them: they pick the set, which is linted whole
        if not Path(name).is_file() or not Path(name).resolve().is_relative_to(root.resolve()):
            print(f"error: {name}: not a file in the schema directory {root} (set --schemas)", file=sys.stderr)
            return EXIT_ERROR
    problems = lint(root, args.package, Cache(_options(args).cache))
    _report(args.format, problems, lambda p: {})
    if args.format == "text":
        print(f"sigdef-gen lint: {len(problems)} problem(s)", file=sys.stderr)
    return EXIT_ERROR if problems else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from sigdef.diff_rules import rule_lines

    from .diff import Options, checkout, compare

    if args.list_rules:
        print("\n".join(rule_lines()))
        return EXIT_OK
    if args.samples < 0:
        print("error: --samples must be 0 or more", file=sys.stderr)
        return EXIT_ERROR
    options = Options(samples=args.samples, seed=args.seed)
    if args.against:
        if args.old or args.new:
            print("error: give either OLD NEW or --against GIT_REF", file=sys.stderr)
            return EXIT_ERROR
        schemas = Path(args.schemas or "schemas")
        tmp, old_root = checkout(args.against, schemas)
        with tmp:
            changes = compare(old_root, schemas, options)
    elif args.old and args.new and not args.schemas:
        changes = compare(Path(args.old), Path(args.new), options)
    else:
        print("error: give OLD_SCHEMAS NEW_SCHEMAS, or --against GIT_REF [--schemas DIR]", file=sys.stderr)
        return EXIT_ERROR
    breaking = [c for c in changes if c.breaking]
    if args.format == "json":
        print(json.dumps([c.as_json() for c in changes], indent=2, sort_keys=True, default=str))
    else:
        for change in changes:
            print(change)
        print(f"sigdef-gen diff: {len(breaking)} breaking, {len(changes) - len(breaking)} compatible", file=sys.stderr)
    return EXIT_STALE if breaking else EXIT_OK


def _report(fmt: str, items: Sequence[Any], extra: Callable[[Any], dict[str, Any]]) -> None:
    """Print located findings (Problem or Change) one per line, or as a JSON array."""
    if fmt == "json":
        rows = [{"file": i.location.file, "pointer": i.location.pointer, "rule": i.rule, **extra(i), "message": i.message} for i in items]
        print(json.dumps(rows, indent=2))
    else:
        for item in items:
            print(item)


def _docs(args: argparse.Namespace) -> int:
    options = _options(args)
    package, files = generate_files(options)
    docs = {k: v for k, v in files.items() if k.startswith("docs/")}
    result = publish(layout_for(options, package.name), package.name, docs, force=args.force, wait=not args.no_wait)
    print(f"sigdef-gen docs: {len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.removed)} removed")
    return EXIT_OK


def _client(args: argparse.Namespace) -> int:
    from sigdef.savedmodel import SavedModelError

    from .cache import Cache
    from .client import build_client, client_files
    from .templating import environment
    from .write import Layout

    out = Path(args.out)
    cache = Cache(None if args.no_cache else cache_dir())
    try:
        client = build_client(Path(args.dir), args.package, tag_set=args.tag_set, model_name=args.model_name, mode=args.mode)
    except SavedModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    files = client_files(client, environment(Path(args.templates) if args.templates else None), cache)
    result = publish(Layout(package=out, tests=out / "tests", docs=out / "docs"), client.name, files)
    print(f"sigdef-gen client: {len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.removed)} removed")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sigdef-gen", description="Generate TensorFlow SignatureDef bindings from JSON Schemas.")
    parser.add_argument("--version", action="version", version=f"sigdef-gen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, run, helptext in (
        ("generate", _generate, "write the package, its tests and docs"),
        ("check", _check, "exit 1 with a diff when the output on disk is stale"),
        ("docs", _docs, "write only the Markdown reference (docs/reference/)"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.set_defaults(run=run)
        p.add_argument("--schemas", default=str(BUNDLED_SCHEMAS), help="schema directory (default: the bundled schemas/)")
        p.add_argument("--out", help="output directory (default: generated/)")
        p.add_argument("--package", help="package name (default: sigdef for the bundled schemas)")
        p.add_argument("--templates", help="directory of template overrides")
        p.add_argument("--no-cache", action="store_true", help="do not use the .sigdef-cache formatting cache")
        if name != "check":
            p.add_argument("--force", action="store_true", help="overwrite files in the way that sigdef-gen did not generate")
            p.add_argument("--no-wait", action="store_true", help="exit 2 instead of waiting while another run writes the same output")
        if name == "generate":
            p.add_argument("--quiet", action="store_true")
            p.add_argument("--verbose", action="store_true")
    p = sub.add_parser("lint", help="check schemas: meta-schema and semantic rules, with rule IDs")
    p.set_defaults(run=_lint)
    p.add_argument("files", nargs="*", metavar="FILE", help="schema files (as pre-commit passes them): each must be in --schemas, whose whole set is linted, since a change to one file can break a $ref in another")
    p.add_argument("--schemas", default=str(BUNDLED_SCHEMAS))
    p.add_argument("--package", help="package name to check names against (default: as generate)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--list-rules", action="store_true", help="list every rule ID with its doc line")
    p = sub.add_parser("diff", help="breaking-change report between two schema directories (exit 1 if breaking)")
    p.set_defaults(run=_diff)
    p.add_argument("old", nargs="?", help="old schema directory")
    p.add_argument("new", nargs="?", help="new schema directory")
    p.add_argument("--against", metavar="GIT_REF", help="compare --schemas with the same directory of the current git repository at GIT_REF")
    p.add_argument("--schemas", help="with --against: the schema directory (default: ./schemas)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--list-rules", action="store_true", help="list every change rule")
    p.add_argument("--samples", type=int, default=100, help="documents generated per kind from the old schema (default 100)")
    p.add_argument("--seed", type=int, default=0, help="seed of the document generator (default 0)")
    p = sub.add_parser("client", help="a typed client package for one model's serving contract")
    p.set_defaults(run=_client)
    p.add_argument("--dir", required=True, help="SavedModel directory")
    p.add_argument("--out", required=True, help="output directory (the package and tests/ go there)")
    p.add_argument("--package", required=True, help="package name")
    p.add_argument("--model_name", help="the name TF Serving serves the model under (default: the directory's)")
    p.add_argument("--tag_set", default="serve")
    p.add_argument("--mode", choices=("strict", "lenient"), default="strict")
    p.add_argument("--templates", help="directory of template overrides")
    p.add_argument("--no-cache", action="store_true", help="do not use the .sigdef-cache formatting cache")
    return parser


if __name__ == "__main__":
    sys.exit(main())
