"""The `sigdef-gen` console script: without the `gen` extra, one line naming it, exit 2."""

from __future__ import annotations

import sys
from importlib.util import find_spec

# The import names of the `gen` extra's distributions (pyproject.toml).
GEN_MODULES = ("jinja2", "jsonschema", "black", "grpc_tools", "mypy_protobuf")


def main(argv: list[str] | None = None) -> int:
    missing = [name for name in GEN_MODULES if find_spec(name) is None]
    if missing:
        print(f"error: sigdef-gen needs the generator extra: pip install 'sigdef[gen]' (missing: {', '.join(missing)})", file=sys.stderr)
        return 2
    from .cli import main as run

    return run(argv)
