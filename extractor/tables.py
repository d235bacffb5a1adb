"""Figures out of fund tables: one column per fund and a row per metric, or the transpose.

    |项目        |企业职工养老|…|合计     |          单位：万元 (caption or header)
    |一、基金收入|38338.97    |…|102344.05|  →  enterprise_pension income.total 38338.97, …, all …

Header words are matched with the same vocabulary as prose; funds may also be written short
(工伤, 生育, 合计) in a header. Every cell figure keeps its table location.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import regex

from .blocks import Block
from .extract import NUMBER_RE, Draft, parse_number_at
from .normalize import normalise
from .segment import Paragraph
from .vocabulary import MONEY_UNITS, Vocabulary

ROW_NUMBERING = regex.compile(r"^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)|\d+[、.])")
UNIT_CAPTION = regex.compile(r"单位\s*[:：]?\s*(?P<unit>亿元|万元|千元|元)|[(（](?P<unit2>亿元|万元|千元|元)[)）]")
NIL = regex.compile(r"^(?:-|—|–|/|无|\s*)$")


def _fund_of(text: str, vocab: Vocabulary) -> str | None:
    text = ROW_NUMBERING.sub("", normalise(text).text.strip())
    if text in vocab.fund_short:
        return vocab.fund_short[text]
    term = vocab.terms.get(text)
    if term is not None and term.kind == "fund":
        return term.id
    m = vocab.term_pattern.search(text)
    if m and vocab.terms[m.group()].kind == "fund" and len(m.group()) >= len(text) - 4:
        return vocab.terms[m.group()].id
    return None


def _metric_of(text: str, vocab: Vocabulary) -> tuple[str, int] | None:
    text = ROW_NUMBERING.sub("", normalise(text).text.strip())
    found = None
    for m in vocab.term_pattern.finditer(text):
        term = vocab.terms[m.group()]
        if term.kind == "metric" and term.metric_kind == "money":
            found = (term.id, term.sign)
    return found


def _unit_of(texts: list[str]) -> str | None:
    for text in texts:
        m = UNIT_CAPTION.search(normalise(text).text)
        if m:
            return m.group("unit") or m.group("unit2")
    return None


def extract_tables(blocks: tuple[Block, ...] | list[Block], paragraphs: list[Paragraph],
                   vocab: Vocabulary) -> list[Draft]:
    tables: dict[int, dict[tuple[int, int], Block]] = defaultdict(dict)
    for block in blocks:
        if block.kind == "cell" and block.cell is not None:
            tables[block.cell.table].setdefault((block.cell.row, block.cell.col), block)
    drafts: list[Draft] = []
    for grid in tables.values():
        drafts.extend(_table_figures(grid, paragraphs, vocab))
    return drafts


def _table_figures(grid: dict[tuple[int, int], Block], paragraphs: list[Paragraph],
                   vocab: Vocabulary) -> list[Draft]:
    first_index = min(b.index for b in grid.values())
    before = [p for p in paragraphs if p.block.index < first_index][-3:]
    caption_texts = [p.block.text for p in before] + [b.text for (r, _), b in grid.items() if r == 0]
    stated_unit = _unit_of(caption_texts) or "万元"
    section = before[-1] if before else None
    rows = sorted({r for r, _ in grid})
    cols = sorted({c for _, c in grid})
    header_row = next((r for r in rows[:3]
                       if sum(1 for c in cols[1:] if (r, c) in grid and _fund_of(grid[r, c].text, vocab)) >= 2), None)
    drafts: list[Draft] = []
    if header_row is not None:
        funds = {c: _fund_of(grid[header_row, c].text, vocab) for c in cols if (header_row, c) in grid}
        for r in rows:
            if r <= header_row or (r, cols[0]) not in grid:
                continue
            metric = _metric_of(grid[r, cols[0]].text, vocab)
            for c in cols[1:]:
                if metric and funds.get(c) and (r, c) in grid:
                    drafts.extend(_cell_figure(grid[r, c], funds[c], metric, stated_unit,
                                               grid[r, cols[0]].text, section, vocab))
        return drafts
    header_col = cols[0]
    metrics = {c: _metric_of(grid[rows[0], c].text, vocab) for c in cols if (rows[0], c) in grid}
    for r in rows[1:]:
        fund = _fund_of(grid[r, header_col].text, vocab) if (r, header_col) in grid else None
        for c in cols[1:]:
            if fund and metrics.get(c) and (r, c) in grid:
                drafts.extend(_cell_figure(grid[r, c], fund, metrics[c], stated_unit,
                                           grid[rows[0], c].text, section, vocab))
    return drafts


def _cell_figure(block: Block, fund: str, metric: tuple[str, int], stated_unit: str, label: str,
                 context: Paragraph | None, vocab: Vocabulary) -> list[Draft]:
    norm = normalise(block.text, cell=True)
    text = norm.text.strip()
    if NIL.match(text):
        return []
    m = NUMBER_RE.search(norm.text)
    if not m or norm.text[:m.start()].strip() or norm.text[m.end():].strip():
        return []
    num = parse_number_at(m)
    unit = num.stated_unit or stated_unit
    if unit not in MONEY_UNITS:
        return []
    raw = Decimal(m.group("digits")) * (-1 if m.group("neg") else 1)
    value = raw.scaleb(MONEY_UNITS[unit])
    metric_id, sign = metric
    paragraph = Paragraph(block=block, norm=norm, section=context.section if context else (), heading=None,
                          fund=fund, budget_section=False, sentences=[(0, len(norm.text))])
    draft = Draft(fund, metric_id, "actual", value * sign, "万元", unit, ROW_NUMBERING.sub("", label.strip()),
                  paragraph, m.start("num"), m.end("num"))
    draft.cell = (block.cell.table, block.cell.row, block.cell.col)
    return [draft]
