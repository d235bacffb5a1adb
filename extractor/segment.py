"""Blocks into paragraphs with their place in the outline, their fund context and their sentences.

Headings (``一、`` ``（一）`` ``1、`` ``(1)``) build a section path. The fund a paragraph is about
starts as the fund named by the nearest heading that names one; sentences may name another.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .blocks import Block
from .normalize import NormText, normalise
from .vocabulary import Vocabulary

_CN_NUM = "一二三四五六七八九十"
HEADING = regex.compile(
    rf"""
    ^(?:
        (?P<l1>[{_CN_NUM}]+、)                 # 一、
      | (?P<l2>\([{_CN_NUM}]+\))               # (一)  — full-width parens are ASCII after normalising
      | (?P<l3>\d{{1,2}}(?:、|\.(?!\d)))       # 1、 or 1.  (not 1.5)
      | (?P<l4>\(\d{{1,2}}\))                  # (1)
    )
    """,
    regex.VERBOSE,
)
# A line with no number that still reads as a heading: short, no sentence punctuation, ends in 情况.
UNNUMBERED_HEADING = regex.compile(r"^[\p{Han}、]{6,40}(?:情况|分析|问题|附表)$")

# Sentence ends: 。！？ and line breaks; an ASCII '.' between 汉字 (or after a unit) ending a sentence.
SENTENCE_END = regex.compile(r"[。!?！？\n]|(?<=[\p{Han}%])\.(?=[^\d])")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int          # 1..4; unnumbered headings count as level 1
    marker: str         # "一、", "(二)", "1、", "" for an unnumbered heading
    text: str


@dataclass(slots=True)
class Paragraph:
    block: Block
    norm: NormText
    section: tuple[Heading, ...]
    heading: Heading | None              # set when the block itself starts with a heading marker
    fund: str | None                     # fund context from the headings
    budget_section: bool
    sentences: list[tuple[int, int]] = field(default_factory=list)   # spans in norm.text

    @property
    def section_label(self) -> str:
        return "/".join(h.marker or h.text[:12] for h in self.section)


def first_fund(text: str, vocab: Vocabulary) -> str | None:
    for m in vocab.term_pattern.finditer(text):
        term = vocab.terms[m.group()]
        if term.kind == "fund":
            return term.id
    return None


def parse_heading(norm_text: str) -> Heading | None:
    m = HEADING.match(norm_text)
    if m:
        level = next(i for i, name in enumerate(("l1", "l2", "l3", "l4"), start=1) if m.group(name))
        return Heading(level, m.group(), norm_text[m.end():])
    if UNNUMBERED_HEADING.match(norm_text):
        return Heading(1, "", norm_text)
    return None


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def segment(blocks: tuple[Block, ...] | list[Block], vocab: Vocabulary) -> list[Paragraph]:
    """Prose blocks (table cells are left to the table reader) in order, with outline context."""
    stack: list[tuple[Heading, str | None]] = []     # (heading, fund it names)
    budget_words = vocab.words["budget_section_heading"]
    paragraphs = []
    for block in blocks:
        if block.kind != "paragraph":
            continue
        norm = normalise(block.text)
        text = norm.text.strip()
        if not text:
            continue
        heading = parse_heading(text)
        if heading is not None:
            # a numbered paragraph at level 3 often carries content (1、2019年企业养老保险基金总支出…)
            while stack and stack[-1][0].level >= heading.level:
                stack.pop()
            stack.append((heading, first_fund(heading.text, vocab)))
        fund = next((f for h, f in reversed(stack) if f), None)
        # only real headings name a budget-target section, not a numbered paragraph's content
        budget_section = any(len(h.text) <= 40 and budget_words.search(h.text) for h, _ in stack)
        paragraphs.append(Paragraph(
            block=block, norm=norm, section=tuple(h for h, _ in stack), heading=heading, fund=fund,
            budget_section=budget_section, sentences=split_sentences(norm.text),
        ))
    return paragraphs
