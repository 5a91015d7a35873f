"""`saved_model.pbtxt` <-> SavedModel wire bytes, through TensorFlow's own message types
(`sigdef.tf_protos`), so that every field survives; in linear time and bounded memory.

The file is decoded one chunk at a time: a NUL byte or invalid UTF-8 stops the read at
once with its place. protobuf's text tokenizer needs memory far beyond a string literal's
size for long literals (its regular expression keeps state per escape), so a line longer
than `LONG_LINE` has its literals cut into adjacent literals of at most `PIECE` characters,
at escape boundaries; text format joins adjacent literals, so the message is the same.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator
from typing import IO, Any

__all__ = ["TextFormatError", "from_text", "to_text"]

CHUNK = 1 << 20
LONG_LINE = 1 << 16
PIECE = 1 << 14
MAX_TOKEN = 1 << 20  # identifiers and numbers; literals are cut instead
_BLANKS = re.compile(r"[ \t\r\f\v]+")
_LONGEST_ESCAPE = 10  # \U0001F600


class TextFormatError(ValueError):
    """Text that is not a SavedModel TensorFlow would read; the message says where."""


def from_text(fd: int) -> bytes:
    """The deterministic wire bytes of the text-format SavedModel read from `fd`."""
    from google.protobuf import text_format
    from google.protobuf.message import EncodeError

    from .tf_protos import pool, saved_model_class

    full = saved_model_class()()
    try:
        text_format.ParseLines(_lines(fd), full, descriptor_pool=pool())  # type: ignore[attr-defined]
        return bytes(full.SerializeToString(deterministic=True))  # maps in key order, as TF writes them
    except text_format.ParseError as exc:
        where = f"line {exc.GetLine()} column {exc.GetColumn()}: " if exc.GetLine() else ""
        raise TextFormatError(f"cannot parse text format: {where}{_short(str(exc).split(' : ', 1)[-1])}") from None
    except RecursionError:
        raise TextFormatError("cannot parse text format: messages nested too deeply") from None
    except (EncodeError, ValueError) as exc:
        if isinstance(exc, TextFormatError):
            raise
        raise TextFormatError(f"cannot parse text format: {_short(str(exc))}") from None


def to_text(data: bytes) -> Any:
    """A writer of the text TF's types give for these wire bytes (text_format, maps sorted
    by key): call it with a binary file handle. Raises TextFormatError at once if the
    bytes are not a SavedModel TensorFlow's types accept."""
    from google.protobuf import text_format
    from google.protobuf.message import DecodeError

    from .tf_protos import pool, saved_model_class

    try:
        full = saved_model_class().FromString(data)
    except DecodeError as exc:
        raise TextFormatError(f"cannot write as text: a part of the model is not valid for TensorFlow ({_short(str(exc))})") from None

    def write(handle: IO[bytes]) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        text_format.PrintMessage(full, text, descriptor_pool=pool())
        text.flush()
        text.detach()

    return write


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:157] + "..."


def _lines(fd: int) -> Iterator[str]:
    """The file's lines, decoded as UTF-8 one chunk at a time, long literals cut. A line
    without any string literal never grows past LONG_LINE + CHUNK in memory (see _relieve)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    pending: list[str] = []
    line, offset = 1, 0
    quoted = comment = False  # this line has a quote mark; the rest of it is a comment
    while True:
        chunk = os.read(fd, CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise TextFormatError(f"not UTF-8 text (byte {offset + exc.start})") from None
        nul = text.find("\0")
        if nul >= 0:
            newlines = text.count("\n", 0, nul)
            column = nul - text.rfind("\n", 0, nul) if newlines else sum(map(len, pending)) + nul + 1
            raise TextFormatError(f"line {line + newlines} column {column}: NUL byte; a text-format SavedModel holds none")
        offset += len(chunk)
        parts = text.split("\n")
        if len(parts) > 1:
            if not comment:
                pending.append(parts[0])
            pending.append("\n")
            yield _cut("".join(pending))
            for middle in parts[1:-1]:
                yield _cut(middle + "\n")
            pending, quoted, comment = [], False, False
            line += len(parts) - 1
        if not comment:
            pending.append(parts[-1])
            quoted = quoted or '"' in parts[-1] or "'" in parts[-1]
        if not quoted and not comment and sum(map(len, pending)) > LONG_LINE:
            done, rest, comment = _relieve("".join(pending), line)
            yield from done
            pending = [rest]
        if not chunk:
            last = "".join(pending)
            if last:
                yield _cut(last)
            return


def _relieve(text: str, line: int) -> tuple[list[str], str, bool]:
    """Split a long line holding no string literal: lines to parse now, the text kept for
    the next chunk, and whether the rest of the line is a comment (then dropped). Outside
    literals a line break may replace any whitespace; a token cannot be this long."""
    hash_at = text.find("#")
    head, comment = (text[:hash_at], True) if hash_at >= 0 else (text, False)
    head = _BLANKS.sub(" ", head)  # protobuf's whitespace pattern costs ~100 bytes per blank
    cut = head.rfind(" ")
    if comment:
        return [head + "\n"], "", True
    if cut < 0:
        if len(head) > MAX_TOKEN:
            raise TextFormatError(f"line {line}: a token of more than {MAX_TOKEN} characters; not a text-format SavedModel")
        return [], head, False
    return [head[:cut] + "\n"], head[cut:], False


def _cut(line: str) -> str:
    """`line` with each string literal longer than PIECE split into adjacent literals
    (lines up to LONG_LINE are returned as they are)."""
    if len(line) <= LONG_LINE:
        return line
    out: list[str] = []
    pos = 0
    while True:
        starts = [i for i in (line.find('"', pos), line.find("'", pos), line.find("#", pos)) if i >= 0]
        if not starts:
            out.append(line[pos:])
            return "".join(out)
        start = min(starts)
        if line[start] == "#":  # a comment runs to the end of the line
            out.append(line[pos:])
            return "".join(out)
        end = _literal_end(line, start)
        out.append(line[pos:start])
        if end < 0:  # unterminated: left for the parser to report
            out.append(line[start:])
            return "".join(out)
        out.append(_split_literal(line[start], line, start + 1, end))
        pos = end + 1


def _literal_end(line: str, start: int) -> int:
    """Index of the quote closing the literal opened at `start`, or -1."""
    quote, pos = line[start], start + 1
    while True:
        end = line.find(quote, pos)
        if end < 0:
            return -1
        backslashes = 0
        while line[end - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return end
        pos = end + 1


def _split_literal(quote: str, line: str, start: int, end: int) -> str:
    """The literal body line[start:end] as adjacent quoted pieces, cut before escapes."""
    pieces: list[str] = []
    pos = start
    while end - pos > PIECE:
        cut = pos + PIECE
        escape = line.rfind("\\", cut - _LONGEST_ESCAPE, cut)
        if escape >= 0:  # cut before the escape that may contain `cut`
            run = 0
            while line[escape - 1 - run] == "\\" and escape - 1 - run >= pos:
                run += 1
            cut = escape - (run % 2)  # an odd run: this backslash is the escaped one
        pieces.append(line[pos:cut])
        pos = cut
    pieces.append(line[pos:end])
    return quote + (quote + " " + quote).join(pieces) + quote
