"""Heading numbering: 一、二、三、…, （一）（二）…, 1、2、…, (1)(2)… in sequence, level by level."""
from __future__ import annotations

import regex

from extractor.pipeline import Extraction

from ..base import Rule
from .common import Text, lint_finding, norm_source, quote, texts

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
# A paragraph that opens an attachment starts a numbering of its own.
ATTACHMENT = regex.compile(r"^附(?:件|表)\s*\d*[:：]?")
ATTACHMENT_OPENINGS = ("附件", "附表")   # what ATTACHMENT asks of a text: the rest of it is optional


def cn_number(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


def to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def marker_number(marker: str) -> int | None:
    core = marker.strip("()（）、.．")
    return int(core) if core.isdigit() else cn_number(core)


def render_marker(original: str, n: int) -> str:
    """The marker `original` (as the document writes it) renumbered to n: （二）→（一）, 3、→ 2、."""
    return regex.sub(r"[0-9０-９]+|[零一二三四五六七八九十]+",
                     lambda m: str(n) if m.group()[0].isdigit() else to_cn(n), original, count=1)


def _marker_span(text: Text) -> tuple[int, int]:
    norm = text.norm.text
    lead = len(norm) - len(norm.lstrip())
    return lead, lead + len(text.paragraph.heading.marker)


def heading_numbering_out_of_sequence(rule: Rule, extraction: Extraction):
    """Heading numbers that skip, repeat or go back, and headings that skip a level.

    Why: 一、二、四、 means a section lost its number or was cut (the seed's 支出组织实施情况 heading has
    none, so 三、 is missing); （一）（二）（二） is a copy-paste; 1、 right under 一、 skips the （一） level
    that the numbering convention (一、/（一）/1./（1）) puts between them. Restarting at 1 under a new
    heading is fine; an unnumbered heading is named when it sits where the missing number should be.

    Fails: 四、其他需要说明的问题
    Passes: 一、社会保险基金收支余总体情况
    """
    last: dict[int, tuple[int, Text]] = {}          # level -> (number, heading) of the last numbered heading
    unnumbered: list[Text] = []                      # unnumbered headings since the last level-1 number
    for text in texts(extraction, cells=False):
        p = text.paragraph
        if p.norm.text.lstrip().startswith(ATTACHMENT_OPENINGS):
            last.clear()
            unnumbered.clear()
            continue
        heading = p.heading
        if heading is None:
            continue
        if not heading.marker:
            unnumbered.append(text)
            continue
        level, n = heading.level, marker_number(heading.marker)
        if n is None:
            continue
        a, b = _marker_span(text)
        shown = text.norm.original_text(a, b)
        previous = last.get(level)
        expected = previous[0] + 1 if previous else 1
        if n != expected and not (previous and n == 1 and level > 1):
            yield _sequence_finding(rule, text, a, b, shown, n, expected, previous, unnumbered if level == 1 else [])
        else:
            parent = max((lv for lv in last if lv < level), default=None)
            if parent is not None and parent < level - 1 and level - 1 not in last:
                parent_text = last[parent][1]
                pa, pb = _marker_span(parent_text)
                yield lint_finding(
                    rule, f"「{shown}」直接出现在「{parent_text.norm.original_text(pa, pb)}」之下，跳过了"
                          f"{LEVEL_NAMES[level - 1]}标题（一、/（一）/1./（1）依次使用）",
                    norm_source(text, a, b), severity="info")
        last[level] = (n, text)
        for deeper in [lv for lv in last if lv > level]:
            del last[deeper]
        if level == 1:
            unnumbered.clear()


def _sequence_finding(rule, text, a, b, shown, n, expected, previous, unnumbered):
    want = render_marker(shown, expected)
    if previous is None:
        message = f"本级标题从「{shown}」开始，缺少「{want}」"
    elif n > expected:
        missing = "、".join(f"「{render_marker(shown, k)}」" for k in range(expected, n))
        message = f"标题编号由「{render_marker(shown, expected - 1)}」跳到「{shown}」，缺少{missing}"
    elif n == expected - 1:
        message = f"标题编号「{shown}」重复，上一个同级标题也是「{shown}」"
    else:
        message = f"标题编号由「{render_marker(shown, expected - 1)}」退回到「{shown}」"
    location, suggestion = norm_source(text, a, b), None
    if n > expected and unnumbered:
        loose = unnumbered[-1]
        message += f"；其间的标题「{quote(loose.original)}」没有编号，疑应为「{want}」"
        location = norm_source(loose, 0, len(loose.norm.text))
        suggestion = f"改为「{want}{loose.original.strip()}」"
    return lint_finding(rule, message, location, severity="warning", suggestion=suggestion)
