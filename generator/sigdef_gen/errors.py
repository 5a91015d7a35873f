"""Errors as values with a location (schema file + JSON pointer) until the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a schema file: path relative to the schema root and a JSON pointer."""

    file: str
    pointer: str = ""

    def child(self, *parts: str | int) -> Location:
        """The location of a member below this one."""
        extra = "".join("/" + escape_pointer(str(p)) for p in parts)
        return Location(self.file, self.pointer + extra)

    def __str__(self) -> str:
        return f"{self.file}:{self.pointer or '/'}"


@dataclass(frozen=True)
class Problem:
    """One finding about the schemas: where, which rule, what."""

    location: Location
    rule: str
    message: str

    def __str__(self) -> str:
        """One line: control characters (newline, ESC, ...) in names and messages escaped."""
        return one_line(f"{self.location}: {self.rule} {self.message}")


class SchemaError(Exception):
    """Raised when schemas cannot be turned into a package; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def one_line(text: str) -> str:
    """`text` with every non-printable character (newline, ESC, U+2028, ...) as an escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text)


def escape_pointer(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def fail(location: Location, rule: str, message: str) -> SchemaError:
    """A SchemaError holding a single problem."""
    return SchemaError([Problem(location, rule, message)])
