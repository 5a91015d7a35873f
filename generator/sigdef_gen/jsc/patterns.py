"""Deciding at generation time that a `pattern` holds for every int64 in decimal.

proto3 JSON writes int64 fields as strings (`"-1"`, `"128"`), and schemas check them with
patterns such as `^-?[0-9]+$`. Such a check can never fail on a message, so the message
backend drops it when this module proves that. The proof is exact for the regex subset
parsed here (literals, classes, repeats, groups, alternation, ^ and $ at the ends): the
pattern becomes an automaton over the characters `-0123456789`, and every word of
`0|-?[1-9][0-9]*` (a superset of the decimal int64s) must reach acceptance. Anything
outside the subset is simply not proven.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

ALPHABET = "-0123456789"
_MAX_COPIES = 64  # bounded repeats are unrolled up to this many copies


class _Unsupported(Exception):
    pass


class _Automaton:
    """A Thompson NFA: `moves[state]` maps a character to next states, `free` are epsilon moves."""

    def __init__(self) -> None:
        self.moves: list[dict[str, set[int]]] = []
        self.free: list[set[int]] = []

    def state(self) -> int:
        self.moves.append({})
        self.free.append(set())
        return len(self.moves) - 1

    def closure(self, states: set[int]) -> frozenset[int]:
        stack, seen = list(states), set(states)
        while stack:
            for nxt in self.free[stack.pop()] - seen:
                seen.add(nxt)
                stack.append(nxt)
        return frozenset(seen)

    def step(self, states: frozenset[int], char: str) -> frozenset[int]:
        return self.closure({n for s in states for n in self.moves[s].get(char, ())})

    def sequence(self, items: Any, start: int) -> int:
        """Add the items of a parsed pattern after `start`; returns the end state."""
        for op, arg in items:
            start = self.item(op, arg, start)
        return start

    def item(self, op: Any, arg: Any, start: int) -> int:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            end = self.state()
            for char in _chars(op, arg):
                self.moves[start].setdefault(char, set()).add(end)
            return end
        if op is C.SUBPATTERN:
            return self.sequence(arg[-1], start)
        if op is C.ATOMIC_GROUP:
            return self.sequence(arg, start)
        if op is C.BRANCH:
            end = self.state()
            for alternative in arg[1]:
                branch = self.state()
                self.free[start].add(branch)
                self.free[self.sequence(alternative, branch)].add(end)
            return end
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, items = arg
            return self.repeat(low, high, items, start)
        raise _Unsupported(op)

    def repeat(self, low: int, high: Any, items: Any, start: int) -> int:
        if low > _MAX_COPIES or (high is not C.MAXREPEAT and high > _MAX_COPIES):
            raise _Unsupported("repeat bound")
        for _ in range(low):
            start = self.sequence(items, start)
        if high is C.MAXREPEAT:
            loop = self.state()
            self.free[start].add(loop)
            self.free[self.sequence(items, loop)].add(loop)
            return loop
        end = self.state()
        self.free[start].add(end)
        for _ in range(high - low):
            start = self.sequence(items, start)
            self.free[start].add(end)
        return end


def _chars(op: Any, arg: Any) -> set[str]:
    """The characters of ALPHABET one parsed character item matches."""
    if op is C.ANY:
        return set(ALPHABET)
    if op is C.LITERAL:
        return {chr(arg)} & set(ALPHABET)
    if op is C.NOT_LITERAL:
        return set(ALPHABET) - {chr(arg)}
    negate = False
    found: set[str] = set()
    for kind, value in arg:
        if kind is C.NEGATE:
            negate = True
        elif kind is C.LITERAL:
            found |= {chr(value)} & set(ALPHABET)
        elif kind is C.RANGE:
            found |= {c for c in ALPHABET if value[0] <= ord(c) <= value[1]}
        elif kind is C.CATEGORY and value in (C.CATEGORY_DIGIT, C.CATEGORY_NOT_DIGIT, C.CATEGORY_WORD, C.CATEGORY_NOT_WORD, C.CATEGORY_SPACE, C.CATEGORY_NOT_SPACE):
            found |= {c for c in ALPHABET if re.fullmatch(_CATEGORY[value], c)}
        else:
            raise _Unsupported(kind)
    return set(ALPHABET) - found if negate else found


_CATEGORY = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_WORD: r"\w",
    C.CATEGORY_NOT_WORD: r"\W", C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S",
}
_STARTS = (C.AT_BEGINNING, C.AT_BEGINNING_STRING)
_ENDS = (C.AT_END, C.AT_END_STRING)

# 0|-?[1-9][0-9]* as a DFA: state -> {char: state}; accepting states "zero" and "digits".
_INTEGERS = {
    "start": {"-": "sign", "0": "zero", **{d: "digits" for d in "123456789"}},
    "sign": {d: "digits" for d in "123456789"},
    "zero": {},
    "digits": {d: "digits" for d in "0123456789"},
}
_ACCEPT = {"zero", "digits"}


def matches_every_integer(pattern: str) -> bool:
    """Whether `re.search(pattern, str(n))` succeeds for every integer n (exact for the
    supported subset; False, i.e. not proven, for anything else)."""
    try:
        items = list(_parser.parse(pattern))
        anchored_start = bool(items) and items[0][0] is C.AT and items[0][1] in _STARTS
        anchored_end = bool(items) and items[-1][0] is C.AT and items[-1][1] in _ENDS
        items = items[1 if anchored_start else 0 : len(items) - 1 if anchored_end else len(items)]
        nfa = _Automaton()
        start = nfa.state()
        if not anchored_start:  # search: the match may start anywhere
            nfa.moves[start] = {c: {start} for c in ALPHABET}
        end = nfa.sequence(items, start)
    except (_Unsupported, re.error, RecursionError):
        return False
    if not anchored_end:  # search: once matched, any rest is fine
        for c in ALPHABET:
            nfa.moves[end].setdefault(c, set()).add(end)
    first = ("start", nfa.closure({start}))
    seen, stack = {first}, [first]
    while stack:
        state, states = stack.pop()
        if state in _ACCEPT and end not in states:
            return False
        for char, nxt in _INTEGERS[state].items():
            pair = (nxt, nfa.step(states, char))
            if pair not in seen:
                seen.add(pair)
                stack.append(pair)
    return True
