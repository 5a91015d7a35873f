"""ValidatorModule -> Python source (via templates/validators/), and in-memory compilation."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

from ..templating import environment
from .compiler import compile_schema
from .ir import ValidatorModule

RUNTIME_MODULE = "_sigdef_schema_runtime"


def render_validator_source(module: ValidatorModule, *, runtime_import: str) -> str:
    """The source of a module defining `validate_<name>` and `is_valid_<name>`."""
    return environment().get_template("validators/module.py.jinja").render(module=module, runtime_import=runtime_import)


def render_runtime_source() -> str:
    """The source of the helpers module every validator imports."""
    return environment().get_template("validators/runtime.py.jinja").render()


def load_module(module: ValidatorModule) -> dict[str, Any]:
    """Render and exec a ValidatorModule in memory: its namespace (`validate_*`, `is_valid_*`)."""
    if RUNTIME_MODULE not in sys.modules:
        runtime = types.ModuleType(RUNTIME_MODULE)
        exec(compile(render_runtime_source(), RUNTIME_MODULE, "exec"), runtime.__dict__)
        sys.modules[RUNTIME_MODULE] = runtime
    namespace: dict[str, Any] = {}
    exec(compile(render_validator_source(module, runtime_import=RUNTIME_MODULE), "<sigdef validators>", "exec"), namespace)
    return namespace


def compile_to_callables(
    schema: Any, *, uri: str = "urn:sigdef:inline", registry: dict[str, Any] | None = None, name: str = "schema"
) -> tuple[Callable[[object], list[Any]], Callable[[object], bool]]:
    """Compile, render and exec a schema: its (validate, is_valid) functions."""
    namespace = load_module(compile_schema(uri, {**(registry or {}), uri: schema}, name=name))
    return namespace[f"validate_{name}"], namespace[f"is_valid_{name}"]
