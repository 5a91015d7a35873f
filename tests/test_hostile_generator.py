"""The generator against hostile schemas (issue 13): data never becomes code, names never
collide, bad input is one located line with exit 2 (no traceback, bounded time), and lint
and generate report exactly the same problems."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sigdef_gen.cli import main

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "examples" / "text_embedding" / "schemas"
KIND_FILE = "signatures/text_embedding.schema.json"
CONSTANTS_FILE = "constants/acme_constants.schema.json"
STRINGS: list[str] = json.loads((HERE / "hostile" / "strings.json").read_text())["strings"]
HOSTILE_KIND_FILE = 'signatures/a"""; import os; os.system("echo INJECTED > PWNED"); """.schema.json'
HOSTILE_CONSTANTS_FILE = "constants/b'''\\ {dtype}\n$(touch PWNED) `x`.schema.json"
ALL = " | ".join(STRINGS)


def copy_example(tmp_path: Path) -> Path:
    schemas = tmp_path / "schemas"
    shutil.copytree(EXAMPLE, schemas)
    return schemas


def edit(schemas: Path, rel: str, change: Callable[[Any], None]) -> None:
    path = schemas / rel
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def plain(text: str) -> str:
    """`text` without the placeholders a check message may legitimately use."""
    return text.replace("{dtype}", "").replace("{type}", "")


def hostile_schemas(tmp_path: Path) -> Path:
    """The example schemas with hostile text in every field that reaches generated code."""
    schemas = copy_example(tmp_path)

    def constants(doc: Any) -> None:
        doc["title"] = doc["description"] = ALL
        for i, text in enumerate(STRINGS):
            doc["$defs"][f"HOSTILE_{i}"] = {"const": text, "description": text}
        for node in doc["$defs"].values():
            node["description"] = node["description"] + " " + ALL

    def kind(doc: Any) -> None:
        doc["title"] = doc["description"] = ALL
        for node in doc["$defs"].values():
            node["description"] = ALL
        spec = doc["x-sigdef"]["kind"]
        builder = spec["builder"]
        builder["description"] = ALL
        for arg in builder["args"]:
            arg["description"] = ALL
        for check in builder["checks"]:
            check["message"] = plain(ALL) + " " + check["message"]
        for call in spec["builder_examples"]:  # their expected messages change with the checks'
            if "error" in call:
                call["error"]["message"] = plain(ALL) + " " + call["error"]["message"]
        example = doc["examples"][0]
        example["inputs"]["text"]["name"] = ALL
        spec.setdefault("invalid_examples", []).append({text: text for text in STRINGS})
        none_check = next(c for c in builder["checks"] if c["id"] == "EMBED_TEXT_NONE")
        embeddings = spec["builder_examples"][0]["args"]["embeddings"]
        spec["builder_examples"].append(
            {"description": ALL, "args": {"text": None, "embeddings": embeddings}, "error": {"type": "ValueError", "message": none_check["message"]}}
        )

    edit(schemas, CONSTANTS_FILE, constants)
    edit(schemas, KIND_FILE, kind)
    (schemas / KIND_FILE).rename(schemas / HOSTILE_KIND_FILE)
    second = json.loads((schemas / CONSTANTS_FILE).read_text())
    second["$id"] = "https://acme.example/sigdef/constants/hostile.schema.json"
    second["x-sigdef"]["constants"]["module"] = "hostile_constants"
    second["$defs"] = {f"OTHER_{i}": {"const": text + " (other)", "description": text} for i, text in enumerate(STRINGS)}
    (schemas / HOSTILE_CONSTANTS_FILE).write_text(json.dumps(second))
    return schemas


def test_hostile_values_and_file_names_never_become_code(tmp_path: Path) -> None:
    """Render hostile text in every field and two file names, import the package, run its
    generated tests: all pass, every value round-trips, and nothing was executed."""
    schemas = hostile_schemas(tmp_path)
    out = tmp_path / "out"
    assert main(["generate", "--schemas", str(schemas), "--out", str(out), "--package", "acme_sigs", "--quiet"]) == 0
    env = {**os.environ, "PYTHONPATH": str(out)}
    probe = (
        "import json, sys\n"
        "from acme_sigs import acme_constants, hostile_constants\n"
        "from acme_sigs.kinds import text_embedding\n"
        f"strings = json.loads({json.dumps(json.dumps(STRINGS))})\n"
        "assert [getattr(acme_constants, f'HOSTILE_{i}') for i in range(len(strings))] == strings\n"
        "assert [getattr(hostile_constants, f'OTHER_{i}') for i in range(len(strings))] == [s + ' (other)' for s in strings]\n"
        "assert text_embedding.__doc__.startswith(' | '.join(strings))\n"
    )
    run = tmp_path / "run"
    run.mkdir()
    imported = subprocess.run([sys.executable, "-c", probe], cwd=run, env=env, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(out / "tests")], cwd=run, env=env, capture_output=True, text=True, timeout=300
    )
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and "failed" not in tests.stdout
    assert not [p for p in tmp_path.rglob("PWNED")] and not (REPO / "PWNED").exists()
    header = (out / "tests" / "test_text_embedding.py").read_text().splitlines()[0]
    assert header == f"# @generated by sigdef-gen 0.1.0 from {HOSTILE_KIND_FILE!r}. Do not edit."


def test_hostile_descriptions_in_the_bundled_schemas_export_outputs_included(tmp_path: Path) -> None:
    """The core package (export outputs, constants, every kind) with hostile titles and
    descriptions everywhere, and hostile example descriptions: its export-output and kind
    tests still pass, and nothing was executed."""
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas, ignore=shutil.ignore_patterns("meta.schema.json"))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "title") and isinstance(value, str):
                    node[key] = value + " " + ALL
                elif key not in ("examples", "invalid_examples", "result", "args") or key == "args" and isinstance(value, list):
                    walk(value)
            for example in node.get("examples", []) if isinstance(node.get("examples"), list) else []:
                if isinstance(example, dict) and isinstance(example.get("description"), str):
                    example["description"] += " " + ALL
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in schemas.rglob("*.schema.json"):
        doc = json.loads(path.read_text())
        walk(doc)
        path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    assert main(["generate", "--schemas", str(schemas), "--out", str(out), "--package", "sigdef", "--quiet"]) == 0
    run = tmp_path / "run"
    run.mkdir()
    env = {**os.environ, "PYTHONPATH": str(out)}
    tests = [str(out / "tests" / name) for name in ("test_export_outputs.py", "test_classify.py", "test_predict.py")]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=run, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    probe = (
        "import json\n"
        "from sigdef import export_output, tag_constants\n"
        f"hostile = json.loads({json.dumps(json.dumps(ALL))})\n"
        "assert hostile + '\\n\\nGenerated from ' in export_output.RegressionOutput.__doc__\n"
        "assert export_output.RegressionOutput.value.__doc__.endswith(' ' + hostile)\n"
        "assert tag_constants.__doc__.endswith(' ' + hostile)\n"
    )
    imported = subprocess.run([sys.executable, "-c", probe], cwd=run, env=env, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert not list(tmp_path.rglob("PWNED")) and not (REPO / "PWNED").exists()


# --- bad input: one located line, exit 2, no traceback, bounded time; lint agrees ------------


def _fifo(schemas: Path) -> None:
    os.mkfifo(schemas / "signatures" / "x.schema.json")


def _proto_fifo(schemas: Path) -> None:
    (schemas / "proto" / "acme_sigs" / "protos").mkdir(parents=True)
    os.mkfifo(schemas / "proto" / "acme_sigs" / "protos" / "x.proto")


def _big_enum(schemas: Path) -> None:
    edit(schemas, KIND_FILE, lambda d: d["$defs"].__setitem__("big", {"enum": [f"v{i:08d}" for i in range(1_000_000)]}))


def _many_properties(schemas: Path) -> None:
    edit(schemas, KIND_FILE, lambda d: d["$defs"].__setitem__("big", {"properties": {f"p{i}": {"type": "string"} for i in range(20_000)}}))


def _raw_replace(old: str, new: str, rel: str = KIND_FILE) -> Callable[[Path], None]:
    def change(schemas: Path) -> None:
        path = schemas / rel
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))

    return change


def _non_utf8_name(schemas: Path) -> None:
    with open(os.path.join(os.fsencode(schemas / "signatures"), b"bad\xff.schema.json"), "w") as handle:
        handle.write("{}")


def _set(rel: str, pointer: list[Any], value: Any) -> Callable[[Path], None]:
    def change(schemas: Path) -> None:
        def apply(doc: Any) -> None:
            node = doc
            for key in pointer[:-1]:
                node = node[key]
            node[pointer[-1]] = value

        edit(schemas, rel, apply)

    return change


BUILDER = ["x-sigdef", "kind", "builder"]
ARG0 = [*BUILDER, "args", 0, "name"]
MODULE = ["x-sigdef", "constants", "module"]
KIND_NAME = ["x-sigdef", "kind", "name"]
K = KIND_FILE + ":"
C = CONSTANTS_FILE + ":"

CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (_fifo, "signatures/x.schema.json:/: LOAD is a FIFO, not a regular file; schemas must be regular files of at most 16777216 bytes"),
    "proto-fifo": (_proto_fifo, "proto/acme_sigs/protos/x.proto:/: LOAD is a FIFO, not a regular file"),
    "enum-10mb": (_big_enum, K + "/$defs/big/enum: TOO_LARGE 1000000 members; sigdef generates code for at most 1000"),
    "properties-20000": (_many_properties, K + "/$defs/big/properties: TOO_LARGE 20000 members"),
    "lone-surrogate-string": (_raw_replace('"description": "ACME', '"description": "\\ud800 ACME'), K + "/description: TEXT_INVALID"),
    "lone-surrogate-key": (_raw_replace('"$defs": {', '"$defs": {"\\udc80": {},'), K + "/$defs: TEXT_INVALID member name"),
    "non-utf8-file-name": (_non_utf8_name, "signatures/bad\\xff.schema.json:/: TEXT_INVALID"),
    "kind-named-class": (_set(KIND_FILE, KIND_NAME, "class"), K + "/x-sigdef/kind/name: NAME_KEYWORD"),
    "kind-named-match": (_set(KIND_FILE, KIND_NAME, "match"), K + "/x-sigdef/kind/name: NAME_KEYWORD"),
    "example-1e400": (_raw_replace('"size": "-1"', '"size": 1e400'), K + "/examples/0/inputs/text/tensorShape/dim/0/size: NUMBER_RANGE"),
    "module-__init__": (_set(CONSTANTS_FILE, MODULE, "__init__"), C + "/x-sigdef/constants/module: NAME_PRIVATE"),
    "module-validation": (_set(CONSTANTS_FILE, MODULE, "validation"), C + "/x-sigdef/constants/module: NAME_RESERVED"),
    "module-_schema_runtime": (_set(CONSTANTS_FILE, MODULE, "_schema_runtime"), C + "/x-sigdef/constants/module: NAME_PRIVATE"),
    "module-runtime-copy": (_set(CONSTANTS_FILE, MODULE, "savedmodel"), C + "/x-sigdef/constants/module: NAME_RESERVED"),
    "module-types": (_set(CONSTANTS_FILE, MODULE, "types"), C + "/x-sigdef/constants/module: NAME_RESERVED"),
    "kind-_shared": (_set(KIND_FILE, KIND_NAME, "_shared"), K + "/x-sigdef/kind/name: NAME_PRIVATE"),
    "kind-__init__": (_set(KIND_FILE, KIND_NAME, "__init__"), K + "/x-sigdef/kind/name: NAME_PRIVATE"),
    "kind-README": (_set(KIND_FILE, KIND_NAME, "README"), K + "/x-sigdef/kind/name: NAME_RESERVED"),
    "kind-export_outputs": (_set(KIND_FILE, KIND_NAME, "export_outputs"), K + "/x-sigdef/kind/name: NAME_RESERVED"),
    "builder-type": (_set(KIND_FILE, [*BUILDER, "name"], "type"), K + "/x-sigdef/kind/builder/name: NAME_KEYWORD"),
    "builder-validate": (_set(KIND_FILE, [*BUILDER, "name"], "validate"), K + "/x-sigdef/kind/builder/name: NAME_RESERVED"),
    "builder-validate_kind": (_set(KIND_FILE, [*BUILDER, "name"], "validate_text_embedding"), K + "/x-sigdef/kind/builder/name: NAME_RESERVED"),
    "builder-json_format": (_set(KIND_FILE, [*BUILDER, "name"], "json_format"), K + "/x-sigdef/kind/builder/name: NAME_RESERVED"),
    "builder-test_prefix": (_set(KIND_FILE, [*BUILDER, "name"], "test_signature_def"), K + "/x-sigdef/kind/builder/name: NAME_RESERVED"),
    "builder-dunder": (_set(KIND_FILE, [*BUILDER, "name"], "__getattr__"), K + "/x-sigdef/kind/builder/name: NAME_PRIVATE"),
    "builder-same-as-module": (_set(KIND_FILE, [*BUILDER, "name"], "acme_constants"), K + "/x-sigdef/kind/builder/name: DUPLICATE_NAME"),
    "arg-type": (_set(KIND_FILE, ARG0, "type"), K + "/x-sigdef/kind/builder/args/0/name: NAME_KEYWORD"),
    "arg-str": (_set(KIND_FILE, ARG0, "str"), K + "/x-sigdef/kind/builder/args/0/name: NAME_RESERVED"),
    "arg-json_format": (_set(KIND_FILE, ARG0, "json_format"), K + "/x-sigdef/kind/builder/args/0/name: NAME_RESERVED"),
    "arg-local-entries": (_set(KIND_FILE, ARG0, "entries"), K + "/x-sigdef/kind/builder/args/0/name: NAME_RESERVED"),
    "arg-other-info": (_set(KIND_FILE, [*BUILDER, "args", 1, "name"], "text_info"), K + "/x-sigdef/kind/builder/args/1/name: NAME_RESERVED"),
    "dtype-in-is_tensor-message": (_set(KIND_FILE, [*BUILDER, "checks", 1, "message"], "got {dtype}"), K + "/x-sigdef/kind/builder/checks/1/message: MESSAGE_PLACEHOLDER"),
    "finding-in-not_none-message": (_set(KIND_FILE, [*BUILDER, "checks", 0, "message"], "{finding}"), K + "/x-sigdef/kind/builder/checks/0/message: MESSAGE_PLACEHOLDER"),
    "example-error-type-code": (
        _set(KIND_FILE, ["x-sigdef", "kind", "builder_examples", 0], {"description": "x", "args": {}, "error": {"type": "__import__('os').system('touch PWNED') or ValueError", "message": "m"}}),
        K + "/x-sigdef/kind/builder_examples/0/error/type: EXAMPLE_ERROR_TYPE",
    ),
    "example-arg-code": (
        _set(KIND_FILE, ["x-sigdef", "kind", "builder_examples", 0, "args"], {"text=None, **{}) or __import__('os').system('touch PWNED'); (": 1}),
        K + "/x-sigdef/kind/builder_examples/0/args/text=None, **{}) or __import__('os').system('touch PWNED'); (: UNKNOWN_ARG",
    ),
}


def _duplicate_method(schemas: Path) -> None:
    other = json.loads((schemas / KIND_FILE).read_text())
    other["$id"] = "https://acme.example/sigdef/signatures/other.schema.json"
    other["x-sigdef"]["kind"]["name"] = "other_embedding"
    other["x-sigdef"]["kind"]["builder"]["name"] = "other_signature_def"
    (schemas / "signatures" / "other.schema.json").write_text(json.dumps(other))


CASES["duplicate-method-name"] = (_duplicate_method, K + "/properties/methodName: DUPLICATE_METHOD_NAME")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_located_line_and_lint_agrees(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change, expected = CASES[case]
    schemas = copy_example(tmp_path)
    change(schemas)
    out = tmp_path / "out"
    start = time.perf_counter()
    code = main(["generate", "--schemas", str(schemas), "--out", str(out), "--package", "acme_sigs"])
    elapsed = time.perf_counter() - start
    generated = capsys.readouterr()
    assert code == 2, generated.err
    assert elapsed < 30, f"{elapsed:.1f} s"
    lines = generated.err.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), generated.err
    assert expected in generated.err, generated.err
    assert "Traceback" not in generated.err and not out.exists()
    assert main(["lint", "--schemas", str(schemas), "--package", "acme_sigs"]) == 2
    linted = capsys.readouterr()
    assert sorted(linted.out.strip().splitlines()) == sorted(line.removeprefix("error: ") for line in lines)
    assert not list(tmp_path.rglob("PWNED"))


LOADER_CASES = ["fifo", "enum-10mb", "lone-surrogate-string", "non-utf8-file-name", "example-1e400"]


@pytest.mark.parametrize("case", LOADER_CASES)
def test_sigdef_validate_schemas_rejects_bad_input_without_blocking(case: str, tmp_path: Path) -> None:
    """`sigdef validate --schemas` reads schemas through the generator's loader."""
    import sigdef
    from sigdef import savedmodel
    from sigdef.protos import MetaGraphDef, SavedModel

    model_dir = tmp_path / "model"
    model_dir.mkdir()
    meta = MetaGraphDef()
    meta.meta_info_def.tags.append("serve")
    meta.signature_def["serving_default"].CopyFrom(sigdef.predict_signature_def({"x": sigdef.tensor("x:0", "float32", [None])}, {"y": sigdef.tensor("y:0", "float32", [None])}))
    savedmodel.write(model_dir, SavedModel(saved_model_schema_version=1, meta_graphs=[meta]))
    change, expected = CASES[case]
    schemas = copy_example(tmp_path)
    change(schemas)
    result = subprocess.run([sys.executable, "-m", "sigdef", "validate", "--dir", str(model_dir), "--schemas", str(schemas)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected.split(": ", 1)[0] in result.stderr, result.stderr
