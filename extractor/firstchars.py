"""A guard in front of a long alternation: the characters a match can start with.

The scan pattern is a dozen alternatives (numbers, a prefix tree of a few hundred labels, relation
words). At a character none of them can start with, `re` still tries every alternative; most
characters of a report are such characters. ``(?=[…])`` in front, a single class test, skips them
and finds the same matches in about half the time; a guard in front of each alternative as well
saves a sixth more.

The class is read off the parsed pattern, so it follows the vocabulary and stays a superset of what
can start a match. Where it cannot be known (``.``, a negated class, a back reference, a pattern
that can match the empty string, case-insensitive matching) there is no guard and nothing changes.
"""
from __future__ import annotations

import re

try:
    from re import _constants as C, _parser as P       # Python 3.11+
except ImportError:                                    # pragma: no cover - a later Python moved them
    C = P = None

_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}
_ZERO_WIDTH = ("ASSERT", "ASSERT_NOT", "AT")
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


class _Unknown(Exception):
    """Part of the pattern whose first characters are not worked out: no guard."""


def first_char_class(source: str, flags: int = 0) -> str | None:
    """``[…]`` matching every character a match of `source` can start with, or None when unknown.

    >>> first_char_class(r"(?:较|比)上年|\\d+(?:万元)?|(?<=\\()含")
    '[较比\\\\d含]'
    >>> first_char_class(r"x?") is None          # can match the empty string
    True
    >>> first_char_class(r"[^a]b") is None
    True
    """
    if P is None:
        return None
    try:
        parsed = P.parse(source, flags)
        if parsed.state.flags & C.SRE_FLAG_IGNORECASE:
            return None
        items, nullable = _sequence(parsed.data)
    except (_Unknown, re.error, RecursionError):
        return None
    if nullable or not items:
        return None
    return "[" + "".join(dict.fromkeys(items)) + "]"


def guarded(source: str, flags: int = 0) -> str:
    """`source` behind its first-character guard, or unchanged when there is none."""
    cls = first_char_class(source, flags)
    end = "\n)" if flags & re.VERBOSE else ")"     # a trailing comment must not swallow the ")"
    return source if cls is None else f"(?={cls})(?:{source}{end}"


def alternation(alternatives: list[tuple[str, str]], flags: int = 0, *, guard: bool = False) -> str:
    """``(?P<name>source)|…`` of (name, source) pairs, in order. With `guard`, each alternative
    has its own guard and the whole its union: at a character that can start the pattern, an
    alternative that cannot start there costs one class test instead of entering its group."""
    end = "\n)" if flags & re.VERBOSE else ")"       # a trailing comment must not swallow the ")"
    parts = []
    for name, source in alternatives:
        cls = first_char_class(source, flags) if guard else None
        parts.append((f"(?={cls})" if cls else "") + f"(?P<{name}>{source}{end}")
    joined = "|".join(parts)
    return guarded(joined, flags) if guard else joined


def _sequence(items) -> tuple[list[str], bool]:
    """First characters of a sequence of items, and whether the whole sequence can be empty."""
    chars: list[str] = []
    for op, av in items:
        first, nullable = _item(str(op), av)
        chars += first
        if not nullable:
            return chars, False
    return chars, True


def _item(op: str, av) -> tuple[list[str], bool]:
    if op == "LITERAL":
        return [_escape(av)], False
    if op == "IN":
        return [_set_item(str(kind), value) for kind, value in av], False
    if op == "BRANCH":
        chars, nullable = [], False
        for branch in av[1]:
            first, empty = _sequence(branch)
            chars += first
            nullable = nullable or empty
        return chars, nullable
    if op == "SUBPATTERN":
        _group, add_flags, _del_flags, body = av
        if add_flags & C.SRE_FLAG_IGNORECASE:
            raise _Unknown(op)
        return _sequence(body)
    if op == "ATOMIC_GROUP":
        return _sequence(av)
    if op in _REPEATS:
        low, high, body = av
        if high == 0:
            return [], True
        first, empty = _sequence(body)
        return first, empty or low == 0
    if op in _ZERO_WIDTH:
        return [], True                     # a lookaround only narrows where a match starts
    raise _Unknown(op)                      # ANY, NOT_LITERAL, GROUPREF, …


def _set_item(kind: str, value) -> str:
    if kind == "LITERAL":
        return _escape(value)
    if kind == "RANGE":
        return f"{_escape(value[0])}-{_escape(value[1])}"
    if kind == "CATEGORY" and str(value) in _CATEGORIES:
        return _CATEGORIES[str(value)]
    raise _Unknown(kind)                    # NEGATE, a negated literal, a Unicode category


def _escape(code: int) -> str:
    ch = chr(code)
    return "\\" + ch if ch in "\\]^-[" else re.escape(ch)
