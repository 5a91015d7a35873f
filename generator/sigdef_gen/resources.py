"""The generator's bundled files: schemas (with the meta-schema), templates and runtime sources.

An installed wheel carries them as package data under `sigdef_gen/bundled/`, found through
`importlib.resources`. A checkout (editable install, or the sources on `sys.path`) has no
`bundled/` directory: there the sources are the checkout's top-level `schemas/`,
`templates/` and `runtime/` (setup.py maps those same directories into the wheel, so
nothing is copied in the repository).
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

_PACKAGED = files(__package__ or "sigdef_gen").joinpath("bundled")
_SOURCES = Path(__file__).resolve().parents[2]


def _checkout() -> Path | None:
    """The sigdef checkout the generator runs from, or None when it runs from an install."""
    if isinstance(_PACKAGED, Path) and _PACKAGED.is_dir():
        return None
    return _SOURCES if (_SOURCES / "schemas" / "meta.schema.json").is_file() else None


CHECKOUT = _checkout()
_BASE = Path(str(_PACKAGED)) if CHECKOUT is None else CHECKOUT

SCHEMAS = _BASE / "schemas"  # the bundled schema directory: constants, dtypes, kinds, protos
META_SCHEMA = SCHEMAS / "meta.schema.json"
TEMPLATES = _BASE / "templates"  # Jinja templates for what depends on the schemas
RUNTIME = _BASE / "runtime"  # plain modules copied into the core package


def cache_dir() -> Path:
    """The formatting cache: $SIGDEF_CACHE_DIR, the checkout's .sigdef-cache/, or the user cache.

    From an install the cache never lands in the user's repository.
    """
    if os.environ.get("SIGDEF_CACHE_DIR"):
        return Path(os.environ["SIGDEF_CACHE_DIR"])
    if CHECKOUT is not None:
        return CHECKOUT / ".sigdef-cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sigdef"
