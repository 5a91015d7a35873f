"""The one direction of data: load -> meta-check -> IR -> render -> format."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache import Cache
from .check import check_meta
from .errors import Location, fail
from .format import format_python
from .ir import Package
from .jsc.shapes import Shapes
from .load import BUNDLED_SCHEMAS, load_schema_set
from .model import build_package, package_name_ok
from .protos import compile_protos, message_shapes, proto_files
from .render import render_package
from .resources import CHECKOUT, cache_dir
from .templating import environment
from .write import Layout

CORE_PACKAGE = "sigdef"


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
    schemas = load_schema_set(options.schemas)
    check_meta(schemas)
    name = options.package or (CORE_PACKAGE if schemas.root == BUNDLED_SCHEMAS.resolve() else schemas.root.name)
    if not package_name_ok(name):
        raise fail(Location(str(options.schemas)), "PACKAGE_NAME", f"{name!r} is not a valid package name")
    cache = Cache(options.cache)
    package = build_package(schemas, name, _bundled_shapes(cache))
    if package.core and name != CORE_PACKAGE:
        raise fail(Location(str(options.schemas)), "PACKAGE_NAME", "schemas with the DataType table and protos make the core package; it must be named 'sigdef'")
    rendered = render_package(package, environment(options.templates))
    rendered.update(format_python({k: v for k, v in rendered.items() if k.endswith(".py")}, cache))
    files = {key: text.encode("utf-8") for key, text in rendered.items()}
    protos = compile_protos(schemas.root / "proto", package.protos, name, __version__, cache)
    files.update((k, v.encode("utf-8")) for k, v in protos.items())
    return package, dict(sorted(files.items()))


def _bundled_shapes(cache: Cache) -> Shapes:
    """Message shapes of the bundled protos: every package's kinds describe their SignatureDef."""
    proto_dir = BUNDLED_SCHEMAS / "proto"
    return message_shapes(proto_dir, proto_files(proto_dir), cache)
