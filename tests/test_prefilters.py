"""The shortcuts taken for speed (issue 9) find exactly what the plain patterns find: the
first-character guard of the scan pattern (extractor/firstchars.py) and the tests that skip a text
before a costly pattern runs over it. Each is compared with the plain way over every fixture text."""
from __future__ import annotations

import doctest
import re

import pytest
import regex

from conftest import fixture_texts, report_extractions
from extract_rules.lint.common import any_of, lint_words

from extractor import firstchars, normalize
from extractor.extract import scanner_for
from extractor.firstchars import alternation, first_char_class, guarded
from extractor.meta import REGION, regions


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
    """Every match, its span and its named group, over the text of every fixture report line by
    line, plus characters of every kind."""
    scanner = scanner_for(vocab)
    guarded_pattern = scanner.pattern
    assert guarded_pattern.pattern.startswith("(?=[")
    assert guarded_pattern.pattern.count("(?=[") == len(scanner.alternatives) + 1
    bare = re.compile(alternation(scanner.alternatives, re.VERBOSE), re.VERBOSE)
    for text in fixture_texts():
        want = [(m.span(), m.lastgroup) for m in bare.finditer(text)]
        got = [(m.span(), m.lastgroup) for m in guarded_pattern.finditer(text)]
        assert got == want


def test_alternation_guards_each_alternative_it_can():
    pairs = [("a", "x|y"), ("b", r"\d+"), ("c", "z")]
    assert alternation(pairs) == "(?P<a>x|y)|(?P<b>\\d+)|(?P<c>z)"
    assert alternation(pairs, guard=True) == \
        r"(?=[xy\dz])(?:(?=[xy])(?P<a>x|y)|(?=[\d])(?P<b>\d+)|(?=[z])(?P<c>z))"
    # an alternative without a known start: no guard for it, none for the whole
    assert alternation([("a", "x"), ("b", ".")], guard=True) == "(?=[x])(?P<a>x)|(?P<b>.)"


def test_regions_skips_only_texts_without_a_region():
    found = 0
    # a year in digits `regex` reads as \d and `re` does not (U+10D40…)
    samples = ["奇台县2019年", "，木垒哈萨克自治县社会保险", "x市本级", "，奇台县\U00010d40\U00010d41\U00010d42\U00010d43年"]
    for text in fixture_texts() + samples:
        want = [m.span() for m in REGION.finditer(text)]
        assert [m.span() for m in regions(text)] == want
        found += len(want)
    assert found > 20


def test_placeholder_screen_passes_every_text_a_placeholder_pattern_matches():
    specs = [spec["pattern"] for spec in lint_words()["placeholders"]]
    screen = any_of(specs)
    assert screen is not None
    samples = fixture_texts() + ["自治区***社会保险", "XX县", "×××", "【 】", "（单位名称）", "某某县", "[]"]
    for text in samples:
        individually = any(regex.search(spec, text) for spec in specs)
        assert bool(screen.search(text)) == individually, text
    assert sum(bool(screen.search(text)) for text in samples) >= 7


@pytest.mark.parametrize("sources", [[r"(a)\1", "b"], [r"(?P<n>a)(?P=n)"], [r"(a)?(?(1)b|c)"], ["(", "a"]])
def test_no_screen_when_joining_would_change_a_pattern(sources):
    assert any_of(sources) is None


def _normalise_every_pass(original: str, cell: bool) -> tuple[str, tuple[int, ...]]:
    """normalise() the plain way: str.translate and every dropping pass, whatever the text holds."""
    text, origin = original.translate(normalize._TABLE), list(range(len(original)))
    text, origin = normalize._drop(text, origin, normalize._NOISE_SPACE)
    text, origin = normalize._drop(text, origin, normalize._THOUSANDS_COMMA)
    if cell:
        text, origin = normalize._drop(text, origin, normalize._WRAPPED_DIGITS)
    return text, tuple(origin)


@pytest.mark.parametrize("cell", [False, True])
def test_normalise_skips_only_passes_with_nothing_to_do(cell):
    samples = fixture_texts() + ["1,234\n567", "３２，４５６万元", "总收入 133590 万元", "⼀二", "14949\n7", "1 ,234"]
    for text in samples:
        got = normalize.normalise(text, cell=cell)
        assert (got.text, tuple(got.origin)) == _normalise_every_pass(text, cell), text


def test_trusted_figures_equal_validated_ones():
    """Record.trusted skips validation: over every fixture report, each figure (and its source)
    validates to an equal record, dumps to the same JSON, and hashes alike."""
    from extractor.models import Figure

    count = 0
    for extraction in report_extractions():
        for figure in extraction.figures:
            checked = Figure.model_validate(figure.model_dump())
            assert checked == figure and hash(checked) == hash(figure)
            assert checked.model_dump_json() == figure.model_dump_json()
            assert figure.model_fields_set == checked.model_fields_set
            count += 1
    assert count > 1000


def test_trusted_needs_every_field():
    from extractor.models import Source

    with pytest.raises(TypeError, match="needs every field"):
        Source.trusted(block=1, start=0, end=1, text="1")


def test_words_compiled_by_re_match_as_regex_would(vocab):
    """words.yaml patterns that compile_word hands to `re` find what `regex` finds, everywhere in
    every fixture text (match, search, fullmatch and finditer over each line)."""
    import re as stdlib_re

    from extractor.vocabulary import compile_word

    by_re = {name: p for name, p in vocab.words.items() if isinstance(p, stdlib_re.Pattern)}
    assert len(by_re) > 20
    lines = fixture_texts()
    for name, fast in by_re.items():
        plain = regex.compile(fast.pattern)
        for line in lines:
            assert [m.span() for m in fast.finditer(line)] == [m.span() for m in plain.finditer(line)], name
            for call in ("match", "search", "fullmatch"):
                a, b = getattr(fast, call)(line), getattr(plain, call)(line)
                assert (a and a.span()) == (b and b.span()), (name, call, line)
    assert isinstance(compile_word(r"\d+"), regex.Pattern)      # \d differs between the two modules
    assert isinstance(compile_word(r"\p{Han}"), regex.Pattern)
    assert isinstance(compile_word(r"(?i)a"), regex.Pattern)
    assert isinstance(compile_word(r"[[:alpha:]]"), regex.Pattern)
    assert isinstance(compile_word(r"较|比"), stdlib_re.Pattern)


def test_scan_pattern_falls_back_to_regex_for_regex_syntax():
    """A vocabulary pattern written with `regex` syntax (\\p{Han}) keeps the scan on `regex`."""
    from extractor.extract import _compiled

    pattern = _compiled([("han", r"\p{Han}+"), ("x", "x")])
    assert isinstance(pattern, regex.Pattern)
    assert [(m.group(), m.lastgroup) for m in pattern.finditer("基金x")] == [("基金", "han"), ("x", "x")]
    assert isinstance(_compiled([("x", "x")]), re.Pattern)
