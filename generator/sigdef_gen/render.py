"""IR -> file contents. Templates only render; every schema value passes the `py` filter."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from .ir import Package
from .jsc.render import render_entry_source, render_shared_source
from .templating import runtime_modules, runtime_text

# Every package carries the validators' helpers; the core package also every other module
# under runtime/ (they depend on no schema), at the same relative path.
SCHEMA_RUNTIME = "_schema_runtime.py"



def render_package(package: Package, env: Environment) -> dict[str, str]:
    """Every generated file, keyed `package/...`, `tests/...` or `docs/...` (see `write.Layout`)."""
    name = "package/" + package.name
    files: dict[str, str] = {}

    def put(path: str, template: str, **context: Any) -> None:
        files[path] = env.get_template(template).render(package=package, **context)

    def copy(path: str, module: str) -> None:
        put(path, "package/runtime_module.py.jinja", source=f"runtime/{module}", text=runtime_text(module))

    put(f"{name}/__init__.py", "package/init.py.jinja")
    put(f"{name}/py.typed", "package/py.typed.jinja")
    for module in package.constant_modules:
        put(f"{name}/{module.module}.py", "package/constants.py.jinja", module=module)
    if package.core and package.dtypes is not None:
        put(f"{name}/types.py", "package/types.py.jinja", table=package.dtypes)
        for source in runtime_modules():
            if source != SCHEMA_RUNTIME:
                copy(f"{name}/{source}", source)
        put(f"{name}/protos/__init__.py", "package/protos_init.py.jinja")
    if package.export_outputs:
        put(f"{name}/export_output.py", "package/export_output.py.jinja")
        put(f"{name}/export_utils.py", "package/export_utils.py.jinja")
        put("tests/test_export_outputs.py", "tests/test_export_outputs.py.jinja")
    put(f"{name}/validation.py", "package/validation.py.jinja")
    copy(f"{name}/{SCHEMA_RUNTIME}", SCHEMA_RUNTIME)
    for kind in package.kinds:
        put(f"{name}/kinds/{kind.name}.py", "package/kind.py.jinja", kind=kind)
        put(f"tests/test_{kind.name}.py", "tests/test_kind.py.jinja", kind=kind)
        put(f"docs/{kind.name}.md", "docs/kind.md.jinja", kind=kind)
    put(f"{name}/kinds/__init__.py", "package/kinds_init.py.jinja")
    runtime = f"{package.name}._schema_runtime"
    put(f"{name}/validators/__init__.py", "package/validators_init.py.jinja")
    shared = render_shared_source(package.validators, runtime_import=runtime)
    put(f"{name}/validators/_shared.py", "package/validator.py.jinja", source=shared, origin="schemas")
    for kind, entry in zip(package.kinds, package.validators.entries):
        source = render_entry_source(entry, runtime_import=runtime, shared_import=f"{package.name}.validators._shared")
        put(f"{name}/validators/{entry.name}.py", "package/validator.py.jinja", source=source, origin=kind.source)
    put("docs/README.md", "docs/index.md.jinja")
    return files
