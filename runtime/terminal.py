"""What a command-line tool exchanges with its terminal: escaped output, files or stdin
read with limits, and one wrapper that turns OS errors and closed pipes into exit codes.

Every string a `sigdef` command prints that a model, a document or a path could hold goes
through `escape` (text) or `json_text` (JSON), so a signature key holding a newline or an
escape sequence cannot forge output lines or drive the terminal.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "InputError",
    "STDIN",
    "display_name",
    "error",
    "escape",
    "json_text",
    "print_json",
    "print_lines",
    "read_input",
    "run",
]

EXIT_ERROR = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `yes | head`'s `yes`
EXIT_INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C ends a command without a traceback
STDIN = "-"

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """`text` with every character Python would not print (C0 and C1 controls, DEL, ESC,
    U+2028/U+2029, bidi and other format characters, lone surrogates, unassigned code
    points, spaces other than " ") written as a Python escape: `\\n`, `\\x1b`, `\\u2028`.
    Backslashes are kept as they are, so the result is one safe line, not a reversible
    encoding; printable text (any script) is unchanged."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _SHORT.get(c) or _code(c, "\\x", "\\u", "\\U") for c in text)


def json_text(value: Any) -> str:
    """`value` as indented JSON whose text holds no character `escape` would change:
    those are written as JSON `\\uXXXX` escapes (surrogate pairs above U+FFFF), which
    any JSON reader decodes to the same value."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return "\n".join(line if line.isprintable() else "".join(c if c.isprintable() else _json_escape(c) for c in line) for line in text.split("\n"))


def print_lines(lines: Iterable[str]) -> None:
    """Write each line to stdout, escaped: one item, one output line (a line ending as
    saved_model_cli ends a printed list, two backspaces and a bracket, keeps that end, as
    `inspect --all` copies saved_model_cli byte for byte). Written line by
    line, so a reader that goes away mid-output raises BrokenPipeError (`run` handles it);
    one big write would be cut short silently."""
    write = sys.stdout.write
    for line in lines:
        if line.endswith(_LIST_ENDS):  # sigdef's own text, kept byte for byte
            write(escape(line[:-3]) + line[-3:] + "\n")
        else:
            write(escape(line) + "\n")


_LIST_ENDS = ("\b\b]", "\b\b}")  # saved_model_cli ends a printed list with print("\b\b]") over its last ", "


def print_json(value: Any) -> None:
    """Write `json_text(value)` to stdout, line by line (see print_lines)."""
    write = sys.stdout.write
    for line in json_text(value).split("\n"):
        write(line + "\n")


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _code(char: str, byte: str, short: str, long: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"{byte}{code:02x}"
    if code <= 0xFFFF:
        return f"{short}{code:04x}"
    return f"{long}{code:08x}"


def display_name(name: str) -> str:
    """How an input is named in messages: `<stdin>` for `-`, else the path, escaped."""
    return "<stdin>" if name == STDIN else escape(name)


class InputError(Exception):
    """An input that cannot be used; `str()` is one line naming it (escaped)."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{display_name(name)}: {problem}")


def read_input(name: str, limit: int) -> bytes:
    """The bytes of file `name`, or of stdin for `-`: regular files only (a FIFO, a
    device or a directory is refused without blocking), at most `limit` bytes."""
    if name == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        with io.FileIO(os.open(name, flags), "rb") as handle:  # a directory: IsADirectoryError
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(name, "not a regular file")
            data = handle.read(limit + 1) or b""
    if len(data) > limit:
        raise InputError(name, f"larger than the {limit // 2**20} MiB limit")
    return data


def error(message: str) -> int:
    """Print `error: <message>` (escaped, one line) on stderr; return EXIT_ERROR."""
    print(f"error: {escape(message)}", file=sys.stderr)
    return EXIT_ERROR


def run(command: Callable[[], int]) -> int:
    """Run a CLI command: its exit code; OS errors and InputErrors as one `error:` line
    naming the path (EXIT_ERROR); a reader that closed the pipe (`| head`) ends the
    command quietly with EXIT_BROKEN_PIPE, as a Unix tool killed by SIGPIPE; Ctrl-C
    with EXIT_INTERRUPTED."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        try:
            code = command()
            sys.stdout.flush()
            return code
        except InputError as exc:
            return error(str(exc))
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            return error(_os_message(exc))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Python flushes stdout again at exit; point it at /dev/null so that flush
        # cannot fail and print a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE


def _os_message(exc: OSError) -> str:
    problem = exc.strerror or str(exc)
    if exc.filename is None:
        return problem
    where = os.fsdecode(exc.filename) if isinstance(exc.filename, (str, bytes)) else str(exc.filename)
    return f"{where}: {problem}"
