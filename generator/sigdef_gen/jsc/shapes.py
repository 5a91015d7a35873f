"""Protobuf value types as the message backend sees them (built from protoc descriptors)."""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field

# Scalar kinds and the proto3-JSON type of their values (json_format.MessageToDict).
INT32 = frozenset({"int32", "sint32", "sfixed32", "uint32", "fixed32"})
INT64 = frozenset({"int64", "sint64", "sfixed64", "uint64", "fixed64"})
SCALARS = INT32 | INT64 | {"string", "bytes", "bool", "float", "double", "enum"}


@dataclass(frozen=True)
class VType:
    """The type of a protobuf value: a message, a map, a repeated field or a scalar.

    `form` is "message", "map", "list" or "scalar"; a map or list holds elements of
    `message` (a message full name) or of `scalar` (a kind in SCALARS; `enum` names it).
    """

    form: str
    scalar: str | None = None
    message: str | None = None
    enum: str | None = None

    def element(self) -> VType:
        """The type of a map's values or a list's items."""
        return VType("message" if self.message else "scalar", self.scalar, self.message, self.enum)


@dataclass(frozen=True)
class FieldShape:
    """One field: its Python attribute, proto3-JSON name, type and how presence is read."""

    attr: str
    json_name: str
    type: VType
    oneof: str | None  # a real oneof (members are present when selected, even at default: HasField)
    explicit: bool  # has presence of its own: HasField (singular messages, proto3 `optional`)

    @property
    def keyword(self) -> bool:
        """A Python keyword (`from`): read with getattr."""
        return keyword.iskeyword(self.attr)


@dataclass(frozen=True)
class MessageShape:
    name: str
    fields: tuple[FieldShape, ...]

    @property
    def well_known(self) -> bool:
        """google.protobuf types have a JSON form of their own: never walked, always converted."""
        return self.name.startswith("google.protobuf.")

    def by_json_name(self, name: str) -> FieldShape | None:
        return next((f for f in self.fields if f.json_name == name), None)

    @property
    def max_members(self) -> int:
        """The most members its JSON object can have (a oneof contributes at most one)."""
        return len([f for f in self.fields if f.oneof is None]) + len({f.oneof for f in self.fields if f.oneof})


@dataclass(frozen=True)
class Shapes:
    """Every message and enum of a .proto set, by full name (without a leading dot)."""

    messages: dict[str, MessageShape] = field(default_factory=dict)
    enums: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)  # number -> name, first name wins
