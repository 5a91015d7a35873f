"""IR of compiled checks. One `Node` per subschema; templates render them inline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Node:
    """The checks of one subschema. `loc` is its absolute location (`uri#pointer`)."""

    loc: str
    false: bool = False  # the `false` schema
    types: tuple[str, ...] | None = None
    const: tuple[Any] | None = None  # (value,) so that a null const is representable
    enum: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: int | None = None  # index into ValidatorModule.patterns
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    prefix_items: tuple[Node, ...] = ()
    items: Node | None = None
    contains: int | None = None  # bool-function index
    min_contains: int | None = None
    max_contains: int | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    required: tuple[str, ...] = ()
    dependent_required: tuple[tuple[str, tuple[str, ...]], ...] = ()
    properties: tuple[tuple[str, Node], ...] = ()
    pattern_properties: tuple[tuple[int, Node], ...] = ()
    additional: Node | None = None
    property_names: Node | None = None
    dependent_schemas: tuple[tuple[str, Node], ...] = ()
    all_of: tuple[Node, ...] = ()
    any_of: tuple[int, ...] = ()
    one_of: tuple[int, ...] = ()
    not_: int | None = None
    if_: int | None = None
    then: Node | None = None
    else_: Node | None = None
    ref: int | None = None  # function index
    loc_id: int = 0  # index of `loc` in ValidatorModule.locations (set by the compiler)

    def children(self) -> list[Node]:
        """Subschema nodes rendered inline within this one."""
        found = [*self.prefix_items, *(n for _, n in self.properties), *(n for _, n in self.pattern_properties)]
        found += [*(n for _, n in self.dependent_schemas), *self.all_of]
        found += [n for n in (self.items, self.additional, self.property_names, self.then, self.else_) if n is not None]
        return found

    @property
    def empty(self) -> bool:
        """No check at all (the `true` schema, or annotations only)."""
        return not (
            self.false or self.types is not None or self.const is not None or self.enum is not None
            or self.number_checks or self.string_checks or self.array_checks or self.object_checks
            or self.all_of or self.any_of or self.one_of or self.not_ is not None
            or (self.if_ is not None and (self.then is not None or self.else_ is not None)) or self.ref is not None
        )

    @property
    def object_checks(self) -> bool:
        return bool(
            self.min_properties is not None or self.max_properties is not None or self.required or self.dependent_required
            or self.properties or self.pattern_properties or self.additional is not None or self.property_names is not None
            or self.dependent_schemas
        )

    @property
    def array_checks(self) -> bool:
        return bool(
            self.min_items is not None or self.max_items is not None or self.unique_items or self.prefix_items
            or self.items is not None or self.contains is not None
        )

    @property
    def number_checks(self) -> bool:
        return any(v is not None for v in (self.minimum, self.maximum, self.exclusive_minimum, self.exclusive_maximum, self.multiple_of))

    @property
    def string_checks(self) -> bool:
        return self.min_length is not None or self.max_length is not None or self.pattern is not None


@dataclass(frozen=True)
class Entry:
    """A public entry point: `validate_<name>` / `is_valid_<name>` over one root schema."""

    name: str
    root: Node

    @property
    def uses(self) -> list[str]:
        """The shared names (functions, patterns) its inline code calls, sorted."""
        names = {"_L"}
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.ref is not None:
                names |= {f"_r{node.ref}", f"_rf{node.ref}"}
            branches = [*node.any_of, *node.one_of, node.not_, node.if_, node.contains]
            names |= {f"_b{b}" for b in branches if b is not None}
            patterns = [node.pattern, *(index for index, _ in node.pattern_properties)]
            names |= {f"_P{p}" for p in patterns if p is not None}
            stack.extend(node.children())
        return sorted(names)


@dataclass
class ValidatorModule:
    """Everything one rendered validator module holds; entries share $ref functions."""

    entries: list[Entry] = field(default_factory=list)
    functions: list[Node] = field(default_factory=list)  # $ref targets: full (findings) and bool forms
    bool_functions: list[Node] = field(default_factory=list)  # combinator branches: bool form only
    patterns: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)  # schema locations, referenced by index
    constants: list[Any] = field(default_factory=list)  # non-string const/enum values
