"""The breaking-change rules: stable IDs, a category, one line of doc; and the Change value.

Standard library only, so that any contract that can be written as JSON Schema (signature
kinds here, a model's serving contract later) reports with the same rule IDs. A model diff
renders each signature as a SignatureDef-shaped schema (dtype as `const`, a fixed dimension
as a `const` size, rank as min/maxItems of `dim`), runs `diff_schema.compare` and
`refine(..., SIGNATURE_REFINEMENTS)`: input/output removed, renamed or added, dtype, rank
and dimension changes come out under the IDs below. Rows it puts before those (first match
wins) can give its own IDs, e.g. to count a widened output dimension as breaking.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

BREAKING, COMPATIBLE = "breaking", "compatible"


class ChangeRule(NamedTuple):
    id: str
    category: str  # BREAKING or COMPATIBLE
    doc: str


def _rules(*rows: tuple[str, str, str]) -> dict[str, ChangeRule]:
    return {r[0]: ChangeRule(*r) for r in rows}


B, C = BREAKING, COMPATIBLE

CHANGE_RULES: dict[str, ChangeRule] = _rules(
    # what validates (any JSON Schema; diff_schema.py)
    ("TYPE_NARROWED", B, "`type` accepts fewer JSON types."),
    ("TYPE_WIDENED", C, "`type` accepts more JSON types."),
    ("CONST_ADDED", B, "A value is now pinned by `const`."),
    ("CONST_CHANGED", B, "A `const` changed value."),
    ("CONST_REMOVED", C, "A `const` was removed: any value is accepted."),
    ("ENUM_NARROWED", B, "An `enum`/`const` set lost values (or an `enum` was added)."),
    ("ENUM_WIDENED", C, "An `enum`/`const` set gained values (or was removed)."),
    ("PATTERN_ADDED", B, "A `pattern` was added."),
    ("PATTERN_NARROWED", B, "A `pattern` changed and rejects strings the old one matched (a witness string is shown)."),
    ("PATTERN_WIDENED", C, "A `pattern` changed and matches every sampled string the old one matched, and more."),
    ("PATTERN_REMOVED", C, "A `pattern` was removed."),
    ("BOUND_TIGHTENED", B, "minimum/maximum/exclusive*/multipleOf or min/max Length/Items/Properties/Contains got stricter."),
    ("BOUND_LOOSENED", C, "A numeric, length or count bound got looser or was removed."),
    ("UNIQUE_ITEMS_ADDED", B, "Array items must be unique now."),
    ("UNIQUE_ITEMS_REMOVED", C, "Array items need not be unique any more."),
    ("REQUIRED_ADDED", B, "A member is now required (by `required` or `dependentRequired`)."),
    ("REQUIRED_REMOVED", C, "A member is no longer required."),
    ("PROPERTY_REMOVED", B, "A property is no longer accepted (removed under `additionalProperties: false`, or made `false`)."),
    ("PROPERTY_ADDED", C, "A property is accepted where it was rejected."),
    ("PROPERTY_RENAMED", B, "A property was removed and another with the same schema added beside it."),
    ("ADDITIONAL_PROPERTIES_CLOSED", B, "Members not named by `properties` are no longer accepted."),
    ("ADDITIONAL_PROPERTIES_OPENED", C, "Members not named by `properties` are now accepted."),
    ("ITEMS_CLOSED", B, "Array items at some positions are no longer accepted (`items: false`, shorter `prefixItems`)."),
    ("ITEMS_OPENED", C, "Array items at some positions are now accepted."),
    ("SCHEMA_CLOSED", B, "A subschema now rejects every value (`false`)."),
    ("SCHEMA_OPENED", C, "A subschema that rejected every value now accepts some."),
    ("BRANCH_REMOVED", B, "An anyOf/oneOf alternative is matched by no new alternative."),
    ("BRANCH_ADDED", C, "An anyOf/oneOf alternative was added."),
    ("CONDITION_CHANGED", B, "not/if/contains changed or was added; sigdef does not prove such a change widens, so it counts as breaking."),
    ("CONDITION_REMOVED", C, "A not/if/contains condition was removed."),
    ("COMPARISON_CUT", B, "The schemas are too large or branchy to compare within sigdef's bound: the comparison is incomplete, so it counts as breaking."),
    ("DOCUMENT_REJECTED", B, "A document the old schema accepts (one of its examples, or an instance generated from it) is rejected by the new one."),
    ("DOCUMENT_SEARCH_CUT", C, "Notice: the time bound stopped document generation early; the document check is incomplete."),
    # SignatureDef-shaped documents (signature kinds; model contracts): refinements of the above
    ("METHOD_NAME_CHANGED", B, "A signature's method name changed."),
    ("DTYPE_CHANGED", B, "A tensor's accepted dtype changed (or a builder's dtype check requires another dtype)."),
    ("DTYPE_WIDENED", C, "A tensor accepts more dtypes."),
    ("INPUT_REMOVED", B, "An input is no longer accepted."),
    ("INPUT_ADDED", B, "A new input is required."),
    ("INPUT_ADDED_OPTIONAL", C, "A new optional input is accepted."),
    ("INPUT_RENAMED", B, "An input was renamed."),
    ("OUTPUT_REMOVED", B, "An output is no longer accepted (or produced)."),
    ("OUTPUT_ADDED", C, "A new output is accepted."),
    ("OUTPUT_RENAMED", B, "An output was renamed."),
    ("RANK_CHANGED", B, "A tensor's accepted rank got narrower (or changed)."),
    ("RANK_WIDENED", C, "A tensor accepts more ranks."),
    ("DIM_NARROWED", B, "A dimension accepts fewer sizes (e.g. -1 to a fixed size)."),
    ("DIM_WIDENED", C, "A dimension accepts more sizes (e.g. a fixed size to -1)."),
    # a model's signature map (sigdef diff OLD_MODEL NEW_MODEL)
    ("SIGNATURE_REMOVED", B, "A model no longer has a signature clients may name."),
    ("SIGNATURE_ADDED", C, "A model has a new signature."),
    ("DEFAULT_SIGNATURE_CHANGED", B, "Requests naming no signature now reach what another signature served (or fail: it was removed)."),
    ("OUTPUT_SHAPE_CHANGED", B, "An output may now have shapes it could not have before (a dimension or rank changed, or became unknown)."),
    ("OUTPUT_SHAPE_NARROWED", C, "An output's shape is more precise (a -1 dimension or an unknown rank became known)."),
    # sigdef builders, checks, constants (x-sigdef; diff.py)
    ("KIND_REMOVED", B, "A signature kind was removed."),
    ("KIND_ADDED", C, "A signature kind was added."),
    ("SERVING_REMOVED", B, "A kind is no longer marked as served: is_valid_signature rejects its signatures."),
    ("SERVING_ADDED", C, "A kind is now marked as served: is_valid_signature accepts its valid signatures."),
    ("BUILDER_RENAMED", B, "A kind's builder function was renamed."),
    ("ARG_REMOVED", B, "A builder or constructor argument was removed."),
    ("ARG_RENAMED", B, "An argument was renamed (same position, same role): keyword callers break."),
    ("ARG_REORDERED", B, "Arguments changed position: positional callers break."),
    ("ARG_ADDED_REQUIRED", B, "An argument without a default was added."),
    ("ARG_ADDED_OPTIONAL", C, "An argument with a default was added at the end."),
    ("ARG_MADE_REQUIRED", B, "An argument lost its default."),
    ("ARG_MADE_OPTIONAL", C, "An argument gained a default."),
    ("ARG_KEY_CHANGED", B, "The SignatureDef key or map an argument is stored under changed."),
    ("ARG_KIND_CHANGED", B, "What an argument takes (tensor, map, op, ...) changed."),
    ("CHECK_ADDED", B, "A check was added: the builder rejects more."),
    ("CHECK_REMOVED", C, "A check was removed: the builder accepts more."),
    ("CHECK_CHANGED", B, "A check now tests another rule or other arguments."),
    ("CHECK_REORDERED", B, "Checks run in another order: a call failing two of them raises another error."),
    ("ERROR_TYPE_CHANGED", B, "A check raises another exception type."),
    ("MESSAGE_CHANGED", B, "An error message changed (callers match TensorFlow's exact texts)."),
    ("EXPORT_OUTPUT_REMOVED", B, "An ExportOutput class was removed."),
    ("EXPORT_OUTPUT_ADDED", C, "An ExportOutput class was added."),
    ("EXPORT_OUTPUT_CHANGED", B, "An ExportOutput builds its SignatureDef with another builder or argument mapping."),
    ("CONSTANT_REMOVED", B, "A constant was removed."),
    ("CONSTANT_VALUE_CHANGED", B, "A constant's value changed."),
    ("CONSTANT_ADDED", C, "A constant was added."),
)

def rule_lines() -> list[str]:
    """`--list-rules` of `sigdef-gen diff` and `sigdef diff`: ID, category, doc, one rule a line."""
    return [f"{rule.id:28} {rule.category:10} {rule.doc}" for rule in CHANGE_RULES.values()]


@dataclass(frozen=True)
class Change:
    """One difference between two contracts: rule, where, what, and the values before and after.

    `file`/`pointer` locate it in the schema (the new one, or the old one for removals);
    `instance` is the JSON pointer of the member it concerns in the documents validated
    (`*` for any member or item), when the change is about what validates.
    """

    rule: str
    file: str
    pointer: str
    message: str
    old: Any = None
    new: Any = None
    instance: str | None = None

    @property
    def category(self) -> str:
        return CHANGE_RULES[self.rule].category

    @property
    def breaking(self) -> bool:
        return self.category == BREAKING

    def __str__(self) -> str:
        at = f" at {self.instance or '/'}" if self.instance is not None else ""
        values = f" (old: {show(self.old)}; new: {show(self.new)})" if self.old is not None or self.new is not None else ""
        return f"{self.file}:{self.pointer or '/'}: {self.rule} [{self.category}]{at} {self.message}{values}"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "pointer": self.pointer,
            "rule": self.rule,
            "category": self.category,
            "breaking": self.breaking,
            "instance": self.instance,
            "message": self.message,
            "old": self.old,
            "new": self.new,
        }


def show(value: Any) -> str:
    """A value as compact JSON (text reports)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return text if len(text) <= 300 else text[:297] + "..."


class Refinement(NamedTuple):
    """Rename a generic schema change to a domain rule where its instance path matches."""

    rules: frozenset[str]
    instance: re.Pattern[str]
    rule: str


def _refine(rules: str, instance: str, rule: str) -> Refinement:
    return Refinement(frozenset(rules.split()), re.compile(instance), rule)


_NARROWS = "CONST_ADDED CONST_CHANGED ENUM_NARROWED TYPE_NARROWED PATTERN_ADDED PATTERN_NARROWED BOUND_TIGHTENED"
_WIDENS = "CONST_REMOVED ENUM_WIDENED TYPE_WIDENED PATTERN_REMOVED PATTERN_WIDENED BOUND_LOOSENED"

# Documents shaped like a SignatureDef in proto3 JSON: signature kinds and model contracts.
SIGNATURE_REFINEMENTS: tuple[Refinement, ...] = (
    _refine("CONST_ADDED CONST_CHANGED ENUM_NARROWED", r"^/methodName$", "METHOD_NAME_CHANGED"),
    _refine("CONST_ADDED CONST_CHANGED ENUM_NARROWED", r"^/(inputs|outputs)/[^/]+/dtype$", "DTYPE_CHANGED"),
    _refine("CONST_REMOVED ENUM_WIDENED", r"^/(inputs|outputs)/[^/]+/dtype$", "DTYPE_WIDENED"),
    _refine("PROPERTY_REMOVED", r"^/inputs/[^/*]+$", "INPUT_REMOVED"),
    _refine("REQUIRED_ADDED", r"^/inputs/[^/*]+$", "INPUT_ADDED"),
    _refine("PROPERTY_ADDED", r"^/inputs/[^/*]+$", "INPUT_ADDED_OPTIONAL"),
    _refine("PROPERTY_RENAMED", r"^/inputs/[^/*]+$", "INPUT_RENAMED"),
    _refine("PROPERTY_REMOVED", r"^/outputs/[^/*]+$", "OUTPUT_REMOVED"),
    _refine("PROPERTY_ADDED", r"^/outputs/[^/*]+$", "OUTPUT_ADDED"),
    _refine("PROPERTY_RENAMED", r"^/outputs/[^/*]+$", "OUTPUT_RENAMED"),
    _refine("BOUND_TIGHTENED ITEMS_CLOSED", r"^/(inputs|outputs)/[^/]+/tensorShape/dim$", "RANK_CHANGED"),
    _refine("BOUND_LOOSENED ITEMS_OPENED", r"^/(inputs|outputs)/[^/]+/tensorShape/dim$", "RANK_WIDENED"),
    _refine(_NARROWS, r"^/(inputs|outputs)/[^/]+/tensorShape/dim/[^/]+/size$", "DIM_NARROWED"),
    _refine(_WIDENS, r"^/(inputs|outputs)/[^/]+/tensorShape/dim/[^/]+/size$", "DIM_WIDENED"),
)


def refine(changes: Iterable[Change], table: Iterable[Refinement]) -> list[Change]:
    """Each change renamed by the first refinement matching its rule and instance path."""
    rows = tuple(table)
    out = []
    for change in changes:
        for row in rows:
            if change.rule in row.rules and change.instance is not None and row.instance.match(change.instance):
                change = replace(change, rule=row.rule)
                break
        out.append(change)
    return out


def ordered(changes: Iterable[Change]) -> list[Change]:
    """Changes without repeats, in a stable order (file, pointer, instance, rule, message)."""
    unique = {(c.file, c.pointer, c.instance or "", c.rule, c.message, show(c.old), show(c.new)): c for c in changes}
    return [unique[k] for k in sorted(unique)]
