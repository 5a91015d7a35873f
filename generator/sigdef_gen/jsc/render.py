"""ValidatorModule -> Python sources (via templates/validators/), and in-memory compilation."""

from __future__ import annotations

import itertools
import sys
import types
from collections.abc import Callable
from typing import Any

from ..templating import environment, runtime_text
from .compiler import compile_schema
from .ir import Entry, ValidatorModule

RUNTIME_MODULE = "_sigdef_schema_runtime"
_loaded = itertools.count()


def render_shared_source(module: ValidatorModule, *, runtime_import: str) -> str:
    """The module holding what all entries share: locations, patterns, $ref/branch functions."""
    return environment().get_template("validators/shared.py.jinja").render(module=module, runtime_import=runtime_import)


def render_entry_source(entry: Entry, *, runtime_import: str, shared_import: str) -> str:
    """The module defining `validate_<name>` and `is_valid_<name>` for one entry."""
    template = environment().get_template("validators/entry.py.jinja")
    return template.render(entry=entry, runtime_import=runtime_import, shared_import=shared_import)


def _exec_module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)
    sys.modules[name] = module
    return module


def load_module(module: ValidatorModule) -> dict[str, Any]:
    """Render and exec a ValidatorModule in memory: every entry's `validate_*`, `is_valid_*`."""
    if RUNTIME_MODULE not in sys.modules:
        _exec_module(RUNTIME_MODULE, runtime_text("_schema_runtime.py"))
    shared = f"_sigdef_shared_{next(_loaded)}"
    _exec_module(shared, render_shared_source(module, runtime_import=RUNTIME_MODULE))
    namespace: dict[str, Any] = {}
    for entry in module.entries:
        source = render_entry_source(entry, runtime_import=RUNTIME_MODULE, shared_import=shared)
        exec(compile(source, f"<{entry.name}>", "exec"), namespace)
    return namespace


def compile_to_callables(
    schema: Any, *, uri: str = "urn:sigdef:inline", registry: dict[str, Any] | None = None, name: str = "schema"
) -> tuple[Callable[[object], list[Any]], Callable[[object], bool]]:
    """Compile, render and exec a schema: its (validate, is_valid) functions."""
    namespace = load_module(compile_schema(uri, {**(registry or {}), uri: schema}, name=name))
    return namespace[f"validate_{name}"], namespace[f"is_valid_{name}"]
