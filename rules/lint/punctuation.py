"""Punctuation of Chinese text: ASCII marks in Chinese sentences, spaces before marks, ％ and %
mixed, brackets and quotes that do not pair up. All on the original text of each block."""
from __future__ import annotations

import re

import regex

from extractor.pipeline import Extraction

from ..base import Rule
from .common import Text, lint_finding, option, source, texts

FULL_WIDTH = {".": "。", ",": "，", ";": "；"}
# An ASCII mark between Chinese text: 623人.生育 / 万元,其中 / 分离;无违反 / 工作. (at the end).
# '.' only after 汉字, % or a closing bracket: after a digit it is a decimal point or a list number (1.企业).
ASCII_MARK = regex.compile(
    r"""
      (?<=[\p{Han}%％）)」”])(?P<mark>\.)(?=\s*[\p{Han}（(“]|\s*$)
    | (?<=[\p{Han}%％）)」”\d])(?P<mark>[,;])(?=\s*[\p{Han}（(“])
    """,
    regex.VERBOSE,
)
SPACE_BEFORE = regex.compile(r"(?<=\S)[ \t\u3000\xa0]+(?P<mark>[，。；：、！？）】》」』”])")
# Where SPACE_BEFORE's last space meets its mark: a text without this has no space to report, and
# `re` finds these two plain classes faster than `regex` finds SPACE_BEFORE.
SPACE_THEN_MARK = re.compile(r"[ \t\u3000\xa0][，。；：、！？）】》」』”]")
PAIRS = {"（": "）", "(": ")", "【": "】", "《": "》", "“": "”", "‘": "’", "「": "」", "『": "』"}
# Every mark unbalanced_brackets looks at: openers, closers and the ASCII double quote.
# (A class of plain characters: `re` finds them twice as fast as `regex`.)
BRACKET = re.compile("[" + re.escape("".join(PAIRS) + "".join(PAIRS.values()) + '"') + "]")
# Brackets that pair across widths: （…) is mixed style, not unbalanced.
SAME = {"（": "(", "）": ")"}
# A closing bracket after a list number at the start is a marker, not a pair: 1）、a)、一）.
LIST_MARKER = regex.compile(r"^\s*[\da-zA-Z一二三四五六七八九十①-⑳]{1,3}[)）]")


# The marks a context does not cross; a set, looked up a character at a time.
STOP = frozenset("，。；：、！？,;:（）()“”\n")


def _context(text: Text, start: int, end: int, width: int = 8) -> tuple[int, int]:
    """The span around [start, end) a reader recognises: up to `width` characters each side, not
    crossing another punctuation mark."""
    s = text.original
    a = start
    while a > 0 and start - a < width and s[a - 1] not in STOP:
        a -= 1
    b = end
    while b < len(s) and b - end < width and s[b] not in STOP:
        b += 1
    return a, b


def ascii_punctuation(rule: Rule, extraction: Extraction):
    """An ASCII . , ; ending or splitting a Chinese sentence.

    Why: Chinese text takes full-width 。，；; an ASCII full stop in 623人.生育津贴 reads as a decimal
    point to a parser (the sentence splitter has to guess) and looks like a slip to a reader.
    Decimal points, thousands separators and list numbers (1.企业) are not reported. Option `marks`
    limits the marks checked (default ".,;").

    Fails: 全年领取失业金人数525人.人均月领取失业金974.08元。
    Passes: 全年领取失业金人数525人。人均月领取失业金974.08元。
    """
    marks = set(option(rule, "marks", ".,;"))
    for text in texts(extraction):
        for m in ASCII_MARK.finditer(text.original):
            mark = m.group("mark")
            if mark not in marks:
                continue
            a, b = _context(text, m.start(), m.end())
            yield lint_finding(rule, f"「{text.original[a:b].strip()}」中用了英文标点「{mark}」，中文句子应使用"
                                     f"「{FULL_WIDTH[mark]}」", source(text, m.start(), m.end()),
                               suggestion=f"改为「{FULL_WIDTH[mark]}」")


def space_before_punctuation(rule: Rule, extraction: Extraction):
    """A space before a Chinese punctuation mark: 1049万元 ，其中.

    Why: Chinese punctuation takes no space before it; the space is left from editing and shows as a
    gap in the printed report.

    Fails: 基金总支出1049万元 ，其中：工伤保险待遇支出473万元。
    Passes: 基金总支出1049万元，其中：工伤保险待遇支出473万元。
    """
    for text in texts(extraction):
        if not SPACE_THEN_MARK.search(text.original):
            continue
        for m in SPACE_BEFORE.finditer(text.original):
            a, b = _context(text, m.start(), m.end())
            yield lint_finding(rule, f"「{text.original[a:b].strip()}」中标点「{m.group('mark')}」前多了空格",
                               source(text, m.start(), m.end()), suggestion="删去空格")


def mixed_percent_sign(rule: Rule, extraction: Extraction):
    """Full-width ％ and ASCII % both used in one report.

    Why: one report, one style; mixed signs show text pasted from different sources (99％以上 next to
    99%以上). Reported once, at the first sign of the less used kind.

    Fails: 首次待遇发放准确率99％以上，参保群众满意率99%以上。
    Passes: 首次待遇发放准确率99%以上，参保群众满意率99%以上。
    """
    count = {"％": 0, "%": 0}
    first: dict[str, tuple[Text, int]] = {}
    for text in texts(extraction):
        for sign in count:
            n = text.original.count(sign)
            if n:
                count[sign] += n
                first.setdefault(sign, (text, text.original.index(sign)))
    if not count["％"] or not count["%"]:
        return
    rare = min(count, key=lambda k: (count[k], k != "％"))
    common = "%" if rare == "％" else "％"
    text, i = first[rare]
    a, b = _context(text, i, i + 1)
    yield lint_finding(rule, f"全文混用全角「％」（{count['％']}处）与半角「%」（{count['%']}处），"
                             f"如「{text.original[a:b].strip()}」", source(text, i, i + 1),
                       suggestion=f"统一为「{common}」")


def unbalanced_brackets(rule: Rule, extraction: Extraction):
    """A bracket or quotation mark without its partner in the same paragraph.

    Why: （含业务审核、财务拨付 without its ）, or “展翅行动 without ”, leave the reader unsure where the
    aside ends. （…) in mixed widths pairs up (that is a style matter, not a missing mark); a list
    marker 1） at the start of a paragraph is not a bracket.

    Fails: 承诺在业务申报20个工作日内（含业务审核、财务拨付将申报资金拨付至各定点医疗机构。
    Passes: 承诺在业务申报20个工作日内（含业务审核、财务拨付）将申报资金拨付至各定点医疗机构。
    """
    closers = {v: k for k, v in PAIRS.items()}
    for text in texts(extraction):
        s = text.original
        chars = BRACKET.findall(s)
        if not chars:
            continue   # nothing to pair up
        skip = LIST_MARKER.match(s)
        # the list marker's bracket, counted among the marks
        skip_at = len(BRACKET.findall(s, 0, skip.end() - 1)) if skip else -1
        unpaired = _unpaired(chars, skip_at, closers)
        if not unpaired:
            continue   # where the marks are is asked only when one has no partner
        at = [m.start() for m in BRACKET.finditer(s)]
        for i in (at[k] for k in unpaired):
            a, b = _context(text, i, i + 1, width=8)
            ch = s[i]
            partner = PAIRS.get(ch) or {v: k for k, v in PAIRS.items()}.get(ch) or '"'
            yield lint_finding(rule, f"「{s[a:b].strip()}」中的「{ch}」没有对应的「{partner}」", source(text, i, i + 1),
                               suggestion=f"补上「{partner}」或删去「{ch}」")


def _unpaired(chars: list[str], skip_at: int, closers: dict[str, str]) -> list[int]:
    """Which of a text's marks (`chars`, in order) have no partner, as indices into them, in order;
    the mark at `skip_at` is a list marker's bracket."""
    stack: list[tuple[str, int]] = []
    lonely: list[int] = []
    for k, ch in enumerate(chars):
        if ch in PAIRS and not (ch in "“‘" and stack and stack[-1][0] == ch):
            stack.append((ch, k))
        elif ch in closers:
            if k == skip_at:
                continue
            want = closers[ch]
            if stack and SAME.get(stack[-1][0], stack[-1][0]) == SAME.get(want, want):
                stack.pop()
            else:
                lonely.append(k)
    quotes = [k for k, ch in enumerate(chars) if ch == '"']
    if len(quotes) % 2:
        lonely.append(quotes[-1])
    return sorted(lonely + [k for _, k in stack])
