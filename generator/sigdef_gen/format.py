"""Format generated Python with the pinned black, in-process, cached by content hash."""

from __future__ import annotations

import black

from .cache import Cache

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


def format_python(source: str, cache: Cache) -> str:
    """black-format `source`; an unchanged module is never reformatted twice."""
    key = Cache.key("black", black.__version__, repr(MODE), source)
    hit = cache.get("black", key)
    if hit is not None:
        return hit.decode("utf-8")
    formatted = black.format_str(source, mode=MODE)
    cache.put("black", key, formatted.encode("utf-8"))
    return formatted
