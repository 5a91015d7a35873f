"""`sigdef edit`: change one signature of a SavedModel from the shell, checked and atomic.

    sigdef edit --dir MODEL [--tag_set serve] --signature_def KEY ACTION
                [--output_dir DIR] [--dry_run] [--force] [--format json]

ACTION: --method_name NAME | --rename NEW_KEY | --remove | --from_json FILE (- = stdin)
| --copy_from OTHER_KEY. Exit 0 done, 1 refused by validate's checks (findings printed as
`sigdef validate` prints them; --force writes anyway), 2 bad arguments or an unreadable model.
Every check runs before anything is written; a failure leaves every file as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from . import savedmodel as sm
from .protos import MetaGraphDef, SavedModel, SignatureDef
from .terminal import error, escape, print_json, print_lines

__all__ = ["add_parser", "run"]

EXIT_OK, EXIT_REFUSED, EXIT_ERROR = 0, 1, 2
MAX_JSON_BYTES = 64 << 20
ACTIONS = ("method_name", "rename", "remove", "from_json", "copy_from")


def add_parser(sub: Any) -> None:
    """The `edit` subcommand, in saved_model_cli's flag style."""
    p = sub.add_parser("edit", help="change one signature of a SavedModel (method name, key, contents), checked and atomic", description=__doc__.split("\n\n")[0])
    p.set_defaults(run=run)
    p.add_argument("--dir", required=True, help="SavedModel directory (saved_model.pb or saved_model.pbtxt)")
    p.add_argument("--tag_set", default="serve", help="comma-separated tag-set of the MetaGraph (default: serve)")
    p.add_argument("--signature_def", required=True, metavar="KEY", help="the signature to edit")
    action = p.add_mutually_exclusive_group(required=True)
    action.add_argument("--method_name", metavar="NAME", help="set the method name, e.g. tensorflow/serving/classify")
    action.add_argument("--rename", metavar="NEW_KEY", help="move the signature to a new key")
    action.add_argument("--remove", action="store_true", help="remove the signature")
    action.add_argument("--from_json", metavar="FILE", help="add or replace KEY from a proto3-JSON SignatureDef (- for stdin)")
    action.add_argument("--copy_from", metavar="OTHER_KEY", help="add or replace KEY with a copy of OTHER_KEY")
    p.add_argument("--output_dir", help="copy the whole model directory here and edit the copy (must not exist or be empty)")
    p.add_argument("--dry_run", action="store_true", help="print the signature before and after; write nothing")
    p.add_argument("--force", action="store_true", help="write even if validate's checks refuse the result")
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except sm.SavedModelError as exc:
        return error(str(exc))
    except sm.SignatureRefused as exc:
        return _refused(args, exc.findings)
    except KeyError as exc:
        return error(f"{args.dir}: {exc.args[0]}")
    except ValueError as exc:
        return error(f"{args.dir}: {exc}")


def _run(args: argparse.Namespace) -> int:
    action = next(name for name in ACTIONS if getattr(args, name) not in (None, False))
    incoming = _signature_json(args.from_json) if action == "from_json" else None
    file = sm.model_file(args.dir)
    folder = file.parent
    sm.check_single_format(folder)
    if args.output_dir is not None:
        sm.check_output_dir(folder, args.output_dir)
    with sm.locked(file):
        model = sm.read(args.dir)
        meta_graph = sm.find_meta_graph(model, args.tag_set)
        key = args.signature_def
        new_key = args.rename if action == "rename" else key
        before = _copy(meta_graph, key)
        edit: dict[str, Any] = {
            "method_name": lambda: sm.set_method_name(model, args.tag_set, key, args.method_name, force=args.force),
            "rename": lambda: sm.rename_signature(model, args.tag_set, key, args.rename, force=args.force),
            "remove": lambda: sm.remove_signature(model, args.tag_set, key, force=args.force),
            "from_json": lambda: sm.set_signature(model, args.tag_set, key, incoming, force=args.force),  # type: ignore[arg-type]
            "copy_from": lambda: sm.copy_signature(model, args.tag_set, args.copy_from, key, force=args.force),
        }
        edit[action]()
        after = None if action == "remove" else _copy(meta_graph, new_key)
        written: Path | None = None
        fingerprint_removed = False
        if not args.dry_run:
            fingerprint = (folder / sm.FINGERPRINT).exists()
            if args.output_dir is not None:
                written = sm.copy_model(folder, args.output_dir, model, file.name)
                fingerprint_removed = fingerprint and not (written.parent / sm.FINGERPRINT).exists()
            else:
                stamp = _stamp(file)
                written = sm.write(file, model)
                fingerprint_removed = fingerprint and not (folder / sm.FINGERPRINT).exists()
                if _stamp(file) == stamp:
                    written = None  # the file already held this model: left untouched
    _report(args, action, file, (key, before), (new_key, after), written, fingerprint_removed)
    return EXIT_OK


def _stamp(file: Path) -> tuple[int, int]:
    info = os.stat(file)
    return info.st_ino, info.st_mtime_ns


def _signature_json(source: str) -> SignatureDef:
    """The SignatureDef of a JSON file or stdin; every problem a ValueError naming it."""
    where = "<stdin>" if source == "-" else source
    if source == "-":
        data = sys.stdin.buffer.read(MAX_JSON_BYTES + 1)
    else:
        try:
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise ValueError(f"--from_json {where}: {sm.os_problem(exc)}") from None
        with open(fd, "rb") as handle:
            mode = os.fstat(fd).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                raise ValueError(f"--from_json {where}: not a regular file or pipe")
            data = handle.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise ValueError(f"--from_json {where}: larger than {MAX_JSON_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"--from_json {where}: not UTF-8 (byte {exc.start})") from None
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"--from_json {where}: not valid JSON ({' '.join(str(exc).split())[:160]})") from None
    return sm.signature_from_json(document, f"--from_json {where}")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _copy(meta_graph: MetaGraphDef, key: str) -> SignatureDef | None:
    if key not in meta_graph.signature_def:
        return None
    copy = SignatureDef()
    copy.CopyFrom(meta_graph.signature_def[key])
    return copy


def _report(args: argparse.Namespace, action: str, file: Path, before: tuple[str, SignatureDef | None], after: tuple[str, SignatureDef | None], written: Path | None, fingerprint_removed: bool) -> None:
    tags = sorted(sm.tag_set(args.tag_set))
    if args.format == "json":
        from .jsonform import signature_to_json

        document = {
            "model": str(file),
            "tag_set": tags,
            "action": action,
            "before": {"key": before[0], "signature_def": signature_to_json(before[1]) if before[1] is not None else None},
            "after": {"key": after[0], "signature_def": signature_to_json(after[1]) if after[1] is not None else None},
            "dry_run": args.dry_run,
            "written": str(written) if written else None,
            "fingerprint_removed": fingerprint_removed,
            "findings": [],
        }
        print_json(document)
        return
    lines: list[str] = []
    for label, (key, signature) in (("Before", before), ("After", after)):
        lines.append(f"{label}: signature_def['{key}']:" if signature is not None else f"{label}: no signature_def['{key}']")
        if signature is not None:
            lines.extend(_show(tags, key, signature))
    if args.dry_run:
        lines.append("Dry run: nothing written.")
    elif written is None:
        lines.append("Unchanged: the model file already holds this; nothing written.")
    else:
        lines.append(f"Wrote {written}")
    if fingerprint_removed:
        lines.append(f"Removed {sm.FINGERPRINT}: its checksums described the model before the edit (TensorFlow and TF Serving load models without one).")
    print_lines(escape(line) for line in lines)


def _show(tags: list[str], key: str, signature: SignatureDef) -> list[str]:
    from .inspect import show_signature

    meta_graph = MetaGraphDef()
    meta_graph.meta_info_def.tags.extend(tags)
    meta_graph.signature_def[key].CopyFrom(signature)
    return ["  " + line for line in show_signature(SavedModel(meta_graphs=[meta_graph]), ",".join(tags), key)]


def _refused(args: argparse.Namespace, findings: list[Any]) -> int:
    if args.format == "json":
        print_json({"model": args.dir, "findings": [f.as_json() for f in findings]})
    else:
        print_lines(str(f) for f in findings)
    error(f"{args.dir}: edit refused by validate's checks (nothing written; --force writes it anyway)")
    return EXIT_REFUSED
