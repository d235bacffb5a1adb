"""Blocks into paragraphs with their place in the outline, their fund context and their sentences.

Headings (``第一部分`` ``一、`` ``（一）`` ``1、`` ``(1)``, and unnumbered lines that read as headings)
build a section path. The fund a paragraph is about
starts as the fund named by the nearest heading that names one; sentences may name another.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from .blocks import Block
from .normalize import NormText, normalise
from .vocabulary import Vocabulary

_CN_NUM = "一二三四五六七八九十"
HEADING = regex.compile(
    rf"""
    ^(?:
        (?P<l0>第[{_CN_NUM}]+(?:部分|章))        # 第一部分: 决算 reports put parts above 一、
      | (?P<l1>[{_CN_NUM}]+、)                 # 一、
      | (?P<l2>\([{_CN_NUM}]+\))               # (一)  — full-width parens are ASCII after normalising
      | (?P<l3>\d{{1,2}}(?:、|\.(?!\d)))       # 1、 or 1.  (not 1.5)
      | (?P<l4>\(\d{{1,2}}\))                  # (1)
    )
    """,
    regex.VERBOSE,
)
# A line with no number that still reads as a heading: short, no sentence punctuation, ends in 情况.
UNNUMBERED_HEADING = regex.compile(r"^[\p{Han}、]{6,40}(?:情况|分析|问题|附表)$")
# What may follow a fund's name on a line that is only that name (企业职工基本养老保险基金收支情况).
FUND_LINE_TAIL = regex.compile(r"^(?:[:：。]|预算|决算|执行|完成|收支|运行|基本|情况|分析)*$")

# Sentence ends: 。！？ and line breaks; an ASCII '.' between 汉字 (or after a unit) ending a sentence.
SENTENCE_END = regex.compile(r"[。!?！？\n]|(?<=[\p{Han}%])\.(?=[^\d])")
_SENTENCE_MARK = re.compile(r"[。!?！？\n]")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int          # 0..4 (第一部分 is 0); unnumbered headings count as level 1
    marker: str         # "一、", "(二)", "1、", "" for an unnumbered heading
    text: str
    fund_line: bool = False   # an unnumbered line that is only a fund's name: one level below its parent


@dataclass(slots=True)
class Paragraph:
    block: Block
    norm: NormText
    section: tuple[Heading, ...]
    heading: Heading | None              # set when the block itself starts with a heading marker
    fund: str | None                     # fund context from the headings
    budget_section: bool
    sentences: list[tuple[int, int]] = field(default_factory=list)   # spans in norm.text
    section_label: str = field(init=False, default="")              # the heading path: 二、/（三）

    def __post_init__(self) -> None:
        # joined once here: every figure's and finding's source asks for it
        self.section_label = "/".join(h.marker or h.text[:12] for h in self.section)


def first_fund(text: str, vocab: Vocabulary) -> str | None:
    for m in vocab.term_pattern.finditer(text):
        term = vocab.terms[m.group()]
        if term.kind == "fund":
            return term.id
    return None


def parse_heading(norm_text: str, vocab: Vocabulary | None = None) -> Heading | None:
    m = HEADING.match(norm_text)
    if m:
        level = int(m.lastgroup[1])          # the one group l0..l4 that matched
        return Heading(level, m.group(), norm_text[m.end():])
    if UNNUMBERED_HEADING.match(norm_text):
        return Heading(1, "", norm_text)
    if vocab is not None and is_fund_line(norm_text, vocab):
        return Heading(1, "", norm_text, fund_line=True)
    return None


def is_fund_line(text: str, vocab: Vocabulary) -> bool:
    """A line that is a fund's name and nothing else (决算 reports title each fund's paragraph so)."""
    m = vocab.term_pattern.match(text)
    return bool(m and vocab.terms[m.group()].kind == "fund" and FUND_LINE_TAIL.match(text[m.end():]))


def place_heading(stack: list[tuple[Heading, str | None]], heading: Heading, vocab: Vocabulary) -> None:
    """Pop what the heading closes, then push it with the fund it names. A fund line sits one level
    below the nearest numbered (or 情况) heading and replaces the fund line before it."""
    if heading.fund_line:
        while stack and stack[-1][0].fund_line:
            stack.pop()
        level = stack[-1][0].level + 1 if stack else 1
        heading = Heading(level, heading.marker, heading.text, fund_line=True)
    while stack and stack[-1][0].level >= heading.level:
        stack.pop()
    stack.append((heading, first_fund(heading.text, vocab)))


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    # without a '.', only the marks of the first alternative can end a sentence: `re` finds them faster
    for m in (SENTENCE_END if "." in text else _SENTENCE_MARK).finditer(text):
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
    outline: tuple | None = None
    for block in blocks:
        if block.kind != "paragraph":
            continue
        norm = normalise(block.text)
        text = norm.text.strip()
        if not text:
            continue
        heading = parse_heading(text, vocab)
        if heading is not None:
            # a numbered paragraph at level 3 often carries content (1、2019年企业养老保险基金总支出…)
            place_heading(stack, heading, vocab)
        if heading is not None or outline is None:
            # the outline changes only at a heading: fund, budget section and path are worked out then
            fund = next((f for h, f in reversed(stack) if f), None)
            # only real headings name a budget-target section, not a numbered paragraph's content
            budget_section = any(len(h.text) <= 40 and budget_words.search(h.text) for h, _ in stack)
            outline = (tuple(h for h, _ in stack), fund, budget_section)
        section, fund, budget_section = outline
        paragraphs.append(Paragraph(
            block=block, norm=norm, section=section, heading=heading, fund=fund,
            budget_section=budget_section, sentences=split_sentences(norm.text),
        ))
    return paragraphs
