"""The first-character guard in front of the scan pattern finds exactly the matches the bare pattern
finds (extractor/firstchars.py)."""
from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from extractor import firstchars
from extractor.extract import scanner_for
from extractor.firstchars import first_char_class, guarded

FIXTURES = Path(__file__).parent / "fixtures"


def test_doctests():
    assert doctest.testmod(firstchars).failed == 0


@pytest.mark.parametrize("source, expected", [
    (r"abc|d", "[ad]"),
    (r"(?:x)?y", "[xy]"),                      # an optional start adds what follows
    (r"(?<![\d.])-?\d+", r"[\-\d]"),          # a lookbehind consumes nothing
    (r"[a-c\s]z", r"[a-c\s]"),
    (r"\]|\^|\\", r"[\]\^\\]"),               # class metacharacters are escaped
    (r"x*", None),                             # matches the empty string: no guard
    (r".a", None),
    (r"[^a]", None),
    (r"(?i)a", None),
    (r"(a)\1", "[a]"),                        # the back reference comes after the first character
    (r"\1", None),
])
def test_first_char_class(source, expected):
    assert first_char_class(source) == expected


def test_verbose_trailing_comment_keeps_the_group_closed():
    source = "a  # a comment with no newline after it"
    assert re.compile(guarded(source, re.VERBOSE), re.VERBOSE).findall("xa") == ["a"]


def test_guarded_scan_finds_what_the_bare_pattern_finds(vocab):
    """Every match, its span and its named group, over the text of every corpus report and the
    wording variants, plus characters of every kind."""
    guarded_pattern = scanner_for(vocab).pattern
    assert guarded_pattern.pattern.startswith("(?=[")
    bare = re.compile(guarded_pattern.pattern[guarded_pattern.pattern.index("(?:") + 3:-2], re.VERBOSE)
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted(FIXTURES.glob("**/*.txt"))]
    texts.append("".join(chr(c) for c in range(32, 0x3000, 7)) + "-12.5%（含3人）负-7")
    assert len(texts) > 10
    for text in texts:
        want = [(m.span(), m.lastgroup) for m in bare.finditer(text)]
        got = [(m.span(), m.lastgroup) for m in guarded_pattern.finditer(text)]
        assert got == want
