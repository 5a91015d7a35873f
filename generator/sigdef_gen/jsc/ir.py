"""IR of compiled checks. One `Node` per subschema; templates render them inline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .shapes import INT64, FieldShape


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
    message: tuple[Step, ...] | None = None  # the message backend's steps, when a message type is known

    @property
    def uses(self) -> list[str]:
        """The shared names (functions, patterns, tables) its inline code calls, sorted."""
        names = {"_L"} | (step_uses(self.message) if self.message is not None else set())
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
    message_functions: list[tuple[Step, ...]] = field(default_factory=list)  # message backend: _m<i>
    number_sets: list[tuple[int, ...]] = field(default_factory=list)  # enum numbers: _N<i>
    enum_tables: list[tuple[tuple[int, str], ...]] = field(default_factory=list)  # number -> name: _EN<i>


@dataclass(frozen=True)
class Test:
    """A boolean test on the value `x<d>` of a message-backend step.

    op: `present` / `absent` (a field of a message), `has_key` (a map key), `min_len` /
    `max_len` (map entries, list items), `min_fields` / `max_fields` (present fields of
    a message), `in_numbers` / `not_in_numbers` (an enum number is / is not in
    `ValidatorModule.number_sets[number]`),
    `equals` (a string is `key`).
    """

    op: str
    field: FieldShape | None = None
    key: str | None = None
    number: int | None = None


NUMBER_TESTS = ("in_numbers", "not_in_numbers")


@dataclass(frozen=True)
class Step:
    """One statement of a validator that walks a protobuf value `x<d>` (the message backend).

    op: `fail`; `check` (return False unless `test`); `when` (run `body` if `test`);
    `field` / `key` / `item` (bind a present field, map value or list item to x<d+1>, run
    `body`; a `required` field or key must be present); `items` (each list item from
    `index`); `entries` (each map key: `patterns` bodies for keys matching a pattern,
    `extra` for keys not in `known` nor matched);
    `names` (JSON checks `node` on each map key); `call` (function `index`); `any_of`,
    `one_of`, `none_of`, `not` (over `functions`); `if` (function `index`, then `body`,
    else `else_body`); `json` (convert x<d> as `conv` says and run the JSON checks `node`);
    `field_json` (the JSON form of present `field`, taken from its message, checked by `node`).
    """

    op: str
    test: Test | None = None
    field: FieldShape | None = None
    key: str | None = None
    index: int | None = None
    body: tuple[Step, ...] = ()
    else_body: tuple[Step, ...] = ()
    known: tuple[str, ...] = ()
    patterns: tuple[tuple[int, tuple[Step, ...]], ...] = ()
    extra: tuple[Step, ...] | None = None
    functions: tuple[int, ...] = ()
    node: Node | None = None
    conv: Conversion | None = None
    required: bool = False  # `field` / `key`: absent fails
    implied: bool = False  # required `field` whose first check fails on the default value

    def children(self) -> list[Step]:
        return [*self.body, *self.else_body, *(s for _, body in self.patterns for s in body), *(self.extra or ())]


@dataclass(frozen=True)
class Conversion:
    """How a protobuf value becomes its proto3-JSON form: `form` message/map/list/scalar;
    `scalar` is the element's scalar kind (None for messages); `table` indexes
    `ValidatorModule.enum_tables` for enums."""

    form: str
    scalar: str | None = None
    table: int | None = None

    @property
    def decimal(self) -> bool:
        """64-bit integers: proto3 JSON writes them as decimal strings."""
        return self.scalar in INT64


def step_uses(steps: tuple[Step, ...]) -> set[str]:
    """Shared names a tree of message-backend steps calls (functions, tables, JSON checks)."""
    names: set[str] = set()
    stack = list(steps)
    while stack:
        step = stack.pop()
        if step.op == "call" or step.op == "if":
            names.add(f"_m{step.index}")
        names |= {f"_m{f}" for f in step.functions}
        if step.test is not None and step.test.op in NUMBER_TESTS:
            names.add(f"_N{step.test.number}")
        if step.conv is not None and step.conv.table is not None:
            names.add(f"_EN{step.conv.table}")
        if step.node is not None:
            names |= set(Entry("", step.node).uses)
        names |= {f"_P{p}" for p, _ in step.patterns}
        stack.extend(step.children())
    return names
