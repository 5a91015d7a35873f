"""The typed IR the templates render. Built by `model`, never by templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .jsc.ir import ValidatorModule

JSON = Any


@dataclass(frozen=True)
class Constant:
    """A `const` definition: a name TensorFlow defines, with its value."""

    name: str
    value: str | int
    description: str
    public: bool


@dataclass(frozen=True)
class ConstantModule:
    """One constants schema, rendered as one module of `Final` names."""

    module: str
    description: str
    source: str
    constants: tuple[Constant, ...]


@dataclass(frozen=True)
class DType:
    """One DataType enum entry."""

    name: str
    number: int
    python_name: str | None
    aliases: tuple[str, ...]
    floating: bool


@dataclass(frozen=True)
class DTypeTable:
    source: str
    dtypes: tuple[DType, ...]


@dataclass(frozen=True)
class MessagePart:
    """A literal piece of an error message, or a field filled in at run time."""

    text: str
    field: str | None = None  # "type", "dtype" or "method_name"


@dataclass(frozen=True)
class Check:
    """One builder check, in TensorFlow's order, with its exact message."""

    id: str
    rule: str
    args: tuple[str, ...]
    error: str
    message: tuple[MessagePart, ...]
    dtype: DType | None


@dataclass(frozen=True)
class BuilderArg:
    """One builder argument and where its value goes in the SignatureDef."""

    name: str
    kind: str
    to: str | None
    key: str | None
    key_arg: str | None
    optional: bool
    description: str


@dataclass(frozen=True)
class Builder:
    name: str
    description: str
    args: tuple[BuilderArg, ...]
    checks: tuple[Check, ...]
    method_name: str | None

    @property
    def dtype_checked(self) -> frozenset[str]:
        """Arguments whose TensorInfo is built by a dtype check."""
        return frozenset(c.args[0] for c in self.checks if c.rule == "dtype")

    @property
    def checks_dense(self) -> bool:
        """Whether a check requires an argument to be a dense tensor (`is_tensor`)."""
        return any(c.rule == "is_tensor" for c in self.checks)

    @property
    def never_none(self) -> frozenset[str]:
        """Arguments a check rejects when None (later code need not test them again)."""
        return frozenset(c.args[0] for c in self.checks if c.rule in ("not_none", "not_empty"))


@dataclass(frozen=True)
class DocExample:
    """A proto3-JSON SignatureDef the kind's validator must accept (valid) or reject."""

    document: JSON
    valid: bool


@dataclass(frozen=True)
class BuilderExample:
    """A builder call and its expected SignatureDef (proto3 JSON) or error."""

    description: str
    args: JSON
    result: JSON | None
    error_type: str | None
    error_message: str | None


@dataclass(frozen=True)
class SignatureKind:
    """A signature kind: its schema's validator, its builder, its examples."""

    name: str
    title: str
    description: str
    source: str
    schema_uri: str
    serving: bool
    builder: Builder
    examples: tuple[DocExample, ...]
    builder_examples: tuple[BuilderExample, ...]


@dataclass(frozen=True)
class OutputWrap:
    """How an export-output argument becomes a dict of output tensors."""

    default_name: str
    label: str
    prefix: bool
    metrics: bool


@dataclass(frozen=True)
class ExportArg:
    name: str
    optional: bool
    description: str
    wrap: OutputWrap | None


@dataclass(frozen=True)
class ExportExample:
    """An ExportOutput construction (and as_signature_def call) with its expected outcome."""

    description: str
    args: JSON
    receivers: JSON | None
    result: JSON | None
    error_type: str | None
    error_message: str | None


@dataclass(frozen=True)
class ExportOutputKind:
    """An ExportOutput class: constructor checks and what `as_signature_def` builds."""

    class_name: str
    description: str
    source: str
    args: tuple[ExportArg, ...]
    checks: tuple[Check, ...]
    builder: str
    builder_args: tuple[tuple[str, str], ...]  # builder arg -> "$receiver", "$receivers" or ctor arg
    receiver_check: Check | None
    examples: tuple[ExportExample, ...]
    base: str | None  # a shared base class (constructor, checks, properties), e.g. _SupervisedOutput

    @property
    def optional_args(self) -> frozenset[str]:
        return frozenset(a.name for a in self.args if a.optional)


@dataclass(frozen=True)
class Package:
    """Everything one generation run renders."""

    name: str
    constant_modules: tuple[ConstantModule, ...]
    dtypes: DTypeTable | None
    kinds: tuple[SignatureKind, ...]
    export_outputs: tuple[ExportOutputKind, ...]
    validators: ValidatorModule  # one entry per kind, shared $ref functions
    protos: tuple[str, ...]  # .proto files (relative to schemas/proto) to compile

    @property
    def core(self) -> bool:
        """True when this package carries the runtime (tensors, protos, dtypes)."""
        return self.dtypes is not None


@dataclass(frozen=True)
class ClientInput:
    """One signature input as a keyword argument of a generated client function."""

    name: str  # the input's key in the signature
    arg: str  # its Python keyword argument (see `templating.identifier`)
    annotation: str  # its Python type, made from the dtype and rank (never from model text)


@dataclass(frozen=True)
class ClientCall:
    """One client function: a verb served for one signature, with the example its tests replay."""

    verb: str
    function: str
    validator: str  # entry name in the client's ValidatorModule
    example: JSON  # a body the contract accepts
    kwargs: JSON  # the function arguments that make the columnar `body` (predict only)
    body: JSON
    satisfiable: bool  # False when no body can pass the contract (an input dtype JSON cannot carry)


@dataclass(frozen=True)
class ClientSignature:
    key: str
    method_name: str
    signature_hex: str  # the SignatureDef, serialized deterministically
    inputs: tuple[ClientInput, ...]
    outputs: tuple[str, ...]
    calls: tuple[ClientCall, ...]


@dataclass(frozen=True)
class ClientPackage:
    """A typed client of one model's serving contract (`sigdef-gen client`)."""

    name: str
    model_name: str
    mode: str
    signatures: tuple[ClientSignature, ...]
    validators: ValidatorModule  # one entry per call: the request schema of the OpenAPI document
    openapi: JSON

    @property
    def calls(self) -> tuple[ClientCall, ...]:
        """Every client function, sorted by name."""
        return tuple(sorted((c for s in self.signatures for c in s.calls), key=lambda c: c.function))
