"""The performance self-evaluation table (绩效自评表) into indicators.

    |绩效指标|一级指标|二级指标|三级指标    |年度指标值|实际完成值|分值|得分|偏差原因…|
    |        |产出指标|数量指标|参保人数    |≥50000人  |52310人   |10  |10  |          |
    |        |        |质量指标|待遇发放准确率|100%    |100%      |10  |10  |          |
    |总分    |                                                    |100 |97.9|          |

- The table is found by its header row: three or more of the header words of ``vocab/selfeval.yaml``
  (一级指标, 二级指标, 三级指标, 指标值, 实际完成值, 分值, 得分); its columns are named by them.
- 一级/二级指标 cells merged down the rows they cover are read once: later rows take them from above.
- A target keeps its text and is read as a comparison and a number with its unit: ≥95%, 95%以上,
  不低于6个月, ≤1%, 100% (equal); an actual value likewise. Counts in 万人 become 人, money 万元.
- The 资金/年度资金总额 block above the indicators (全年预算数, 全年执行数, 分值, 执行率, 得分) is an
  indicator of its own (kind ``funds``, 预算执行率); the 总分 row is kind ``total``.
- A table that PDF export split over two pages is read as one (tables.read_grids).
"""
from __future__ import annotations

from decimal import Decimal

import regex

from .blocks import Block
from .models import CellLocation, Indicator, Source
from .normalize import normalise
from .segment import Paragraph, first_fund
from .tables import Grid, is_selfeval, read_grids
from .vocabulary import COUNT_UNITS, MONEY_UNITS, Vocabulary

QUANTITY = regex.compile(
    r"(?P<num>-?\d+(?:\.\d+)?)\s*(?P<unit>%|‰|个月|万人次|人次|万人|人|万户|户|亿元|万元|元|个|天|日|次|项|家|件|分)?")
FIELDS_NEEDED = 3
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score")


def read_indicators(blocks: tuple[Block, ...] | list[Block], paragraphs: list[Paragraph],
                    vocab: Vocabulary) -> list[Indicator]:
    if not vocab.selfeval:
        return []
    rows: list[dict] = []
    for grid in read_grids(blocks, vocab):
        if is_selfeval(grid, vocab):
            rows.extend(_table_rows(grid, paragraphs, vocab))
    return [Indicator(id=f"i{n}", **row) for n, row in enumerate(rows, start=1)]


def _plain(text: str) -> str:
    return regex.sub(r"\s+", "", normalise(text).text)


def _field_of(text: str, words: list[tuple[str, str]]) -> str | None:
    t = _plain(text)
    return next((f for word, f in words if word in t), None) if t else None


def _table_rows(grid: Grid, paragraphs: list[Paragraph], vocab: Vocabulary) -> list[dict]:
    spec = vocab.selfeval
    words = sorted(((w, f) for f, ws in spec["headers"].items() for w in ws), key=lambda x: -len(x[0]))
    rows, cols = grid.rows(), grid.cols()
    header = None
    for r in rows:
        fields = {c: _field_of(grid.text(r, c), words) for c in cols if (r, c) in grid.cells}
        if len({f for f in fields.values() if f in INDICATOR_FIELDS}) >= FIELDS_NEEDED:
            header = r
            columns: dict[str, int] = {}
            for c, f in fields.items():
                if f is not None:
                    columns.setdefault(f, c)
            break
    if header is None:
        return []
    section = _section(grid, paragraphs)
    fund = _fund(grid, paragraphs, header, vocab)
    out = []
    funds_row = _funds_row(grid, rows[:rows.index(header)], vocab, section, fund)
    if funds_row is not None:
        out.append(funds_row)
    totals = [_plain(w) for w in spec["total_row"]]
    carried: dict[str, str | None] = {"level1": None, "level2": None}
    for r in rows[rows.index(header) + 1:]:
        label_cols = [c for c in cols if c < columns.get("target", columns.get("weight", cols[-1]))]
        if any(_plain(grid.text(r, c)) in totals for c in label_cols):
            out.append(_row(grid, r, columns, "total", vocab, section, fund, name=next(
                _plain(grid.text(r, c)) for c in label_cols if _plain(grid.text(r, c)) in totals)))
            break
        for level in ("level1", "level2"):
            if level in columns and (r, columns[level]) in grid.cells:
                carried[level] = grid.text(r, columns[level]).strip()
                if level == "level1":
                    carried["level2"] = None
        if "name" not in columns or (r, columns["name"]) not in grid.cells:
            continue
        out.append(_row(grid, r, columns, "indicator", vocab, section, fund, name=grid.text(r, columns["name"]).strip(),
                        level1=carried["level1"], level2=carried["level2"]))
    return out


def _row(grid: Grid, r: int, columns: dict[str, int], kind: str, vocab: Vocabulary, section: str, fund: str | None,
         name: str, level1: str | None = None, level2: str | None = None) -> dict:
    cells: dict[str, Source] = {}
    for f in ("target", "actual", "weight", "score"):
        if f in columns and (r, columns[f]) in grid.cells:
            cells[f] = _source(grid.cells[r, columns[f]].block, section)
    name_col = columns.get("name", min(c for rr, c in grid.cells if rr == r))
    anchor = grid.cells.get((r, name_col)) or next(grid.cells[rr, c] for rr, c in sorted(grid.cells) if rr == r)
    row = dict(kind=kind, level1=level1, level2=level2, name=name, fund=fund, source=_source(anchor.block, section),
               cells=cells, weight=_points(grid, r, columns.get("weight")), score=_points(grid, r, columns.get("score")))
    if kind == "indicator":
        if "target" in columns:
            text = grid.text(r, columns["target"]).strip() or None
            op, value, unit = parse_quantity(text, vocab) if text else (None, None, None)
            row.update(target_text=text, target_op=op if value is not None else None, target_value=value, target_unit=unit)
        if "actual" in columns:
            text = grid.text(r, columns["actual"]).strip() or None
            _, value, unit = parse_quantity(text, vocab) if text else (None, None, None)
            row.update(actual_text=text, actual_value=value, actual_unit=unit)
        if "reason" in columns:
            row["reason"] = grid.text(r, columns["reason"]).strip() or None
    return row


def _funds_row(grid: Grid, above: list[int], vocab: Vocabulary, section: str, fund: str | None) -> dict | None:
    """The 资金 block: a header row with 执行率, 分值 and 得分 and the row of numbers under it."""
    spec = vocab.selfeval
    header_words = sorted(((w, f) for f, ws in spec["headers"].items() if f in ("weight", "score") for w in ws),
                          key=lambda x: -len(x[0]))
    funds_words = sorted(((w, f) for f, ws in spec["funds"].items() if isinstance(ws, list) for w in ws),
                         key=lambda x: -len(x[0]))
    ranked = {w: n for words in (spec["funds"], spec["headers"]) for ws in words.values() if isinstance(ws, list)
              for n, w in enumerate(ws)}
    for i, r in enumerate(above[:-1]):
        columns: dict[str, int] = {}
        best: dict[str, int] = {}
        for c in grid.cols():
            if (r, c) in grid.cells:
                text = _plain(grid.text(r, c))
                word = next((w for w, _ in funds_words + header_words if w in text), None)
                f = _field_of(text, funds_words) or _field_of(text, header_words)
                # 全年预算数 over 年初预算数 (both say 预算数): the word listed first wins
                if f is not None and ranked.get(word, 99) < best.get(f, 100):
                    columns[f], best[f] = c, ranked.get(word, 99)
        if not {"rate", "weight", "score"} <= set(columns):
            continue
        values = above[i + 1]
        rate_text = grid.text(values, columns["rate"]).strip() or None
        _, rate, unit = parse_quantity(rate_text, vocab) if rate_text else (None, None, None)
        cells = {"weight": columns["weight"], "score": columns["score"], "actual": columns["rate"]}
        anchor = grid.cells.get((values, columns["rate"])) or grid.cells.get((r, columns["rate"]))
        return dict(kind="funds", name=spec["funds"]["name"], fund=fund, actual_text=rate_text, actual_value=rate,
                    actual_unit=unit, weight=_points(grid, values, columns["weight"]),
                    score=_points(grid, values, columns["score"]),
                    budget=_money(grid, values, columns.get("budget")), executed=_money(grid, values, columns.get("executed")),
                    source=_source(anchor.block, section),
                    cells={f: _source(grid.cells[values, c].block, section) for f, c in cells.items()
                           if (values, c) in grid.cells})
    return None


def parse_quantity(text: str, vocab: Vocabulary) -> tuple[str, Decimal | None, str | None]:
    """(comparison, value, unit) of a target or an actual value: ≥95% -> ('>=', 95, '%')."""
    norm = normalise(text, cell=True).text
    m = QUANTITY.search(norm)
    op = "="
    found = sorted(((w, o) for o, ws in vocab.selfeval["operators"].items() for w in ws), key=lambda x: -len(x[0]))
    for word, o in found:
        if normalise(word).text in norm:
            op = o
            break
    if not m:
        return op, None, None
    value, unit = Decimal(m.group("num")), m.group("unit") or ""
    if unit in COUNT_UNITS:
        unit, power = COUNT_UNITS[unit]
        value = value.scaleb(power)
    elif unit in MONEY_UNITS:
        value, unit = value.scaleb(MONEY_UNITS[unit]), "万元"
    return op, value, unit


def _points(grid: Grid, r: int, c: int | None) -> Decimal | None:
    if c is None or (r, c) not in grid.cells:
        return None
    m = QUANTITY.fullmatch(normalise(grid.text(r, c), cell=True).text.strip())
    return Decimal(m.group("num")) if m and m.group("unit") in (None, "分") else None


def _money(grid: Grid, r: int, c: int | None) -> Decimal | None:
    if c is None or (r, c) not in grid.cells:
        return None
    m = QUANTITY.fullmatch(normalise(grid.text(r, c), cell=True).text.strip())
    return Decimal(m.group("num")) if m and m.group("unit") in (None, "万元") else None


def _source(block: Block, section: str) -> Source:
    cell = CellLocation(table=block.cell.table, row=block.cell.row, col=block.cell.col) if block.cell else None
    return Source(block=block.index, page=block.page_at(0), start=0, end=len(block.text), text=block.text,
                  cell=cell, section=section or None)


def _section(grid: Grid, paragraphs: list[Paragraph]) -> str:
    before = [p for p in paragraphs if p.block.index < grid.first_index]
    return before[-1].section_label if before else ""


def _fund(grid: Grid, paragraphs: list[Paragraph], header: int, vocab: Vocabulary) -> str | None:
    """The fund the table evaluates: named above its header row (项目名称) or in its caption."""
    texts = [normalise(grid.text(r, c)).text for r, c in sorted(grid.cells) if r < header]
    before = [p.norm.text for p in paragraphs if p.block.index < grid.first_index][-2:]
    for text in texts + before[::-1]:
        fund = first_fund(text, vocab)
        if fund is not None:
            return fund
    return None
