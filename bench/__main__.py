"""Run every benchmark, print a table and rewrite BENCHMARKS.md.

    python -m bench            # full run (TF rows need the bench-tf extra)
    python -m bench --quick    # smoke test: few rounds, no TF, no targets judged
    python -m bench --only builders
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from .timing import Row

SUITES = ("builders", "startup", "validators", "inspect", "hostile", "generation", "tensor_proto", "serving_json", "contracts")
REPORT = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: few rounds, no TensorFlow, targets not judged")
    parser.add_argument("--only", choices=SUITES, action="append", help="run only these suites")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite BENCHMARKS.md")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for suite in args.only or SUITES:
        module = importlib.import_module(f"bench.{suite}")
        rows.extend(r if isinstance(r, Row) else Row(**r) for r in module.run(args.quick))
    if args.quick:
        for row in rows:
            row.met = None
    table = render(rows)
    print(table)
    if not args.no_write and not args.quick and not args.only:
        REPORT.write_text(header() + table + footer(), encoding="utf-8")
        print(f"wrote {REPORT}")
    return 0


def render(rows: list[Row]) -> str:
    lines = ["| what | sigdef | reference | ratio | target | met? | note |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "—" if r.ratio is None else f"{r.ratio:.1f}x"
        lines.append(f"| {r.name} | {r.sigdef} | {r.reference} | {ratio} | {r.target} | {r.verdict} | {r.note} |")
    return "\n".join(lines) + "\n"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def header() -> str:
    versions = ", ".join(f"{n} {_version(n)}" for n in ("protobuf", "tensorflow-cpu", "jsonschema", "fastjsonschema", "black", "jinja2"))
    return (
        "# Benchmarks\n\n"
        "Produced by `python -m bench` (see `bench/`); every ratio compares figures measured side by side in one run.\n"
        "Times are medians over repeated rounds, with the (min–max) spread.\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()} ({sys.implementation.name}); {versions}.\n\n"
    )


def footer() -> str:
    return (
        "\nA floor is the same result produced by hand-written code doing the least work we know"
        " of (on the same protobuf runtime), measured in the same run; a floor that is itself below"
        " a target marks a target sigdef cannot reach by tuning its generated code."
        " Rows marked NO are discussed in the closing notes of the issues that set their targets.\n"
    )


if __name__ == "__main__":
    sys.exit(main())
