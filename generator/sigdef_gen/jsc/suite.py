"""Run the official JSON Schema test suite (draft 2020-12) through the keyword compiler."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .compiler import SUPPORTED_KEYWORDS, CompileError, UnresolvedRef, UnsupportedKeyword
from .render import compile_to_callables


@dataclass(frozen=True)
class Case:
    id: str  # "<file stem>/<group index>/<test index>"
    schema: Any
    data: Any
    valid: bool
    description: str


def cases(suite: Path) -> Iterator[Case]:
    """Every test of the suite's draft directory (e.g. `.../draft2020-12`), in file order."""
    for path in sorted(suite.glob("*.json")):
        for g, group in enumerate(json.loads(path.read_text("utf-8"))):
            for t, test in enumerate(group["tests"]):
                yield Case(f"{path.stem}/{g}/{t}", group["schema"], test["data"], test["valid"], f"{group['description']}: {test['description']}")


def out_of_scope_reason(error: CompileError) -> str:
    if isinstance(error, UnsupportedKeyword):
        return error.keyword
    if isinstance(error, UnresolvedRef):
        return "remote $ref"
    return "invalid schema"


_compiled: dict[str, Any] = {}


def compiled(schema: Any) -> Any:
    """(validate, is_valid) for a group schema, or the CompileError that keeps it out of scope."""
    key = json.dumps(schema, sort_keys=True)
    if key not in _compiled:
        try:
            _compiled[key] = compile_to_callables(schema, uri="https://json-schema.org/tests/root.json")
        except CompileError as error:
            _compiled[key] = error
    return _compiled[key]


def suite_report(suite: Path) -> dict[str, Any]:
    """Counts: run, passed, failed (ids), out of scope by the keyword that put it there."""
    run = passed = 0
    failed: list[str] = []
    out: Counter[str] = Counter()
    files_run: set[str] = set()
    for case in cases(suite):
        result = compiled(case.schema)
        if isinstance(result, CompileError):
            out[out_of_scope_reason(result)] += 1
            continue
        run += 1
        files_run.add(case.id.split("/")[0])
        validate, is_valid = result
        if is_valid(case.data) == case.valid and (validate(case.data) == []) == case.valid:
            passed += 1
        else:
            failed.append(case.id)
    return {"run": run, "passed": passed, "failed": failed, "out_of_scope": dict(sorted(out.items())), "files_run": sorted(files_run), "supported": sorted(SUPPORTED_KEYWORDS)}
