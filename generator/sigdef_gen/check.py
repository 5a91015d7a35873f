"""Check documents against the meta-schema; each violation names file and JSON pointer."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from .errors import Location, Problem, SchemaError, escape_pointer
from .load import BUNDLED_SCHEMAS, META_SCHEMA, SchemaSet


@lru_cache(maxsize=1)
def meta_validator() -> Draft202012Validator:
    """The validator for the sigdef meta-schema (loaded once)."""
    meta: Any = json.loads((BUNDLED_SCHEMAS / META_SCHEMA).read_text("utf-8"))
    return Draft202012Validator(meta)


def check_meta(schemas: SchemaSet) -> None:
    """Raise SchemaError listing every meta-schema violation of the directory's own documents."""
    problems: list[Problem] = []
    for doc in schemas.own:
        for error in meta_validator().iter_errors(doc.data):
            pointer = "".join("/" + escape_pointer(str(p)) for p in error.absolute_path)
            problems.append(Problem(Location(doc.path, pointer), "META", _describe(error)))
    if problems:
        raise SchemaError(sorted(problems, key=lambda p: (p.location.file, p.location.pointer)))


def _describe(error: Any) -> str:
    """A short message; for `additionalProperties: false` name the keyword that is not allowed."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = sorted(k for k in error.instance if k not in allowed and not k.startswith("x-"))
        if extra:
            return f"unknown keyword(s) {', '.join(map(repr, extra))} (not in the sigdef meta-schema)"
    message = str(error.message)
    return message if len(message) <= 200 else message[:197] + "..."
