"""The official JSON Schema test suite (draft 2020-12) through the sigdef keyword compiler.

One test per suite case, id `<file>/<group index>/<test index>`. A group whose schema needs a keyword
outside the supported set (or a remote $ref) is skipped with that keyword as the reason;
everything else must pass, for both `is_valid_*` and `validate_*`.
"""

from __future__ import annotations

import json

import pytest

from sigdef_gen.jsc.compiler import SUPPORTED_KEYWORDS, CompileError
from sigdef_gen.jsc.suite import cases, compiled, out_of_scope_reason, suite_report
from sigdef_gen.load import BUNDLED_SCHEMAS

from datafiles import SCHEMA_SUITE as SUITE

CASES = list(cases(SUITE))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_suite_case(case) -> None:  # type: ignore[no-untyped-def]
    result = compiled(case.schema)
    if isinstance(result, CompileError):
        pytest.skip(f"out of scope: {out_of_scope_reason(result)}")
    validate, is_valid = result
    assert is_valid(case.data) is case.valid, case.description
    assert (validate(case.data) == []) is case.valid, case.description


def test_every_supported_validation_keyword_has_its_suite_file_run() -> None:
    report = suite_report(SUITE)
    print(f"\nJSON Schema suite: {report['run']} run, {report['passed']} passed, out of scope: {report['out_of_scope']}")
    assert report["failed"] == []
    files = {p.stem for p in SUITE.glob("*.json")}
    untested = {k for k in SUPPORTED_KEYWORDS if k in files and k not in report["files_run"]}
    assert not untested


def test_meta_schema_allows_exactly_the_supported_keywords() -> None:
    meta = json.loads((BUNDLED_SCHEMAS / "meta.schema.json").read_text())
    allowed = set(meta["$defs"]["schema"]["properties"]) - {"x-sigdef"}
    assert allowed == set(SUPPORTED_KEYWORDS)
