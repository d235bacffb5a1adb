"""What the lint rules share: the blocks as lint sees them, the lint vocabulary, the small jieba
tokenizer and the finding builder.

Lint reads the ORIGINAL text of each block (punctuation style is what it checks); the normalised
text with its offset map is at hand for matching words across the spaces a PDF export inserts.
Every finding points at a span of the original text: block, page, start, end and the text itself.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator
from weakref import WeakKeyDictionary

import regex
import yaml

from extractor.blocks import Block
from extractor.models import Finding, Severity, Source
from extractor.normalize import NormText, normalise
from extractor.pipeline import Extraction
from extractor.segment import Paragraph

from .. import VOCAB_DIR
from ..base import Rule

LINT_WORDS = VOCAB_DIR / "lint_words.yaml"


@lru_cache(maxsize=1)
def lint_words() -> dict:
    return yaml.safe_load(LINT_WORDS.read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def pattern(source: str) -> regex.Pattern:
    return regex.compile(source)


@lru_cache(maxsize=16)
def _any_of(sources: tuple[str, ...]) -> regex.Pattern | None:
    try:
        return regex.compile("|".join(f"(?:{source})" for source in sources))
    except regex.error:
        return None


def any_of(sources) -> regex.Pattern | None:
    """One pattern that matches where any of `sources` matches: a text it does not match can be
    skipped without running them one by one. None (no screen) when one of them refers to a group,
    whose number would change in the joined pattern, or when they do not join."""
    sources = tuple(sources)
    if any(GROUP_REFERENCE.search(source) for source in sources):
        return None
    return _any_of(sources)


GROUP_REFERENCE = regex.compile(r"\\(?:\d|g)|\(\?P=|\(\?\(")


@dataclass(frozen=True, slots=True)
class Text:
    """One block of the document as lint reads it."""

    block: Block
    norm: NormText
    paragraph: Paragraph | None      # None for table cells
    section: str | None              # heading path of the paragraph (cells: the one before the table)

    @property
    def original(self) -> str:
        return self.block.text


def texts(extraction: Extraction, *, cells: bool = True) -> Iterator[Text]:
    """Paragraphs and (optionally) table cells in document order."""
    every = _all_texts(extraction)
    return iter(every) if cells else (text for text in every if text.paragraph is not None)


# Fifteen rules walk the same texts: they are built (cells normalised, section labels joined) once
# per extraction, and dropped with it.
_TEXTS: WeakKeyDictionary = WeakKeyDictionary()


def _all_texts(extraction: Extraction) -> tuple[Text, ...]:
    every = _TEXTS.get(extraction)
    if every is None:
        every = _TEXTS[extraction] = tuple(_build_texts(extraction))
    return every


def _build_texts(extraction: Extraction) -> Iterator[Text]:
    by_block = {p.block.index: p for p in extraction.paragraphs}
    section = None
    for block in extraction.document.blocks:
        paragraph = by_block.get(block.index)
        if paragraph is not None:
            section = paragraph.section_label or None
            yield Text(block, paragraph.norm, paragraph, section)
        elif block.kind == "cell" and block.text.strip():
            yield Text(block, normalise(block.text, cell=True), None, section)


def source(text: Text, start: int, end: int) -> Source:
    """A span [start, end) of the block's original text."""
    block = text.block
    return Source(block=block.index, page=block.page_at(start), start=start, end=end,
                  text=block.text[start:end], cell=_cell(block), section=text.section)


def norm_source(text: Text, start: int, end: int) -> Source:
    """A span of the normalised text, mapped back to the original."""
    a, b = text.norm.span(start, end)
    return source(text, a, b)


def _cell(block: Block):
    if block.cell is None:
        return None
    from extractor.models import CellLocation

    return CellLocation(table=block.cell.table, row=block.cell.row, col=block.cell.col)


def lint_finding(rule: Rule, message: str, location: Source, *, severity: Severity | None = None,
                 suggestion: str | None = None) -> Finding:
    """A lint finding: no figures, the matched text in `location`. A severity configured for the
    rule (rule.options["severity"]) beats the per-finding default a rule may pass."""
    return Finding(code=rule.code, name=rule.name,
                   severity=rule.options.get("severity") or severity or rule.severity,
                   message=message, location=location, suggestion=suggestion)


def option(rule: Rule, key: str, default=None):
    return rule.options.get(key, default)


def quote(text: str, limit: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


# --- the small jieba tokenizer -------------------------------------------------------------------

_TOKENIZERS: dict[tuple[str, ...], object] = {}
INIT_SECONDS: dict[str, float] = {}


def tokenizer(vocab_words: tuple[str, ...]):
    """A jieba Tokenizer over the project's vocabulary plus lint_words.yaml `words`, built once per
    process. The prefix dictionary (FREQ/total) is set directly: jieba's default 350,000-word
    dictionary is never read (it costs about a second a process)."""
    key = vocab_words
    tk = _TOKENIZERS.get(key)
    if tk is None:
        jieba = _import_jieba()
        started = time.perf_counter()
        tk = jieba.Tokenizer()
        freq: dict[str, int] = {}
        for word in (*vocab_words, *lint_words()["words"]):
            freq[word] = 1000
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)
        tk.FREQ, tk.total, tk.initialized = freq, sum(freq.values()), True
        INIT_SECONDS["tokenizer"] = time.perf_counter() - started
        _TOKENIZERS[key] = tk
    return tk


def _import_jieba():
    """jieba, imported without pkg_resources: jieba._compat imports it (about 100 ms) only to open
    jieba's own data files, and falls back to a plain open() without it; this tokenizer reads none."""
    import sys

    blocked = "pkg_resources" not in sys.modules and "jieba" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None          # import fails fast: jieba takes its fallback
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    return jieba


def tokens(extraction: Extraction, text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) over `text`, dictionary words only (no HMM guesses for unknown words)."""
    return list(tokenizer(extraction.vocab.jieba_words).tokenize(text, HMM=False))


def word_starts(extraction: Extraction, text: str, positions) -> set[int]:
    """Which of `positions` start a token of `tokens(extraction, text)`, tokenizing only the parts
    of `text` around them. jieba cuts a text into runs of Han, Latin letters, digits and +#&._%-
    (its re_han_default), segments each run on its own, and makes every other character a token
    of its own ("\r\n" one token): so a run's tokens do not depend on the rest of the text."""
    import jieba

    tk = tokenizer(extraction.vocab.jieba_words)
    runs = [(m.start(), m.end()) for m in jieba.re_han_default.finditer(text)]
    starts: set[int] = set()
    cut: dict[int, set[int]] = {}
    for j in positions:
        if not 0 <= j < len(text):
            continue
        run = next(((a, b) for a, b in runs if a <= j < b), None)
        if run is None:
            if text[j - 1:j + 1] != "\r\n":
                starts.add(j)
            continue
        a, b = run
        if a not in cut:
            cut[a] = {a + start for _, start, _ in tk.tokenize(text[a:b], HMM=False)}
        if j in cut[a]:
            starts.add(j)
    return starts
