"""Normalise block text for matching while keeping a map back to the original characters.

What changes (and why):
- full-width digits and ``％ － ＋ ． ： （ ） ；`` become ASCII, so one pattern matches both;
- Kangxi radicals and CJK radical supplements (``⼀`` U+2F00) become the ideographs they look like:
  PDF exports with odd fonts produce them and they break every label match;
- whitespace touching a Han character, CJK punctuation or ``%`` is dropped: PDF exports put spaces
  between 汉字 and digits (``总收入 133590 万元``) and people type ``增加   16663万元``;
- thousands separators inside numbers (``1,234.5``, full-width ``３２，４５６``) are dropped.

No blanket NFKC: it would turn ``①１３３５９０`` into ``1133590``. Every output character keeps the
index of the original character it came from, so a match in the normalised text maps back to an exact
span of what the document says.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import regex

_ASCII_FROM_FULLWIDTH = {
    **{chr(0xFF10 + d): str(d) for d in range(10)},
    "％": "%", "－": "-", "−": "-", "–": "-", "＋": "+", "．": ".",
    "：": ":", "（": "(", "）": ")", "；": ";", "\u3000": " ", "\xa0": " ",
}


def _translation_table() -> dict[int, str]:
    table = {ord(k): v for k, v in _ASCII_FROM_FULLWIDTH.items()}
    for code in range(0x2E80, 0x2FE0):   # CJK radicals supplement and Kangxi radicals → the ideograph
        mapped = unicodedata.normalize("NFKC", chr(code))
        if len(mapped) == 1 and mapped != chr(code):
            table[code] = mapped
    return table


# Every mapping is one character to one character, so offsets stay aligned. Few characters of a
# report are in the table: replacing just those is several times faster than str.translate, which
# looks every character up in the table.
_TABLE = _translation_table()
_MAPPED = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")


def _mapped(m: re.Match) -> str:
    return _TABLE[ord(m.group())]


# A whitespace run is noise when either neighbour is a Han character, CJK punctuation, or a % sign.
_NOISE_SPACE = regex.compile(
    r"""
    (?<=[\p{Han}\p{InCJK_Symbols_and_Punctuation}\uFF01-\uFF5E%(),:;]) \s+   # after 汉字 / CJK punctuation
    | \s+ (?=[\p{Han}\p{InCJK_Symbols_and_Punctuation}\uFF01-\uFF5E%(),:;])  # before them
    """,
    regex.VERBOSE,
)

# "1,234,567.89": commas between digit groups of three; not "1,2" (a list). Full-width text writes
# the separator full-width too ("３２，４５６万元"); that comma is also a list comma ("分别为12，345"), so
# it only counts as a separator after a group of at most three digits that starts the number.
_THOUSANDS_COMMA = regex.compile(
    r"""
      (?<=\d),(?=\d{3}(?!\d))                                # ASCII 1,234
    | (?<=(?<![\d.])\d{1,3}(?:[,，]\d{3})*)，(?=\d{3}(?!\d))   # full-width ３２，４５６ (digits already ASCII)
    """,
    regex.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class NormText:
    text: str
    # origin[i] = index in the original text of normalised char i: a range when nothing was dropped
    origin: Sequence[int]
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering normalised [start, end)."""
        if start >= end:
            pos = self.origin[start] if start < len(self.origin) else len(self.original)
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1

    def original_text(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


def _drop(text: str, origin: Sequence[int], pattern: regex.Pattern) -> tuple[str, list[int]]:
    keep_text: list[str] = []
    keep_origin: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        keep_text.append(text[last:m.start()])
        keep_origin.extend(origin[last:m.start()])
        last = m.end()
    keep_text.append(text[last:])
    keep_origin.extend(origin[last:])
    return "".join(keep_text), keep_origin


# Inside a table cell a number wraps onto the next line ("14949\n7"): digits around a break join up.
_WRAPPED_DIGITS = regex.compile(r"(?<=[\d.])\s+(?=[\d.])")


# What each dropping pattern needs somewhere in the text: without it the pass is skipped.
_SPACE = regex.compile(r"\s")
_COMMA_BEFORE_DIGIT = regex.compile(r"[,，]\d")


def normalise(original: str, *, cell: bool = False) -> NormText:
    text = _MAPPED.sub(_mapped, original)
    origin: Sequence[int] = range(len(original))     # most texts drop nothing: no list of indices
    spaced = _SPACE.search(text)
    if spaced:
        text, origin = _drop(text, origin, _NOISE_SPACE)
    if _COMMA_BEFORE_DIGIT.search(text):
        text, origin = _drop(text, origin, _THOUSANDS_COMMA)
    if cell and spaced:
        text, origin = _drop(text, origin, _WRAPPED_DIGITS)
    return NormText(text, origin if isinstance(origin, range) else tuple(origin), original)


def normalise_term(term: str) -> str:
    """Vocabulary terms go through the same mapping as document text."""
    return normalise(term).text
