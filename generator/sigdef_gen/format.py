"""Format generated Python with the pinned black, in-process, cached by content hash."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version

from . import __version__
from .cache import Cache, tool_versions

BLACK = version("black")  # imported only when a module is not in the cache
TOOLS = tool_versions("black") + f",sigdef-gen={__version__}"
LINE_LENGTH = 88
PARALLEL_FROM = 8  # cache misses worth starting worker processes for


def _key(source: str) -> str:
    return Cache.key("black", TOOLS, f"py311-{LINE_LENGTH}", source)


def _die_with_parent() -> None:
    """Worker initializer: on Linux, get SIGKILL when the generate process dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _format(source: str) -> str:
    import black
    from black.mode import TargetVersion

    mode = black.Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
    formatted: str = black.format_str(source, mode=mode)
    return formatted


def format_python(sources: dict[str, str], cache: Cache) -> dict[str, str]:
    """black-format each module; unchanged modules come from the cache, the rest are
    formatted in parallel worker processes when there are many."""
    result: dict[str, str] = {}
    missing: dict[str, str] = {}
    for name, source in sources.items():
        hit = cache.load("black", _key(source), lambda data: data.decode("utf-8"))
        if hit is None:
            missing[name] = source
        else:
            result[name] = hit
    workers = min(len(missing), os.cpu_count() or 1)
    if len(missing) >= PARALLEL_FROM and workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent) as pool:
            formatted = dict(zip(missing, pool.map(_format, missing.values(), chunksize=4)))
    else:
        formatted = {name: _format(source) for name, source in missing.items()}
    for name, text in formatted.items():
        cache.put("black", _key(missing[name]), text.encode("utf-8", "surrogatepass"))
        result[name] = text
    return result
