"""Where the tests' data lives: tests/data/ (copies of the public shared data), env vars override."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"


def _path(variable: str, default: Path) -> Path:
    """`$variable` when set and non-empty, else the in-repo copy."""
    return Path(os.environ.get(variable) or default)


# TF 2.21 conformance vectors (recorded calls); SIGDEF_VECTORS points at another recording.
VECTORS = _path("SIGDEF_VECTORS", DATA / "conformance" / "vectors.json")
# A small real TF1 SavedModel and its `saved_model_cli show --all` output.
SAVEDMODELS = _path("SIGDEF_SAVEDMODELS", DATA / "conformance" / "savedmodels")
# The official JSON Schema test suite, draft 2020-12 (MIT, see its LICENSE).
SCHEMA_SUITE = _path("SIGDEF_SCHEMA_SUITE", DATA / "json-schema-test-suite" / "draft2020-12")
