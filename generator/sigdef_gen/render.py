"""IR -> file contents. Templates only render; every schema value passes the `py` filter."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from . import __version__
from .ir import Package, SignatureKind
from .validators.render import render_runtime_source, render_validator_source

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def py(value: Any) -> str:
    """Render a JSON value as a Python literal: the one way schema data enters source."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a JSON number")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
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


def render_package(package: Package, env: Environment) -> dict[str, str]:
    """Every generated file, keyed `package/...`, `tests/...` or `docs/...` (see `write.Layout`)."""
    name = "package/" + package.name
    files: dict[str, str] = {}

    def put(path: str, template: str, **context: Any) -> None:
        files[path] = env.get_template(template).render(package=package, **context)

    put(f"{name}/__init__.py", "package/init.py.jinja")
    put(f"{name}/py.typed", "package/py.typed.jinja")
    for module in package.constant_modules:
        put(f"{name}/{module.module}.py", "package/constants.py.jinja", module=module)
    if package.core and package.dtypes is not None:
        put(f"{name}/types.py", "package/types.py.jinja", table=package.dtypes)
        for runtime in ("tensors", "errors", "jsonform", "cli", "__main__"):
            put(f"{name}/{runtime}.py", f"package/{runtime}.py.jinja")
        put(f"{name}/protos/__init__.py", "package/protos_init.py.jinja")
    if package.export_outputs:
        put(f"{name}/export_output.py", "package/export_output.py.jinja")
        put(f"{name}/export_utils.py", "package/export_utils.py.jinja")
    put(f"{name}/validation.py", "package/validation.py.jinja")
    put(f"{name}/_schema_runtime.py", "package/schema_runtime.py.jinja", runtime_source=render_runtime_source())
    for kind in package.kinds:
        put(f"{name}/kinds/{kind.name}.py", "package/kind.py.jinja", kind=kind)
        put(f"{name}/validators/{kind.name}.py", "package/validator.py.jinja", kind=kind, source=_validator(kind, package.name))
        put(f"tests/test_{kind.name}.py", "tests/test_kind.py.jinja", kind=kind)
        put(f"docs/{kind.name}.md", "docs/kind.md.jinja", kind=kind)
    put(f"{name}/kinds/__init__.py", "package/kinds_init.py.jinja")
    put(f"{name}/validators/__init__.py", "package/validators_init.py.jinja")
    put("docs/README.md", "docs/index.md.jinja")
    return files


def _validator(kind: SignatureKind, package: str) -> str:
    return render_validator_source(kind.validator, runtime_import=f"{package}._schema_runtime")
