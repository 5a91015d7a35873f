"""The `sigdef` CLI on hostile models, documents, paths and pipes (issue 13 items 6-8,
issue 15 item 7): escaped terminal output, check-json on any document, one-line errors for
OS failures, a quiet exit on a closed pipe. Every case runs the real CLI in a subprocess
on real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from google.protobuf import json_format

import sigdef
from sigdef.protos import SavedModel, SignatureDef
from sigdef.terminal import EXIT_BROKEN_PIPE, escape, json_text

HOSTILE = ["line\nforged", "esc\x1b[31mred", "sep\u2028x", "nel\x85x", "bidi\u202ex", "del\x7fx", "nul\x00x", "cr\rx", "tag\U000e0041x"]
PREDICT = "tensorflow/serving/predict"


def cli(*args: str, stdin: str | bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run([sys.executable, "-m", "sigdef", *args], input=data, capture_output=True, timeout=timeout)
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8"))


def one_error_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    for needle in needles:
        assert needle.lower() in lines[0].lower(), (needle, lines[0])  # strerror, or savedmodel.os_problem's lower-case words
    return lines[0]


def only_printable(text: str) -> None:
    """Every output line holds only characters a terminal shows as text."""
    for line in text.split("\n"):
        assert line.isprintable(), repr(line)


def hostile_model(folder: Path, keys: list[str] = HOSTILE) -> Path:
    """A model whose tags, signature keys, tensor names and method names hold control characters."""
    model = SavedModel(saved_model_schema_version=1)
    meta = model.meta_graphs.add()
    meta.meta_info_def.tags.extend(["serve", "gpu\nserve"])
    for key in keys:
        signature = sigdef.predict_signature_def({key: sigdef.tensor(f"{key}:0", "string", [None])}, {"out": sigdef.tensor(f"o{key}:0", "float32", [None])})
        signature.method_name = f"acme/{key}"
        meta.signature_def[key].CopyFrom(signature)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "saved_model.pb").write_bytes(model.SerializeToString(deterministic=True))
    return folder


# -- terminal.escape / json_text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text, 日本語, émigré", "plain text, 日本語, émigré"),
        ("a\nb", "a\\nb"),
        ("a\r\tb", "a\\r\\tb"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("\u202e\u200b", "\\u202e\\u200b"),
        ("\ud800", "\\ud800"),
        ("\U000e0041", "\\U000e0041"),
        ("back\\slash", "back\\slash"),
    ],
)
def test_escape(raw: str, shown: str) -> None:
    assert escape(raw) == shown
    assert escape(shown) == shown  # escaped text is printable, so escaping is idempotent


def test_json_text_is_printable_and_decodes_to_the_same_value() -> None:
    value = {key: [key, {"n": 1}] for key in [*HOSTILE, "\ud800", "日本"]}
    text = json_text(value)
    only_printable(text)
    assert json.loads(text) == value


def test_print_lines_keeps_saved_model_clis_list_ends(capsys: pytest.CaptureFixture[str]) -> None:
    from sigdef.terminal import print_lines

    print_lines(["      Value: [1, 2, \b\b]", "      Value: {'a': 1, \b\b}", "key\b\bx", "a\nb\b\b]"])
    assert capsys.readouterr().out.split("\n") == ["      Value: [1, 2, \b\b]", "      Value: {'a': 1, \b\b}", "key\\x08\\x08x", "a\\nb\b\b]", ""]


def test_object_graph_note_is_its_own_lines(tmp_path: Path) -> None:
    folder = hostile_model(tmp_path / "m", ["k"])
    model = SavedModel.FromString((folder / "saved_model.pb").read_bytes())
    model.meta_graphs[0].object_graph_def = b"\x0a\x00"
    (folder / "saved_model.pb").write_bytes(model.SerializeToString())
    lines = cli("inspect", "--dir", str(folder), "--all").stdout.splitlines()
    assert not any(line.startswith("\\n") for line in lines), lines
    assert any(line.startswith("Concrete Functions:") for line in lines), lines


# -- item 6: inspect and validate escape what the model holds ---------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["inspect"],
        ["inspect", "--all"],
        ["inspect", "--tag_set", "serve,gpu\nserve"],
        ["inspect", "--tag_set", "serve,gpu\nserve", "--signature_def", HOSTILE[0]],
        ["inspect", "--tag_set", "serve,gpu\nserve", "--signature_def", "missing\nkey"],
        ["validate"],
        ["validate", "--tag_set", "serve,gpu\nserve"],
    ],
)
def test_text_output_escapes_model_strings(tmp_path: Path, args: list[str]) -> None:
    folder = hostile_model(tmp_path / "m")
    result = cli(args[0], "--dir", str(folder), *args[1:])
    assert "Traceback" not in result.stderr
    only_printable(result.stdout)
    only_printable(result.stderr)
    for raw in HOSTILE:
        assert raw not in result.stdout + result.stderr
    assert result.stdout or result.returncode == 2


def test_validate_cannot_forge_a_finding_line(tmp_path: Path) -> None:
    forged = "[serve] serving_default: SCHEMA forged"
    folder = hostile_model(tmp_path / "m", ["x\n" + forged])
    result = cli("validate", "--dir", str(folder))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert forged not in lines
    assert all(line.startswith("[gpu\\nserve,serve] ") for line in lines), lines
    assert any("x\\n[serve] serving_default: SCHEMA forged" in line for line in lines)


def test_json_output_escapes_and_round_trips(tmp_path: Path) -> None:
    folder = hostile_model(tmp_path / "m")
    inspected = cli("inspect", "--dir", str(folder), "--format", "json")
    assert inspected.returncode == 0, inspected.stderr
    only_printable(inspected.stdout)
    document = json.loads(inspected.stdout)
    assert sorted(document["meta_graphs"][0]["signatures"]) == sorted(HOSTILE)
    assert document["meta_graphs"][0]["tags"] == ["serve", "gpu\nserve"]
    validated = cli("validate", "--dir", str(folder), "--format", "json")
    assert validated.returncode == 1
    only_printable(validated.stdout)
    assert {f["signature"] for f in json.loads(validated.stdout)} >= set(HOSTILE)


def test_validate_text_shows_the_tag_set(tmp_path: Path) -> None:
    model = SavedModel(saved_model_schema_version=1)
    for tags in (["serve"], ["train", "serve"]):
        meta = model.meta_graphs.add()
        meta.meta_info_def.tags.extend(tags)
        meta.signature_def["odd"].method_name = "acme/unknown"
    (tmp_path / "saved_model.pb").write_bytes(model.SerializeToString())
    result = cli("validate", "--dir", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "[serve] serving_default: SERVING_DEFAULT_MISSING MetaGraph ['serve'] has no 'serving_default' signature" in lines
    assert any(line.startswith("[serve,train] odd: METHOD_UNKNOWN ") for line in lines), lines
    assert any(line.startswith("[serve] odd: METHOD_UNKNOWN ") for line in lines), lines


# -- item 7 and 15.7: check-json on any document ------------------------------------------

GOOD = '{"methodName": "tensorflow/serving/predict", "inputs": {"x": {"name": "x:0"}}, "outputs": {"y": {"name": "y:0"}}}'


@pytest.mark.parametrize("text", ["[]", "[1, 2]", '"a string"', "3", "-1.5e3", "null", "true", "false"])
def test_check_json_non_object_is_a_finding_with_kind(tmp_path: Path, text: str) -> None:
    file = tmp_path / "doc.json"
    file.write_text(text)
    result = cli("check-json", str(file), "--kind", "predict")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [f"{file}:/: type {json.loads(text)!r} is not of type 'object'"]
    inferred = cli("check-json", str(file))
    kind = {"[": "an array", '"': "a string", "n": "null", "t": "a boolean", "f": "a boolean"}.get(text[0], "a number")
    one_error_line(inferred, str(file), f"cannot infer the signature kind: the document is {kind}, not an object; give --kind (")


def test_check_json_duplicate_keys_rejected_as_json_format_does(tmp_path: Path) -> None:
    for text, pointer, name in [
        ('{"methodName": "a", "methodName": "tensorflow/serving/predict"}', "/", "methodName"),
        ('{"methodName": "tensorflow/serving/predict", "inputs": {"x": {}, "x": {}}, "outputs": {"y": {}}}', "/inputs", "x"),
        ('{"inputs": {"a/b": {"name": "n", "dtype": "DT_FLOAT", "name": "m"}}}', "/inputs/a~1b", "name"),
    ]:
        with pytest.raises(json_format.ParseError) as theirs:
            json_format.Parse(text, SignatureDef())
        assert f"duplicate key {name}." in str(theirs.value)
        file = tmp_path / "dup.json"
        file.write_text(text)
        line = one_error_line(cli("check-json", str(file), "--kind", "predict"), f"{file}:{pointer}: ")
        assert line == f"error: {file}:{pointer}: Failed to load JSON: duplicate key {name}."


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b'{"a": "\xff\xfe"}', "not UTF-8 (byte 7"),
        (b"\xef\xbb\xbf{}", "not valid JSON"),
        (b'{"a": NaN}', "NaN is not a JSON value"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON value"),
        (b'{"a": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 100 levels"),
        (b'{"inputs": ' + b"[" * 150 + b"]" * 150 + b"}", "/inputs/0/0/0"),
        (b"{}{}", "not valid JSON"),
    ],
)
def test_check_json_unreadable_documents_exit_2(tmp_path: Path, data: bytes, needle: str) -> None:
    file = tmp_path / "doc.json"
    file.write_bytes(data)
    started = time.monotonic()
    one_error_line(cli("check-json", str(file), "--kind", "predict"), str(file), needle)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "text",
    [
        '{"methodName": "tensorflow/serving/predict", "inputs": {"\\ud800\\n\\u001b": {}}, "outputs": {"y": 1e400}}',
        '{"methodName": "tensorflow/serving/predict", "inputs": {"x": {"name": 1' + "0" * 4000 + "}}}",
        '{"methodName": "tensorflow/serving/predict", "inputs": ' + "[" * 99 + "]" * 99 + "}",
        '{"methodName": "tensorflow/serving/predict", "outputs": {"\\u2028": {"dtype": "\\u001b[2J"}}}',
    ],
)
def test_check_json_odd_values_are_findings_escaped(tmp_path: Path, text: str) -> None:
    file = tmp_path / "doc.json"
    file.write_text(text)
    result = cli("check-json", str(file))
    assert result.returncode == 1 and result.stderr == "", result.stderr
    only_printable(result.stdout)
    assert all(line.startswith(f"{file}:/") for line in result.stdout.splitlines())
    as_json = cli("check-json", str(file), "--format", "json")
    assert as_json.returncode == 1
    only_printable(as_json.stdout)
    [report] = json.loads(as_json.stdout)
    assert report["kind"] == "predict" and report["findings"] and report["error"] is None


def test_check_json_kind_inference_says_why_not(tmp_path: Path) -> None:
    for text, why in [
        ("{}", "it has no methodName"),
        ('{"methodName": "acme/x"}', "methodName 'acme/x' is not one of tensorflow/serving/classify, "),
        ('{"methodName": ["tensorflow/serving/predict"]}', "methodName ['tensorflow/serving/predict'] is not one of"),
    ]:
        file = tmp_path / "doc.json"
        file.write_text(text)
        one_error_line(cli("check-json", str(file)), f"{file}: cannot infer the signature kind: {why}", "give --kind (classify, ")
    file.write_text('{"methodName": "tensorflow/serving/regress"}')
    result = cli("check-json", str(file), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)[0]["kind"] == "regress"


def test_check_json_many_files_stdin_and_json_format(tmp_path: Path) -> None:
    good, bad, broken = tmp_path / "good.json", tmp_path / "bad.json", tmp_path / "broken.json"
    good.write_text(GOOD)
    bad.write_text('{"methodName": "tensorflow/serving/classify", "inputs": {}}')
    broken.write_text("{")
    assert cli("check-json", str(good), "-", stdin=GOOD).returncode == 0
    result = cli("check-json", str(good), str(bad), stdin=None)
    assert result.returncode == 1
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {str(bad)}
    result = cli("check-json", "-", str(good), stdin='{"methodName": "tensorflow/serving/predict"}')
    assert result.returncode == 1 and result.stdout.startswith("<stdin>:/: required ")
    mixed = cli("check-json", str(good), str(broken), str(bad), str(tmp_path / "missing.json"), "--format", "json")
    assert mixed.returncode == 2
    reports = json.loads(mixed.stdout)
    assert [r["file"] for r in reports] == [str(good), str(broken), str(bad), str(tmp_path / "missing.json")]
    assert [r["kind"] for r in reports] == ["predict", None, "classify", None]
    assert reports[0]["findings"] == [] and reports[0]["error"] is None
    assert reports[2]["findings"][0] == {
        "pointer": "",
        "keyword": "required",
        "message": "'outputs' is a required property",
        "schema_pointer": "https://sigdef.dev/schemas/signatures/classify.schema.json#/required",
    }
    assert reports[1]["error"].startswith(f"{broken}: not valid JSON")
    assert reports[3]["error"] == f"{tmp_path / 'missing.json'}: No such file or directory"
    assert mixed.stderr.splitlines() == [f"error: {reports[1]['error']}", f"error: {reports[3]['error']}"]
    one_error_line(cli("check-json", "-", "-", stdin=GOOD), "'-' (stdin) given more than once")
    one_error_line(cli("check-json", str(good), "--kind", "nope"), "unknown kind 'nope'")


def test_check_json_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    one_error_line(cli("check-json", str(fifo), timeout=20), str(fifo), "not a regular file")
    one_error_line(cli("check-json", "/dev/zero", "--kind", "predict", timeout=20), "/dev/zero: not a regular file")
    one_error_line(cli("check-json", str(tmp_path)), str(tmp_path), "Is a directory")
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    one_error_line(cli("check-json", str(loop)), str(loop), "Too many levels of symbolic links")
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(17 * 2**20)
    one_error_line(cli("check-json", str(big)), str(big), "larger than the 16 MiB limit")
    one_error_line(cli("check-json", "-", stdin=b" " * (17 * 2**20)), "<stdin>: larger than the 16 MiB limit")


def test_check_json_file_name_is_escaped(tmp_path: Path) -> None:
    file = tmp_path / "a\nerror: forged\x1b.json"
    file.write_text('{"methodName": "tensorflow/serving/predict"}')
    result = cli("check-json", str(file))
    assert result.returncode == 1
    only_printable(result.stdout)
    assert all(line.startswith(escape(str(file))) for line in result.stdout.splitlines())


# -- item 8: OS errors, every command -----------------------------------------------------

LONG = "x" * 300


def commands(path: str) -> list[list[str]]:
    return [
        ["inspect", "--dir", path],
        ["inspect", "--dir", path, "--all"],
        ["inspect", "--dir", path, "--format", "json"],
        ["validate", "--dir", path],
        ["check-json", path, "--kind", "predict"],
    ]


@pytest.mark.parametrize("index", range(5))
def test_name_too_long(tmp_path: Path, index: int) -> None:
    path = str(tmp_path / LONG)
    one_error_line(cli(*commands(path)[index]), path, "File name too long")


@pytest.mark.parametrize("index", range(5))
def test_not_a_directory_and_missing(tmp_path: Path, index: int) -> None:
    file = tmp_path / "file"
    file.write_text("x")
    one_error_line(cli(*commands(str(file / "below"))[index]), str(file / "below"))
    one_error_line(cli(*commands(str(tmp_path / "missing" / "m"))[index]), str(tmp_path / "missing" / "m"))


def test_validate_schemas_name_too_long(tmp_path: Path) -> None:
    pytest.importorskip("sigdef_gen")
    folder = hostile_model(tmp_path / "m", ["k"])
    one_error_line(cli("validate", "--dir", str(folder), "--schemas", str(tmp_path / LONG)), LONG[:50])


def unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """`sigdef ARGS` as a user whom file modes bind (root runs it as nobody, via setpriv)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root reads files whatever their mode, and setpriv is not installed")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    result = subprocess.run([*prefix, sys.executable, "-m", "sigdef", *args], capture_output=True, text=True, timeout=60)
    return result


@pytest.mark.parametrize("index", range(5))
def test_permission_denied(index: int) -> None:
    base = Path(tempfile.mkdtemp(prefix="sigdef-perm-"))
    try:
        base.chmod(0o755)  # traversable by the unprivileged user
        folder = hostile_model(base / "m", ["k"])
        target = folder if index < 4 else base / "doc.json"
        if index == 4:
            target.write_text(GOOD)
        (folder / "saved_model.pb").chmod(0)
        target.chmod(0)
        one_error_line(unprivileged(*commands(str(target))[index]), str(target), "Permission denied")
    finally:
        for path in (base / "m", base / "doc.json", base / "m" / "saved_model.pb"):
            if path.exists():
                path.chmod(0o755)
        shutil.rmtree(base)


def test_unreadable_model_file_is_one_line(tmp_path: Path) -> None:
    folder = hostile_model(tmp_path / "m", ["k"])
    (folder / "saved_model.pb").unlink()
    os.mkfifo(folder / "saved_model.pb")
    for args in commands(str(folder))[:4]:
        result = cli(*args, timeout=30)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1


# -- item 8 and 15.7: a closed pipe ends the command quietly -------------------------------


def big_model(folder: Path) -> Path:
    model = SavedModel(saved_model_schema_version=1)
    meta = model.meta_graphs.add()
    meta.meta_info_def.tags.append("serve")
    for i in range(3000):
        meta.signature_def[f"signature_{i:05d}"].method_name = "acme/unknown"
    folder.mkdir()
    (folder / "saved_model.pb").write_bytes(model.SerializeToString())
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["inspect", "--all"],
        ["inspect", "--format", "json"],
        ["inspect", "--tag_set", "serve"],
        ["validate"],
        ["validate", "--format", "json"],
    ],
)
def test_closed_pipe_exits_quietly(tmp_path: Path, args: list[str]) -> None:
    folder = big_model(tmp_path / "m")
    process = subprocess.Popen([sys.executable, "-m", "sigdef", args[0], "--dir", str(folder), *args[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == EXIT_BROKEN_PIPE
    assert stderr == b""


def test_closed_pipe_in_a_shell_pipeline(tmp_path: Path) -> None:
    folder = big_model(tmp_path / "m")
    script = f'"{sys.executable}" -m sigdef validate --dir "{folder}" 2>"{tmp_path}/err" | head -n 2; echo "${{PIPESTATUS[0]}}"'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("[serve] "), lines
    assert lines[2] == str(EXIT_BROKEN_PIPE)
    assert (tmp_path / "err").read_text() == ""


def test_check_json_closed_pipe(tmp_path: Path) -> None:
    files = []
    for i in range(400):
        file = tmp_path / f"{i:04d}-{'x' * 100}.json"
        file.write_text('{"methodName": "tensorflow/serving/predict", "inputs": {}, "outputs": {}}')
        files.append(str(file))
    process = subprocess.Popen([sys.executable, "-m", "sigdef", "check-json", *files], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()
    assert process.stderr.read() == b""
    assert process.wait(timeout=60) == EXIT_BROKEN_PIPE


def test_main_in_process_maps_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sigdef.cli import main

    assert main(["check-json", str(tmp_path / LONG)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path / LONG}: File name too long")
    file = tmp_path / "doc.json"
    file.write_text(GOOD)
    assert main(["check-json", str(file)]) == 0


# -- 15.7: `-` reads the model file from stdin ------------------------------------------------


def test_model_from_stdin(tmp_path: Path) -> None:
    from google.protobuf import text_format

    folder = hostile_model(tmp_path / "m", ["serving_default", "k\nx"])
    data = (folder / "saved_model.pb").read_bytes()
    for args in (["inspect", "--all"], ["inspect", "--format", "json"], ["validate"], ["validate", "--format", "json"]):
        from_dir = cli(args[0], "--dir", str(folder), *args[1:])
        from_stdin = cli(args[0], "--dir", "-", *args[1:], stdin=data)
        assert (from_stdin.returncode, from_stdin.stdout, from_stdin.stderr) == (from_dir.returncode, from_dir.stdout, from_dir.stderr)
    text = "# a comment\n" + text_format.MessageToString(SavedModel.FromString(data))
    assert cli("inspect", "--dir", "-", "--all", stdin=text).stdout == cli("inspect", "--dir", str(folder), "--all").stdout
    one_error_line(cli("validate", "--dir", "-", stdin=data[:50]), "error: <stdin>: ")
    one_error_line(cli("inspect", "--dir", "-", stdin="meta_graphs {"), "error: <stdin>: ")
    one_error_line(cli("inspect", "--dir", "-", "--tag_set", "gpu", stdin=data), "error: <stdin>")


def peak_rss_mib(args: list[str]) -> tuple[int, float, float]:
    """Exit code, seconds and peak RSS (MiB) of `sigdef ARGS`, measured in a fresh parent."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        f"r = subprocess.run([sys.executable, '-m', 'sigdef', *{args!r}], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(r.returncode, time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def test_check_json_large_documents_are_bounded(tmp_path: Path) -> None:
    numbers = tmp_path / "numbers.json"
    count = (16 * 2**20 - 2) // 2
    numbers.write_text("[" + "1," * (count - 1) + "1]")
    members = tmp_path / "members.json"
    members.write_text('{"methodName": "tensorflow/serving/predict", "inputs": {' + ",".join(f'"{i:07d}": {{}}' for i in range(400_000)) + "}}")
    for file, kind, expected in ((numbers, ["--kind", "predict"], 1), (members, [], 1)):
        size_mib = file.stat().st_size / 2**20
        code, seconds, rss = peak_rss_mib(["check-json", str(file), *kind])
        assert code == expected
        assert seconds < 60 and rss < 40 * size_mib + 100, (file.name, seconds, rss, size_mib)


# -- no traceback for any document: generated documents and bytes, in process -------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["inputs", "outputs", "methodName", "defaults", "name", "dtype", "tensorShape", "dim", "size", "cooSparse", "x"]) | st.text(), inner, max_size=4),
    max_leaves=30,
)
METHODS = st.sampled_from(["tensorflow/serving/predict", "tensorflow/serving/classify", "tensorflow/serving/regress", "tensorflow/supervised/training", "x"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON_VALUES, method=METHODS, kind=st.sampled_from([None, "predict", "classify", "generic", "op"]), raw=st.binary(max_size=64))
def test_check_json_any_document_exits_0_1_or_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: object, method: str, kind: str | None, raw: bytes) -> None:
    from sigdef.cli import main

    file = tmp_path / "doc.json"
    if isinstance(value, dict):
        value.setdefault("methodName", method)
    for data in (json.dumps(value).encode(), raw, json.dumps(value).encode()[: len(raw)]):
        file.write_bytes(data)
        code = main(["check-json", str(file), *(["--kind", kind] if kind else []), "--format", "json" if raw[:1] < b"\x80" else "text"])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), (data, out, err)
        assert (code == 2) == bool(err) and "Traceback" not in err
        only_printable(out)
        only_printable(err)
