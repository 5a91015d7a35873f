"""`sigdef inspect` on a >= 50 MB SavedModel (issue 5) — measured once `sigdef.inspect` exists."""

from __future__ import annotations

import importlib.util

from .timing import Row


def run(quick: bool) -> list[Row]:
    if importlib.util.find_spec("sigdef.inspect") is None:
        return [Row("sigdef inspect --all, 50 MB SavedModel", "not built", "saved_model_cli / raw parse", None, ">= 20x / <= 2x", None, "sigdef inspect is not implemented yet (issue 5)")]
    raise NotImplementedError
