"""The keyword compiler: JSON Schema 2020-12 -> IR of checks -> Python validators."""

from .compiler import SUPPORTED_KEYWORDS, CompileError, UnresolvedRef, UnsupportedKeyword, compile_schema, compile_schemas
from .ir import ValidatorModule

__all__ = ["SUPPORTED_KEYWORDS", "CompileError", "UnresolvedRef", "UnsupportedKeyword", "ValidatorModule", "compile_schema", "compile_schemas"]
