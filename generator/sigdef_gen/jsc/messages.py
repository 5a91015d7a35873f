"""The message backend: compiled JSON Schema checks specialized to a protobuf message type.

A signature schema validates the proto3-JSON form of a SignatureDef. Converting a message
to that form costs more than checking it, so for every entry with a known message type this
pass rewrites the entry's checks into steps over the message itself: a JSON member is a
present field, an object a message or map, an array a repeated field, an enum name its
number. Checks the proto type already guarantees (`type: string` on a string field,
`additionalProperties: false` over a message's own fields, `maxProperties` no larger than
its fields can fill, patterns every int64 matches) are dropped at generation time. What the
pass cannot decide on the message is checked in JSON form: the value is converted (or, for
floats and bytes, taken from its message's JSON) and the ordinary compiled checks run on it,
so the two backends always agree.
"""

from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Callable
from typing import TypeVar

from .ir import NUMBER_TESTS, Conversion, Node, Step, Test, ValidatorModule
from .patterns import matches_every_integer
from .shapes import INT32, INT64, FieldShape, MessageShape, Shapes, VType

FAIL = Step("fail")
_T = TypeVar("_T")
_IN_PROGRESS = -1
_INT64_DIGITS = 20  # "-9223372036854775808"


_INLINE_STEPS = 12  # functions of at most this many steps are inlined at their call sites


def _length(low: int | None, high: int | None) -> list[Step]:
    """Bounds on the entries of a map or the items of a list, reached through a present
    field: it is never empty, so a minimum of 1 always holds."""
    out = [Step("check", Test("min_len", number=low))] if low is not None and low > 1 else []
    return out + ([Step("check", Test("max_len", number=high))] if high is not None else [])


def _size(steps: tuple[Step, ...]) -> int:
    return sum(1 + _size(tuple(s.children())) for s in steps)


class _NotWalkable(Exception):
    """A scalar whose JSON form only its message's conversion gives (floats, bytes)."""


def specialize(module: ValidatorModule, shapes: Shapes, roots: dict[str, str]) -> None:
    """Give each entry named in `roots` (entry name -> message full name) its message steps."""
    compiler = _MessageCompiler(module, shapes)
    for i, entry in enumerate(module.entries):
        if entry.name in roots:
            module.entries[i] = replace(entry, message=compiler.root(entry.root, roots[entry.name]))
    _prune(module)


def _prune(module: ValidatorModule) -> None:
    """Drop the message functions no entry calls (inlined everywhere) and the enum number
    sets no step tests (intersections leave some unused), renumbering the rest."""
    called: set[int] = set()
    stack = [s for e in module.entries for s in e.message or ()]
    while stack:
        step = stack.pop()
        for fn in set(_called(step)) - called:
            called.add(fn)
            stack.extend(module.message_functions[fn])
        stack.extend(step.children())
    function = {old: new for new, old in enumerate(sorted(called))}
    functions = [module.message_functions[old] for old in sorted(called)]
    everywhere = [s for e in module.entries for s in e.message or ()] + [s for f in functions for s in f]
    tested = {n for n in map(_number_set, _walk(everywhere)) if n is not None}
    number_set = {old: new for new, old in enumerate(sorted(tested))}
    module.number_sets = [module.number_sets[old] for old in sorted(tested)]

    def renumber(s: Step) -> Step:
        old_set = _number_set(s)
        return replace(
            s,
            index=function[s.index] if s.op in ("call", "if") and s.index is not None else s.index,
            functions=tuple(function[f] for f in s.functions),
            test=s.test if s.test is None or old_set is None else replace(s.test, number=number_set[old_set]),
        )

    module.message_functions = [_rebuild(f, renumber) for f in functions]
    for i, entry in enumerate(module.entries):
        if entry.message is not None:
            module.entries[i] = replace(entry, message=_rebuild(entry.message, renumber))


def _walk(steps: list[Step]) -> list[Step]:
    """Every step of a tree of steps (not entering called functions)."""
    found, stack = [], list(steps)
    while stack:
        step = stack.pop()
        found.append(step)
        stack.extend(step.children())
    return found


def _number_set(step: Step) -> int | None:
    """The number set a step tests an enum against, if any."""
    return step.test.number if step.test is not None and step.test.op in NUMBER_TESTS else None


def _called(step: Step) -> list[int]:
    own = [step.index] if step.op in ("call", "if") and step.index is not None else []
    return own + list(step.functions)


def _rebuild(steps: tuple[Step, ...], change: Callable[[Step], Step]) -> tuple[Step, ...]:
    """The tree of steps with `change` applied to every step, nested bodies included."""
    return tuple(
        change(
            replace(
                s,
                body=_rebuild(s.body, change),
                else_body=_rebuild(s.else_body, change),
                patterns=tuple((p, _rebuild(b, change)) for p, b in s.patterns),
                extra=None if s.extra is None else _rebuild(s.extra, change),
            )
        )
        for s in steps
    )


class _MessageCompiler:
    def __init__(self, module: ValidatorModule, shapes: Shapes) -> None:
        self.module = module
        self.shapes = shapes
        self.functions: dict[tuple[str, int, VType], int | None] = {}  # None: always holds
        self.assumed: set[tuple[str, int, VType]] = set()
        self.sets: dict[tuple[int, ...], int] = {}
        self.tables: dict[str, int] = {}
        self.open: set[int] = set()  # functions being compiled again (their steps are not known yet)

    def root(self, node: Node, message: str) -> tuple[Step, ...]:
        t = VType("message", message=message)
        try:
            return self.steps(node, t)
        except _NotWalkable:
            return (Step("json", node=node, conv=Conversion("message")),)

    # -- dispatch -------------------------------------------------------------------

    def steps(self, n: Node, t: VType) -> tuple[Step, ...]:
        """The steps checking value type `t` against node `n`; () when they always hold."""
        if n.false:
            return (FAIL,)
        if self._needs_json(n, t):
            return (self.json(n, t),)
        if t.form == "scalar":
            own = self.scalar(n, t)
            if own is None:
                return (self.json(n, t),)
        else:
            own = self.structure(n, t)
        out = list(own) + self.combinators(n, t)
        return (FAIL,) if FAIL in out else self.simplify(out)

    def simplify(self, steps: list[Step]) -> tuple[Step, ...]:
        """Read each field and map key once: presence checks and the checks of one field or
        key merge into one `field` / `key` step (marked required), and enum checks on one
        value intersect. (Every step only returns False, so their order is free.)"""
        out: list[Step] = []
        at: dict[tuple[str, str], int] = {}  # ("field", attr) / ("key", key) -> position in out
        numbers: tuple[int, ...] | None = None
        for step in steps:
            test = step.test
            if step.op == "check" and test is not None and test.op == "present" and test.field is not None:
                step = Step("field", field=test.field, required=True)
            elif step.op == "check" and test is not None and test.op == "has_key":
                step = Step("key", key=test.key, required=True)
            elif step.op == "check" and test is not None and test.op == "in_numbers" and test.number is not None:
                found = self.module.number_sets[test.number]
                numbers = found if numbers is None else tuple(x for x in numbers if x in found)
                continue
            slot = ("field", step.field.attr) if step.op == "field" and step.field is not None else ("key", step.key or "") if step.op == "key" else None
            if slot is None:
                out.append(step)
            elif slot in at:
                first = out[at[slot]]
                out[at[slot]] = replace(first, body=first.body + step.body, required=first.required or step.required)
            else:
                at[slot] = len(out)
                out.append(step)
        for i in at.values():
            step = replace(out[i], body=self.simplify(list(out[i].body)))
            implicit = step.field is not None and step.field.oneof is None and not step.field.explicit
            out[i] = replace(step, implied=step.required and implicit and self._rejects_default(step.body))
        return (self._numbers(numbers), *out) if numbers is not None else tuple(out)

    def _rejects_default(self, body: tuple[Step, ...]) -> bool:
        """Whether the first step fails on a field's default value (0, "", empty), so that
        testing an implicit-presence field for presence first is redundant."""
        first = body[0] if body else None
        if first is None or first.op == "key":
            return first is not None and first.required
        test = first.test if first.op == "check" else None
        if test is None:
            return False
        if test.op in NUMBER_TESTS and test.number is not None:
            return (0 in self.module.number_sets[test.number]) == (test.op == "not_in_numbers")
        return (test.op == "equals" and test.key != "") or (test.op == "min_len" and (test.number or 0) >= 1)

    def _needs_json(self, n: Node, t: VType) -> bool:
        """Keywords the walk leaves to the JSON checks: values compared as a whole, and
        checks whose walk would cost more than the conversion."""
        if t.form == "scalar":
            return False
        if t.form == "message" and self._message(t).well_known:
            return not n.empty
        whole = n.const is not None or n.enum is not None
        if t.form == "list":
            return whole or n.unique_items or n.contains is not None
        return whole or (t.form == "message" and n.property_names is not None)

    def json(self, n: Node, t: VType) -> Step:
        """Check `t` in its proto3-JSON form (converted in place)."""
        if t.form == "message":
            return Step("json", node=n, conv=Conversion("message"))
        element = t.element() if t.form != "scalar" else t
        if element.form == "message":
            return Step("json", node=n, conv=Conversion(t.form))
        return Step("json", node=n, conv=Conversion(t.form, element.scalar, self._table(element)))

    def _table(self, t: VType) -> int | None:
        if t.scalar in ("float", "double", "bytes"):
            raise _NotWalkable
        if t.scalar != "enum" or t.enum is None:
            return None
        if t.enum not in self.tables:
            self.tables[t.enum] = self._add(self.module.enum_tables, self.shapes.enums[t.enum])
        return self.tables[t.enum]

    @staticmethod
    def _add(items: list[_T], value: _T) -> int:
        items.append(value)
        return len(items) - 1

    def _message(self, t: VType) -> MessageShape:
        assert t.message is not None
        return self.shapes.messages[t.message]

    # -- objects and arrays ---------------------------------------------------------

    def structure(self, n: Node, t: VType) -> list[Step]:
        json_type = "array" if t.form == "list" else "object"
        if n.types is not None and json_type not in n.types:
            return [FAIL]
        if t.form == "message":
            return self.message(n, self._message(t), t)
        if t.form == "map":
            return self.map_entries(n, t)
        return self.repeated(n, t)

    def message(self, n: Node, shape: MessageShape, t: VType) -> list[Step]:
        out: list[Step] = []
        if n.min_properties is not None and n.min_properties > 0:
            out.append(FAIL if n.min_properties > shape.max_members else Step("check", Test("min_fields", number=n.min_properties)))
        if n.max_properties is not None and n.max_properties < shape.max_members:
            out.append(Step("check", Test("max_fields", number=n.max_properties)))
        out += [self._present(shape, name) for name in n.required]
        for key, names in n.dependent_required:
            field = shape.by_json_name(key)
            if field is not None:
                out.append(Step("when", Test("present", field), body=tuple(self._present(shape, name) for name in names)))
        listed = {name for name, _ in n.properties}
        for name, sub in n.properties:
            field = shape.by_json_name(name)
            if field is not None:
                out += self.field(field, sub)
        for field in shape.fields:
            if field.json_name in listed:
                continue
            matched = [sub for index, sub in n.pattern_properties if re.search(self.module.patterns[index], field.json_name)]
            if not matched and n.additional is not None:
                matched = [n.additional]
            for sub in matched:
                out += [Step("check", Test("absent", field))] if sub.false else self.field(field, sub)
        for key, sub in n.dependent_schemas:
            field = shape.by_json_name(key)
            body = self.steps(sub, t)
            if field is not None and body:
                out.append(Step("when", Test("present", field), body=body))
        return out

    def field(self, field: FieldShape, sub: Node) -> list[Step]:
        """Checks on a field when present; JSON checks on its JSON form when it has no walk."""
        try:
            body = self.steps(sub, field.type)
        except _NotWalkable:
            return [Step("field_json", field=field, node=sub)]
        return [Step("field", field=field, body=body)] if body else []

    @staticmethod
    def _present(shape: MessageShape, name: str) -> Step:
        field = shape.by_json_name(name)
        return FAIL if field is None else Step("check", Test("present", field))

    def map_entries(self, n: Node, t: VType) -> list[Step]:
        """A map reached through a present field: a JSON object with at least one member."""
        value = t.element()
        out = _length(n.min_properties, n.max_properties)
        out += [Step("check", Test("has_key", key=name)) for name in n.required]
        for key, names in n.dependent_required:
            out.append(Step("when", Test("has_key", key=key), body=tuple(Step("check", Test("has_key", key=k)) for k in names)))
        for key, sub in n.properties:
            body = self.steps(sub, value)
            if body:
                out.append(Step("key", key=key, body=body))
        patterns = tuple((index, self.steps(sub, value)) for index, sub in n.pattern_properties)
        extra = None if n.additional is None else self.steps(n.additional, value)
        known = tuple(name for name, _ in n.properties)
        if extra == (FAIL,) and not patterns and set(known) <= set(n.required):
            out.append(Step("check", Test("max_len", number=len(known))))  # only the required keys
        elif extra or any(body for _, body in patterns):
            out.append(Step("entries", known=known, patterns=patterns, extra=extra or None))
        if n.property_names is not None and not n.property_names.empty:
            out.append(Step("names", node=n.property_names))
        for key, sub in n.dependent_schemas:
            body = self.steps(sub, t)
            if body:
                out.append(Step("when", Test("has_key", key=key), body=body))
        return out

    def repeated(self, n: Node, t: VType) -> list[Step]:
        """A repeated field reached through a present field: at least one item."""
        item = t.element()
        out = _length(n.min_items, n.max_items)
        for i, sub in enumerate(n.prefix_items):
            body = self.steps(sub, item)
            if body:
                out.append(Step("item", index=i, body=body))
        if n.items is not None:
            body = self.steps(n.items, item)
            if body:
                out.append(Step("items", index=len(n.prefix_items), body=body))
        return out

    # -- scalars --------------------------------------------------------------------

    def scalar(self, n: Node, t: VType) -> list[Step] | None:
        """Steps for a scalar, or None when its checks need its JSON form."""
        kind = t.scalar or ""
        if kind in ("float", "double", "bytes"):
            if self._scalar_checks_apply(n):
                raise _NotWalkable
            return []
        if kind == "enum":
            return self.enum(n, t)
        json_types = {"string"} if kind in INT64 or kind == "string" else {"boolean"} if kind == "bool" else {"integer", "number"}
        if n.types is not None and not json_types & set(n.types):
            return [FAIL]
        if kind == "string" and n.const is not None and isinstance(n.const[0], str) and n.enum is None and not n.string_checks:
            return [Step("check", Test("equals", key=n.const[0]))]
        if n.const is not None or n.enum is not None:
            return None
        if kind in INT32 and n.number_checks:
            return None
        if kind == "string" and n.string_checks:
            return None
        if kind in INT64 and not self._holds_for_integers(n):
            return None
        return []

    def enum(self, n: Node, t: VType) -> list[Step] | None:
        """Known numbers are written as their names; unknown numbers as JSON integers."""
        assert t.enum is not None
        names = dict(self.shapes.enums[t.enum])
        out: list[Step] = []
        if n.number_checks:
            return None
        if n.types is not None:
            as_number = "integer" in n.types or "number" in n.types
            if as_number and "string" not in n.types:  # only the numbers the enum does not name
                out.append(self._numbers(tuple(names), outside=True))
            elif "string" in n.types and not as_number:
                out.append(self._numbers(tuple(names)))
            elif not as_number:
                return [FAIL]
        for values in (n.const, n.enum):
            if values is None:
                continue
            if not all(isinstance(v, str) for v in values):
                return None
            out.append(self._numbers(tuple(number for number, name in names.items() if name in values)))
        if n.string_checks and not all(self._string_holds(n, name) for name in names.values()):
            return None
        return out

    def _numbers(self, numbers: tuple[int, ...], *, outside: bool = False) -> Step:
        """A check that an enum number is in `numbers` (not in them, if `outside`)."""
        if numbers not in self.sets:
            self.sets[numbers] = self._add(self.module.number_sets, numbers)
        index = self.sets[numbers]
        return Step("check", Test("not_in_numbers" if outside else "in_numbers", number=index))

    def _number_union(self, fns: list[int]) -> list[Step] | None:
        """anyOf branches that each only test one enum number against a set, as one
        check ([] when the branches cover every number); None for any other branches."""
        inside: set[int] = set()
        outside: set[int] | None = None  # numbers no `not_in_numbers` branch accepts
        for fn in fns:
            body = self.module.message_functions[fn]
            test = body[0].test if len(body) == 1 and body[0].op == "check" else None
            if test is None or test.op not in NUMBER_TESTS or test.number is None:
                return None
            numbers = set(self.module.number_sets[test.number])
            if test.op == "in_numbers":
                inside |= numbers
            else:
                outside = numbers if outside is None else outside & numbers
        if outside is None:
            return [self._numbers(tuple(sorted(inside)))]
        rejected = tuple(sorted(outside - inside))
        return [self._numbers(rejected, outside=True)] if rejected else []

    def _string_holds(self, n: Node, text: str) -> bool:
        if n.min_length is not None and len(text) < n.min_length:
            return False
        if n.max_length is not None and len(text) > n.max_length:
            return False
        return n.pattern is None or re.search(self.module.patterns[n.pattern], text) is not None

    def _holds_for_integers(self, n: Node) -> bool:
        """Whether the string checks hold for every int64 written in decimal."""
        if n.min_length is not None and n.min_length > 1:
            return False
        if n.max_length is not None and n.max_length < _INT64_DIGITS:
            return False
        return n.pattern is None or matches_every_integer(self.module.patterns[n.pattern])

    @staticmethod
    def _scalar_checks_apply(n: Node) -> bool:
        return n.types is not None or n.const is not None or n.enum is not None or n.number_checks or n.string_checks

    # -- combinators and references -------------------------------------------------

    def combinators(self, n: Node, t: VType) -> list[Step]:
        out: list[Step] = []
        for sub in n.all_of:
            out += self.steps(sub, t)
        if n.any_of:
            fns = [self.function("b", b, t) for b in n.any_of]
            if None not in fns:
                branches = [f for f in fns if f is not None]
                union = self._number_union(branches)
                out += [Step("any_of", functions=tuple(branches))] if union is None else union
        if n.one_of:
            fns = [self.function("b", b, t) for b in n.one_of]
            rest = tuple(f for f in fns if f is not None)
            holds = len(fns) - len(rest)
            out.append(Step("one_of", functions=rest) if holds == 0 else Step("none_of", functions=rest) if holds == 1 else FAIL)
        if n.not_ is not None:
            fn = self.function("b", n.not_, t)
            out.append(FAIL if fn is None else Step("not", functions=(fn,)))
        if n.if_ is not None and (n.then is not None or n.else_ is not None):
            then = self.steps(n.then, t) if n.then is not None else ()
            else_ = self.steps(n.else_, t) if n.else_ is not None else ()
            fn = self.function("b", n.if_, t)
            if fn is None:
                out += then
            elif then or else_:
                out.append(Step("if", index=fn, body=then, else_body=else_))
        if n.ref is not None:
            fn = self.function("r", n.ref, t)
            if fn is not None:
                out += self.inlined(fn)
        return out

    def inlined(self, fn: int) -> list[Step]:
        """A call of function `fn`, or its steps when they are few (they read the same x<d>)."""
        if fn not in self.open and _size(self.module.message_functions[fn]) <= _INLINE_STEPS:
            return list(self.module.message_functions[fn])
        return [Step("call", index=fn)]

    def function(self, kind: str, index: int, t: VType) -> int | None:
        """The message function checking `t` against a $ref target ("r") or branch ("b");
        None when it always holds. A recursive reference is first assumed to hold (sound:
        messages are finite trees), and compiled again if the function turns out to check."""
        key = (kind, index, t)
        if key in self.functions:
            found = self.functions[key]
            if found == _IN_PROGRESS:
                self.assumed.add(key)
                return None
            return found
        node = (self.module.functions if kind == "r" else self.module.bool_functions)[index]
        mark, known = len(self.module.message_functions), set(self.functions)
        self.functions[key] = _IN_PROGRESS
        try:
            body = self.steps(node, t)
        except _NotWalkable:
            self._rollback(mark, known)
            raise
        if key in self.assumed and body:  # the assumption was wrong: what used it is redone
            self.assumed.discard(key)
            self._rollback(mark, known)
            self.functions[key] = mark
            self.module.message_functions.append(())
            self.open.add(mark)
            self.module.message_functions[mark] = self.steps(node, t)
            self.open.discard(mark)
            return mark
        self.assumed.discard(key)
        if not body:
            self.functions[key] = None
            return None
        self.module.message_functions.append(body)
        self.functions[key] = len(self.module.message_functions) - 1
        return self.functions[key]

    def _rollback(self, mark: int, known: set[tuple[str, int, VType]]) -> None:
        """Forget the functions compiled since `mark` (they may rest on a wrong assumption)."""
        del self.module.message_functions[mark:]
        for key in set(self.functions) - known:
            del self.functions[key]
