"""The Jinja2 environment and `py`, the one filter through which schema values become source."""

from __future__ import annotations

import builtins
import json
import keyword
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from . import __version__

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Plain Python modules that depend on no schema, copied into the package with the header.
RUNTIME = Path(__file__).resolve().parents[2] / "runtime"


def py(value: Any, multiline: bool = False) -> str:
    """Render a JSON value as a Python literal: the one way schema data enters source.

    `multiline=True` (docstrings only, never re-indented) may use a triple-quoted literal
    for plain multi-line text; everything else is a single-line `repr`.
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a JSON number")
        return repr(value)
    if isinstance(value, str):
        return _string(value) if multiline else repr(value)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(py(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(k)}: {py(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot render {type(value).__name__} as a literal")


def _string(text: str) -> str:
    """repr(), or a triple-quoted literal for readable multi-line text that needs no escapes."""
    plain = "\n" in text and text.isprintable() is False and all(c == "\n" or c.isprintable() for c in text)
    if plain and "\\" not in text and '"""' not in text and not text.endswith('"') and not text.startswith('"'):
        return '"""' + text + '"""'
    return repr(text)


@lru_cache(maxsize=8)
def environment(overrides: Path | None = None) -> Environment:
    """The Jinja2 environment: user template overrides (if any) over the built-ins."""
    loaders = [FileSystemLoader(str(overrides))] if overrides else []
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["py"] = py
    env.filters["json"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)
    env.globals["generator_version"] = __version__
    return env


def runtime_text(name: str) -> str:
    """The source of `runtime/<name>`, a module the package carries as it is."""
    return (RUNTIME / name).read_text(encoding="utf-8")


def runtime_modules() -> list[str]:
    """Every `.py` file under runtime/, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(RUNTIME).as_posix() for p in RUNTIME.rglob("*.py"))


def identifier(text: str, taken: set[str]) -> str:
    """A Python name for `text` (a model's key or input name), unique among `taken`, which it joins.

    Anything but ASCII letters, digits and `_` becomes `_`; a leading digit, a keyword, a
    builtin or a name already taken gets `_` appended until it is free.
    """
    name = re.sub(r"[^A-Za-z0-9_]", "_", text) or "_"
    if name[0].isdigit():
        name = "_" + name
    while keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _BUILTINS or name in taken:
        name += "_"
    taken.add(name)
    return name


_BUILTINS = frozenset(dir(builtins))
