"""Where a figure, and the one number a finding is about, sit in the document's original text.

The review outputs (HTML page, annotated Word and PDF copies) all point at text: a figure's span
comes with the figure (`source`), and a finding is pinned on the number it doubts — the growth rate
10.89% of 「总支出120586万元，较上年增加18851万元，增长10.89%」, not the whole clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .blocks import Document
from .models import Figure, Finding, Report

ATTRIBUTES = ("value", "change", "growth_pct", "budget", "completion_pct")

# A number as reports write it. The digits may be full-width (１３３５９０); the thousands
# separator is the ASCII comma only when three digits follow (the Chinese comma ends a clause);
# the decimal point may be full-width too. A following % is kept with the number it qualifies.
NUMBER = re.compile(
    r"""[0-9０-９]+
        (?:,[0-9]{3})*               # 21,491 written with a thousands separator
        (?:[.．][0-9０-９]+)?          # decimals, also after a full-width point
        (?:\s?[%％])?                 # a percentage sign (a PDF export may put a space before it)
    """,
    re.VERBOSE,
)
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A finding pinned on text: `text == document.blocks[block].text[start:end]`."""
    figure: str | None    # figure id; None for a finding about the wording, pinned on its location
    attr: str | None      # which of the figure's numbers: value | change | growth_pct | ...
    block: int
    start: int
    end: int
    text: str
    exact: bool           # False when the number could not be told apart and the whole figure is used


def is_located(figure: Figure, document: Document) -> bool:
    """The figure's span points at its own text in the document (the promise of `Source`)."""
    s = figure.source
    if not 0 <= s.block < len(document.blocks):
        return False
    text = document.blocks[s.block].text
    return 0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text


def number_spans(figure: Figure) -> dict[str, tuple[int, int]]:
    """Attribute -> span (into the block text) of the number that states it, for those found.

    The attributes are matched to the numbers of the figure's span by value, in the order reports
    write them (value, change, growth, budget, completion); a figure normalised to 万元 from 亿元 or
    元 is matched at its stated scale. A number is used once, so a change equal to the value still
    lands on the second occurrence.
    """
    tokens = [(m.start(), m.end(), _parse(m.group())) for m in NUMBER.finditer(figure.source.text)]
    used: set[int] = set()
    found: dict[str, tuple[int, int]] = {}
    last = -1
    for attr in ATTRIBUTES:
        wanted = figure.value if attr == "value" else getattr(figure, attr)
        if wanted is None:
            continue
        matches = [i for i, (_, _, number) in enumerate(tokens) if i not in used and _same_number(number, wanted)]
        if not matches:
            continue
        after = [i for i in matches if i > last]
        chosen = after[0] if after else matches[0]
        used.add(chosen)
        last = max(last, chosen)
        start, end, _ = tokens[chosen]
        found[attr] = (figure.source.start + start, figure.source.start + end)
    return found


def finding_anchor(finding: Finding, report: Report, document: Document) -> Anchor | None:
    """The figure and number a finding is about, located in the document; None when none is.

    The figure at the finding's location comes first, then the finding's other figures; on each, the
    number the hint suspects when the hint names that figure, else the one the finding quotes as
    stated, else the figure's value. A finding without figures is pinned on its location's text.
    """
    by_id = {f.id: f for f in report.figures}
    involved = [by_id[i] for i in finding.figures if i in by_id]
    if finding.suspect in by_id and finding.suspect not in finding.figures:
        involved.append(by_id[finding.suspect])
    loc = finding.location
    if loc is not None:
        # The figure at the finding's location first: that is where the text report places it.
        involved.sort(key=lambda f: (f.source.block, f.source.start, f.source.end) != (loc.block, loc.start, loc.end))
    candidates: list[tuple[Figure, str | None]] = []
    for figure in involved:
        if figure.id == finding.suspect and finding.suspect_attr:
            candidates.append((figure, finding.suspect_attr))
        else:
            candidates.append((figure, _stated_attr(figure, finding.stated)))
    for figure, attr in candidates:
        if not is_located(figure, document):
            continue
        spans = number_spans(figure)
        attr = attr or "value"
        if attr in spans:
            start, end = spans[attr]
            exact = True
        else:
            start, end, exact = figure.source.start, figure.source.end, False
        text = document.blocks[figure.source.block].text[start:end]
        return Anchor(figure.id, attr, figure.source.block, start, end, text, exact)
    if loc is not None and 0 <= loc.block < len(document.blocks):
        # A finding about the wording (a typo, a placeholder) has no figure: its location is the text.
        text = document.blocks[loc.block].text
        if 0 <= loc.start < loc.end <= len(text) and text[loc.start:loc.end] == loc.text:
            return Anchor(None, None, loc.block, loc.start, loc.end, loc.text, True)
    return None


def _stated_attr(figure: Figure, stated: Decimal | None) -> str | None:
    if stated is None:
        return None
    for attr in ATTRIBUTES:
        value = figure.value if attr == "value" else getattr(figure, attr)
        # Identity, not arithmetic: the finding quotes the very number the figure holds.
        if value is not None and value == stated:
            return attr
    return None


def _parse(token: str) -> Decimal | None:
    digits = token.translate(_FULL_WIDTH_DIGITS).replace(",", "").rstrip("%％ ")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _same_number(written: Decimal | None, value: Decimal) -> bool:
    """The number as written states `value`, possibly at another unit's scale (亿元, 元, 万人)."""
    if written is None:
        return False
    magnitude = abs(value)  # a decrease is written as 减少111.64, a fall as 下降1.53%
    # Identity of the written digits, not a tolerance check: the extractor read the value from them.
    return any(written == magnitude.scaleb(k) for k in (0, -4, 4, -8, 8, 1, -1))


SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


def note_text(finding: Finding, anchor: Anchor | None = None) -> str:
    """What a comment or a PDF note on the finding says: code and name, the message, the expected
    value (or range) where the finding has one, and the hint."""
    lines = [f"{finding.code} {finding.name}（{SEVERITY_CN.get(finding.severity, finding.severity)}）", finding.message]
    expected = expected_text(finding)
    if expected:
        lines.append(expected)
    if finding.hint:
        lines.append(f"提示：{finding.hint}")
    if finding.suggestion:
        lines.append(f"建议：{finding.suggestion}")
    if anchor is None:
        lines.append("（未能在原文中定位此发现所涉的数据，批注放在文首）")
    return "\n".join(lines)


def expected_text(finding: Finding) -> str:
    """期望值：18.53（区间 18.5288 ~ 18.5302），所述 10.89 — empty when the finding has none."""
    from .interval import fmt

    if finding.expected is None and finding.expected_low is None:
        return ""
    text = "期望值："
    if finding.expected is not None:
        text += fmt(finding.expected)
    if finding.expected_low is not None and finding.expected_high is not None:
        text += f"（区间 {fmt(finding.expected_low)} ~ {fmt(finding.expected_high)}）"
    if finding.stated is not None:
        text += f"，所述 {fmt(finding.stated)}"
    return text


def check_same_file(report: Report, data: bytes) -> None:
    """An annotated copy is made of the very file the report was made from."""
    import hashlib

    if report.document.sha256 and hashlib.sha256(data).hexdigest() != report.document.sha256:
        raise ValueError("报告不是由这个文件生成的（文件内容的 SHA-256 不一致），不能据此批注")


def prepare_copy(src, dst, report: Report, document, read):
    """(src, dst, the source bytes, its Document) for an annotated copy; refuses to overwrite the
    source or to annotate another file than the report's. `read(data, path)` reads the Document when
    it is not given."""
    from pathlib import Path

    src, dst = Path(src), Path(dst)
    if dst.exists() and dst.resolve() == src.resolve():
        raise ValueError("批注副本不能覆盖原文件，请另给输出路径")
    data = src.read_bytes()
    check_same_file(report, data)
    return src, dst, data, document if document is not None else read(data, str(src))
