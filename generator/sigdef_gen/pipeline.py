"""The one direction of data: load -> meta-check -> IR -> render -> format."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache import Cache
from .format import format_python
from .ir import Package
from .lint import CORE_PACKAGE, analyze
from .load import BUNDLED_SCHEMAS
from .protos import compile_protos
from .render import render_package
from .resources import CHECKOUT, cache_dir
from .templating import environment
from .write import Layout

__all__ = ["CORE_PACKAGE", "Options", "generate_files", "layout_for"]


@dataclass(frozen=True)
class Options:
    schemas: Path = BUNDLED_SCHEMAS
    out: Path | None = None
    package: str | None = None
    docs: Path | None = None
    templates: Path | None = None
    cache: Path | None = field(default_factory=cache_dir)


def layout_for(options: Options, package: str) -> Layout:
    """In a checkout the bundled schemas go to generated/ and docs/reference/; others under --out
    (default ./generated)."""
    checkout = CHECKOUT if options.schemas.resolve() == BUNDLED_SCHEMAS.resolve() else None
    out = options.out or (checkout or Path.cwd()) / "generated"
    docs = options.docs or (checkout / "docs" / "reference" if checkout and options.out is None else out / "docs")
    return Layout(package=out, tests=out / "tests", docs=docs)


def generate_files(options: Options) -> tuple[Package, dict[str, bytes]]:
    """Every output file's bytes, keyed as `render.render_package` keys them."""
    cache = Cache(options.cache)
    package = analyze(options.schemas, options.package, cache)
    name = package.name
    rendered = render_package(package, environment(options.templates))
    rendered.update(format_python({k: v for k, v in rendered.items() if k.endswith(".py")}, cache))
    files = {key: text.encode("utf-8") for key, text in rendered.items()}
    protos = compile_protos(options.schemas.resolve() / "proto", package.protos, name, __version__, cache)
    files.update((k, v.encode("utf-8")) for k, v in protos.items())
    return package, dict(sorted(files.items()))
